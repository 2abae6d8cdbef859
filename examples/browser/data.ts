// The atlas the example builds, and the questions the page's worker answers. Plain data, shared by the
// browser bundle and the Node test (which answers the same questions from this data without an arena).
// The IP blocks are made up for the example, not real allocations.
import type { Infer } from '@sabre/schema';
import type { Atlas } from './atlas.schema.js';

/** "a.b.c.d" as the u32 the range table is keyed by. */
export function ipv4(dotted: string): number {
  return dotted.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

// `satisfies`, not a type annotation: the test reads these lists back as arrays (the builder also takes iterables).
export const atlasInput = {
  countries: [
    { code: 'CH', name: 'Switzerland', continent: 'Europe' },
    { code: 'JP', name: '日本', continent: 'Asia' },
    { code: 'GB', name: 'United Kingdom', continent: 'Europe' },
    { code: 'BR', name: 'Brasil', continent: 'Americas' },
    { code: 'KE', name: 'Kenya', continent: 'Africa' },
    { code: 'NZ', name: 'Aotearoa New Zealand', continent: 'Oceania' },
  ],
  cities: [
    { name: 'Zürich', country: 0, population: 421_878, elevation: 408, districts: ['Altstadt', 'Wiedikon'] },
    { name: '東京', country: 1, population: 13_960_000, districts: ['千代田', '中央', '港'] },
    { name: 'London', country: 2, population: 8_982_000, elevation: 11, districts: ['Camden', 'Hackney'] },
    { name: 'São Paulo', country: 3, population: 12_330_000, elevation: 760, districts: [] },
    { name: 'Nairobi', country: 4, population: 4_397_073, elevation: 1795, districts: ['Westlands'] },
    { name: 'Wellington', country: 5, population: 212_700, districts: ['Te Aro'] },
  ],
  ipBlocks: [
    { first: ipv4('1.0.16.0'), last: ipv4('1.0.31.255'), city: 1 },
    { first: ipv4('2.16.0.0'), last: ipv4('2.16.255.255'), city: 0 },
    { first: ipv4('5.62.0.0'), last: ipv4('5.62.63.255'), city: 2 },
    { first: ipv4('41.80.0.0'), last: ipv4('41.90.255.255'), city: 4 },
    { first: ipv4('177.0.0.0'), last: ipv4('177.63.255.255'), city: 3 },
    { first: ipv4('202.36.0.0'), last: ipv4('202.36.255.255'), city: 5 },
  ],
  domains: [
    { suffix: 'ch', country: 0 },
    { suffix: 'jp', country: 1 },
    { suffix: 'co.jp', country: 1 },
    { suffix: 'uk', country: 2 },
    { suffix: 'co.uk', country: 2 },
    { suffix: 'com.br', country: 3 },
    { suffix: 'ke', country: 4 },
    { suffix: 'govt.nz', country: 5 },
  ],
  dialCodes: [
    { code: 41, country: 0 },
    { code: 81, country: 1 },
    { code: 44, country: 2 },
    { code: 55, country: 3 },
    { code: 254, country: 4 },
    { code: 64, country: 5 },
  ],
  about: { title: 'sabre atlas: a browser example', version: 1, tags: ['every container kind', 'Zürich, 東京, São Paulo', '🗺️ astral too'] },
} satisfies Infer<typeof Atlas>;

/** What the page asks, by container kind; each list has a key that is absent, which must answer null. */
export const questions = {
  countries: ['JP', 'NZ', 'XX'],
  ips: ['1.0.20.7', '41.89.1.1', '202.36.255.255', '8.8.8.8'],
  hosts: ['www.bbc.co.uk', 'shop.xco.uk', 'example.jp', 'parliament.govt.nz', 'example.nz', 'example.com'],
  dialCodes: [81, 254, 64, 999],
} as const;
