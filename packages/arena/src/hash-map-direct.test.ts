// Integer hash maps over dense keys (consecutive ids, ids strided by 2^k, a few holes) index their slot
// directly (DIRECT_SCHEME): one slot read a lookup. They must answer exactly as a Map does on keys,
// holes, keys off the grid and keys outside [min, max], and choose the hash when keys are too sparse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr, reseal } from '../test/helpers.js';
import { ArenaBuilder, writeIntHashMap } from './build/index.js';
import { HM_HASH_KEY, HM_SCHEME } from './hash-map.js';
import { Arena, HashMapView, NOT_FOUND } from './index.js';
import { DIRECT_SCHEME, MULTIPLY_SCHEME } from './phf.js';

function build(keys: readonly number[]): ArrayBuffer {
  const b = new ArenaBuilder();
  writeIntHashMap(b, 'ids', keys, keys.map((_, i) => i));
  return b.finish().buffer as ArrayBuffer;
}

const open = (buffer: ArrayBuffer) => new HashMapView(Arena.open(buffer).verify().section('ids'));
const schemeOf = (map: HashMapView) => map.section.view.getUint32(HM_SCHEME, true);

/** Dense keys: a run of `slots` grid points from `base` every 2^shift, some of them left out. */
const dense = fc
  .record({
    base: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff_ffff })),
    shift: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 31 })),
    slots: fc.integer({ min: 1, max: 2000 }),
    holes: fc.double({ min: 0, max: 0.4, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ base, shift, slots, holes, seed }) => {
    let x = seed >>> 0;
    const keys: number[] = [];
    for (let i = 0; i < slots; i++) {
      const key = base + i * 2 ** shift;
      if (key > 0xffff_ffff) break;
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      if (i === 0 || x / 2 ** 32 >= holes) keys.push(key);
    }
    // Shuffled: a build must not rely on keys arriving in order.
    for (let i = keys.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      const j = x % (i + 1);
      [keys[i], keys[j]] = [keys[j] as number, keys[i] as number];
    }
    return { keys, step: 2 ** shift };
  });

describe('integer hash maps over dense keys', () => {
  it('agree with a Map on keys, holes, off-grid keys and keys past either end; dense ones index directly', () => {
    fc.assert(
      fc.property(dense, ({ keys, step }) => {
        const map = open(build(keys));
        const ref = new Map(keys.map((k, i) => [k, i]));
        const min = Math.min(...keys);
        const max = Math.max(...keys);
        // The grid is the largest power of two dividing every key - min (holes can widen it).
        let grid = 2 ** 31;
        for (const k of keys) while (k !== min && (k - min) % grid !== 0) grid /= 2;
        expect(grid).toBeGreaterThanOrEqual(step);
        const slots = keys.length === 1 ? 1 : (max - min) / grid + 1;
        expect(schemeOf(map)).toBe(slots <= Math.ceil(keys.length * 1.25) ? DIRECT_SCHEME : MULTIPLY_SCHEME);
        const probes = [min - step, min - 1, max + 1, max + step, 2 ** 32 + min, 0, 0xffff_ffff];
        for (const k of keys) probes.push(k, k + 1, k - 1, k + step / 2, k + step);
        for (const q of probes) if (Number.isSafeInteger(q) && q >= 0) expect(map.getInt(q)).toBe(ref.get(q) ?? NOT_FOUND);
        expect([...map.entries()].map(([k, v]) => [Number(k), v]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([...ref].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 400 },
    );
  });

  it('consecutive ids and ids strided by 4096 take one 8-byte slot per key', () => {
    for (const stride of [1, 4096]) {
      const keys = Array.from({ length: 100_000 }, (_, i) => 7 * stride + i * stride);
      const map = open(build(keys));
      expect(schemeOf(map)).toBe(DIRECT_SCHEME);
      expect(map.section.byteLength / keys.length).toBeLessThan(8.1);
      expect([map.getInt(keys[0] as number), map.getInt(keys[99_999] as number), map.getInt(6 * stride), map.getInt((keys[5] as number) + 1)]).toEqual([0, 99_999, NOT_FOUND, stride === 1 ? 6 : NOT_FOUND]);
    }
  });

  it('a repeated key is refused naming both entries, as in a hashed map', () => {
    const err = catchErr(() => build([5, 6, 7, 6]));
    expect(err.code).toBe('ARENA_DUPLICATE_KEY');
    expect(err.message).toMatch(/\b1\b.*\b3\b/);
  });

  it('a forged shift is refused at open; a key moved to another slot, by verify', () => {
    const shifted = build([10, 11, 12, 13]);
    const at = Arena.open(shifted).section('ids').byteOffset;
    new DataView(shifted).setUint32(at + HM_HASH_KEY, 32, true);
    expect(catchErr(() => new HashMapView(Arena.open(reseal(shifted)).section('ids'))).message).toMatch(/direct hash map/);

    const moved = build([10, 11, 12, 13]);
    const map = new HashMapView(Arena.open(moved).section('ids'));
    const slots = new Uint32Array(moved, map.section.byteOffset + 64, 8);
    [slots[0], slots[2]] = [slots[2] as number, slots[0] as number]; // key 10 and key 11 trade slots
    const err = catchErr(() => Arena.open(reseal(moved)).verify());
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/slot its hash does not lead to/);
  });
});
