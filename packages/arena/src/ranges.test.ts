import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeRangeColumns, writeRanges, type RangeEntry } from './build/index.js';
import { Arena, NOT_FOUND, RangesView } from './index.js';

function table(entries: RangeEntry[], bits: 32 | 64 = 32): RangesView {
  const b = new ArenaBuilder();
  writeRanges(b, 'r', entries, { bits });
  return new RangesView(Arena.open(b.finish().buffer).verify().section('r'));
}

/** Disjoint ranges from sorted cut points, shuffled; the reference answer is a linear scan. */
const rangesArb = (max: bigint) =>
  fc.uniqueArray(fc.bigInt({ min: 0n, max }), { maxLength: 120 }).chain((cuts) => {
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pairs: [bigint, bigint][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) pairs.push([sorted[i] as bigint, sorted[i + 1] as bigint]);
    if (sorted.length % 2 === 1) pairs.push([sorted[sorted.length - 1] as bigint, sorted[sorted.length - 1] as bigint]);
    return fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length });
  });

function naive(entries: RangeEntry[], x: bigint): number {
  const hit = entries.find((e) => BigInt(e.start) <= x && x <= BigInt(e.end));
  return hit === undefined ? NOT_FOUND : hit.value;
}

describe('range table', () => {
  for (const bits of [32, 64] as const) {
    const max = bits === 32 ? 0xffff_ffffn : (1n << 64n) - 1n;
    it(`finds the range containing x, or nothing, like a linear scan (u${bits})`, () => {
      fc.assert(
        fc.property(rangesArb(max), fc.array(fc.bigInt({ min: 0n, max }), { maxLength: 40 }), (pairs, probes) => {
          const entries = pairs.map(([start, end], i) => ({ start, end, value: i * 3 }));
          const t = table(entries, bits);
          expect(t.size).toBe(entries.length);
          const points = [...probes, ...pairs.flatMap(([s, e]) => [s, e, s - 1n, e + 1n])].filter((x) => x >= 0n && x <= max);
          for (const x of points) {
            expect(t.find(x)).toBe(naive(entries, x));
            if (x <= BigInt(Number.MAX_SAFE_INTEGER)) expect(t.find(Number(x))).toBe(naive(entries, x));
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('handles empty tables, a single range, adjacent ranges and the extremes', () => {
    expect(table([]).find(5)).toBe(NOT_FOUND);
    const t = table([{ start: 0, end: 0, value: 1 }, { start: 1, end: 9, value: 2 }, { start: 10, end: 0xffff_ffff, value: 3 }]);
    expect([t.find(0), t.find(1), t.find(9), t.find(10), t.find(0xffff_ffff), t.find(2 ** 32), t.find(-1), t.find(1.5)]).toEqual([1, 2, 2, 3, 3, NOT_FOUND, NOT_FOUND, NOT_FOUND]);
    const w = table([{ start: (1n << 64n) - 10n, end: (1n << 64n) - 1n, value: 7 }], 64);
    expect([w.find((1n << 64n) - 1n), w.find((1n << 64n) - 11n), w.find(1n << 64n)]).toEqual([7, NOT_FOUND, NOT_FOUND]);
    expect(t.at(1)).toEqual({ start: 1n, end: 9n, value: 2 });
  });

  it('holds 412k IPv4-like ranges', () => {
    const entries: RangeEntry[] = [];
    let at = 0;
    for (let i = 0; i < 412_000; i++) {
      at += 1 + ((i * 7919) % 5000);
      const end = at + ((i * 104_729) % 3000);
      entries.push({ start: at, end, value: i });
      at = end + 1;
    }
    const t = table(entries.reverse());
    for (let k = 0; k < entries.length; k += 997) {
      const e = entries[k] as RangeEntry;
      expect(t.find(Number(e.start))).toBe(e.value);
      expect(t.find(Number(e.end))).toBe(e.value);
    }
  });

  it('refuses overlapping ranges, naming both entries', () => {
    const err = catchErr(() => writeRanges(new ArenaBuilder(), 'asn', [{ start: 10, end: 20, value: 0 }, { start: 30, end: 40, value: 1 }, { start: 20, end: 25, value: 2 }]));
    expect(err.code).toBe('ARENA_BUILD_FAILED');
    expect(err.path).toBe('asn[2]');
    expect(err.message).toContain('ranges 0 [10, 20] and 2 [20, 25] overlap');
  });

  it('refuses inverted ranges and keys out of range, with the path', () => {
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 5, end: 4, value: 0 }])).path).toBe('r[0].end');
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 2 ** 32, end: 2 ** 32, value: 0 }])).path).toBe('r[0].start');
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 1, end: 2, value: -1 }])).path).toBe('r[0].value');
    // Entry by entry: the first bad entry is named, whatever its problem; a bigint value is refused by name.
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 5, end: 3, value: 0 }, { start: 1, end: 2, value: -1 }])).path).toBe('r[0].end');
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', [{ start: 1, end: 2, value: 1n as unknown as number }])).code).toBe('VALUE_OUT_OF_RANGE');
    expect(catchErr(() => writeRanges(new ArenaBuilder(), 'r', 5 as unknown as RangeEntry[])).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('writeRangeColumns builds what writeRanges builds, from Float64Arrays (subarrays too), Uint32Arrays or mixed lists, and checks its columns', () => {
    const entries = [{ start: 40, end: 49, value: 2 }, { start: 0, end: 9, value: 0 }, { start: 2 ** 40, end: 2 ** 41, value: 1 }];
    const bytesOf = (write: (b: ArenaBuilder) => void) => {
      const b = new ArenaBuilder();
      write(b);
      return Buffer.from(new Uint8Array(b.finish().buffer));
    };
    const want = bytesOf((b) => writeRanges(b, 'r', entries, { bits: 64 }));
    const starts = Float64Array.from([99, ...entries.map((e) => e.start)]).subarray(1);
    const ends = Float64Array.from([99, ...entries.map((e) => e.end)]).subarray(1);
    expect(bytesOf((b) => writeRangeColumns(b, 'r', { starts, ends, values: Uint32Array.from(entries, (e) => e.value) }, { bits: 64 })).equals(want)).toBe(true);
    expect(bytesOf((b) => writeRangeColumns(b, 'r', { starts: [40n, 0, 2n ** 40n], ends: [49, 9n, 2 ** 41], values: [2, 0, 1] }, { bits: 64 })).equals(want)).toBe(true);
    // Uint32Array columns are read in place too, alone or beside a Float64Array; unsorted, and sorted.
    const u32 = [{ start: 40, end: 49, value: 0 }, { start: 0, end: 9, value: 1 }, { start: 0xffff_fff0, end: 0xffff_ffff, value: 2 }];
    const want32 = bytesOf((b) => writeRanges(b, 'r', u32));
    expect(bytesOf((b) => writeRangeColumns(b, 'r', { starts: Uint32Array.from(u32, (e) => e.start), ends: Uint32Array.from(u32, (e) => e.end) })).equals(want32)).toBe(true);
    expect(bytesOf((b) => writeRangeColumns(b, 'r', { starts: Uint32Array.from(u32, (e) => e.start), ends: Float64Array.from(u32, (e) => e.end) })).equals(want32)).toBe(true);
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: Uint32Array.from([5, 9]), ends: Uint32Array.from([6, 8]) })).path).toBe('r[1].end');
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: Uint32Array.from([5, 6]), ends: Uint32Array.from([6, 8]) })).code).toBe('ARENA_BUILD_FAILED');
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: [1] } as never)).path).toBe('r.ends');
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: 'ab', ends: 'cd' } as never)).path).toBe('r.starts');
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: Float64Array.from([1, 2.5]), ends: Float64Array.from([1, 3]) })).path).toBe('r[1].start');
    expect(catchErr(() => writeRangeColumns(new ArenaBuilder(), 'r', { starts: [1, 2], ends: [1] })).code).toBe('ARENA_BUILD_FAILED');
  });

  it('stays correct when keys cluster in one bucket (a /8 holding every range)', () => {
    const entries: RangeEntry[] = Array.from({ length: 5000 }, (_, i) => ({ start: 0x0a00_0000 + i * 10, end: 0x0a00_0000 + i * 10 + 4, value: i }));
    entries.push({ start: 0xc000_0000, end: 0xc000_00ff, value: 9999 });
    const t = table(entries);
    for (let i = 0; i < 5000; i += 37) {
      expect(t.find(0x0a00_0000 + i * 10 + 2)).toBe(i);
      expect(t.find(0x0a00_0000 + i * 10 + 7)).toBe(NOT_FOUND);
    }
    expect([t.find(0xc000_0010), t.find(0xc000_0100), t.find(0x09ff_ffff)]).toEqual([9999, NOT_FOUND, NOT_FOUND]);
  });

  it('verify rejects forged order (checksum recomputed by the forger)', () => {
    const b = new ArenaBuilder();
    writeRanges(b, 'r', [{ start: 1, end: 2, value: 0 }, { start: 5, end: 6, value: 1 }]);
    const built = b.finish();
    const copy = built.buffer.slice(0) as ArrayBuffer;
    const sec = built.section('r');
    // Swap the two starts: with D = 0 the directory is two words, so the starts begin at byte 128.
    const dv = new DataView(copy, sec.byteOffset);
    const startsAt = 128;
    dv.setUint32(startsAt, 5, true);
    dv.setUint32(startsAt + 4, 1, true);
    const arena = Arena.open(copy);
    expect(catchErr(() => new RangesView(arena.section('r')).verify()).code).toBe('ARENA_CORRUPT');
  });
});
