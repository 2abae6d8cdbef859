import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaError } from './errors.js';
import { decodeLayout } from './layout-decode.js';
import { canonicalLayout, layoutDocs, layoutHashOf } from './layout.js';
import type { ArenaLayout, StructLayout } from './layout.js';

const point: StructLayout = {
  name: 'Point',
  doc: 'A place',
  size: 16,
  align: 8,
  presenceOffset: 16,
  presenceBytes: 0,
  fields: [
    { name: 'lat', doc: undefined, slot: { kind: 'scalar', type: 'f64', size: 8 }, offset: 0, presenceBit: undefined },
    { name: 'lon', doc: 'east', slot: { kind: 'scalar', type: 'f64', size: 8 }, offset: 8, presenceBit: undefined },
  ],
};
const city: StructLayout = {
  name: 'City',
  doc: undefined,
  size: 40,
  align: 8,
  presenceOffset: 36,
  presenceBytes: 1,
  fields: [
    { name: 'at', doc: undefined, slot: { kind: 'struct', name: 'Point', size: 16, align: 8 }, offset: 0, presenceBit: undefined },
    { name: 'name', doc: undefined, slot: { kind: 'str', size: 4 }, offset: 16, presenceBit: undefined },
    { name: 'kind', doc: 'Größe', slot: { kind: 'enum', values: ['town', 'city', 'ville “grande”'], size: 1 }, offset: 20, presenceBit: 0 },
    { name: 'twin', doc: undefined, slot: { kind: 'ref', section: 'cities', row: 'City', size: 4 }, offset: 24, presenceBit: undefined },
    { name: 'tags', doc: undefined, slot: { kind: 'vector', element: { kind: 'str', size: 4 }, size: 8 }, offset: 28, presenceBit: undefined },
  ],
};
const layout: Omit<ArenaLayout, 'hash'> = {
  name: 'Atlas',
  doc: 'For the layout tests',
  sections: [
    { name: 'cities', doc: 'Every city', kind: 'hashMap', struct: 'City', hasHeap: true, key: 'name' },
    { name: 'origin', doc: undefined, kind: 'record', struct: 'Point', hasHeap: false },
  ],
  structs: new Map([
    ['City', city],
    ['Point', point],
  ]),
};

describe('the stored layout', () => {
  it('round-trips: encode, then decode from its text, gives the same layout, doc strings and hash', () => {
    const canonical = canonicalLayout(layout);
    const back = decodeLayout(canonical, layoutDocs(layout));
    expect(back).toEqual({ ...layout, hash: layoutHashOf(canonical) });
    // One layout, one text: ASCII only, so it is stored and hashed byte for byte.
    expect(canonicalLayout(back)).toBe(canonical);
    expect(/^[\x20-\x7e]*$/.test(canonical)).toBe(true);
  });

  it('doc strings are outside the hash; everything that changes the bytes is inside it', () => {
    const h = layoutHashOf(canonicalLayout(layout));
    expect(layoutHashOf(canonicalLayout({ ...layout, doc: 'reworded' }))).toBe(h);
    const moved = { ...city, fields: city.fields.map((f) => (f.name === 'name' ? { ...f, name: 'title' } : f)) };
    expect(layoutHashOf(canonicalLayout({ ...layout, structs: new Map([['City', moved], ['Point', point]]) }))).not.toBe(h);
  });

  // biome-ignore lint/suspicious/noExplicitAny: each case edits the stored JSON at a path of its own
  type Json = Record<string, any>;
  const refuse = (edit: (j: Json) => void, want: RegExp) => {
    const j = JSON.parse(canonicalLayout(layout)) as Json;
    edit(j);
    let err: unknown;
    try {
      decodeLayout(JSON.stringify(j), '');
    } catch (e) {
      err = e;
    }
    expect(ArenaError.is(err) && err.code).toBe('ARENA_BAD_LAYOUT');
    expect((err as Error).message).toMatch(want);
  };

  it('refuses a forged layout that would make a walk go wrong, naming where', () => {
    refuse((j) => (j['structs'][1].fields[0].slot = { kind: 'struct', name: 'City' }), /makes a struct contain itself|does not fit/);
    refuse((j) => (j['structs'][0].fields[1].offset = 2), /\$layout\.structs\[0\]\.fields\[1\]\.offset does not fit the struct aligned|overlapping/);
    refuse((j) => (j['structs'][0].fields[3].slot.section = 'nowhere'), /refers to a section that does not exist/);
    refuse((j) => (j['structs'][0].fields[0].slot = { kind: 'struct', name: 'Missing' }), /refers to a struct that does not exist/);
    refuse((j) => (j['structs'][0].fields[4].slot.element = { kind: 'vector', element: { kind: 'str' } }), /vector of vectors/);
    refuse((j) => (j['structs'][0].fields[2].slot.values = []), /has no values or too many/);
    refuse((j) => (j['structs'][0].size = 3), /is not a power of two dividing the size|does not fit/);
    refuse((j) => (j['sections'][0].key = 'kind'), /key is not a required string or unsigned integer \(u8, u16, u32, u64\) field of City/);
    refuse((j) => (j['sections'][0].kind = 'graph'), /is not a section kind/);
    refuse((j) => (j['structs'][0].fields[1].name = 'at'), /names a field twice/);
    refuse((j) => (j['format'] = 'sabre-layout/9'), /is not a layout this reader knows/);
    refuse((j) => (j['structs'][0].fields[2].bit = 9), /is out of range/);
  });

  it('any corruption of the text is decoded or refused with ARENA_BAD_LAYOUT, nothing else', () => {
    const canonical = canonicalLayout(layout);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: canonical.length - 1 }), fc.constantFrom('0', '9', '"', '{', '}', '[', ']', ',', ':', 'a', '-', ' ', 'e')), { minLength: 1, maxLength: 4 }), (edits) => {
        let t = canonical;
        for (const [at, c] of edits) t = t.slice(0, at) + c + t.slice(at + 1);
        try {
          decodeLayout(t, '');
        } catch (e) {
          if (!ArenaError.is(e) || e.code !== 'ARENA_BAD_LAYOUT') throw e;
        }
      }),
      { seed: 3, numRuns: 3000 },
    );
  });
});
