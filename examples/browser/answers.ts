// The questions of data.ts answered through the generated views, as plain JSON: the worker, the page
// without isolation and the Node test all call this, and the test checks it against the data itself.
import type { Atlas } from './__generated__/atlas.js';
import { ipv4, questions } from './data.js';

export interface Answers {
  /** Hash map: country code → the country. */
  countries: Record<string, { name: string; continent: string } | null>;
  /** Table: every row, with its ref, optional and vector of strings followed. */
  cities: { name: string; country: string; population: number; elevation: number | null; districts: string[] }[];
  /** Range table: address → the city of the block that holds it. */
  ips: Record<string, string | null>;
  /** Trie (reversed, by whole labels): host → the longest rule that is a suffix, and its country. */
  hosts: Record<string, { rule: string; country: string } | null>;
  /** Direct map: dialling code → country name. */
  dialCodes: Record<string, string | null>;
  /** Record: the one About row. */
  about: { title: string; version: number; tags: string[] };
}

export function answer(atlas: Atlas): Answers {
  const countries: Answers['countries'] = {};
  for (const code of questions.countries) {
    const c = atlas.countries.get(code);
    countries[code] = c === undefined ? null : { name: c.name, continent: c.continent };
  }
  // Iteration moves one reused view along the rows: copy each row out before the next.
  const cities: Answers['cities'] = [];
  for (const c of atlas.cities) {
    cities.push({ name: c.name, country: c.country.name, population: c.population, elevation: c.elevation ?? null, districts: [...c.districts] });
  }
  const ips: Answers['ips'] = {};
  for (const ip of questions.ips) ips[ip] = atlas.ipBlocks.find(ipv4(ip))?.city.name ?? null;
  const hosts: Answers['hosts'] = {};
  for (const host of questions.hosts) {
    const rule = atlas.domains.longestSuffix(host);
    hosts[host] = rule === undefined ? null : { rule: rule.suffix, country: rule.country.name };
  }
  const dialCodes: Answers['dialCodes'] = {};
  for (const code of questions.dialCodes) dialCodes[code] = atlas.dialCodes.get(code)?.country.name ?? null;
  const about = { title: atlas.about.title, version: atlas.about.version, tags: [...atlas.about.tags] };
  return { countries, cities, ips, hosts, dialCodes, about };
}
