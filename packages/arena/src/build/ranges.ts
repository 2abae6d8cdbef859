/**
 * Builds a range table section (layout in ../ranges.ts): sorts the ranges by start, refuses inverted
 * ones, and overlapping ones naming both entries (or, with `overlaps: 'split'`, cuts them into disjoint
 * pieces where the most specific range wins: range-split.ts), then writes the directory over the
 * starts' span.
 */
import { Errors } from '../errors.js';
import { FLAG_ROW_ENDS, FLAG_ROW_ORDER, FLAG_SPLIT, MAX_SUB_BITS, RANGES_KIND, RG_ALIGN, RG_FLAGS, RG_ROW_END, RG_ROW_STRIDE, RG_SUB_WORDS, SUB_MIN, bucketOf, dirBitsFor, rangesLayout, subBucketOf } from '../ranges-format.js';
import { BigKeys, NumberKeys, sortedOrder, type KeyColumn, type NumberColumn } from './range-keys.js';
import { splitOverlaps } from './range-split.js';
import type { ArenaBuilder } from './builder.js';

/** One range of {@link writeRanges}: keys start..end map to `value`. */
export interface RangeEntry {
  /** First key (a non-negative integer, as a number ≤ 2^53 or a bigint, within the key width). */
  start: number | bigint;
  /** Last key, inclusive. */
  end: number | bigint;
  /** What the range maps to: a u32, typically a row number. */
  value: number;
}

/** Options of {@link writeRanges}. */
export interface RangesOptions {
  /** Key width: 32 (default), 64 or 128 bits (IPv6 addresses: see `RangesView.find128`). */
  bits?: 32 | 64 | 128;
  /** How entries are named in errors (default the section name). */
  path?: string;
  /** Makes the error for two overlapping entries (default ARENA_BUILD_FAILED); `first < second`. */
  overlap?: (first: number, second: number) => Error;
  /**
   * What overlapping ranges mean: 'error' (the default) refuses them; 'split' cuts them into disjoint
   * pieces where the shortest range containing a point wins (the earliest entry, between equals).
   */
  overlaps?: 'error' | 'split';
  /**
   * The entries are rows of a table already written, entry i's end stored in row `value` at
   * `value · stride + endOffset` (both multiples of 4; 4 or 8 bytes little-endian, as the keys): the
   * index then keeps no copy of the ends, and readers must open it with that rows section
   * (`new RangesView(index, rows)`). Not with `overlaps: 'split'`, whose pieces have ends of their own.
   */
  rowEnds?: {
    /** Bytes per row. */
    stride: number;
    /** Byte offset of the end key in a row. */
    endOffset: number;
  };
}

/**
 * A key as a number when it is a safe integer (≤ 2^53), else as a bigint; refuses what is not 0..max.
 * `maxNumber` is max as a number, or 2^53 − 1 when max is larger (no BigInt math for number keys).
 */
function keyOf(v: unknown, max: bigint, maxNumber: number, what: string, path: string): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= maxNumber) return v;
  if (typeof v === 'bigint' && v >= 0n && v <= max) return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  throw Errors.valueOutOfRange(`${what} (an integer 0..${max})`, v, path);
}

/** Both columns as numbers if every key is one, else as bigints. */
function columns(starts: NumberColumn | (number | bigint)[], ends: NumberColumn | (number | bigint)[]): [KeyColumn, KeyColumn] {
  if (isNumberColumn(starts) && isNumberColumn(ends)) return [new NumberKeys(starts), new NumberKeys(ends)];
  const numbers = (keys: NumberColumn | (number | bigint)[]) => isNumberColumn(keys) || keys.every((k) => typeof k === 'number');
  if (numbers(starts) && numbers(ends)) return [new NumberKeys(Float64Array.from(starts as number[])), new NumberKeys(Float64Array.from(ends as number[]))];
  return [new BigKeys(Array.from(starts, BigInt)), new BigKeys(Array.from(ends, BigInt))];
}

const isNumberColumn = (keys: unknown): keys is NumberColumn => keys instanceof Float64Array || keys instanceof Uint32Array;

/**
 * Ranges as columns (what {@link writeRangeColumns} takes): entry i is `starts[i]..ends[i]` → `values[i]`
 * (or → i when `values` is omitted). Keys in a Float64Array or a Uint32Array are read in place, with no
 * copy, object or box per entry; a plain array may mix numbers and bigints (keys past 2^53).
 */
export interface RangeColumns {
  /** First keys: numbers ≤ 2^53 (best as a Float64Array, or a Uint32Array), or bigints for larger u64/u128 keys. */
  starts: Float64Array | Uint32Array | readonly unknown[];
  /** Last keys, inclusive, as `starts`. */
  ends: Float64Array | Uint32Array | readonly unknown[];
  /** What each range maps to (u32s, typically row numbers); omitted, range i maps to i. */
  values?: ArrayLike<number>;
}

/**
 * Writes a range table over `entries` as section `name` (kind Ranges), read with `RangesView`: `find(x)`
 * is the value of the range holding x. Throws VALUE_OUT_OF_RANGE for a key outside the key width, an end
 * before its start or a value that is not a u32, and ARENA_BUILD_FAILED (or `options.overlap`'s error)
 * for two ranges that share a key, unless `overlaps: 'split'`.
 *
 * @example
 * ```ts
 * writeRanges(builder, 'asns', [{ start: 0x0a000000, end: 0x0affffff, value: 0 }]); // 10.0.0.0/8 → row 0
 * ```
 */
export function writeRanges(builder: ArenaBuilder, name: string, entries: readonly RangeEntry[], options: RangesOptions = {}): void {
  const path = options.path ?? name;
  if (!Array.isArray(entries)) throw Errors.valueOutOfRange('an array of ranges { start, end, value }', entries, path);
  const n = entries.length;
  const starts: unknown[] = new Array(n);
  const ends: unknown[] = new Array(n);
  const values: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i] as Partial<RangeEntry> | null | undefined;
    starts[i] = e?.start;
    ends[i] = e?.end;
    values[i] = e?.value;
  }
  writeRangeColumns(builder, name, { starts, ends, values: values as number[] }, options);
}

/** Whether `a` is an array or a typed array (not a DataView, not a string). */
const isList = (a: unknown): a is ArrayLike<unknown> => Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView));

/**
 * {@link writeRanges} over columns: no object per entry (what schema builds use). The same checks and
 * errors, entry by entry (start, end, end ≥ start, value), entries named by their index.
 */
export function writeRangeColumns(builder: ArenaBuilder, name: string, input: RangeColumns, options: RangesOptions = {}): void {
  const path = options.path ?? name;
  if (options.bits !== undefined && options.bits !== 32 && options.bits !== 64 && options.bits !== 128) throw Errors.valueOutOfRange('32, 64 or 128', options.bits, `${path}.bits`);
  const words = options.bits === undefined ? 1 : options.bits / 32;
  const max = (1n << BigInt(32 * words)) - 1n;
  const maxNumber = words === 1 ? 0xffff_ffff : Number.MAX_SAFE_INTEGER;
  if (options.overlaps !== undefined && options.overlaps !== 'error' && options.overlaps !== 'split') throw Errors.valueOutOfRange("'error' or 'split'", options.overlaps, `${path}.overlaps`);
  const split = options.overlaps === 'split';
  const rowEnds = options.rowEnds;
  if (rowEnds !== undefined && (split || !(rowEnds.stride > 0 && rowEnds.stride % 4 === 0 && rowEnds.endOffset % 4 === 0 && rowEnds.endOffset >= 0 && rowEnds.endOffset + 4 * words <= rowEnds.stride))) {
    throw Errors.valueOutOfRange(`a row shape holding a 4-aligned ${4 * words}-byte end (and no 'split')`, JSON.stringify(rowEnds), `${path}.rowEnds`);
  }
  const given = input?.values;
  for (const [field, list] of [['starts', input?.starts], ['ends', input?.ends], ...(given === undefined ? [] : [['values', given]])] as const) {
    if (!isList(list)) throw Errors.valueOutOfRange('an array or a typed array', list, `${path}.${field}`);
  }
  let n = input.starts.length;
  if (input.ends.length !== n || (given !== undefined && given.length !== n)) throw Errors.buildFailed(path, `${n} starts, ${input.ends.length} ends and ${given?.length ?? n} values: one of each per range`);
  let values: ArrayLike<number> = given ?? { length: n };
  /** Value of entry i: its given value, or i. */
  const entryValue = (i: number): number => (given === undefined ? i : (given[i] as number));
  // Keys stay numbers while they are: a Float64Array or Uint32Array is checked in place, never copied;
  // other lists are normalised (bigints up to 2^53 become numbers). Each entry is checked whole before the next.
  const inPlace = isNumberColumn(input.starts) && isNumberColumn(input.ends);
  const rawStarts: NumberColumn | (number | bigint)[] = inPlace ? (input.starts as NumberColumn) : new Array(n);
  const rawEnds: NumberColumn | (number | bigint)[] = inPlace ? (input.ends as NumberColumn) : new Array(n);
  for (let i = 0; i < n; i++) {
    const s0 = input.starts[i];
    const e0 = input.ends[i];
    let start: number | bigint;
    let end: number | bigint;
    if (inPlace && Number.isSafeInteger(s0) && (s0 as number) >= 0 && (s0 as number) <= maxNumber) start = s0 as number;
    else start = keyOf(s0, max, maxNumber, 'a range start', `${path}[${i}].start`);
    if (inPlace && Number.isSafeInteger(e0) && (e0 as number) >= 0 && (e0 as number) <= maxNumber) end = e0 as number;
    else end = keyOf(e0, max, maxNumber, 'a range end', `${path}[${i}].end`);
    if (end < start) throw Errors.valueOutOfRange(`an end ≥ its start (${start})`, e0, `${path}[${i}].end`);
    if (given !== undefined) {
      const v = given[i];
      if (typeof v !== 'number' || v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}].value`);
    }
    if (!inPlace) {
      (rawStarts as (number | bigint)[])[i] = start;
      (rawEnds as (number | bigint)[])[i] = end;
    }
  }
  let [starts, ends] = columns(rawStarts, rawEnds);
  if (split) {
    const pieces = splitOverlaps(Array.from({ length: n }, (_, i) => starts.big(i)), Array.from({ length: n }, (_, i) => ends.big(i)));
    n = pieces.length;
    [starts, ends] = columns(pieces.map((p) => keyOf(p.start, max, maxNumber, '', path)), pieces.map((p) => keyOf(p.end, max, maxNumber, '', path)));
    values = pieces.map((p) => entryValue(p.entry));
  }
  const order = sortedOrder(starts);
  // Sorted by start, ranges overlap exactly when one ends at or after the next one's start.
  const from = starts instanceof NumberKeys && ends instanceof NumberKeys ? NumberKeys.firstOverlap(ends.keys, starts.keys, order) : 1;
  for (let k = from < 0 ? n : from; k < n; k++) {
    const a = order[k - 1] as number;
    const b = order[k] as number;
    if (ends.after(a, starts, b)) {
      const [x, y] = [Math.min(a, b), Math.max(a, b)];
      if (options.overlap !== undefined) throw options.overlap(x, y);
      throw Errors.buildFailed(`${path}[${y}]`, `ranges ${x} [${starts.big(x)}, ${ends.big(x)}] and ${y} [${starts.big(y)}, ${ends.big(y)}] overlap; ranges must not share any value`);
    }
  }
  const dirBits = dirBitsFor(n);
  const base = n === 0 ? 0 : starts.coarse(order[0] as number, words);
  const span = n === 0 ? 0 : starts.coarse(order[n - 1] as number, words) - base;
  // The smallest shift that fits the span of starts into 2^dirBits buckets.
  let shift = 0;
  while (shift < 32 && Math.floor(span / 2 ** shift) >= 1 << dirBits) shift++;
  // The directory reads the sorted starts' coarse keys through `order`, with no array of its own; bigint
  // keys (past 2^53) are shifted once each, into one.
  const bigCoarse = starts instanceof BigKeys ? Float64Array.from(order, (i) => starts.coarse(i, words)) : undefined;
  const coarse = bigCoarse !== undefined ? (k: number) => bigCoarse[k] as number : (k: number) => starts.coarse(order[k] as number, words);
  const { dir, subAt, sub } = directories(coarse, n, base, dirBits, shift);
  // Values that are the ranks themselves (rows given sorted by start) need not be stored.
  let inOrder = !split;
  for (let k = 0; k < n && inOrder; k++) inOrder = entryValue(order[k] as number) === k;
  const flags = (split ? FLAG_SPLIT : 0) | (rowEnds !== undefined ? FLAG_ROW_ENDS : 0) | (inOrder ? FLAG_ROW_ORDER : 0);
  const l = rangesLayout(n, words, dirBits, sub.length, flags);
  // Written straight into the arena (room first, then the view: making room may move the arena): a
  // private copy first faulted in as many fresh pages again, then copied them.
  const w = builder.section(name, { kind: RANGES_KIND, align: RG_ALIGN });
  const at = w.base + w.reserve(l.end);
  const dv = builder.view;
  dv.setUint32(at, n, true);
  dv.setUint32(at + 4, words, true);
  dv.setUint32(at + 8, dirBits, true);
  dv.setUint32(at + 12, shift, true);
  dv.setUint32(at + 16, base, true);
  dv.setUint32(at + RG_FLAGS, flags, true);
  dv.setUint32(at + RG_SUB_WORDS, sub.length, true);
  if (rowEnds !== undefined) {
    dv.setUint32(at + RG_ROW_STRIDE, rowEnds.stride, true);
    dv.setUint32(at + RG_ROW_END, rowEnds.endOffset, true);
  }
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    starts.write(dv, at + l.starts + k * 4 * words, i, words);
    if (rowEnds === undefined) ends.write(dv, at + l.ends + k * 4 * words, i, words);
    if (!inOrder) dv.setUint32(at + l.values + k * 4, split ? (values[i] as number) : entryValue(i), true);
  }
  for (let h = 0; h < dir.length; h++) dv.setUint32(at + l.dir + 4 * h, dir[h] as number, true);
  if (sub.length > 0) {
    for (let h = 0; h < subAt.length; h++) dv.setUint32(at + l.subAt + 4 * h, subAt[h] as number, true);
    for (let k = 0; k < sub.length; k++) dv.setUint32(at + l.sub + 4 * k, sub[k] as number, true);
  }
  w.end();
}

/**
 * The directory over the sorted starts' coarse keys (dir[h] = first range whose bucket is ≥ h), and a
 * sub-directory for each bucket crowded past SUB_MIN ranges: 2^b sub-buckets of about four ranges each.
 */
function directories(coarse: (k: number) => number, n: number, base: number, dirBits: number, shift: number): { dir: Uint32Array; subAt: Uint32Array; sub: number[] } {
  const scale = 2 ** -shift;
  const last = (1 << dirBits) - 1;
  const dir = new Uint32Array((1 << dirBits) + 1);
  let k = 0;
  for (let h = 0; h <= 1 << dirBits; h++) {
    while (k < n && bucketOf(coarse(k), base, scale, last) < h) k++;
    dir[h] = k;
  }
  const subAt = new Uint32Array(1 << dirBits);
  const sub: number[] = [];
  for (let h = 0; h <= last; h++) {
    const count = (dir[h + 1] as number) - (dir[h] as number);
    if (count <= SUB_MIN) continue;
    const b = Math.min(MAX_SUB_BITS, shift, Math.ceil(Math.log2(count / 4)));
    if (b < 1) continue; // a bucket one key wide cannot be split further
    sub.push(b);
    subAt[h] = sub.length; // 1 + where the entries start
    let i = dir[h] as number;
    for (let j = 0; j <= 1 << b; j++) {
      while (i < (dir[h + 1] as number) && subBucketOf(coarse(i), base, h, scale, b) < j) i++;
      sub.push(i);
    }
  }
  return { dir, subAt, sub };
}
