/**
 * The lookup of a range table with u32 keys (ranges-format.ts), on an object of its own: `RangesView`
 * hands u32 queries here. V8 reads fields passed as constructor parameters faster than fields declared
 * on a class and assigned in its body (measured on the 1M-key integer hash map: 16 vs 21 ns a hit;
 * on 412k Zipf-clustered ranges: ~46 vs ~49 ns a lookup), and the window is kept in locals instead of
 * a field written per lookup.
 */
import { NOT_FOUND } from './section.js';

export class RangeProbe32 {
  /**
   * @param dir - Directory: first rank whose bucket is ≥ h.
   * @param subAt - Per bucket, 0 or 1 + where its sub-directory starts in `sub` (empty when none).
   * @param ends - The index's ends, or the rows' words (`endBase`, `endStride` in words).
   * @param values - Values by rank; empty when rank i's value is i (`inOrder`).
   * @param scale - 2^-shift; `last` is 2^D − 1.
   * @param shift1 - The bucket shift s (0..32) as two shifts, since JavaScript shifts by the count mod
   *   32: min(s, 31) here and the rest (0 or 1) in `shift2`. A bucket is then integer arithmetic, not a floor.
   * @param shift2 - s − shift1.
   * @param endsByValue - Ends live in rows and rows are not in rank order: rank i's end is in row values[i].
   */
  constructor(
    private readonly dir: Uint32Array,
    private readonly subAt: Uint32Array,
    private readonly sub: Uint32Array,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly values: Uint32Array,
    private readonly size: number,
    private readonly base: number,
    private readonly scale: number,
    private readonly last: number,
    private readonly shift1: number,
    private readonly shift2: number,
    private readonly endBase: number,
    private readonly endStride: number,
    private readonly inOrder: boolean,
    private readonly endsByValue: boolean,
  ) {}

  /** Rank of the range containing u32 `x`, or -1 (the same answer as RangesView's window search). */
  indexOf(x: number): number {
    if (!(x >>> 0 === x) || this.size === 0 || x < this.base) return NOT_FOUND;
    const scale = this.scale;
    const off = x - this.base;
    let h = (off >>> this.shift1) >>> this.shift2; // floor(off · scale), as bucketOf computes it
    if (h > this.last) h = this.last;
    let lo: number;
    let hi: number;
    const s = this.subAt.length === 0 ? 0 : (this.subAt[h] as number);
    if (s === 0) {
      lo = this.dir[h] as number;
      hi = this.dir[h + 1] as number;
    } else {
      // subBucketOf (ranges-format.ts), written out
      const b = this.sub[s - 1] as number;
      let j = Math.floor((off - h / scale) * (1 << b) * scale);
      if (j > (1 << b) - 1) j = (1 << b) - 1;
      lo = this.sub[s + j] as number;
      hi = this.sub[s + j + 1] as number;
    }
    const starts = this.starts;
    let i: number;
    if (lo < hi && (starts[lo] as number) <= x) {
      let b = lo;
      let len = hi - lo;
      while (len > 1) {
        const half = len >>> 1;
        b = (starts[b + half] as number) <= x ? b + half : b;
        len -= half;
      }
      i = b;
    } else {
      if (lo === 0) return NOT_FOUND;
      i = lo - 1; // every earlier bucket's starts are below x
    }
    // Ranks past the rows (forged bytes) read undefined, which compares false: not found.
    const row = this.endsByValue ? (this.values[i] as number) : i;
    return x <= (this.ends[this.endBase + row * this.endStride] as number) ? i : NOT_FOUND;
  }

  /** The value (row) of the range containing u32 `x`, or -1. */
  find(x: number): number {
    const i = this.indexOf(x);
    return i === NOT_FOUND || this.inOrder ? i : (this.values[i] as number);
  }
}
