/**
 * The interned string pool: every distinct string stored once, referenced everywhere by a u32 id.
 *
 * ```
 *  off          size           field
 *  0            4              count (u32): number of strings
 *  4            4              blob length in bytes (u32, < 2^31)
 *  8            4·(count + 1)  offsets (u32): offsets[0] = 0; offsets[i + 1] = end of string i in the
 *                              blob (low 31 bits) | 0x8000_0000 if string i is stored as UTF-16
 *  8+4·(count+1) blob length   blob: Latin-1 strings as 1 byte per code unit, UTF-16 strings as
 *                              2 little-endian bytes per code unit, starting at an even offset
 * ```
 *
 * start(i) = offsets[i] & 0x7fff_ffff, rounded up to even when string i is UTF-16 (one pad byte).
 *
 * Why this encoding: a query is a JS string, i.e. UTF-16 code units. Storing code units (1 byte when
 * all are < 256, 2 otherwise) lets `equals` and `hashOf` compare and hash them with no decoding and no
 * encoding of the query, and every JS string round-trips exactly, lone surrogates included (UTF-8
 * could not store them). Most keys are Latin-1, so most strings cost one byte per character.
 *
 * Decoding uses `String.fromCharCode` (units.ts), never `TextDecoder`: browsers' TextDecoder
 * rejects views on a SharedArrayBuffer, so this one path works in Node and in browsers. Decoded
 * strings are cached per worker, in chunks of 4096 ids allocated on first use.
 */
import { Errors } from './errors.js';
import { hashLatin1, hashUtf16 } from './hash.js';
import type { SectionView } from './section.js';
import { decodeUnits, unitsEqual } from './units.js';

export const STRINGS_SECTION = '$strings';
export const S_COUNT = 0;
export const S_BLOB_LENGTH = 4;
export const S_OFFSETS = 8;
export const UTF16_FLAG = 0x8000_0000;
export const OFFSET_MASK = 0x7fff_ffff;
export const MAX_BLOB_BYTES = OFFSET_MASK;

const CACHE_SHIFT = 12;
const CACHE_CHUNK = 1 << CACHE_SHIFT;

function layoutOf(section: SectionView): { count: number; blobStart: number; blobLength: number } {
  if (section.byteLength < S_OFFSETS + 4) {
    throw Errors.corrupt(`sections.${section.name}`, 'string pool shorter than its header', `≥ ${S_OFFSETS + 4} bytes`, section.byteLength);
  }
  const count = section.view.getUint32(S_COUNT, true);
  const blobLength = section.view.getUint32(S_BLOB_LENGTH, true);
  const blobStart = S_OFFSETS + 4 * (count + 1);
  if (blobLength > MAX_BLOB_BYTES || blobStart + blobLength > section.byteLength) {
    throw Errors.corrupt(`sections.${section.name}`, `string pool of ${count} strings and ${blobLength} blob bytes does not fit its section`, `≤ ${section.byteLength} bytes`, blobStart + blobLength);
  }
  return { count, blobStart, blobLength };
}

/**
 * Reads an arena's interned strings (`arena.strings`): each distinct string stored once, named by a u32
 * id. Compare and hash without decoding (`equals`, `hashOf`); `decode` caches per pool. Every method
 * throws ARENA_STRING_ID for an id past `count`.
 */
export class StringPool {
  /** Number of distinct strings; ids are 0..count-1. */
  readonly count: number;
  private readonly offsets: Uint32Array;
  private readonly blob: Uint8Array;
  private readonly cache: (string | undefined)[][] = [];

  /**
   * O(1): checks that the counts fit the section (ARENA_CORRUPT if not); `verify` checks every offset.
   * `undefined` makes an empty pool, for an arena without strings.
   */
  constructor(section: SectionView | undefined) {
    if (section === undefined) {
      this.count = 0;
      this.offsets = new Uint32Array(1);
      this.blob = new Uint8Array(0);
      return;
    }
    const { count, blobStart, blobLength } = layoutOf(section);
    const buffer = section.bytes.buffer;
    const base = section.bytes.byteOffset;
    this.count = count;
    this.offsets = new Uint32Array(buffer, base + S_OFFSETS, count + 1);
    this.blob = new Uint8Array(buffer, base + blobStart, blobLength);
  }

  private check(id: number): void {
    if (!(id >>> 0 === id && id < this.count)) throw Errors.stringId(id, this.count);
  }

  /** Length of string `id` in UTF-16 code units (what `.length` of the decoded string returns). */
  length(id: number): number {
    this.check(id);
    const end = this.offsets[id + 1] as number;
    const start = (this.offsets[id] as number) & OFFSET_MASK;
    return end & UTF16_FLAG ? ((end & OFFSET_MASK) - ((start + 1) & ~1)) >>> 1 : (end & OFFSET_MASK) - start;
  }

  /** True if string `id` equals `s`, compared code unit by code unit against the stored bytes. */
  equals(id: number, s: string): boolean {
    this.check(id);
    const raw = this.offsets[id + 1] as number;
    const end = raw & OFFSET_MASK;
    const wide = (raw & UTF16_FLAG) !== 0;
    let start = (this.offsets[id] as number) & OFFSET_MASK;
    if (wide) start = (start + 1) & ~1; // wide strings start on an even byte
    return (wide ? (end - start) >>> 1 : end - start) === s.length && unitsEqual(this.blob, start, s, wide);
  }

  /** `hashChars(decode(id))`, computed from the stored bytes without decoding. */
  hashOf(id: number): number {
    this.check(id);
    const raw = this.offsets[id + 1] as number;
    const start = (this.offsets[id] as number) & OFFSET_MASK;
    const end = raw & OFFSET_MASK;
    return raw & UTF16_FLAG ? hashUtf16(this.blob, (start + 1) & ~1, end) : hashLatin1(this.blob, start, end);
  }

  /** The JS string for `id`, decoded on first use and cached for the life of this pool. */
  decode(id: number): string {
    this.check(id);
    const chunk = this.cache[id >>> CACHE_SHIFT];
    const hit = chunk?.[id & (CACHE_CHUNK - 1)];
    if (hit !== undefined) return hit;
    const s = this.decodeUncached(id);
    if (chunk === undefined) {
      const fresh: (string | undefined)[] = new Array(CACHE_CHUNK).fill(undefined);
      fresh[id & (CACHE_CHUNK - 1)] = s;
      this.cache[id >>> CACHE_SHIFT] = fresh;
    } else {
      chunk[id & (CACHE_CHUNK - 1)] = s;
    }
    return s;
  }

  /** Decodes `id` without touching the cache (for one-off reads and for measuring the cache). */
  decodeUncached(id: number): string {
    this.check(id);
    const raw = this.offsets[id + 1] as number;
    const end = raw & OFFSET_MASK;
    if (raw & UTF16_FLAG) {
      const start = (((this.offsets[id] as number) & OFFSET_MASK) + 1) & ~1;
      return decodeUnits(this.blob, start, (end - start) >>> 1, true);
    }
    const start = (this.offsets[id] as number) & OFFSET_MASK;
    return decodeUnits(this.blob, start, end - start, false);
  }

  /** Drops every cached decoded string (they are re-decoded on demand). */
  clearCache(): void {
    this.cache.length = 0;
  }
}

/** Full walk: every offset in the blob, ends non-decreasing, UTF-16 spans even and aligned. */
export function verifyStrings(section: SectionView): void {
  const { count, blobStart, blobLength } = layoutOf(section);
  const view = section.view;
  const where = `sections.${section.name}`;
  if (view.getUint32(S_OFFSETS, true) !== 0) throw Errors.corrupt(`${where}.offsets[0]`, 'first string offset', 0, view.getUint32(S_OFFSETS, true));
  let prevEnd = 0;
  for (let i = 0; i < count; i++) {
    const raw = view.getUint32(S_OFFSETS + 4 * (i + 1), true);
    const end = raw & OFFSET_MASK;
    const start = raw & UTF16_FLAG ? (prevEnd + 1) & ~1 : prevEnd;
    if (end < start || end > blobLength) {
      throw Errors.corrupt(`${where}[${i}]`, 'string end offset out of order or past the blob', `${start}..${blobLength}`, end);
    }
    if (raw & UTF16_FLAG && (end - start) % 2 !== 0) {
      throw Errors.corrupt(`${where}[${i}]`, 'UTF-16 string with an odd number of bytes', 'even', end - start);
    }
    prevEnd = end;
  }
  if (prevEnd !== blobLength) throw Errors.corrupt(where, 'blob length does not match the last string end', prevEnd, blobLength);
  if (blobStart + blobLength > section.byteLength) throw Errors.corrupt(where, 'blob past the section end', section.byteLength, blobStart + blobLength);
}

