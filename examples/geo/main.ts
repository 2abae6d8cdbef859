import { Worker } from 'node:worker_threads';
import { build } from '@sabre/schema';
import { Geo } from './geo.schema.js';

// Build the arena from plain data; every value is checked against the schema.
const arena = build(Geo, {
  countries: [
    { name: 'Switzerland', code: 'CH' },
    { name: 'Japan', code: 'JP' },
  ],
  cities: [
    { name: 'Zürich', population: 421_878, country: 0, elevation: 408, districts: ['Altstadt', 'Wiedikon'] },
    { name: '東京', population: 13_960_000, country: 1, districts: ['Chiyoda', 'Chūō', 'Minato'] },
  ],
});

// Share it: post the buffer; the worker opens it in place. Compiled to JavaScript this is just
// `new Worker(new URL('./worker.js', import.meta.url))`; run as TypeScript through tsx, Node 20 does
// not pass tsx on to workers, so this example starts its worker through the repository's bootstrap.
const worker = new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), {
  workerData: { entry: new URL('./worker.ts', import.meta.url).href },
});
worker.once('message', (answer: string) => {
  console.log(answer); // 東京, Japan: 13960000 people, 3 districts
  void worker.terminate();
});
worker.postMessage(arena.buffer);

