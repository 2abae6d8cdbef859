import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder } from './build/index.js';
import { hashChars, hashOut } from './hash.js';
import { Arena } from './index.js';

// Strings of any UTF-16 code units: ASCII, Latin-1, BMP, astral pairs and lone surrogates.
const codeUnit = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0, max: 0xff }),
  fc.integer({ min: 0, max: 0xffff }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
);
const anyString = fc.oneof(
  fc.array(codeUnit, { maxLength: 40 }).map((units) => String.fromCharCode(...units)),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 20 }),
);

function buildPool(strings: readonly string[]): { arena: Arena; ids: number[] } {
  const b = new ArenaBuilder();
  const ids = strings.map((s) => b.intern(s));
  return { arena: Arena.open(b.finish().buffer).verify(), ids };
}

describe('interned strings', () => {
  it('round-trip any JS string, lone surrogates included, against a Map reference', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 80 }), (strings) => {
        const { arena, ids } = buildPool(strings);
        const pool = arena.strings;
        const reference = new Map<string, number>();
        strings.forEach((s, i) => {
          const id = ids[i] as number;
          if (!reference.has(s)) reference.set(s, id);
          expect(id).toBe(reference.get(s)); // stored once: equal strings share an id
          expect(pool.decode(id)).toBe(s);
          expect(pool.decodeUncached(id)).toBe(s);
          expect(pool.length(id)).toBe(s.length);
          expect(pool.equals(id, s)).toBe(true);
          expect(pool.hashOf(id)).toBe(hashChars(s));
        });
        expect(pool.count).toBe(reference.size);
        expect(new Set(ids).size).toBe(reference.size);
        // equals is false for every other stored string
        for (const [s, id] of reference) {
          for (const [t] of reference) if (t !== s) expect(pool.equals(id, t)).toBe(false);
          expect(pool.equals(id, `${s}x`)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('decode returns the cached string on later calls', () => {
    const { arena, ids } = buildPool(['alpha', 'βeta', 'x'.repeat(20_000)]);
    const first = ids.map((id) => arena.strings.decode(id));
    expect(ids.map((id) => arena.strings.decode(id))).toEqual(first);
    expect(first[2]).toHaveLength(20_000);
    arena.strings.clearCache();
    expect(arena.strings.decode(ids[1] as number)).toBe('βeta');
  });

  it('stores Latin-1 strings at one byte per character and others at two', () => {
    const latin = buildPool(['abcdé'.repeat(100)]).arena.section('$strings').byteLength;
    const wide = buildPool(['abcdĕ'.repeat(100)]).arena.section('$strings').byteLength;
    expect(latin).toBeLessThan(520);
    expect(wide).toBeGreaterThanOrEqual(1000);
  });

  it('interns many strings with the same results as a Map', () => {
    const b = new ArenaBuilder();
    const reference = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const s = `key-${i % 30_000}-${i % 7 === 0 ? 'ü' : i % 11 === 0 ? 'ł' : ''}`;
      const id = b.intern(s);
      if (!reference.has(s)) reference.set(s, id);
      expect(id).toBe(reference.get(s));
    }
    const pool = Arena.open(b.finish().buffer).verify().strings;
    expect(pool.count).toBe(reference.size);
    for (const [s, id] of reference) expect(pool.decode(id)).toBe(s);
  });

  it('rejects ids out of range with ARENA_STRING_ID', () => {
    const pool = buildPool(['a', 'b']).arena.strings;
    for (const bad of [2, -1, 1.5, Number.NaN]) {
      const err = catchErr(() => pool.decode(bad));
      expect(err.code).toBe('ARENA_STRING_ID');
      expect(err.expected).toBe('0..1');
    }
    expect(catchErr(() => pool.equals(9, 'a')).code).toBe('ARENA_STRING_ID');
  });

  it('an arena without strings has an empty pool', () => {
    const pool = Arena.open(new ArenaBuilder().finish().buffer).strings;
    expect(pool.count).toBe(0);
    expect(catchErr(() => pool.decode(0)).code).toBe('ARENA_STRING_ID');
  });
});

describe('hashChars', () => {
  it('gives both 32-bit lanes and is stable for equal strings', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const a = hashChars(s);
        const lanes = [hashOut[0], hashOut[1]];
        expect(hashChars(`${s}`)).toBe(a);
        expect([hashOut[0], hashOut[1]]).toEqual(lanes);
      }),
    );
  });

  it('has no 64-bit collisions over 1M distinct keys', () => {
    const seen = new Set<bigint>();
    const lo32 = new Set<number>();
    let collisions32 = 0;
    for (let i = 0; i < 1_000_000; i++) {
      hashChars(`user-${i.toString(36)}/${i % 97}`);
      const lo = hashOut[0] as number;
      if (lo32.has(lo)) collisions32++;
      lo32.add(lo);
      seen.add((BigInt(hashOut[1] as number) << 32n) | BigInt(lo));
    }
    expect(seen.size).toBe(1_000_000);
    // One 32-bit lane alone: expect about n^2 / 2^33 ≈ 116 collisions if it mixes like a random function.
    expect(collisions32).toBeLessThan(250);
  });
});
