/**
 * A range table's bytes, shared by its reader (ranges.ts) and its builder (build/ranges.ts).
 *
 * A frozen range table: sorted, non-overlapping integer ranges [start, end] (inclusive), each with a
 * u32 value (typically a row index). `find(x)` returns the value of the range containing x, or -1. Keys are
 * u32, u64 or u128 (stored as W little-endian u32 words, low word first, compared high word first).
 * u128 keys hold IPv6 addresses: `find128(words)` takes the four words `parseIPv6` writes, and IPv4
 * lives in the same table as IPv4-mapped addresses (::ffff:a.b.c.d, i.e. 0xffff_0000_0000 + the u32).
 *
 * ```
 *  off  size             field
 *   0   4                count n
 *   4   4                key words W (1 = u32 keys, 2 = u64 keys, 4 = u128 keys)
 *   8   4                directory bits D (0..22)
 *  12   4                shift s
 *  16   4                base: the first start's most significant word (the start itself for u32 keys)
 *  20   4                flags: bit 0 = split (built with overlaps: 'split': ranges are pieces of
 *                        rows, so a row may own several or none); bit 1 = ends in rows (no E: the
 *                        end of the range with value v is read from row v of the table, at
 *                        v · stride + end offset); bit 2 = in row order (no V: the value of rank i
 *                        is i, as when rows were given sorted by start)
 *  24   4                sub-directory words U (0: none)
 *  28   4                bit 1: the rows' stride in bytes (a multiple of 4)
 *  32   4                bit 1: the end field's offset in a row (a multiple of 4)
 *  36  28                reserved = 0
 *  64   (2^D + 1)·4 (→64) directory: dir[h] = first range whose bucket is ≥ h; dir[2^D] = n
 *       when U > 0:
 *   A   2^D·4            subAt[h]: 0, or 1 + where bucket h's sub-directory starts in the area below
 *   B   U·4    (→ 64)    sub-directories: for a crowded bucket, its bits b, then 2^b + 1 entries: the
 *                        first range whose sub-bucket is ≥ j, ending with dir[h + 1]
 *   S   n·4·W  (→ 64)    starts, ascending
 *   E   n·4·W  (→ 64)    ends (absent with bit 1)
 *   V   n·4              values (absent with bit 2)
 * ```
 *
 * A schema's range table keeps each row's end in the row only (bit 1), and, when the rows came sorted,
 * no values either (bit 2): the index is then the directory and the starts, ~6–7 bytes per range beside
 * the rows, and the lookup's last read is the row's own cache line, which the caller reads next anyway.
 *
 * The bucket of a key k is min(floor((k' − base) / 2^s), 2^D − 1), where k' is k (u32) or its most
 * significant word (u64, u128), and s is chosen so the span from the first to the last start fills the 2^D buckets. D ≈ log2(n)
 * − 1, so a bucket holds about two ranges and the directory costs about two bytes per range. (Arenas
 * built with log2(n) − 2, before format 2.3, read the same: D is in the header. On 412k Zipf-clustered
 * ranges the finer directory took 56 → 52 ns a lookup, with a quarter as many sub-directory words.)
 *
 * Clustered keys crowd a few buckets while most stay empty; a bucket holding more than SUB_MIN ranges
 * gets a sub-directory that splits it again into 2^b sub-buckets of about four ranges, so skewed tables
 * search windows as small as evenly spread ones, for a few bytes per crowded range.
 *
 * Lookup: read dir[h] and dir[h + 1] (one line of a directory of ~2n bytes), binary-search the few starts
 * of that bucket for the last one ≤ x (one or two lines), else take the last range of an earlier bucket,
 * then check its end. Measured over 412k ranges (benchmarks/ranges-vs-binary-search.bench.ts; the
 * README's table has the last run): ~0.27× binary search's time when evenly spread and in dense runs
 * that crowd the directory (sub-directories at work), ~0.46× when clustered with Zipf sizes, where the
 * cost is the cache misses of directory, starts and the row rather than the search window.
 */
import { SectionKind } from './kinds.js';

export const RANGES_KIND = SectionKind.Ranges;
export const RG_COUNT = 0;
export const RG_WORDS = 4;
export const RG_DIR_BITS = 8;
export const RG_SHIFT = 12;
export const RG_BASE = 16;
export const RG_FLAGS = 20;
export const RG_SUB_WORDS = 24;
export const RG_ROW_STRIDE = 28;
export const RG_ROW_END = 32;
export const FLAG_SPLIT = 1;
export const FLAG_ROW_ENDS = 2;
export const FLAG_ROW_ORDER = 4;
export const KNOWN_FLAGS = FLAG_SPLIT | FLAG_ROW_ENDS | FLAG_ROW_ORDER;
/** Buckets holding more ranges than this get a sub-directory. */
export const SUB_MIN = 16;
/** Sub-directories split a bucket into at most 2^16 sub-buckets. */
export const MAX_SUB_BITS = 16;
export const RG_HEADER = 64;
export const RG_ALIGN = 64;
export const MAX_DIR_BITS = 22;
const up64 = (x: number) => Math.ceil(x / RG_ALIGN) * RG_ALIGN;

/** Directory bits for n ranges: about two ranges per bucket. */
export const dirBitsFor = (n: number): number => (n < 8 ? 0 : Math.min(MAX_DIR_BITS, Math.floor(Math.log2(n)) - 1));


/** Byte offsets of the parts of a range table. */
export function rangesLayout(n: number, words: number, dirBits: number, subWords: number, flags = 0): { dir: number; subAt: number; sub: number; starts: number; ends: number; values: number; end: number } {
  const dir = RG_HEADER;
  const subAt = up64(dir + ((1 << dirBits) + 1) * 4);
  const sub = subAt + (subWords === 0 ? 0 : (1 << dirBits) * 4);
  const starts = subWords === 0 ? subAt : up64(sub + subWords * 4);
  const ends = up64(starts + n * 4 * words);
  const values = flags & FLAG_ROW_ENDS ? ends : up64(ends + n * 4 * words);
  return { dir, subAt, sub, starts, ends, values, end: values + (flags & FLAG_ROW_ORDER ? 0 : n * 4) };
}

/** The sub-bucket (0 .. 2^b − 1) of coarse key c inside bucket h; `scale` is 2^-shift. Builder and reader share it. */
export function subBucketOf(c: number, base: number, h: number, scale: number, b: number): number {
  const j = Math.floor((c - base - h / scale) * (1 << b) * scale);
  return j > (1 << b) - 1 ? (1 << b) - 1 : j;
}

/**
 * The bucket of coarse key c (a u32: the key, or a u64 key's high word), shared by builder and reader.
 * `scale` is 2^-shift (exact), `last` is 2^D − 1: both precomputed, since this sits on the lookup path.
 */
export function bucketOf(c: number, base: number, scale: number, last: number): number {
  const h = Math.floor((c - base) * scale);
  return h > last ? last : h;
}
