/**
 * Builds a range table section (layout in ../ranges.ts): sorts the ranges by start, refuses inverted
 * ones, and overlapping ones naming both entries (or, with `overlaps: 'split'`, cuts them into disjoint
 * pieces where the most specific range wins: range-split.ts), then writes the directory over the
 * starts' span.
 */
import { Errors } from '../errors.js';
import { FLAG_SPLIT, RANGES_KIND, RG_ALIGN, RG_FLAGS, bucketOf, dirBitsFor, rangesLayout } from '../ranges.js';
import { splitOverlaps } from './range-split.js';
import type { ArenaBuilder } from './builder.js';

export interface RangeEntry {
  start: number | bigint;
  /** Inclusive. */
  end: number | bigint;
  value: number;
}

export interface RangesOptions {
  /** Key width: 32 (default) or 64 bits. */
  bits?: 32 | 64;
  /** How entries are named in errors (default the section name). */
  path?: string;
  /** Makes the error for two overlapping entries (default ARENA_BUILD_FAILED); `first < second`. */
  overlap?: (first: number, second: number) => Error;
  /**
   * What overlapping ranges mean: 'error' (the default) refuses them; 'split' cuts them into disjoint
   * pieces where the shortest range containing a point wins (the earliest entry, between equals).
   */
  overlaps?: 'error' | 'split';
}

function toBig(v: unknown, max: bigint, what: string, path: string): bigint {
  if (typeof v === 'bigint' && v >= 0n && v <= max) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && BigInt(v) <= max) return BigInt(v);
  throw Errors.valueOutOfRange(`${what} (an integer 0..${max})`, v, path);
}

export function writeRanges(builder: ArenaBuilder, name: string, entries: readonly RangeEntry[], options: RangesOptions = {}): void {
  const path = options.path ?? name;
  const words = options.bits === 64 ? 2 : 1;
  const max = words === 1 ? 0xffff_ffffn : (1n << 64n) - 1n;
  if (options.overlaps !== undefined && options.overlaps !== 'error' && options.overlaps !== 'split') throw Errors.valueOutOfRange("'error' or 'split'", options.overlaps, `${path}.overlaps`);
  const split = options.overlaps === 'split';
  let n = entries.length;
  let starts: bigint[] = new Array(n);
  let ends: bigint[] = new Array(n);
  let values: number[] = entries.map((e) => e?.value);
  for (let i = 0; i < n; i++) {
    const e = entries[i] as RangeEntry;
    starts[i] = toBig(e?.start, max, 'a range start', `${path}[${i}].start`);
    ends[i] = toBig(e?.end, max, 'a range end', `${path}[${i}].end`);
    if ((ends[i] as bigint) < (starts[i] as bigint)) throw Errors.valueOutOfRange(`an end ≥ its start (${starts[i]})`, e.end, `${path}[${i}].end`);
    if (e.value >>> 0 !== e.value) throw Errors.valueOutOfRange('a u32 value', e.value, `${path}[${i}].value`);
  }
  if (split) {
    const pieces = splitOverlaps(starts, ends);
    n = pieces.length;
    starts = pieces.map((p) => p.start);
    ends = pieces.map((p) => p.end);
    values = pieces.map((p) => values[p.entry] as number);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((starts[a] as bigint) < (starts[b] as bigint) ? -1 : (starts[a] as bigint) > (starts[b] as bigint) ? 1 : a - b));
  for (let k = 1; k < n; k++) {
    const a = order[k - 1] as number;
    const b = order[k] as number;
    if ((starts[b] as bigint) <= (ends[a] as bigint)) {
      if (options.overlap !== undefined) throw options.overlap(Math.min(a, b), Math.max(a, b));
      throw Errors.buildFailed(`${path}[${Math.max(a, b)}]`, `ranges ${Math.min(a, b)} [${starts[Math.min(a, b)]}, ${ends[Math.min(a, b)]}] and ${Math.max(a, b)} [${starts[Math.max(a, b)]}, ${ends[Math.max(a, b)]}] overlap; ranges must not share any value`);
    }
  }
  const sortedStarts = order.map((i) => starts[i] as bigint);
  const coarse = (k: bigint) => Number(words === 1 ? k : k >> 32n);
  const dirBits = dirBitsFor(n);
  const base = n === 0 ? 0 : coarse(sortedStarts[0] as bigint);
  const span = n === 0 ? 0 : coarse(sortedStarts[n - 1] as bigint) - base;
  // The smallest shift that fits the span of starts into 2^dirBits buckets.
  let shift = 0;
  while (shift < 32 && Math.floor(span / 2 ** shift) >= 1 << dirBits) shift++;
  const l = rangesLayout(n, words, dirBits);
  const bytes = new Uint8Array(l.end);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, n, true);
  dv.setUint32(4, words, true);
  dv.setUint32(8, dirBits, true);
  dv.setUint32(12, shift, true);
  dv.setUint32(16, base, true);
  dv.setUint32(RG_FLAGS, split ? FLAG_SPLIT : 0, true);
  const put = (at: number, v: bigint) => {
    dv.setUint32(at, Number(v & 0xffff_ffffn), true);
    if (words === 2) dv.setUint32(at + 4, Number(v >> 32n), true);
  };
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    put(l.starts + k * 4 * words, starts[i] as bigint);
    put(l.ends + k * 4 * words, ends[i] as bigint);
    dv.setUint32(l.values + k * 4, values[i] as number, true);
  }
  let k = 0;
  for (let h = 0; h <= 1 << dirBits; h++) {
    while (k < n && bucketOf(coarse(sortedStarts[k] as bigint), base, 2 ** -shift, (1 << dirBits) - 1) < h) k++;
    dv.setUint32(l.dir + 4 * h, k, true);
  }
  const w = builder.section(name, { kind: RANGES_KIND, align: RG_ALIGN });
  w.bytes(bytes);
  w.end();
}
