import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeIntHashMap, writeStringHashMap } from './build/index.js';
import { H_CHECKSUM, H_TOTAL_LENGTH } from './format.js';
import { Checksum } from './hash.js';
import { Arena, ArenaError, HashMapView, NOT_FOUND, SectionKind } from './index.js';

function stringMap(keys: readonly string[], values = keys.map((_, i) => i)): { arena: Arena; map: HashMapView } {
  const b = new ArenaBuilder();
  writeStringHashMap(b, 'm', keys, values);
  const arena = Arena.open(b.finish().buffer).verify();
  return { arena, map: new HashMapView(arena.section('m', SectionKind.HashMap)) };
}

const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 }).map((u) => String.fromCharCode(...u));
const key = fc.oneof(fc.string({ maxLength: 30 }), codeUnits, fc.string({ unit: 'binary', maxLength: 12 }), fc.nat().map((n) => `a/very/long/shared/prefix/of/keys/${n}`));

describe('string hash map', () => {
  it('finds every key and rejects others, like a Map', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 300 }), fc.array(key, { maxLength: 50 }), (keys, probes) => {
        const values = keys.map((_, i) => (i * 2_654_435_761) >>> 0);
        const ref = new Map(keys.map((k, i) => [k, values[i] as number]));
        const { map } = stringMap(keys, values);
        expect(map.size).toBe(keys.length);
        for (const k of keys) expect(map.get(`${k}`)).toBe(ref.get(k));
        for (const q of probes) expect(map.get(q)).toBe(ref.get(q) ?? NOT_FOUND);
        for (const k of keys.slice(0, 20)) {
          expect(map.has(`${k}\u0000`)).toBe(ref.has(`${k}\u0000`));
          expect(map.get(k.slice(0, -1))).toBe(ref.get(k.slice(0, -1)) ?? NOT_FOUND);
        }
        expect(new Map([...map.entries()].map(([k, v]) => [k as string, v]))).toEqual(ref);
        expect([...map.values()].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
      }),
      { numRuns: 150 },
    );
  });

  it('builds every size from 0 to 70, including power-of-two slot counts (a regression)', () => {
    for (let n = 0; n <= 70; n++) {
      const keys = Array.from({ length: n }, (_, i) => `k${i}`);
      const { map } = stringMap(keys);
      keys.forEach((k, i) => expect(map.get(k)).toBe(i));
      const b = new ArenaBuilder();
      writeIntHashMap(b, 'ids', keys.map((_, i) => i * 7), keys.map((_, i) => i));
      const ints = new HashMapView(b.finish().section('ids'));
      keys.forEach((_, i) => expect(ints.getInt(i * 7)).toBe(i));
    }
  });

  it('handles the empty map and a single entry', () => {
    expect(stringMap([]).map.get('x')).toBe(NOT_FOUND);
    expect(stringMap([]).map.size).toBe(0);
    const one = stringMap(['only'], [42]).map;
    expect([one.get('only'), one.get('onlx'), one.get('')]).toEqual([42, NOT_FOUND, NOT_FOUND]);
  });

  it('holds 200k keys, inline and spilled, Latin-1 and UTF-16', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => (i % 3 === 0 ? `κλειδί-${i}` : i % 3 === 1 ? `k${i}` : `a-long-key-that-spills-to-the-blob/${i}`));
    const { map } = stringMap(keys);
    for (let i = 0; i < keys.length; i += 7) expect(map.get(keys[i] as string)).toBe(i);
    expect(map.get('k200000')).toBe(NOT_FOUND);
  });

  it('reports duplicate keys naming both entries', () => {
    const b = new ArenaBuilder();
    const err = catchErr(() => writeStringHashMap(b, 'words', ['a', 'b', 'c', 'b'], [1, 2, 3, 4]));
    expect(err.code).toBe('ARENA_DUPLICATE_KEY');
    expect(err.path).toBe('words[3]');
    expect(err.message).toContain('duplicate key "b" in entries 1 and 3');
  });

  it('refuses values that are not u32, and mismatched lengths', () => {
    expect(catchErr(() => writeStringHashMap(new ArenaBuilder(), 'm', ['a'], [-1])).code).toBe('VALUE_OUT_OF_RANGE');
    expect(catchErr(() => writeStringHashMap(new ArenaBuilder(), 'm', ['a', 'b'], [1])).code).toBe('ARENA_BUILD_FAILED');
  });
});

describe('integer hash map', () => {
  it('finds every key (numbers and 64-bit bigints) and rejects others, like a Map', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 300 }), fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 30 }), (keys, probes) => {
        const b = new ArenaBuilder();
        writeIntHashMap(b, 'ids', keys, keys.map((_, i) => i));
        const map = new HashMapView(Arena.open(b.finish().buffer).verify().section('ids'));
        const ref = new Map(keys.map((k, i) => [k, i]));
        for (const [k, v] of ref) {
          expect(map.getInt(k)).toBe(v);
          if (k <= BigInt(Number.MAX_SAFE_INTEGER)) expect(map.getInt(Number(k))).toBe(v);
        }
        for (const q of probes) expect(map.getInt(q)).toBe(ref.get(q) ?? NOT_FOUND);
        expect(new Map(map.entries())).toEqual(ref);
      }),
      { numRuns: 100 },
    );
  });

  it('answers -1 for keys no integer map can hold, and refuses them at build time', () => {
    const b = new ArenaBuilder();
    writeIntHashMap(b, 'ids', [0, 1, 2], [7, 8, 9]);
    const map = new HashMapView(b.finish().section('ids'));
    expect([map.getInt(-1), map.getInt(1.5), map.getInt(1n << 64n), map.getInt(0), map.hasInt(2n)]).toEqual([NOT_FOUND, NOT_FOUND, NOT_FOUND, 7, true]);
    expect(catchErr(() => writeIntHashMap(new ArenaBuilder(), 'ids', [1, -2], [0, 1])).path).toBe('ids[1]');
    expect(catchErr(() => writeIntHashMap(new ArenaBuilder(), 'ids', [5, 6, 5n], [0, 1, 2])).message).toContain('duplicate key 5 in entries 0 and 2');
  });

  it('string lookups on an integer map (and the reverse) are a clear error', () => {
    const b = new ArenaBuilder();
    writeIntHashMap(b, 'ids', [1], [1]);
    expect(catchErr(() => new HashMapView(b.finish().section('ids')).get('1')).code).toBe('ARENA_SECTION_KIND');
  });
});

describe('hash map under hostile bytes', () => {
  it('a forged slot (checksum recomputed) is caught by verify; lookups never throw anything but ArenaError', () => {
    const keys = Array.from({ length: 500 }, (_, i) => (i % 2 ? `key-${i}` : `a-long-key-that-spills-to-the-blob/${i}`));
    const built = stringMap(keys).arena;
    const sec = built.section('m');
    fc.assert(
      fc.property(fc.nat(sec.byteLength - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), (at, bytes) => {
        const copy = built.buffer.slice(0) as ArrayBuffer;
        new Uint8Array(copy).set(bytes.subarray(0, sec.byteLength - at), sec.byteOffset + at);
        const total = new DataView(copy).getUint32(H_TOTAL_LENGTH, true);
        new DataView(copy).setBigUint64(H_CHECKSUM, new Checksum().update(copy, 0, H_CHECKSUM).update(copy, H_CHECKSUM + 8, total - H_CHECKSUM - 8).digest(), true);
        try {
          const arena = Arena.open(copy).verify();
          const map = new HashMapView(arena.section('m'));
          for (const k of keys.slice(0, 50)) map.get(k);
          [...map.entries()];
        } catch (e) {
          if (!ArenaError.is(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
