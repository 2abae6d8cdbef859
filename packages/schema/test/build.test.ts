import { describe, expect, it } from 'vitest';
import { Arena, ArenaReader } from '@sabre/arena';
import { SchemaError, build, buildAsync, s } from '@sabre/schema';
import { Geo as GeoView } from './fixtures/__generated__/geo.js';
import { Geo } from './fixtures/geo.schema.js';
import { geoInput } from './geo-data.js';

function catchSchema(f: () => unknown): SchemaError {
  try {
    f();
  } catch (e) {
    if (SchemaError.is(e)) return e;
    throw new Error(`expected a SchemaError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a SchemaError, but nothing was thrown');
}
async function catchSchemaAsync(f: () => Promise<unknown>): Promise<SchemaError> {
  try {
    await f();
  } catch (e) {
    if (SchemaError.is(e)) return e;
    throw new Error(`expected a SchemaError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a SchemaError, but nothing was thrown');
}

describe('build → generated views', () => {
  it('reads back exactly what was built, through the committed generated classes', () => {
    const input = geoInput();
    const geo = GeoView.open(build(Geo, input).buffer, { verify: true });
    expect(geo.countries.length).toBe(3);
    expect(geo.cities.length).toBe(input.cities.length);
    expect(Array.from(geo.countries, (c) => c.toJSON())).toEqual(input.countries);
    geo.cities.forEach((city, i) => expect(city.toJSON()).toEqual(input.cities[i]));
    expect(geo.meta.toJSON()).toEqual(input.meta);
  });

  it('reads naturally: refs, nested structs, optional fields, vectors', () => {
    const geo = GeoView.open(build(Geo, geoInput()).buffer);
    const c = geo.cities.at(7);
    expect(c.country.name).toBe('Japan'); // city 7 → country 7 % 3
    expect(geo.cities.at(1).country.code).toBe('JP');
    expect(geo.cities.at(1).name).toBe('東京');
    expect(c.location.lat).toBeCloseTo(47.3769 - 0.07);
    expect(geo.cities.at(2).elevation).toBe(-18);
    expect(geo.cities.at(3).elevation).toBeUndefined();
    expect(geo.cities.at(3).timezone).toBe('Europe/Zurich');
    expect(geo.cities.at(1).timezone).toBeUndefined();
    expect(c.aliases.at(1)).toBe('shared alias');
    expect(c.districts.at(2).area).toBe(2.5);
    expect(c.twins.at(0).name).toBe(geo.cities.at(6).name);
    expect(c.geonameId).toBe(2_657_903n);
    expect(geo.meta.flags.toArray()).toEqual(['curated', 'synthetic', 'curated']);
  });

  it('hash map sections find rows by key; range sections find the row containing a value', () => {
    const input = geoInput();
    const geo = GeoView.open(build(Geo, input).buffer, { verify: true });
    expect(geo.countries.get('JP')?.name).toBe('Japan');
    expect(geo.countries.get('XX')).toBeUndefined();
    expect([geo.countries.has('BR'), geo.countries.indexOf('CH')]).toEqual([true, 0]);
    expect(geo.countries.get('JP')?.$o).toBe(geo.countries.at(1).$o); // the same row the table holds
    // Block i covers 10.0.(19 - i).0 .. 10.0.(19 - i).199 and points at city i.
    expect(geo.ipBlocks.find(0x0a00_0000 + 19 * 256 + 5)?.city.name).toBe(geo.cities.at(0).name);
    expect(geo.ipBlocks.find(0x0a00_0000 + 3 * 256 + 199)?.city.name).toBe(geo.cities.at(16).name);
    expect(geo.ipBlocks.find(0x0a00_0000 + 3 * 256 + 200)).toBeUndefined();
    expect(geo.ipBlocks.find(0)).toBeUndefined();
    expect(geo.ipBlocks.length).toBe(20);
  });

  it('trie sections answer longest-suffix queries with row views', () => {
    const geo = GeoView.open(build(Geo, geoInput()).buffer, { verify: true });
    expect(geo.domains.longestSuffix('.www.sony.co.jp')?.suffix).toBe('.co.jp');
    expect(geo.domains.matchedLength).toBe('.co.jp'.length);
    expect(geo.domains.longestSuffix('.www.bund.admin.ch')?.country.name).toBe('Switzerland');
    expect(geo.domains.longestSuffix('.example.org')).toBeUndefined();
    expect(geo.domains.get('.jp')?.country.code).toBe('JP');
    // Declared with boundary '.': whole labels match, and queries need no leading dot.
    expect(geo.domains.longestSuffix('www.sony.co.jp')?.suffix).toBe('.co.jp');
    expect(geo.domains.longestSuffix('sony.jp')?.suffix).toBe('.jp');
    expect(geo.domains.longestSuffix('xjp')).toBeUndefined();
    expect(geo.callingCodes.get(81)?.country.name).toBe('Japan');
    expect([geo.callingCodes.get(42), geo.callingCodes.get(40), geo.callingCodes.get(82), geo.callingCodes.get(-1), geo.callingCodes.get(41.5)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(geo.callingCodes.indexOf(55)).toBe(2);
    expect([...geo.domains.withPrefix('.jp')].map((d) => d.suffix).sort()).toEqual(['.co.jp', '.jp']);
    expect(geo.domains.countPrefix('.ch')).toBe(2);
  });

  it("ranges declared with overlaps: 'split' take nested blocks: the most specific wins, verify() passes", () => {
    const Block = s.struct('Block', { first: s.u32(), last: s.u32(), label: s.str() });
    const Nets = s.arena('Nets', { blocks: s.ranges(Block, { start: 'first', end: 'last', overlaps: 'split' }) });
    const rows = [
      { first: 0, last: 0xffff_ffff, label: 'internet' },
      { first: 0x0a00_0000, last: 0x0aff_ffff, label: '10/8' },
      { first: 0x0a01_0000, last: 0x0a01_00ff, label: '10.1.0/24' },
    ];
    const reader = ArenaReader.of(Arena.open(build(Nets, { blocks: rows }).buffer).verify());
    const label = (x: number) => reader.table('blocks').find(x)?.['label'];
    expect([label(5), label(0x0a00_0001), label(0x0a01_0010), label(0x0a01_0100), label(0x0b00_0000)]).toEqual(['internet', '10/8', '10.1.0/24', '10/8', 'internet']);
    expect(reader.table('blocks').length).toBe(3); // rows stay as given; only the index is split
    expect(() => build(s.arena('N', { b: s.ranges(Block, { start: 'first', end: 'last' }) }), { b: rows })).toThrow(/overlap/);
    expect(() => build(s.arena('N', { b: s.ranges(Block, { start: 'first', end: 'last', overlaps: 'merge' }) }), { b: rows })).toThrow(/'error' \(the default\) or 'split' → at N\.b\.overlaps/);
  });

  it('vectors of numbers are typed arrays over the arena itself (zero-copy)', () => {
    const geo = GeoView.open(build(Geo, geoInput()).buffer);
    const rain = geo.cities.at(12).monthlyRain;
    expect(rain).toBeInstanceOf(Float32Array);
    expect(rain.buffer).toBe(geo.arena.buffer);
    expect(Array.from(rain)).toEqual(Array.from({ length: 12 }, (_, m) => m * 1.5));
  });

  it('iteration reuses one cursor view: a scan allocates no row objects', () => {
    const geo = GeoView.open(build(Geo, geoInput()).buffer);
    const seen = new Set<object>();
    let total = 0;
    for (const city of geo.cities) {
      seen.add(city);
      total += city.population;
    }
    expect(seen.size).toBe(1);
    expect(total).toBe(geoInput().cities.reduce((n, c) => n + c.population, 0));
  });

  it('refuses an arena built from another schema', () => {
    const Other = s.arena('Geo', { countries: s.table(s.struct('Country', { name: s.str() })) });
    const arena = build(Other, { countries: [{ name: 'x' }] });
    expect(() => GeoView.open(arena.buffer)).toThrowError(/layout hash/);
  });

  it('streams rows from async iterables without holding them', async () => {
    const input = geoInput(200);
    let pulled = 0;
    async function* rows() {
      for (const c of input.cities) {
        pulled++;
        yield c;
      }
    }
    const arena = await buildAsync(Geo, { ...input, cities: rows() });
    expect(pulled).toBe(200);
    const geo = GeoView.open(arena.buffer);
    expect(geo.cities.at(199).toJSON()).toEqual(input.cities[199]);
    expect(() => build(Geo, { ...input, cities: rows() })).toThrowError(/buildAsync/);
  });
});

describe('build rejects bad input with a code and a path; nothing is returned', () => {
  type GeoInput = ReturnType<typeof geoInput>;
  const cases: [string, (g: GeoInput) => unknown, string, string][] = [
    ['negative u32', (g) => ((g.cities[3] as { population: number }).population = -1), 'VALUE_OUT_OF_RANGE', 'Geo.cities[3].population'],
    ['fractional u32', (g) => ((g.cities[3] as { population: number }).population = 1.5), 'VALUE_OUT_OF_RANGE', 'Geo.cities[3].population'],
    ['NaN in an integer', (g) => ((g.cities[3] as { population: number }).population = Number.NaN), 'VALUE_NOT_FINITE', 'Geo.cities[3].population'],
    ['NaN in a float', (g) => ((g.cities[2] as { location: { lat: number } }).location.lat = Number.NaN), 'VALUE_NOT_FINITE', 'Geo.cities[2].location.lat'],
    ['Infinity in a float', (g) => ((g.cities[2] as { location: { lon: number } }).location.lon = Number.POSITIVE_INFINITY), 'VALUE_NOT_FINITE', 'Geo.cities[2].location.lon'],
    ['-Infinity in an integer', (g) => ((g.cities[8] as { population: number }).population = Number.NEGATIVE_INFINITY), 'VALUE_NOT_FINITE', 'Geo.cities[8].population'],
    ['f32 overflow', (g) => ((g.cities[4] as { monthlyRain: number[] }).monthlyRain = [1, 1e39]), 'VALUE_OUT_OF_RANGE', 'Geo.cities[4].monthlyRain[1]'],
    ['i16 overflow', (g) => ((g.cities[0] as { elevation?: number }).elevation = 40_000), 'VALUE_OUT_OF_RANGE', 'Geo.cities[0].elevation'],
    ['string as number', (g) => ((g.cities[1] as unknown as { population: string }).population = '5'), 'VALUE_WRONG_TYPE', 'Geo.cities[1].population'],
    ['number as string', (g) => ((g.countries[0] as unknown as { name: number }).name = 5), 'VALUE_WRONG_TYPE', 'Geo.countries[0].name'],
    ['bool as 1', (g) => ((g.cities[1] as unknown as { capital: number }).capital = 1), 'VALUE_WRONG_TYPE', 'Geo.cities[1].capital'],
    ['u64 too big', (g) => ((g.cities[1] as { geonameId: bigint }).geonameId = 1n << 64n), 'VALUE_OUT_OF_RANGE', 'Geo.cities[1].geonameId'],
    ['u64 unsafe number', (g) => ((g.cities[1] as unknown as { geonameId: number }).geonameId = 2 ** 60), 'VALUE_OUT_OF_RANGE', 'Geo.cities[1].geonameId'],
    ['-0 in a u64, refused as in a u32', (g) => ((g.cities[1] as unknown as { geonameId: number }).geonameId = -0), 'VALUE_OUT_OF_RANGE', 'Geo.cities[1].geonameId'],
    ['-0 in a u32', (g) => ((g.cities[1] as { population: number }).population = -0), 'VALUE_OUT_OF_RANGE', 'Geo.cities[1].population'],
    ['a getter that throws', (g) => Object.defineProperty(g.cities[2], 'name', { enumerable: true, get: () => { throw new TypeError('no name today'); } }), 'VALUE_UNREADABLE', 'Geo.cities[2].name'],
    ['a Proxy whose keys throw', (g) => ((g.cities as unknown[])[4] = new Proxy({ ...g.cities[4] }, { ownKeys: () => { throw new TypeError('revoked'); } })), 'VALUE_UNREADABLE', 'Geo.cities[4]'],
    ['missing field', (g) => delete (g.cities[9] as { name?: string }).name, 'BUILD_MISSING_FIELD', 'Geo.cities[9].name'],
    ['unknown field', (g) => ((g.cities[9] as unknown as { popluation: number }).popluation = 5), 'BUILD_UNKNOWN_FIELD', 'Geo.cities[9].popluation'],
    ['bad enum', (g) => ((g.countries[2] as unknown as { continent: string }).continent = 'Atlantis'), 'BUILD_BAD_ENUM', 'Geo.countries[2].continent'],
    ['ref past the end (earlier table)', (g) => ((g.cities[5] as { country: number }).country = 3), 'BUILD_BAD_REF', 'Geo.cities[5].country'],
    ['ref past the end (own table)', (g) => ((g.cities[5] as { twins: number[] }).twins = [0, 50]), 'BUILD_BAD_REF', 'Geo.cities[5].twins[1]'],
    ['ref not an index', (g) => ((g.cities[5] as { country: number }).country = -1), 'VALUE_WRONG_TYPE', 'Geo.cities[5].country'],
    ['vector not an array', (g) => ((g.cities[5] as unknown as { aliases: string }).aliases = 'a,b'), 'VALUE_WRONG_TYPE', 'Geo.cities[5].aliases'],
    ['row not an object', (g) => ((g.cities as unknown[])[6] = null), 'VALUE_WRONG_TYPE', 'Geo.cities[6]'],
    ['nested struct missing', (g) => delete (g.cities[7] as { location?: unknown }).location, 'BUILD_MISSING_FIELD', 'Geo.cities[7].location'],
    ['section missing', (g) => delete (g as { meta?: unknown }).meta, 'BUILD_MISSING_FIELD', 'Geo.meta'],
    ['duplicate trie key', (g) => ((g.domains[3] as { suffix: string }).suffix = '.jp'), 'BUILD_DUPLICATE_KEY', 'Geo.domains[3].suffix'],
    ['duplicate hash map key', (g) => ((g.countries[2] as { code: string }).code = 'CH'), 'BUILD_DUPLICATE_KEY', 'Geo.countries[2].code'],
    ['overlapping ranges', (g) => ((g.ipBlocks[7] as { last: number }).last += 300), 'BUILD_OVERLAPPING_RANGES', 'Geo.ipBlocks[7].first'],
    ['inverted range', (g) => ((g.ipBlocks[4] as { last: number }).last = 0), 'VALUE_OUT_OF_RANGE', 'Geo.ipBlocks[4].last'],
    ['unknown section', (g) => ((g as unknown as { towns: unknown[] }).towns = []), 'BUILD_UNKNOWN_FIELD', 'Geo.towns'],
  ];
  for (const [name, mutate, code, path] of cases) {
    it(name, () => {
      const input = geoInput();
      mutate(input);
      const err = catchSchema(() => build(Geo, input));
      expect(err.code).toBe(code);
      expect(err.path).toBe(path);
      // Missing and unknown fields are reported at their parent object; the rest at the value itself.
      const at = code === 'BUILD_MISSING_FIELD' || code === 'BUILD_UNKNOWN_FIELD' ? path.slice(0, path.lastIndexOf('.')) : path;
      expect(err.message).toContain(`→ at ${at}`);
    });
  }

  it('the message reads like the docs promise', () => {
    const input = geoInput(1100);
    (input.cities[1042] as { population: number }).population = -1;
    expect(catchSchema(() => build(Geo, input)).message).toBe('✖ expected u32 (an integer 0..4294967295), got -1 → at Geo.cities[1042].population');
  });

  it('options relax unknown fields and non-finite floats', () => {
    const input = geoInput();
    (input.cities[0] as unknown as { extra: number }).extra = 1;
    (input.cities[0] as { location: { lat: number } }).location.lat = Number.NaN;
    const geo = GeoView.open(build(Geo, input, { unknownFields: 'ignore', nonFinite: 'allow' }).buffer);
    expect(geo.cities.at(0).location.lat).toBeNaN();
  });

  it('a source that throws halfway fails the build, naming the row', async () => {
    function* rows() {
      yield* geoInput(3).cities;
      throw new Error('disk on fire');
    }
    const err = catchSchema(() => build(Geo, { ...geoInput(), cities: rows() }));
    expect(err.code).toBe('BUILD_SOURCE_FAILED');
    expect(err.path).toBe('Geo.cities[3]');
    expect(err.message).toContain('disk on fire');
    async function* slow() {
      yield* geoInput(2).cities;
      throw new Error('socket closed');
    }
    expect((await catchSchemaAsync(() => buildAsync(Geo, { ...geoInput(), cities: slow() }))).path).toBe('Geo.cities[2]');
  });

  it('a bad row closes the source iterator (so it can release files)', () => {
    let closed = false;
    function* rows() {
      try {
        yield { bad: true };
        yield* geoInput(3).cities;
      } finally {
        closed = true;
      }
    }
    expect(catchSchema(() => build(Geo, { ...geoInput(), cities: rows() as never })).code).toBe('BUILD_UNKNOWN_FIELD');
    expect(closed).toBe(true);
  });

  it('the builder leaves the process healthy: a good build after a bad one works', () => {
    const bad = geoInput();
    (bad.cities[0] as { population: number }).population = -5;
    catchSchema(() => build(Geo, bad));
    expect(Arena.isArena(build(Geo, geoInput()))).toBe(true);
  });
});
