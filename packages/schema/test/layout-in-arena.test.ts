import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Arena, ArenaError } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { Checksum, format, heapSection, indexSection } from '@sabre/arena/internal';
import { save } from '@sabre/arena/node';
import { build, compile } from '@sabre/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { Geo as OtherGeo } from '../../../examples/geo/__generated__/geo.js';
import { Geo as GeoSchema } from './fixtures/geo.schema.js';
import { Geo } from './fixtures/__generated__/geo.js';
import { geoInput } from './geo-data.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = () => build(GeoSchema, geoInput(12));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (ArenaError.is(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'nothing thrown';
}

async function codeOfAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (ArenaError.is(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'nothing thrown';
}

/** A copy of an arena's bytes with `edit` applied and the checksum recomputed, as a forger would. */
function forged(arena: Arena, edit: (dv: DataView, a: Arena) => void): ArrayBuffer {
  const bytes = new Uint8Array(arena.buffer, 0, arena.byteLength).slice();
  const dv = new DataView(bytes.buffer);
  edit(dv, arena);
  dv.setBigUint64(format.H_CHECKSUM, new Checksum().update(bytes.buffer, 0, format.H_CHECKSUM).update(bytes.buffer, format.H_CHECKSUM + 8, bytes.length - format.H_CHECKSUM - 8).digest(), true);
  return bytes.buffer;
}

/** The absolute offset of field `field` of row `row` of `section`, from the arena's stored layout. */
function fieldAt(a: Arena, section: string, row: number, field: string): number {
  const layout = a.layout!;
  const s = layout.sections.find((x) => x.name === section)!;
  const struct = layout.structs.get(s.struct)!;
  return a.section(section).byteOffset + row * struct.size + struct.fields.find((f) => f.name === field)!.offset;
}

describe('an arena carries its layout', () => {
  it('the stored layout is the compiled one, doc strings included, and its hash is the header hash', () => {
    const a = fresh();
    const compiled = compile(GeoSchema);
    const stored = Arena.open(a.buffer).layout!;
    expect(stored.hash).toBe(compiled.hash);
    expect(stored.hash).toBe(Geo.layoutHash);
    expect(stored.sections).toEqual(compiled.sections);
    // Stored in canonical order: by name.
    expect([...stored.structs.values()]).toEqual([...compiled.structs.values()].sort((x, y) => (x.name < y.name ? -1 : 1)));
    expect(stored.doc).toBe('Countries and cities, for the schema tests');
    expect(stored.structs.get('City')!.fields.find((f) => f.name === 'population')!.doc).toBe('Residents at the last census');
  });

  it('JSON.stringify of a root works: every section as plain data, 64-bit integers as decimal strings', () => {
    const geo = Geo.open(fresh().buffer);
    const json = JSON.parse(JSON.stringify(geo)) as { cities: { geonameId: string; name: string }[]; meta: { version: number } };
    expect(json.cities.length).toBe(12);
    expect(json.cities[0]).toMatchObject({ name: 'Zürich', geonameId: '2657896' });
    expect(typeof json.meta.version).toBe('number');
  });
});

describe('every door from bytes to generated views checks the layout', () => {
  it('open, the constructor and load refuse an arena of another layout', async () => {
    const a = fresh();
    const path = join(dir, 'geo.sabre');
    await save(a, path);
    const mismatch = /^ARENA_LAYOUT_MISMATCH: /;
    expect(codeOf(() => OtherGeo.open(a.buffer))).toMatch(mismatch);
    expect(codeOf(() => new OtherGeo(Arena.open(a.buffer)))).toMatch(mismatch);
    expect(await codeOfAsync(() => OtherGeo.load(path))).toMatch(mismatch);
    // And the right views open all three ways.
    expect(Geo.open(a.buffer, { verify: true }).cities.length).toBe(12);
    expect(new Geo(Arena.open(a.buffer)).cities.length).toBe(12);
    expect((await Geo.load(path)).countries.get('JP')?.name).toBe('Japan');
  });

  it('an arena with the right hash but no stored layout (not built from the schema) is refused at every door', async () => {
    const b = new ArenaBuilder({ layoutHash: Geo.layoutHash });
    b.section('countries').u32(0).end();
    const raw = b.finish();
    const path = join(dir, 'raw.sabre');
    await save(raw, path);
    const none = /^ARENA_NO_LAYOUT: .*build it with build\(\) or buildAsync\(\) from @sabre\/schema/;
    expect(codeOf(() => Geo.open(raw.buffer))).toMatch(none);
    expect(codeOf(() => new Geo(Arena.open(raw.buffer)))).toMatch(none);
    expect(await codeOfAsync(() => Geo.load(path, { verify: false }))).toMatch(none);
  });

  it('verify refuses a stored layout that is not exactly the views\' own, or that was edited after the build', () => {
    const a = fresh();
    expect(codeOf(() => Arena.open(a.buffer).verify({ layout: '{"format":"sabre-layout/1"}', name: 'Geo' }))).toMatch(/^ARENA_LAYOUT_MISMATCH: .*not the layout of Geo/);
    // Rename a field inside the stored layout (same length), checksum recomputed: its hash no longer matches.
    const edited = forged(a, (dv, arena) => {
      const s = arena.section('$layout');
      const text = new TextDecoder().decode(s.bytes);
      const at = text.indexOf('"population"');
      for (const [i, c] of [...'"populatiom"'].entries()) dv.setUint8(s.byteOffset + at + i, c.charCodeAt(0));
    });
    expect(codeOf(() => Geo.open(edited, { verify: true }))).toMatch(/^ARENA_BAD_LAYOUT: .*hashes to .* but its header says/);
  });
});

describe('verify() checks every typed field, so no getter returns a value outside its type', () => {
  const cases: [string, (dv: DataView, a: Arena) => void, RegExp][] = [
    ['an enum index past its values', (dv, a) => dv.setUint8(fieldAt(a, 'countries', 1, 'continent'), 200), /^ARENA_BAD_VALUE: .*enum index is out of range at countries\[1\]\.continent/],
    ['a string id past the pool', (dv, a) => dv.setUint32(fieldAt(a, 'cities', 3, 'name'), 0xfffff, true), /^ARENA_BAD_VALUE: .*string id is out of range at cities\[3\]\.name/],
    ['a ref past its table', (dv, a) => dv.setUint32(fieldAt(a, 'cities', 2, 'country'), 99, true), /^ARENA_BAD_VALUE: .*ref to countries is out of range at cities\[2\]\.country/],
    ['a ref inside a vector', (dv, a) => {
      const slot = fieldAt(a, 'cities', 5, 'twins');
      dv.setUint32(a.section(heapSection('cities')).byteOffset + dv.getUint32(slot, true), 12, true);
    }, /^ARENA_BAD_VALUE: .*cities\[5\]\.twins\[0\]/],
    ['a vector past its heap', (dv, a) => dv.setUint32(fieldAt(a, 'cities', 6, 'aliases') + 4, 0x0fffffff, true), /^ARENA_BAD_VALUE: .*vector runs past its heap at cities\[6\]\.aliases/],
    ['a vector of f32 misaligned', (dv, a) => dv.setUint32(fieldAt(a, 'cities', 7, 'monthlyRain'), dv.getUint32(fieldAt(a, 'cities', 7, 'monthlyRain'), true) + 1, true), /^ARENA_BAD_VALUE: .*not aligned for its elements at cities\[7\]\.monthlyRain/],
    ['vectors made to share bytes', (dv, a) => {
      for (let i = 1; i < 12; i++) dv.setBigUint64(fieldAt(a, 'cities', i, 'districts'), dv.getBigUint64(fieldAt(a, 'cities', 3, 'districts'), true), true);
    }, /^ARENA_BAD_VALUE: .*vectors overlap in the heap/],
    ['an enum inside a record\'s vector', (dv, a) => {
      const slot = fieldAt(a, 'meta', 0, 'flags');
      dv.setUint8(a.section(heapSection('meta')).byteOffset + dv.getUint32(slot, true), 9);
    }, /^ARENA_BAD_VALUE: .*meta\.flags\[0\]/],
    ['a range index naming a row that does not exist', (dv, a) => {
      const idx = a.section(indexSection('ipBlocks'));
      // The values column of a range table is its last u32 per entry: find the one equal to row 0 and forge it.
      const n = idx.byteLength / 4;
      for (let i = n - 1; i >= 0; i--) {
        if (dv.getUint32(idx.byteOffset + i * 4, true) === 0) {
          dv.setUint32(idx.byteOffset + i * 4, 5000, true);
          return;
        }
      }
    }, /^ARENA_(BAD_VALUE|CORRUPT): /],
  ];
  for (const [name, edit, want] of cases) {
    it(name, () => {
      const bytes = forged(fresh(), edit);
      // Opening is O(1) and does not look; verify does.
      expect(() => Geo.open(bytes)).not.toThrow();
      expect(codeOf(() => Geo.open(bytes, { verify: true }))).toMatch(want);
    });
  }

  it('an optional field whose presence bit is clear is not read, whatever its bytes', () => {
    const bytes = forged(fresh(), (dv, a) => dv.setUint32(fieldAt(a, 'cities', 1, 'timezone'), 0xffffffff, true));
    const geo = Geo.open(bytes, { verify: true });
    expect(geo.cities.at(1).timezone).toBeUndefined();
  });
});

describe('verify() checks that every index agrees with the rows it names', () => {
  // Each forgery keeps every index well-formed and every row number in range (checksum recomputed): before,
  // all of them verified, and lookups then answered with the wrong row or missed keys that were there.
  const indexAt = (a: Arena, name: string) => a.section(indexSection(name)).byteOffset;
  const swap32 = (dv: DataView, x: number, y: number) => {
    const t = dv.getUint32(x, true);
    dv.setUint32(x, dv.getUint32(y, true), true);
    dv.setUint32(y, t, true);
  };
  const forgeries: [string, (dv: DataView, a: Arena) => void, RegExp][] = [
    ['two hash map slots trade their row numbers', (dv, a) => {
      const at = indexAt(a, 'countries');
      const buckets = dv.getUint32(at + 4, true);
      const slots = dv.getUint32(at + 8, true);
      const first = at + Math.ceil((32 + 2 * buckets) / 64) * 64;
      const used = Array.from({ length: slots }, (_, i) => first + 32 * i).filter((s) => dv.getUint32(s, true) !== 0);
      swap32(dv, used[0]! + 4, used[1]! + 4);
    }, /hash map disagrees with the row it names/],
    ['two ranges trade their row numbers', (dv, a) => {
      const at = indexAt(a, 'ipBlocks');
      expect(dv.getUint32(at + 20, true)).toBe(2); // ends in the rows; the rows came unsorted, so row numbers are kept
      const n = dv.getUint32(at, true);
      const up64 = (x: number) => Math.ceil(x / 64) * 64;
      const starts = up64(64 + ((1 << dv.getUint32(at + 8, true)) + 1) * 4);
      const values = at + up64(starts + 4 * n); // no ends: they are read from the rows
      swap32(dv, values, values + 4);
    }, /range table disagrees with the row it names|ranges out of order/], // the ends now come from the other rows
    ['a range index start moved inside its range', (dv, a) => {
      const at = indexAt(a, 'ipBlocks');
      const starts = at + Math.ceil((64 + ((1 << dv.getUint32(at + 8, true)) + 1) * 4) / 64) * 64;
      dv.setUint32(starts + 4, dv.getUint32(starts + 4, true) + 1, true); // still ascending, still inside
    }, /range table disagrees with the row it names/],
    ['two trie keys trade their row numbers', (dv, a) => {
      const at = indexAt(a, 'domains');
      const nodes = dv.getUint32(at + 4, true);
      const values = at + Math.ceil((32 + nodes * 24 + nodes * 2) / 4) * 4;
      const [a0, a1] = [dv.getUint32(values, true), dv.getUint32(values + 4, true)];
      swap32(dv, values, values + 4);
      // The label index holds each key's value too: trade them there as well, so the trie stays
      // consistent with itself and only the rows can tell.
      const n = dv.getUint32(at, true);
      const labels = at + Math.ceil((values + 8 * n + 4 - at + dv.getUint32(at + 16, true)) / 4) * 4;
      for (let slot = 0; slot < dv.getUint32(at + 20, true); slot++) {
        const value = labels + 16 * slot + 12;
        if (dv.getUint32(labels + 16 * slot + 4, true) >>> 31 === 0) continue;
        if (dv.getUint32(value, true) === a0) dv.setUint32(value, a1, true);
        else if (dv.getUint32(value, true) === a1) dv.setUint32(value, a0, true);
      }
    }, /trie disagrees with the row it names/],
    ['two children of the trie root trade ranks (keys by rank stay right; walks land on the other row)', (dv, a) => {
      const at = indexAt(a, 'domains');
      const firstChild = dv.getUint32(at + 32 + 8, true);
      swap32(dv, at + 32 + 24 * firstChild + 16, at + 32 + 24 * (firstChild + 1) + 16);
    }, /rank differs from where its parent puts it|node label differs from its first key/],
    ['two children of the trie root trade places', (dv, a) => {
      const at = indexAt(a, 'domains');
      const nodes = dv.getUint32(at + 4, true);
      const firstChild = dv.getUint32(at + 32 + 8, true);
      for (let w = 0; w < 6; w++) swap32(dv, at + 32 + 24 * firstChild + 4 * w, at + 32 + 24 * (firstChild + 1) + 4 * w);
      const units = at + 32 + nodes * 24;
      const u = dv.getUint16(units + 2 * firstChild, true);
      dv.setUint16(units + 2 * firstChild, dv.getUint16(units + 2 * firstChild + 2, true), true);
      dv.setUint16(units + 2 * firstChild + 2, u, true);
    }, /children out of order/],
  ];
  for (const [name, edit, message] of forgeries) {
    it(name, () => {
      const a = fresh();
      expect(codeOf(() => Arena.open(a.buffer).verify())).toBe('nothing thrown');
      const bad = forged(a, edit);
      expect(codeOf(() => Arena.open(bad).verify())).toMatch(message);
      expect(codeOf(() => Geo.open(bad, { verify: true }))).toMatch(/^ARENA_/);
    });
  }
});
