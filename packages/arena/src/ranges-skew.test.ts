// Range tables over clustered keys: a few directory buckets crowded with ranges (and most empty) get
// sub-directories. Lookups must agree with a plain binary search wherever the clusters and their
// sub-buckets begin and end, for u32 and u64 keys, and forged sub-directories must fail verify().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaBuilder, writeRanges, type RangeEntry } from './build/index.js';
import { H_CHECKSUM } from './format.js';
import { Checksum } from './hash.js';
import { Arena, ArenaError, NOT_FOUND, RangesView } from './index.js';
import { RG_SUB_WORDS } from './ranges.js';

function build(entries: RangeEntry[], bits: 32 | 64): Arena {
  const b = new ArenaBuilder();
  writeRanges(b, 'r', entries, { bits });
  return Arena.open(b.finish().buffer).verify();
}

/** Clusters of adjacent ranges with Zipf-like sizes at a few far-apart bases, plus a few loners. */
const clustered = (max: bigint) =>
  fc
    .record({
      bases: fc.uniqueArray(fc.bigInt({ min: 0n, max: max >> 1n }), { minLength: 1, maxLength: 4 }),
      sizes: fc.array(fc.constantFrom(1n, 1n, 2n, 4n, 16n, 256n, 4096n), { minLength: 40, maxLength: 400 }),
      gaps: fc.array(fc.constantFrom(0n, 0n, 1n, 3n, 100n), { minLength: 1, maxLength: 20 }),
    })
    .map(({ bases, sizes, gaps }) => {
      const entries: RangeEntry[] = [];
      let taken = -1n;
      const sortedBases = [...bases].sort((a, b) => (a < b ? -1 : 1));
      sizes.forEach((size, i) => {
        let at = sortedBases[i % sortedBases.length] as bigint;
        if (at <= taken) at = taken + 1n + (gaps[i % gaps.length] as bigint);
        const end = at + size - 1n;
        if (end > max) return;
        entries.push({ start: at, end, value: i });
        taken = end;
      });
      return entries;
    });

function reference(entries: RangeEntry[]): (x: bigint) => number {
  const sorted = [...entries].sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
  return (x) => {
    let lo = 0;
    let hi = sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (BigInt((sorted[mid] as RangeEntry).start) <= x) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    const r = sorted[found];
    return r !== undefined && x <= BigInt(r.end) ? r.value : NOT_FOUND;
  };
}

describe('range tables over clustered keys', () => {
  for (const bits of [32, 64] as const) {
    const max = bits === 32 ? 0xffff_ffffn : (1n << 64n) - 1n;
    it(`agree with binary search at every range edge (u${bits}), with sub-directories in use`, () => {
      let withSub = 0;
      fc.assert(
        fc.property(clustered(max), (entries) => {
          const arena = build(entries, bits);
          const t = new RangesView(arena.section('r'));
          if (t.section.view.getUint32(RG_SUB_WORDS, true) > 0) withSub++;
          const want = reference(entries);
          for (const e of entries) {
            for (const x of [BigInt(e.start) - 1n, BigInt(e.start), BigInt(e.end), BigInt(e.end) + 1n]) {
              if (x < 0n || x > max) continue;
              expect(t.find(x)).toBe(want(x));
            }
          }
        }),
        { numRuns: 150 },
      );
      expect(withSub).toBeGreaterThan(50); // the property exercised what it is about
    });
  }

  it('a forged sub-directory entry (checksum recomputed) fails verify()', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({ start: i * 2, end: i * 2, value: i })).concat([{ start: 0xffff_0000, end: 0xffff_0000, value: 300 }]);
    const arena = build(entries, 32);
    const section = arena.section('r');
    const subWords = section.view.getUint32(RG_SUB_WORDS, true);
    expect(subWords).toBeGreaterThan(0);
    const bytes = new Uint8Array(arena.buffer, 0, arena.byteLength).slice();
    const dv = new DataView(bytes.buffer);
    // The crowded bucket's sub-directory is first in its area: word 0 is its bits, word 2 its second entry.
    const t = new RangesView(section);
    const layout = { dir: 64, dirBits: section.view.getUint32(8, true) };
    const subAt = Math.ceil((layout.dir + ((1 << layout.dirBits) + 1) * 4) / 64) * 64;
    const subArea = section.byteOffset + subAt + (1 << layout.dirBits) * 4;
    dv.setUint32(subArea + 8, dv.getUint32(subArea + 8, true) + 1, true);
    dv.setBigUint64(H_CHECKSUM, new Checksum().update(bytes.buffer, 0, H_CHECKSUM).update(bytes.buffer, H_CHECKSUM + 8, bytes.length - H_CHECKSUM - 8).digest(), true);
    let err: unknown;
    try {
      Arena.open(bytes.buffer).verify();
    } catch (e) {
      err = e;
    }
    expect(ArenaError.is(err) ? `${err.code}: ${err.message}` : String(err)).toMatch(/^ARENA_CORRUPT: .*sub-directory/);
    expect(t.size).toBe(301);
  });
});
