import type { Infer } from '@sabre/schema';
import type { Geo } from './fixtures/geo.schema.js';

/** Sample input for the Geo fixture: every field kind, optional fields present and absent. */
export function geoInput(cities = 50) {
  return {
    countries: [
      { name: 'Switzerland', code: 'CH', continent: 'Europe' },
      { name: 'Japan', code: 'JP', continent: 'Asia' },
      { name: 'Brasil', code: 'BR', continent: 'Americas' },
    ],
    cities: Array.from({ length: cities }, (_, i) => ({
      name: ['Zürich', '東京', 'São Paulo', 'Genève'][i % 4] + (i < 4 ? '' : ` ${i}`),
      population: 10_000 + i * 7919,
      country: i % 3,
      location: { lat: 47.3769 - i / 100, lon: 8.5417 + i / 100 },
      ...(i % 2 === 0 ? { elevation: i - 20 } : {}),
      aliases: i % 5 === 0 ? [] : [`alias-${i}`, 'shared alias'],
      districts: Array.from({ length: i % 4 }, (_, d) => ({ name: `district ${d}`, area: d + 0.5 })),
      monthlyRain: Array.from({ length: i % 13 }, (_, m) => m * 1.5),
      twins: i === 0 ? [] : [i - 1, (i * 7) % cities],
      capital: i % 7 === 0,
      geonameId: 2_657_896n + BigInt(i),
      ...(i % 3 === 0 ? { timezone: 'Europe/Zurich' } : {}),
    })),
    ipBlocks: Array.from({ length: 20 }, (_, i) => ({ first: 0x0a00_0000 + (19 - i) * 256, last: 0x0a00_0000 + (19 - i) * 256 + 199, city: i % cities })),
    domains: [
      { suffix: '.ch', country: 0 },
      { suffix: '.jp', country: 1 },
      { suffix: '.co.jp', country: 1 },
      { suffix: '.com.br', country: 2 },
      { suffix: '.admin.ch', country: 0 },
    ],
    callingCodes: [
      { code: 81, country: 1 },
      { code: 41, country: 0 },
      { code: 55, country: 2 },
    ],
    meta: { version: 3, source: 'fixture', flags: ['curated', 'synthetic', 'curated'] },
  } satisfies Infer<typeof Geo>;
}
