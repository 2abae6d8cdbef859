// Lookups that allocate nothing: every container query and `at(i)` take a cursor the caller owns and
// move it, instead of making a view per hit. Checked through the generated views, against the
// allocating forms, and by counting garbage collections over a million lookups.
import { describe, expect, it } from 'vitest';
import { ArenaError } from '@sabre/arena';
import { build } from '@sabre/schema';
import { Geo as GeoView } from './fixtures/__generated__/geo.js';
import { Geo } from './fixtures/geo.schema.js';
import { fewestCollections } from '../../arena/test/gc-count.js';
import { geoInput } from './geo-data.js';

const geo = GeoView.open(build(Geo, geoInput()).buffer, { verify: true });

describe('cursors: lookups that move a view the caller owns', () => {
  it('every query with a cursor returns that cursor, on the row the allocating form returns', () => {
    const city = geo.cities.cursor();
    const country = geo.countries.cursor();
    const block = geo.ipBlocks.cursor();
    const rule = geo.domains.cursor();
    const code = geo.callingCodes.cursor();
    for (let i = 0; i < geo.cities.length; i++) expect(geo.cities.at(i, city) === city && city.name === geo.cities.at(i).name).toBe(true);
    for (const c of geo.countries) expect(geo.countries.get(c.code, country)?.name).toBe(geo.countries.get(c.code)?.name);
    expect(geo.countries.get('no such code', country)).toBeUndefined();
    for (const b of geo.ipBlocks) {
      const hit = geo.ipBlocks.find(b.first + 5, block);
      expect(hit).toBe(block);
      expect([hit?.first, hit?.city.name]).toEqual([b.first, geo.ipBlocks.find(b.first + 5)?.city.name]);
    }
    for (const r of geo.domains) {
      const host = `www${r.suffix}`;
      expect(geo.domains.longestSuffix(host, rule)?.suffix).toBe(geo.domains.longestSuffix(host)?.suffix);
      expect(geo.domains.longestSuffixIndex(host)).toBe(geo.domains.longestSuffix(host)!.$o / rule.$stride);
      expect(geo.domains.get(r.suffix, rule)).toBe(rule);
    }
    for (const c of geo.callingCodes) expect(geo.callingCodes.get(c.code, code)?.country.name).toBe(c.country.name);
  });

  it('a cursor of another table is refused, not read at the wrong offset, by at() and by every container query', () => {
    // Each container kind moves cursors in its own code (views.ts IndexedTable.view): each must check.
    const foreign = <T>() => geo.cities.cursor() as unknown as T;
    const block = geo.ipBlocks.at(0);
    const rule = geo.domains.at(0);
    const country = geo.countries.at(0);
    const code = geo.callingCodes.at(0);
    const attempts: [string, () => unknown][] = [
      ['cities', () => geo.cities.at(0, geo.countries.cursor() as unknown as ReturnType<typeof geo.cities.cursor>)],
      ['ipBlocks', () => geo.ipBlocks.find(block.first, foreign())],
      ['domains', () => geo.domains.longestSuffix(`www${rule.suffix}`, foreign())],
      ['domains', () => geo.domains.get(rule.suffix, foreign())],
      ['countries', () => geo.countries.get(country.code, foreign())],
      ['callingCodes', () => geo.callingCodes.get(code.code, foreign())],
    ];
    for (const [table, attempt] of attempts) {
      let err: unknown;
      try {
        attempt();
      } catch (e) {
        err = e;
      }
      expect(ArenaError.is(err) && err.code === 'VALUE_OUT_OF_RANGE' && err.message.includes(`${table}.cursor()`), `${table}: ${String(err)}`).toBe(true);
    }
  });

  it('a million rounds of lookups (hash map, range table, trie, direct map) with cursors run without one garbage collection; the allocating forms need several', async () => {
    const codes = geo.countries.toJSON().map((c) => (c as { code: string }).code);
    const firsts = [...geo.ipBlocks].map((b) => b.first + 7);
    const hosts = [...geo.domains].map((r) => `mail${r.suffix}`);
    const country = geo.countries.cursor();
    const block = geo.ipBlocks.cursor();
    const rule = geo.domains.cursor();
    const callingCodes = [...geo.callingCodes].map((c) => c.code);
    const code = geo.callingCodes.cursor();
    let sum = 0;
    // Sums stay small integers in locals: a growing double would itself be boxed, allocating.
    const withCursors = (n: number): void => {
      let local = 0;
      for (let i = 0; i < n; i++) {
        local = (local + (geo.countries.get(codes[i % codes.length]!, country) === undefined ? 0 : country.continent.length)) | 0;
        local = (local + (geo.ipBlocks.find(firsts[i % firsts.length]!, block)?.last ?? 0)) | 0;
        local = (local + (geo.domains.longestSuffix(hosts[i % hosts.length]!, rule) === undefined ? 0 : rule.$o)) | 0;
        local = (local + (geo.callingCodes.get(callingCodes[i % callingCodes.length]!, code)?.code ?? 0)) | 0;
      }
      sum += local;
    };
    const allocating = (n: number): void => {
      let local = 0;
      for (let i = 0; i < n; i++) {
        local = (local + (geo.countries.get(codes[i % codes.length]!)?.continent.length ?? 0)) | 0;
        local = (local + (geo.ipBlocks.find(firsts[i % firsts.length]!)?.last ?? 0)) | 0;
        local = (local + (geo.domains.longestSuffix(hosts[i % hosts.length]!)?.$o ?? 0)) | 0;
        local = (local + (geo.callingCodes.get(callingCodes[i % callingCodes.length]!)?.code ?? 0)) | 0;
      }
      sum += local;
    };
    withCursors(200_000); // warm up: optimised code keeps numbers unboxed
    allocating(200_000);
    expect(await fewestCollections(() => withCursors(1_000_000))).toBe(0);
    expect(await fewestCollections(() => allocating(1_000_000))).toBeGreaterThan(0); // in every round
    expect(sum).not.toBe(0); // the lookups ran, and found rows
  });
});
