// Range indexes that keep no copy of the ends (`rowEnds`): each end is read from its row, and rows given
// in start order need no row numbers either. Lookups must answer exactly as an index with its own ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeRanges, type RangeEntry } from './build/index.js';
import { Arena, NOT_FOUND, RangesView } from './index.js';
import { FLAG_ROW_ENDS, FLAG_ROW_ORDER, RG_FLAGS } from './ranges.js';

const STRIDE = 16; // a row: [start, end] at 0 (u32: 4 + 4; u64: 8 + 8), padding up to 16

/** Writes the rows (start, end per row), then both indexes over them; returns the arena. */
function build(rows: [bigint, bigint][], bits: 32 | 64): Arena {
  const b = new ArenaBuilder();
  const w = b.section('rows');
  for (const [s, e] of rows) {
    if (bits === 32) w.u32(Number(s)).u32(Number(e)).u32(0).u32(0);
    else w.u64(s).u64(e);
  }
  w.end();
  const entries: RangeEntry[] = rows.map(([start, end], value) => ({ start, end, value }));
  writeRanges(b, 'rows.index', entries, { bits, rowEnds: { stride: STRIDE, endOffset: bits === 32 ? 4 : 8 } });
  writeRanges(b, 'copy', entries, { bits });
  return Arena.open(b.finish().buffer).verify();
}

const rowsArb = (max: bigint, sorted: boolean) =>
  fc.uniqueArray(fc.bigInt({ min: 0n, max }), { maxLength: 200 }).chain((cuts) => {
    const c = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pairs: [bigint, bigint][] = [];
    for (let i = 0; i + 1 < c.length; i += 2) pairs.push([c[i]!, c[i + 1]!]);
    return sorted ? fc.constant(pairs) : fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length });
  });

describe('range index with its ends in the rows', () => {
  for (const bits of [32, 64] as const) {
    for (const sorted of [true, false]) {
      it(`answers like an index with its own ends (u${bits}, rows ${sorted ? 'in start order' : 'shuffled'})`, () => {
        const max = bits === 32 ? 0xffff_ffffn : (1n << 64n) - 1n;
        fc.assert(
          fc.property(rowsArb(max, sorted), fc.array(fc.bigInt({ min: 0n, max }), { maxLength: 30 }), (rows, probes) => {
            const arena = build(rows, bits);
            const slim = new RangesView(arena.section('rows.index'), arena.section('rows'));
            const full = new RangesView(arena.section('copy'));
            const flags = arena.section('rows.index').view.getUint32(RG_FLAGS, true);
            expect(flags & FLAG_ROW_ENDS).toBe(FLAG_ROW_ENDS);
            if (sorted) expect(flags & FLAG_ROW_ORDER).toBe(FLAG_ROW_ORDER);
            for (const x of [...probes, ...rows.flatMap(([s, e]) => [s, e, s - 1n, e + 1n])].filter((p) => p >= 0n && p <= max)) {
              expect(slim.find(x)).toBe(full.find(x));
              if (bits === 64) expect(slim.findWords(Number(x >> 32n), Number(x & 0xffff_ffffn))).toBe(full.find(x));
            }
            for (let i = 0; i < rows.length; i++) expect(slim.at(i)).toEqual(full.at(i));
          }),
          { numRuns: 60 },
        );
      });
    }
  }

  it('takes less space: sorted rows leave only the directory and the starts', () => {
    const rows = Array.from({ length: 10_000 }, (_, i): [bigint, bigint] => [BigInt(i * 100), BigInt(i * 100 + 49)]);
    const arena = build(rows, 32);
    expect(arena.section('copy').byteLength / rows.length).toBeGreaterThan(8); // starts and ends
    expect(arena.section('rows.index').byteLength / rows.length).toBeLessThan(6); // 4 B of start, ~2 B of directory
    expect([new RangesView(arena.section('rows.index'), arena.section('rows')).find(4_949), new RangesView(arena.section('rows.index'), arena.section('rows')).find(4_950)]).toEqual([49, NOT_FOUND]);
  });

  it('refuses to open without its rows, and verify() refuses a row number past the rows', () => {
    const rows = Array.from({ length: 50 }, (_, i): [bigint, bigint] => [BigInt((49 - i) * 10), BigInt((49 - i) * 10 + 5)]);
    const arena = build(rows, 32);
    expect(catchErr(() => new RangesView(arena.section('rows.index'))).code).toBe('ARENA_SECTION_KIND');
    // Forge: the first stored row number points past the 50 rows (checksum recomputed by re-opening unverified).
    const bytes = new Uint8Array(arena.buffer.byteLength);
    bytes.set(new Uint8Array(arena.buffer));
    const copy = Arena.open(bytes.buffer);
    const index = copy.section('rows.index');
    const n = index.view.getUint32(0, true);
    const valuesAt = Math.ceil((Math.ceil((64 + ((1 << index.view.getUint32(8, true)) + 1) * 4) / 64) * 64 + 4 * n) / 64) * 64;
    index.view.setUint32(valuesAt, 50, true);
    const view = new RangesView(index, copy.section('rows'));
    expect(view.find(3)).toBe(NOT_FOUND); // rank 0 now names row 50: unverified, garbage at worst, never out of bounds
    expect(view.find(493)).toBe(0);
    expect(catchErr(() => view.verify()).code).toBe('ARENA_CORRUPT');
  });
});
