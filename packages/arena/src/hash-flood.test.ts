// Keys chosen to collide: `hashChars` is unkeyed and linear in the top bit, so sets of distinct strings
// sharing all 64 of its bits can be written down (below). They used to stop a hash-map build
// ("this should not happen") and make interning quadratic (73 s for 40,000 strings); integer keys
// aimed at the fixed seeds could crowd one bucket. Builds must succeed and stay fast for all of them.
import { describe, expect, it } from 'vitest';
import { fewestCollections } from '../test/gc-count.js';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, StringPoolBuilder, writeIntHashMap, writeStringHashMap } from './build/index.js';
import { hashChars, hashOut } from './hash.js';
import { HM_HASH_KEY, HM_SCHEME } from './hash-map.js';
import { Arena, HashMapView, NOT_FOUND, SectionKind } from './index.js';
import { HASH_SCHEME, KEYED_SCHEME, reduce, scramble } from './phf.js';

/**
 * `count` distinct strings with one `hashChars` value. Flipping bit 15 of code unit 8j+1 flips bit 31
 * of lane a's product (whatever the state), which the rotation moves to bit 14; flipping bit 14 of code
 * unit 8j+4, the next word lane a takes, cancels it. Each j is an independent choice: 2^j strings.
 */
function collidingStrings(count: number, base = 'a'): string[] {
  const pairs = Math.max(1, Math.ceil(Math.log2(count)));
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const units = Array.from({ length: 8 * pairs }, (_, i) => base.charCodeAt(i % base.length));
    for (let j = 0; j < pairs; j++) {
      if ((k >>> j) & 1) {
        units[8 * j + 1] = (units[8 * j + 1] as number) ^ 0x8000;
        units[8 * j + 4] = (units[8 * j + 4] as number) ^ 0x4000;
      }
    }
    out.push(String.fromCharCode(...units));
  }
  return out;
}

function lanesOf(s: string): string {
  hashChars(s);
  return `${hashOut[0]}:${hashOut[1]}`;
}

function mapOf(keys: readonly string[]): { map: HashMapView; scheme: number; bytes: Uint8Array } {
  const b = new ArenaBuilder();
  writeStringHashMap(b, 'm', keys, keys.map((_, i) => i));
  const arena = Arena.open(b.finish().buffer).verify();
  const section = arena.section('m', SectionKind.HashMap);
  return { map: new HashMapView(section), scheme: section.view.getUint32(HM_SCHEME, true), bytes: section.bytes.slice() };
}

describe('hash flooding', () => {
  it('the generated sets really collide under hashChars (and so does the pair from the report)', () => {
    const set = collidingStrings(40_000);
    expect(new Set(set).size).toBe(40_000);
    expect(new Set(set.map(lanesOf)).size).toBe(1);
    expect(new Set(collidingStrings(64, 'example.com/').map(lanesOf)).size).toBe(1);
    expect(lanesOf('xxxxyyyyzzzz')).toBe(lanesOf('g!xxs>yyW7zz'));
  });

  it('a string map over 40,000 fully colliding keys builds, verifies and answers exactly (keyed scheme)', () => {
    const set = collidingStrings(65_536);
    const keys = [...set.slice(0, 40_000), 'xxxxyyyyzzzz', 'g!xxs>yyW7zz', ...Array.from({ length: 1000 }, (_, i) => `host-${i}.example`)];
    const { map, scheme } = mapOf(keys);
    expect(scheme).toBe(KEYED_SCHEME);
    keys.forEach((k, i) => expect(map.get(k)).toBe(i));
    for (const absent of set.slice(40_000, 41_000)) expect(map.get(absent)).toBe(NOT_FOUND);
    expect(map.get('host-1000.example')).toBe(NOT_FOUND);
  });

  it('each flooded build draws its own hash key; honest keys keep the fast scheme and identical bytes', () => {
    const flooded = collidingStrings(300);
    const a = mapOf(flooded);
    const b = mapOf(flooded);
    const keyWord = (m: { bytes: Uint8Array }): number => new DataView(m.bytes.buffer).getUint32(HM_HASH_KEY, true);
    expect(keyWord(a)).not.toBe(keyWord(b));
    flooded.forEach((k, i) => expect([a.map.get(k), b.map.get(k)]).toEqual([i, i]));
    const honest = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    const x = mapOf(honest);
    expect(x.scheme).toBe(HASH_SCHEME);
    expect(mapOf(honest).bytes).toEqual(x.bytes);
  });

  it('a duplicate among colliding keys is still reported with both entry numbers', () => {
    const keys = collidingStrings(500);
    keys.push(keys[123] as string);
    const err = catchErr(() => writeStringHashMap(new ArenaBuilder(), 'm', keys, keys.map((_, i) => i)));
    expect([err.code, /123/.test(err.message), /500/.test(err.message)]).toEqual(['ARENA_DUPLICATE_KEY', true, true]);
  });

  it('interning 40,000 colliding strings switches to the keyed hash once and keeps every id', () => {
    const set = collidingStrings(40_000);
    const pool = new StringPoolBuilder();
    const ids = set.map((s) => pool.intern(s));
    expect(pool.keyed).toBe(true);
    expect(ids).toEqual(set.map((_, i) => i));
    expect(set.map((s) => pool.intern(s))).toEqual(ids);
    const honest = new StringPoolBuilder();
    for (let i = 0; i < 100_000; i++) honest.intern(`key-${i}`);
    expect(honest.keyed).toBe(false);
  });

  it('a keyed map answers a million lookups without one garbage collection', async () => {
    const keys = [...collidingStrings(2000), ...Array.from({ length: 2000 }, (_, i) => `a-key-long-enough-to-spill-${i}`)];
    const { map } = mapOf(keys);
    let sum = 0;
    const lookups = (n: number): void => {
      let local = 0;
      for (let i = 0; i < n; i++) local = (local + map.get(keys[i % keys.length] as string)) | 0;
      sum += local;
    };
    lookups(200_000);
    expect(await fewestCollections(() => lookups(1_000_000))).toBe(0);
    expect(sum).not.toBe(0);
  });

  it('integer keys aimed at the fixed seeds (one crowded bucket per seed) still build', () => {
    const n = 3000;
    const buckets = Math.ceil(n / 3); // the builder's KEYS_PER_BUCKET
    const keys = new Set<number>();
    for (let seed = 1; seed <= 3; seed++) {
      let found = 0;
      for (let k = seed * 1e9; found < 300; k++) {
        if (reduce(scramble(k >>> 0, Math.floor(k / 2 ** 32), seed), buckets) === 0 && !keys.has(k)) {
          keys.add(k);
          found++;
        }
      }
    }
    for (let i = 0; keys.size < n; i++) keys.add(i * 7919);
    const list = [...keys];
    const b = new ArenaBuilder();
    writeIntHashMap(b, 'ids', list, list.map((_, i) => i));
    const map = new HashMapView(Arena.open(b.finish().buffer).verify().section('ids'));
    list.forEach((k, i) => expect(map.getInt(k)).toBe(i));
    expect(map.getInt(1)).toBe(NOT_FOUND);
  });
});
