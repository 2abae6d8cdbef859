import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeDirectMap } from './build/index.js';
import { DM_HEADER, EMPTY, maxSpanFor } from './direct-map.js';
import { Arena, DirectMapView, NOT_FOUND } from './index.js';

function build(keys: number[], values = keys.map((_, i) => i)): { view: DirectMapView; bytes: Uint8Array } {
  const b = new ArenaBuilder();
  writeDirectMap(b, 'm', keys, values);
  const arena = Arena.open(b.finish().buffer).verify();
  return { view: new DirectMapView(arena.section('m')), bytes: new Uint8Array(arena.buffer, 0, arena.byteLength) };
}

/** Key families that hid bugs elsewhere: consecutive, strided, clustered, at the top of u32, random and dense. */
const keyFamilies = fc.oneof(
  fc.tuple(fc.nat(0xffff_0000), fc.integer({ min: 0, max: 300 })).map(([from, n]) => Array.from({ length: n }, (_, i) => from + i)),
  fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 200 })).map(([from, step, n]) => Array.from({ length: n }, (_, i) => from + i * step)),
  fc.uniqueArray(fc.integer({ min: 0xffff_ffff - 1023, max: 0xffff_ffff }), { maxLength: 200 }),
  fc.tuple(fc.nat(0xffff_0000), fc.uniqueArray(fc.nat(1023), { maxLength: 200 })).map(([base, offsets]) => offsets.map((o) => base + o)),
);

describe('direct map', () => {
  it('finds every key and nothing else, like a Map, for structured key families', () => {
    fc.assert(
      fc.property(keyFamilies, fc.array(fc.integer({ min: -5, max: 2 ** 32 + 5 }), { maxLength: 30 }), (keys, probes) => {
        const values = keys.map((_, i) => (i * 7) % 1000);
        const { view } = build(keys, values);
        const ref = new Map(keys.map((k, i) => [k, values[i] as number]));
        expect(view.size).toBe(keys.length);
        const around = keys.flatMap((k) => [k, k - 1, k + 1]);
        for (const x of [...probes, ...around]) {
          expect(view.get(x)).toBe(ref.get(x) ?? NOT_FOUND);
          if (x >= 0) expect(view.get(BigInt(x))).toBe(ref.get(x) ?? NOT_FOUND);
        }
        expect([...view.entries()]).toEqual([...ref].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses fractions, NaN, negatives and out-of-range bigints without reading past the slots', () => {
    const { view } = build([0, 1, 2]);
    expect([view.get(1.5), view.get(Number.NaN), view.get(-1), view.get(2 ** 32), view.get(-1n), view.get(1n << 40n), view.get(3)]).toEqual(Array(7).fill(NOT_FOUND));
    expect(build([]).view.get(0)).toBe(NOT_FOUND);
  });

  it('refuses duplicate keys, bad keys and values, and keys too sparse for an array, naming the entry and the fix', () => {
    const dup = catchErr(() => build([5, 6, 5]));
    expect(dup.code).toBe('ARENA_DUPLICATE_KEY');
    expect(dup.message).toMatch(/entries 0 and 2/);
    expect(catchErr(() => build([1, -1])).code).toBe('VALUE_OUT_OF_RANGE');
    expect(catchErr(() => build([1], [EMPTY])).code).toBe('VALUE_OUT_OF_RANGE');
    const sparse = catchErr(() => build([0, maxSpanFor(2)]));
    expect(sparse.code).toBe('ARENA_BUILD_FAILED');
    expect(sparse.message).toMatch(/spans at most max\(1024, 4 × keys\) = 1024.*hash map \(s\.hashMap\)/);
    expect(build([0, maxSpanFor(2) - 1]).view.span).toBe(1024);
  });

  it('verify() refuses forged sizes and slots with an ArenaError', () => {
    const { bytes } = build([10, 11, 13]);
    const arena = Arena.open(bytes.slice().buffer);
    const at = arena.section('m').byteOffset;
    const forge = (off: number, value: number) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(at + off, value, true);
      const corrupt = Arena.open(copy.buffer); // open() checks the structure; only verify() checks the checksum
      return catchErr(() => new DirectMapView(corrupt.section('m')).verify());
    };
    expect(forge(8, 1_000_000).code).toBe('ARENA_CORRUPT'); // span past the section
    expect(forge(0, 5).code).toBe('ARENA_CORRUPT'); // more keys than the span holds
    expect(forge(4, 0xffff_fffe).code).toBe('ARENA_CORRUPT'); // first + span past 2^32
    expect(forge(DM_HEADER + 4 * 2, 9).code).toBe('ARENA_CORRUPT'); // an empty slot filled: 4 used for 3 keys
  });
});
