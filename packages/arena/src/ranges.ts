/**
 * Reads a range table (its bytes are described in ranges-format.ts): `find(x)` is the value of the
 * range containing x, or -1, for u32, u64 and u128 keys. The container kind (RangeTable's rows, RANGES
 * for the rest of the arena) is in range-table.ts.
 */
import { Errors } from './errors.js';
import { splitU64, u64Words } from './format.js';
import { RangeProbe32 } from './ranges-u32-probe.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { RG_COUNT, RG_WORDS, RG_DIR_BITS, RG_SHIFT, RG_BASE, RG_FLAGS, RG_SUB_WORDS, RG_ROW_STRIDE, RG_ROW_END, FLAG_SPLIT, FLAG_ROW_ENDS, FLAG_ROW_ORDER, KNOWN_FLAGS, MAX_SUB_BITS, RG_HEADER, MAX_DIR_BITS, rangesLayout, subBucketOf, bucketOf } from './ranges-format.js';
// The format's names, for the builder and tests, from where they always were.
export { RANGES_KIND, RG_COUNT, RG_WORDS, RG_DIR_BITS, RG_SHIFT, RG_BASE, RG_FLAGS, RG_SUB_WORDS, RG_ROW_STRIDE, RG_ROW_END, FLAG_SPLIT, FLAG_ROW_ENDS, FLAG_ROW_ORDER, SUB_MIN, MAX_SUB_BITS, RG_HEADER, RG_ALIGN, MAX_DIR_BITS, dirBitsFor, rangesLayout, subBucketOf, bucketOf } from './ranges-format.js';

/** Scratch for u128 keys given as bigints or as a u64's words. */
const key128 = new Uint32Array(4);

/**
 * Reads a range table section: `find(x)` is the value (row) of the disjoint range [start, end] holding
 * key x, or -1, for u32, u64 and u128 keys. Lookups allocate nothing.
 */
export class RangesView {
  /** Ranges held (pieces, when split). */
  readonly size: number;
  /** Built with `overlaps: 'split'`: values may repeat, and some rows may own no piece. */
  readonly split: boolean;
  /** 1 for u32 keys, 2 for u64 keys, 4 for u128 keys. */
  readonly words: number;
  private readonly dirBits: number;
  private readonly scale: number;
  private readonly last: number;
  private readonly base: number;
  private readonly dir: Uint32Array;
  private readonly subAt: Uint32Array;
  private readonly sub: Uint32Array;
  /** The end of the window the last `window` call returned the start of. */
  private windowEnd = 0;
  private readonly starts: Uint32Array;
  /** The ends: the index's own array, or the rows' words (flag bit 1). See `endAt`. */
  private readonly ends: Uint32Array;
  private readonly endsInRows: boolean;
  /** Words from one end to the next (W, or the row stride / 4), and to the first end. */
  private readonly endStride: number;
  private readonly endBase: number;
  /** Values by rank; empty when the value of rank i is i (flag bit 2). */
  private readonly values: Uint32Array;
  private readonly inOrder: boolean;
  /**
   * u32 keys: the lookup's hot path (ranges-u32-probe.ts); otherwise undefined. RangeTable calls it
   * directly, a hop shorter than `find`.
   * @internal
   */
  readonly probe32: RangeProbe32 | undefined;

  /**
   * O(1): checks that the counts fit the section; `verify` checks order and directory. `rows` is the
   * table's rows section, required when the index keeps its ends there (a schema's range table):
   * without it, such an index throws ARENA_SECTION_KIND. Damaged counts throw ARENA_CORRUPT.
   * @param section - The range table's section (kind Ranges).
   */
  constructor(readonly section: SectionView, rows?: SectionView) {
    const where = `sections.${section.name}`;
    if (section.byteLength < RG_HEADER) throw Errors.corrupt(where, 'range table shorter than its header', `≥ ${RG_HEADER} bytes`, section.byteLength);
    const v = section.view;
    const n = v.getUint32(RG_COUNT, true);
    const words = v.getUint32(RG_WORDS, true);
    const dirBits = v.getUint32(RG_DIR_BITS, true);
    const shift = v.getUint32(RG_SHIFT, true);
    if (words !== 1 && words !== 2 && words !== 4) throw Errors.corrupt(where, 'range table key width', '1, 2 or 4 words', words);
    if (dirBits > MAX_DIR_BITS || shift > 32) throw Errors.corrupt(where, 'range table directory', `≤ ${MAX_DIR_BITS} bits, shift ≤ 32`, `${dirBits} bits, shift ${shift}`);
    const subWords = v.getUint32(RG_SUB_WORDS, true);
    const flags = v.getUint32(RG_FLAGS, true);
    if ((flags & ~KNOWN_FLAGS) !== 0 || ((flags & FLAG_SPLIT) !== 0 && flags !== FLAG_SPLIT)) {
      throw Errors.corrupt(where, 'range table flags with unknown or conflicting bits set', 'bits 0-2, bit 0 alone', flags >>> 0);
    }
    const l = rangesLayout(n, words, dirBits, subWords, flags);
    if (l.end > section.byteLength) throw Errors.corrupt(where, 'range table larger than its section', `≤ ${section.byteLength} bytes`, l.end);
    this.split = flags === FLAG_SPLIT;
    this.inOrder = (flags & FLAG_ROW_ORDER) !== 0;
    this.endsInRows = (flags & FLAG_ROW_ENDS) !== 0;
    this.size = n;
    this.words = words;
    this.dirBits = dirBits;
    this.scale = 2 ** -shift;
    this.last = (1 << dirBits) - 1;
    this.base = v.getUint32(RG_BASE, true);
    const buf = section.bytes.buffer;
    const at = section.bytes.byteOffset;
    this.dir = new Uint32Array(buf, at + l.dir, (1 << dirBits) + 1);
    this.subAt = new Uint32Array(buf, at + l.subAt, subWords === 0 ? 0 : 1 << dirBits);
    this.sub = new Uint32Array(buf, at + l.sub, subWords);
    this.starts = new Uint32Array(buf, at + l.starts, n * words);
    this.values = new Uint32Array(buf, at + l.values, this.inOrder ? 0 : n);
    if (!this.endsInRows) {
      this.ends = new Uint32Array(buf, at + l.ends, n * words);
      this.endStride = words;
      this.endBase = 0;
    } else {
      const stride = v.getUint32(RG_ROW_STRIDE, true);
      const endOffset = v.getUint32(RG_ROW_END, true);
      if (stride === 0 || stride % 4 !== 0 || endOffset % 4 !== 0 || endOffset + 4 * words > stride) {
        throw Errors.corrupt(where, 'range table row shape', 'a stride that is a multiple of 4 holding a 4-aligned end', `stride ${stride}, end at ${endOffset}`);
      }
      if (rows === undefined) {
        throw Errors.sectionKind(section.name, 'a range index opened with its rows section (its ends live in the rows: open it through its table, or pass the rows)', 'no rows');
      }
      this.ends = new Uint32Array(rows.bytes.buffer, rows.bytes.byteOffset, Math.floor(rows.byteLength / 4));
      this.endStride = stride / 4;
      this.endBase = endOffset / 4;
    }
    this.probe32 =
      words === 1
        ? new RangeProbe32(this.dir, this.subAt, this.sub, this.starts, this.ends, this.values, n, this.base, this.scale, this.last, Math.min(shift, 31), shift - Math.min(shift, 31), this.endBase, this.endStride, this.inOrder, this.endsInRows && !this.inOrder)
        : undefined;
  }

  /**
   * Index into `ends` of the low word of rank i's end. Ranks past the rows (forged bytes) read
   * undefined, which compares false: not found, never out of bounds.
   */
  private endAt(i: number): number {
    return this.endBase + (this.endsInRows && !this.inOrder ? (this.values[i] as number) : i) * this.endStride;
  }

  /** The value (row number) of rank i. */
  private valueAt(i: number): number {
    return this.inOrder ? i : (this.values[i] as number);
  }

  /**
   * The ranks whose starts share coarse key c's bucket, or its sub-bucket when the bucket is crowded:
   * returns the first; `windowEnd` is one past the last. Every earlier range starts below c's window.
   */
  private window(c: number): number {
    const h = bucketOf(c, this.base, this.scale, this.last);
    const s = this.subAt.length === 0 ? 0 : (this.subAt[h] as number);
    if (s === 0) {
      this.windowEnd = this.dir[h + 1] as number;
      return this.dir[h] as number;
    }
    const j = s + subBucketOf(c, this.base, h, this.scale, this.sub[s - 1] as number);
    this.windowEnd = this.sub[j + 1] as number;
    return this.sub[j] as number;
  }

  /** Rank (position in start order) of the range containing u32 `x`, or -1. */
  indexOf(x: number): number {
    const probe = this.probe32;
    return probe !== undefined ? probe.indexOf(x) : this.indexOf64(x);
  }

  /** Rank of the range containing the u64 `x` (a bigint, or a safe integer), or -1. */
  indexOf64(x: number | bigint): number {
    if (this.words === 4) return this.indexOfBig128(x);
    if (!splitU64(x)) return NOT_FOUND;
    return this.indexOfWords(u64Words[1] as number, u64Words[0] as number);
  }

  /** A u128 key as a bigint or a safe integer, through `indexOf128` (this makes a few bigints). */
  private indexOfBig128(x: number | bigint): number {
    if (typeof x === 'number') {
      if (!(Number.isSafeInteger(x) && x >= 0)) {
        splitU64(x); // throws VALUE_OUT_OF_RANGE for an integer past 2^53, as u64 lookups do
        return NOT_FOUND;
      }
    } else if (!(typeof x === 'bigint' && x >= 0n && x < 1n << 128n)) {
      return NOT_FOUND;
    }
    const k = BigInt(x);
    for (let w = 0; w < 4; w++) key128[w] = Number((k >> BigInt(96 - 32 * w)) & 0xffff_ffffn);
    return this.indexOf128(key128);
  }

  /**
   * Rank of the range containing the u128 key in `key[0..3]`, most significant word first — the order
   * `parseIPv6` writes an address in — or -1. No BigInt, no allocation. In a u32 or u64 table, a key
   * whose upper words are 0 is looked up by its low words.
   */
  indexOf128(key: Uint32Array): number {
    const x3 = key[0] as number;
    if (this.words !== 4) {
      if (x3 !== 0 || key[1] !== 0) return NOT_FOUND;
      return this.words === 1 ? (key[2] === 0 ? this.indexOf(key[3] as number) : NOT_FOUND) : this.indexOfWords(key[2] as number, key[3] as number);
    }
    if (this.size === 0 || x3 < this.base) return NOT_FOUND;
    const lo = this.window(x3);
    const hi = this.windowEnd;
    let i: number;
    if (lo < hi && this.startAtMost(lo, key)) {
      let b = lo;
      let len = hi - lo;
      while (len > 1) {
        const half = len >>> 1;
        b = this.startAtMost(b + half, key) ? b + half : b;
        len -= half;
      }
      i = b;
    } else {
      if (lo === 0) return NOT_FOUND;
      i = lo - 1;
    }
    // Inside if the end is ≥ the key: compare from the most significant word.
    const e = this.endAt(i);
    for (let w = 3; w >= 0; w--) {
      const ew = this.ends[e + w];
      const xw = key[3 - w] as number;
      if (ew === undefined) return NOT_FOUND; // a forged row number past the rows
      if (ew !== xw) return ew > xw ? i : NOT_FOUND;
    }
    return i;
  }

  /** Whether the start of rank k (u128) is ≤ the key (most significant word first). */
  private startAtMost(k: number, key: Uint32Array): boolean {
    const starts = this.starts;
    for (let w = 3; w >= 0; w--) {
      const s = starts[4 * k + w] as number;
      const x = key[3 - w] as number;
      if (s !== x) return s < x;
    }
    return true;
  }

  /** The value of the range containing the u128 key in `key[0..3]` (most significant first), or -1. */
  find128(key: Uint32Array): number {
    const i = this.indexOf128(key);
    return i === NOT_FOUND ? NOT_FOUND : this.valueAt(i);
  }

  /**
   * Rank of the range containing the u64 whose high and low words are given, or -1: a u64 lookup with no
   * BigInt (e.g. the first two words `parseIPv6` wrote: an IPv6 /64 prefix).
   */
  indexOfWords(high: number, low: number): number {
    const xl = low >>> 0;
    const xh = high >>> 0;
    if (xl !== low || xh !== high) return NOT_FOUND;
    if (this.words === 1) return xh === 0 ? this.indexOf(xl) : NOT_FOUND;
    if (this.words === 4) {
      key128[0] = 0;
      key128[1] = 0;
      key128[2] = xh;
      key128[3] = xl;
      return this.indexOf128(key128);
    }
    if (this.size === 0 || xh < this.base) return NOT_FOUND;
    const starts = this.starts;
    const le = (k: number) => {
      const h = starts[2 * k + 1] as number;
      return h < xh || (h === xh && (starts[2 * k] as number) <= xl);
    };
    const lo = this.window(xh);
    const hi = this.windowEnd;
    let i: number;
    if (lo < hi && le(lo)) {
      let b = lo;
      let len = hi - lo;
      while (len > 1) {
        const half = len >>> 1;
        b = le(b + half) ? b + half : b;
        len -= half;
      }
      i = b;
    } else {
      if (lo === 0) return NOT_FOUND;
      i = lo - 1;
    }
    const e = this.endAt(i);
    const eh = this.ends[e + 1] as number;
    return xh < eh || (xh === eh && xl <= (this.ends[e] as number)) ? i : NOT_FOUND;
  }

  /** The value of the range containing `x`, or -1. */
  find(x: number | bigint): number {
    const probe = this.probe32;
    return probe !== undefined && typeof x === 'number' ? probe.find(x) : this.findWide(x);
  }

  /** `find` past the u32 probe (u64 and u128 keys, bigints), apart so that `find` itself stays a few bytecodes. */
  private findWide(x: number | bigint): number {
    const i = this.indexOf64(x);
    return i === NOT_FOUND ? NOT_FOUND : this.valueAt(i);
  }

  /** The value of the range containing the u64 with these high and low words, or -1 (no BigInt made). */
  findWords(high: number, low: number): number {
    const i = this.indexOfWords(high, low);
    return i === NOT_FOUND ? NOT_FOUND : this.valueAt(i);
  }

  /** Range `i` in start order (its first and last key, as bigints, and its value); VALUE_OUT_OF_RANGE past `size`. */
  at(i: number): {
    /** The range's first key. */
    start: bigint;
    /** Its last key (inclusive). */
    end: bigint;
    /** Its value: the row it maps to. */
    value: number;
  } {
    if (!(i >>> 0 === i && i < this.size)) throw Errors.valueOutOfRange(`an index 0..${this.size - 1}`, i, `${this.section.name}.at()`);
    return { start: this.key(this.starts, i * this.words), end: this.key(this.ends, this.endAt(i)), value: this.valueAt(i) };
  }

  /** The key whose low word is arr[at]; forged bytes past the array read as 0. */
  private key(arr: Uint32Array, at: number): bigint {
    let k = 0n;
    for (let w = this.words - 1; w >= 0; w--) k = (k << 32n) | BigInt(arr[at + w] ?? 0);
    return k;
  }

  /** Full walk for untrusted bytes: ranges ascending and disjoint, every directory entry right. */
  verify(): void {
    const where = `sections.${this.section.name}`;
    const coarse = (k: number) => this.starts[this.words * k + this.words - 1] as number;
    if (this.endsInRows) {
      const rows = Math.floor(this.ends.length / this.endStride);
      for (let i = 0; i < this.size; i++) {
        if (!(this.valueAt(i) < rows)) throw Errors.corrupt(`${where}[${i}]`, 'range names a row its table does not have', `< ${rows}`, this.valueAt(i));
      }
    }
    let prevEnd = -1n;
    for (let i = 0; i < this.size; i++) {
      const s = this.key(this.starts, i * this.words);
      const e = this.key(this.ends, this.endAt(i));
      if (s <= prevEnd || e < s) throw Errors.corrupt(`${where}[${i}]`, 'ranges out of order, overlapping or inverted');
      prevEnd = e;
    }
    if (this.size > 0 && coarse(0) !== this.base) throw Errors.corrupt(`${where}.base`, 'directory base is not the first start', coarse(0), this.base);
    const buckets = 1 << this.dirBits;
    let i = 0;
    for (let h = 0; h <= buckets; h++) {
      while (i < this.size && bucketOf(coarse(i), this.base, this.scale, this.last) < h) i++;
      if (this.dir[h] !== i) throw Errors.corrupt(`${where}.dir[${h}]`, 'range directory entry', i, this.dir[h] as number);
    }
    // Sub-directories: in the area, of sane width, and each entry the first range of its sub-bucket.
    for (let h = 0; h < this.subAt.length; h++) {
      const s = this.subAt[h] as number;
      if (s === 0) continue;
      const at = `${where}.subAt[${h}]`;
      const b = this.sub[s - 1];
      if (b === undefined || b > MAX_SUB_BITS || 2 ** b > 1 / this.scale || s + (1 << b) >= this.sub.length) throw Errors.corrupt(at, 'sub-directory outside its area or too wide');
      let k = this.dir[h] as number;
      for (let j = 0; j <= 1 << b; j++) {
        while (k < (this.dir[h + 1] as number) && subBucketOf(coarse(k), this.base, h, this.scale, b) < j) k++;
        if (this.sub[s + j] !== k) throw Errors.corrupt(`${at}[${j}]`, 'range sub-directory entry', k, this.sub[s + j] as number);
      }
    }
  }
}
