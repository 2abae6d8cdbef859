// Integer hash maps over the key shapes real data has: consecutive ids, strided ids, keys with only
// high or only low bits set, clustered runs. Scheme 1 failed to build on 0..849 (its integer hash
// left one lane depending on ~19 bits of small keys, and a new seed did not rehash).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fewestCollections } from '../test/gc-count.js';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeIntHashMap } from './build/index.js';
import { HM_SCHEME, KEY_U32, KEY_U64 } from './hash-map.js';
import { DIRECT_SCHEME, MULTIPLY_SCHEME } from './phf.js';
import { writeStringHashMap } from './build/index.js';
import { Arena, HashMapView, NOT_FOUND } from './index.js';

const U64_MAX = (1n << 64n) - 1n;

function intMap(keys: ArrayLike<number | bigint>): HashMapView {
  const b = new ArenaBuilder();
  writeIntHashMap(b, 'ids', keys, Array.from({ length: keys.length }, (_, i) => i));
  return new HashMapView(Arena.open(b.finish().buffer).verify().section('ids'));
}

/** Every key maps to its position; the neighbours of each key that are not keys miss. */
function expectExact(map: HashMapView, keys: readonly bigint[]): void {
  const ref = new Map(keys.map((k, i) => [k, i]));
  expect(map.size).toBe(keys.length);
  for (const [k, v] of ref) {
    expect(map.getInt(k)).toBe(v);
    if (k <= BigInt(Number.MAX_SAFE_INTEGER)) expect(map.getInt(Number(k))).toBe(v);
    for (const q of [k - 1n, k + 1n, k ^ (1n << 63n)]) if (q >= 0n && q <= U64_MAX) expect(map.getInt(q)).toBe(ref.get(q) ?? NOT_FOUND);
  }
}

/** Keys of one structured family, deduplicated and kept inside 0..2^64-1. */
const family = fc
  .record({
    shape: fc.constantFrom('consecutive', 'strided', 'high bits only', 'clustered', 'random'),
    n: fc.integer({ min: 0, max: 3000 }),
    base: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: U64_MAX })),
    shift: fc.integer({ min: 0, max: 63 }),
    seed: fc.integer(),
  })
  .map(({ shape, n, base, shift, seed }) => {
    let x = seed >>> 0;
    const rand = (): number => {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b_3c6d) + 0x6d2b_79f5) >>> 0;
      return x;
    };
    const keys: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const k =
        shape === 'consecutive' ? base + BigInt(i)
        : shape === 'strided' ? base + (BigInt(i) << BigInt(shift % 48))
        : shape === 'high bits only' ? BigInt(i) << BigInt(Math.max(12, 64 - shift))
        : shape === 'clustered' ? base + (BigInt(i >> 6) << 32n) + BigInt((i & 63) + (rand() & 7) * 64)
        : (BigInt(rand()) << 32n) | BigInt(rand());
      keys.push(k & U64_MAX);
    }
    return [...new Set(keys)];
  });

describe('integer hash maps build for every key shape', () => {
  it('structured families (consecutive, strided by 2^k, high bits only, clustered, random) agree with a Map', () => {
    fc.assert(
      fc.property(family, (keys) => expectExact(intMap(keys), keys)),
      { numRuns: 100 },
    );
  });

  it('0..n builds and answers for every n up to 2,000 and sampled n up to 100,000 (0..849 failed before)', () => {
    const sizes = [...Array.from({ length: 2001 }, (_, n) => n), 849, 850, 4096, 65_536, 65_537, 99_999, 100_000];
    for (let i = 0; i < 12; i++) sizes.push(2000 + ((i * 7919 * 1009) % 98_000));
    for (const n of sizes) {
      const keys = Array.from({ length: n }, (_, i) => i);
      const map = intMap(keys);
      const step = Math.max(1, Math.floor(n / 500));
      for (let k = 0; k < n; k += step) if (map.getInt(k) !== k) expect.fail(`0..${n - 1}: key ${k} read ${map.getInt(k)}`);
      expect([map.getInt(n), map.getInt(n + 1), map.getInt(2 ** 40 + 1)]).toEqual([NOT_FOUND, NOT_FOUND, NOT_FOUND]);
    }
  });

  it('keys that all fit 32 bits take 8-byte slots; a wider key, 16-byte slots', () => {
    const n = 100_000;
    const narrow = intMap(Array.from({ length: n }, (_, i) => i * 3));
    expect(narrow.keyKind).toBe(KEY_U32);
    expect(narrow.section.byteLength / n).toBeLessThan(9);
    const wide = intMap([...Array.from({ length: n - 1 }, (_, i) => i * 3), 2 ** 32]);
    expect(wide.keyKind).toBe(KEY_U64);
    expect(wide.section.byteLength / n).toBeLessThan(17.5);
    expect([wide.getInt(2 ** 32), wide.getInt(3), narrow.getInt(2 ** 32), narrow.getInt(0xffff_ffff), narrow.getInt(0)]).toEqual([n - 1, 1, NOT_FOUND, NOT_FOUND, 0]);
  });

  it('a map built with another hash scheme is refused with what to do, not misread', () => {
    const b = new ArenaBuilder();
    writeIntHashMap(b, 'ids', [1, 2, 3], [0, 1, 2]);
    const arena = b.finish();
    const section = arena.section('ids');
    section.view.setUint32(HM_SCHEME, 1, true); // as an older sabre wrote it
    const err = catchErr(() => new HashMapView(section));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/hash scheme 1.*rebuild the arena/);
  });
});

describe('scheme 5: sparse integer keys hashed by multiplies', () => {
  it('sparse u32 and u64 keys are written with scheme 5 and answer every query as a Map does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(0xffff_ffff), { minLength: 1, maxLength: 3000 }), fc.boolean(), (raw, wide) => {
        const keys = wide ? raw.map((k) => k * 2 ** 20 + (k & 7) + 2 ** 32) : raw; // wide: past 2^32, 16-byte slots
        const map = intMap(keys);
        expect(map.section.view.getUint32(HM_SCHEME, true)).toBe(wide || !isDense(raw) ? MULTIPLY_SCHEME : DIRECT_SCHEME);
        const ref = new Map(keys.map((k, i) => [k, i]));
        for (const [k, v] of ref) {
          expect(map.getInt(k)).toBe(v);
          expect(map.getInt(BigInt(k))).toBe(v);
          for (const q of [k + 1, k - 1, k + 2 ** 32, 0xffff_ffff - k]) if (q >= 0) expect(map.getInt(q)).toBe(ref.get(q) ?? NOT_FOUND);
        }
        for (const q of [-1, 0.5, Number.NaN, 2 ** 52]) expect(map.getInt(q)).toBe(NOT_FOUND);
      }),
      { numRuns: 150 },
    );
  });

  it('a string map whose header claims scheme 5 is refused, not read with the integer hash', () => {
    const b = new ArenaBuilder();
    writeStringHashMap(b, 'names', ['a', 'b'], [0, 1]);
    const section = b.finish().section('names');
    section.view.setUint32(HM_SCHEME, MULTIPLY_SCHEME, true);
    const err = catchErr(() => new HashMapView(section));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/string hash map with the integer hash/);
  });

  it('a million u32 lookups (hits and misses) allocate nothing', async () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => (Math.imul(i + 1, 0x9e37_79b1) | 1) >>> 0);
    const map = intMap(keys);
    expect(map.section.view.getUint32(HM_SCHEME, true)).toBe(MULTIPLY_SCHEME);
    let sum = 0;
    const lookups = (n: number): void => {
      let local = 0;
      for (let i = 0; i < n; i++) local = (local + map.getInt(i & 1 ? (keys[i % keys.length] as number) : i)) | 0;
      sum += local;
    };
    lookups(200_000);
    expect(await fewestCollections(() => lookups(1_000_000))).toBe(0);
    expect(sum).not.toBe(0);
  });
});

/** Whether u32 keys qualify for a direct map (every key − min on one 2^k grid, ≤ 1.25 slots a key). */
function isDense(keys: readonly number[]): boolean {
  const min = Math.min(...keys);
  let bits = 0;
  for (const k of keys) bits |= k - min;
  const shift = bits === 0 ? 0 : 31 - Math.clz32(bits & -bits);
  return Math.floor((Math.max(...keys) - min) / 2 ** shift) + 1 <= Math.ceil(keys.length * 1.25);
}

describe('integer lookups with numbers that lost their low bits', () => {
  it('a u64 key beyond 2^53 given as a number is refused, not silently not found', () => {
    const map = intMap([1, 2 ** 53 - 1]);
    expect(catchErr(() => map.getInt(2 ** 53 + 2)).code).toBe('VALUE_OUT_OF_RANGE');
    expect([map.getInt(2 ** 53 - 1), map.getInt(BigInt(2 ** 53) + 2n), map.getInt(-1), map.getInt(1.5)]).toEqual([1, NOT_FOUND, NOT_FOUND, NOT_FOUND]);
  });
});
