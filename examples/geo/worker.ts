import { parentPort } from 'node:worker_threads';
import { Geo } from './__generated__/geo.js';

// The worker receives the arena's SharedArrayBuffer once; opening it copies nothing.
parentPort?.once('message', (buffer: SharedArrayBuffer) => {
  const geo = Geo.open(buffer);
  const city = geo.cities.at(1);
  parentPort?.postMessage(`${city.name}, ${city.country.name}: ${city.population} people, ${city.districts.length} districts`);
});
