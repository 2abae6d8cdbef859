// Range tables built with overlaps: 'split' — nested and overlapping ranges (a more specific block
// inside a larger one, a stale duplicate) answer as "the shortest range containing x wins".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeRanges, type RangeEntry } from './build/index.js';
import { Arena, NOT_FOUND, RangesView } from './index.js';

function table(entries: RangeEntry[], bits: 32 | 64 = 32): RangesView {
  const b = new ArenaBuilder();
  writeRanges(b, 'r', entries, { bits, overlaps: 'split' });
  return new RangesView(Arena.open(b.finish().buffer).verify().section('r'));
}

/** The reference: the value of the shortest range containing x (the earliest entry between equals). */
function naive(entries: readonly RangeEntry[], x: bigint): number {
  let best: RangeEntry | undefined;
  let bestIndex = -1;
  entries.forEach((e, i) => {
    const [s, t] = [BigInt(e.start), BigInt(e.end)];
    if (x < s || x > t) return;
    if (best === undefined || t - s < BigInt(best.end) - BigInt(best.start)) [best, bestIndex] = [e, i];
  });
  return bestIndex < 0 ? NOT_FOUND : (entries[bestIndex] as RangeEntry).value;
}

/** Nested blocks with Zipf-like sizes: a few huge, many small, clustered around a few bases. */
const clustered = fc.array(fc.record({ base: fc.constantFrom(0, 1_000_000, 0xffff_0000), offset: fc.nat(5000), size: fc.constantFrom(0, 1, 3, 15, 255, 4095, 65_535) }), { maxLength: 40 }).map((rs) =>
  rs.map((r, i) => ({ start: Math.min(0xffff_ffff, r.base + r.offset), end: Math.min(0xffff_ffff, r.base + r.offset + r.size), value: i * 10 })),
);
const random = fc.array(fc.tuple(fc.nat(300), fc.nat(60)), { maxLength: 40 }).map((rs) => rs.map(([s, len], i) => ({ start: s, end: s + len, value: i })));

describe("range table with overlaps: 'split'", () => {
  it('every point answers like a scan for the shortest containing range (clustered Zipf-sized and random ranges)', () => {
    fc.assert(
      fc.property(fc.oneof(clustered, random), fc.array(fc.nat(0xffff_ffff), { maxLength: 20 }), (entries, extra) => {
        const t = table(entries);
        const probes = new Set<number>(extra);
        for (const e of entries) for (const d of [-1, 0, 1]) for (const p of [Number(e.start) + d, Number(e.end) + d]) if (p >= 0 && p <= 0xffff_ffff) probes.add(p);
        for (const x of probes) expect(t.find(x)).toBe(naive(entries, BigInt(x)));
        expect(t.size).toBeLessThanOrEqual(Math.max(0, 2 * entries.length - 1));
      }),
      { numRuns: 300 },
    );
  });

  it('a block inside a larger one cuts it in two; the larger keeps its value on both sides', () => {
    const t = table([
      { start: 0, end: 999, value: 1 },
      { start: 100, end: 199, value: 2 },
      { start: 150, end: 150, value: 3 },
      { start: 100, end: 199, value: 4 }, // a stale duplicate: the earlier entry wins
    ]);
    expect([0, 99, 100, 149, 150, 151, 199, 200, 999, 1000].map((x) => t.find(x))).toEqual([1, 1, 2, 2, 3, 2, 2, 1, 1, NOT_FOUND]);
    expect(t.split).toBe(true);
  });

  it('64-bit keys split too (IPv6-style prefixes)', () => {
    const big = 1n << 60n;
    const t = table([{ start: 0n, end: (1n << 64n) - 1n, value: 0 }, { start: big, end: big + 255n, value: 1 }], 64);
    expect([t.find(0n), t.find(big - 1n), t.find(big), t.find(big + 255n), t.find(big + 256n), t.find((1n << 64n) - 1n)]).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it("the default still refuses overlaps, and an unknown policy is a clear error", () => {
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 0, end: 9, value: 0 }, { start: 5, end: 6, value: 1 }])).message).toMatch(/overlap/);
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [], { overlaps: 'merge' as 'split' })).path).toBe('r.overlaps');
  });
});
