/**
 * A frozen range table: sorted, non-overlapping integer ranges [start, end] (inclusive), each with a u32
 * value (typically a row index). `find(x)` returns the value of the range containing x, or -1. Keys are
 * u32 or u64 (u64 stored as two u32 words, compared high word first).
 *
 * ```
 *  off  size           field
 *   0   4              count n
 *   4   4              key words W (1 = u32 keys, 2 = u64 keys)
 *   8   4              block B (starts per block: 16 for u32, 8 for u64 — one 64-byte line)
 *  12   4              top count t = ceil(n / B)
 *  16  48              reserved = 0
 *  64   t·4·W  (→ 64)  top: the first start of every block
 *   S   n·4·W  (→ 64)  starts, ascending
 *   E   n·4·W  (→ 64)  ends
 *   V   n·4            values
 *  (u64 keys are stored as [low word, high word] pairs)
 * ```
 *
 * Lookup: binary search in `top` (t entries: 26k for 412k ranges, ~100 KB, stays in cache) for the
 * block whose first start ≤ x, then a scan of that block's starts — one cache line — for the last
 * start ≤ x, then one check of its end. Plain binary search over the starts instead touches ~log2(n)
 * lines, most of them cache misses on a large table: see benchmarks/ranges-vs-binary-search.bench.ts.
 */
import { Errors } from './errors.js';
import { NOT_FOUND } from './hash-map.js';
import { registerKind } from './kinds.js';
import type { SectionView } from './section.js';

export const RANGES_KIND = 4;
export const RG_COUNT = 0;
export const RG_WORDS = 4;
export const RG_BLOCK = 8;
export const RG_TOP = 12;
export const RG_HEADER = 64;
export const RG_ALIGN = 64;
export const blockFor = (words: number): number => (words === 1 ? 16 : 8);
const up64 = (x: number) => Math.ceil(x / RG_ALIGN) * RG_ALIGN;

/** Byte offsets of the parts of a range table with n ranges of `words`-word keys. */
export function rangesLayout(n: number, words: number): { top: number; starts: number; ends: number; values: number; end: number; topCount: number } {
  const topCount = Math.ceil(n / blockFor(words));
  const top = RG_HEADER;
  const starts = up64(top + topCount * 4 * words);
  const ends = up64(starts + n * 4 * words);
  const values = up64(ends + n * 4 * words);
  return { top, starts, ends, values, end: values + n * 4, topCount };
}


export class RangesView {
  readonly size: number;
  /** 1 for u32 keys, 2 for u64 keys. */
  readonly words: number;
  private readonly block: number;
  private readonly topCount: number;
  private readonly top: Uint32Array;
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly values: Uint32Array;

  /** O(1): checks that the counts fit the section; `verify` checks the order. */
  constructor(readonly section: SectionView) {
    const where = `sections.${section.name}`;
    if (section.byteLength < RG_HEADER) throw Errors.corrupt(where, 'range table shorter than its header', `≥ ${RG_HEADER} bytes`, section.byteLength);
    const v = section.view;
    const n = v.getUint32(RG_COUNT, true);
    const words = v.getUint32(RG_WORDS, true);
    if (words !== 1 && words !== 2) throw Errors.corrupt(where, 'range table key width', '1 or 2 words', words);
    if (v.getUint32(RG_BLOCK, true) !== blockFor(words) || v.getUint32(RG_TOP, true) !== Math.ceil(n / blockFor(words))) {
      throw Errors.corrupt(where, 'range table block sizes', `${blockFor(words)} per block, ${Math.ceil(n / blockFor(words))} blocks`, `${v.getUint32(RG_BLOCK, true)}, ${v.getUint32(RG_TOP, true)}`);
    }
    const l = rangesLayout(n, words);
    if (l.end > section.byteLength) throw Errors.corrupt(where, 'range table larger than its section', `≤ ${section.byteLength} bytes`, l.end);
    this.size = n;
    this.words = words;
    this.block = blockFor(words);
    this.topCount = l.topCount;
    const buf = section.bytes.buffer;
    const base = section.bytes.byteOffset;
    this.top = new Uint32Array(buf, base + l.top, l.topCount * words);
    this.starts = new Uint32Array(buf, base + l.starts, n * words);
    this.ends = new Uint32Array(buf, base + l.ends, n * words);
    this.values = new Uint32Array(buf, base + l.values, n);
  }

  /** Rank (position in start order) of the range containing u32 `x`, or -1. */
  indexOf(x: number): number {
    if (this.words !== 1) return this.indexOf64(x);
    if (!(x >>> 0 === x) || this.size === 0) return NOT_FOUND;
    const top = this.top;
    if (x < (top[0] as number)) return NOT_FOUND;
    // Last block whose first start ≤ x.
    let lo = 0;
    let hi = this.topCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((top[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    // Last start ≤ x within the block (one cache line).
    const starts = this.starts;
    let i = lo * this.block;
    const stop = Math.min(this.size, i + this.block);
    while (i + 1 < stop && (starts[i + 1] as number) <= x) i++;
    return x <= (this.ends[i] as number) ? i : NOT_FOUND;
  }

  /** Rank of the range containing the u64 `x` (a bigint, or a safe integer), or -1. */
  indexOf64(x: number | bigint): number {
    let xl: number;
    let xh: number;
    if (typeof x === 'number') {
      if (!(Number.isSafeInteger(x) && x >= 0)) return NOT_FOUND;
      xl = x >>> 0;
      xh = Math.floor(x / 2 ** 32);
    } else {
      if (x < 0n || x >= 1n << 64n) return NOT_FOUND;
      xl = Number(x & 0xffff_ffffn);
      xh = Number(x >> 32n);
    }
    if (this.words === 1) return xh === 0 ? this.indexOf(xl) : NOT_FOUND;
    if (this.size === 0) return NOT_FOUND;
    // a ≤ x for u64 pairs stored [low, high] at word index 2k.
    const le = (arr: Uint32Array, k: number) => {
      const h = arr[2 * k + 1] as number;
      return h < xh || (h === xh && (arr[2 * k] as number) <= xl);
    };
    const top = this.top;
    if (!le(top, 0)) return NOT_FOUND;
    let lo = 0;
    let hi = this.topCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (le(top, mid)) lo = mid;
      else hi = mid - 1;
    }
    let i = lo * this.block;
    const stop = Math.min(this.size, i + this.block);
    while (i + 1 < stop && le(this.starts, i + 1)) i++;
    const eh = this.ends[2 * i + 1] as number;
    return xh < eh || (xh === eh && xl <= (this.ends[2 * i] as number)) ? i : NOT_FOUND;
  }

  /** The value of the range containing `x`, or -1. */
  find(x: number | bigint): number {
    const i = typeof x === 'number' && this.words === 1 ? this.indexOf(x) : this.indexOf64(x);
    return i === NOT_FOUND ? NOT_FOUND : (this.values[i] as number);
  }

  /** Range `i` in start order: [start, end] as bigints, and its value. */
  at(i: number): { start: bigint; end: bigint; value: number } {
    if (!(i >>> 0 === i && i < this.size)) throw Errors.valueOutOfRange(`an index 0..${this.size - 1}`, i, `${this.section.name}.at()`);
    const key = (arr: Uint32Array) => (this.words === 1 ? BigInt(arr[i] as number) : (BigInt(arr[2 * i + 1] as number) << 32n) | BigInt(arr[2 * i] as number));
    return { start: key(this.starts), end: key(this.ends), value: this.values[i] as number };
  }

  /** Full walk for untrusted bytes: starts ascending, each start ≤ its end < the next start, top index right. */
  verify(): void {
    const where = `sections.${this.section.name}`;
    const w = this.words;
    const big = (arr: Uint32Array, k: number) => (w === 1 ? BigInt(arr[k] as number) : (BigInt(arr[2 * k + 1] as number) << 32n) | BigInt(arr[2 * k] as number));
    let prevEnd = -1n;
    for (let i = 0; i < this.size; i++) {
      const s = big(this.starts, i);
      const e = big(this.ends, i);
      if (s <= prevEnd || e < s) throw Errors.corrupt(`${where}[${i}]`, 'ranges out of order, overlapping or inverted');
      if (i % this.block === 0 && big(this.top, i / this.block) !== s) throw Errors.corrupt(`${where}.top[${i / this.block}]`, 'block index does not match the block');
      prevEnd = e;
    }
  }
}

registerKind(RANGES_KIND, { name: 'range table', verify: (section) => new RangesView(section).verify() });
