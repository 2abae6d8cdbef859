/**
 * The arena format, version 2.3. One buffer: a fixed header, the sections, then the table of contents.
 * Version 2 added the `$layout` section (layout.ts): arenas built from a schema carry their layout.
 * Minor 1 added tries' label index (trie-labels.ts) and direct integer hash maps (phf.ts DIRECT_SCHEME):
 * a 2.0 reader opens such a file and refuses those sections by their flags and scheme numbers.
 * Minor 2 added integer hash maps hashed by multiplies (phf.ts MULTIPLY_SCHEME): a 2.1 reader refuses
 * them by their scheme number. It also marks label-index entries no key goes on from (trie-labels.ts
 * LEAF_KEY, a bit 2.1 left 0): a 2.1 table still answers, probing one edge further.
 * Minor 3 hashes label indexes lighter (trie flag bit 3, FLAG_LIGHT_HASH): a 2.2 reader refuses such a
 * trie by that flag; 2.2 tables, without it, still answer.
 *
 * ```
 *  byte 0                64                                          tocOffset            totalLength
 *  ┌────────────────────┬─────────────┬─────┬─────────────┬─────────┬──────────────────────┐
 *  │ header (64 B)      │ section 0   │ pad │ section 1   │  ...    │ TOC entries │ names  │
 *  └────────────────────┴─────────────┴─────┴─────────────┴─────────┴──────────────────────┘
 *
 *  header                                    TOC entry (32 B each, `sectionCount` of them)
 *  off size field                            off size field
 *   0   4   magic "SABR"                      0   8   offset (u64, absolute, multiple of 1 << alignLog2)
 *   4   2   format major (u16) = 2            8   8   length in bytes (u64, ≤ maxSectionBytes)
 *   6   2   format minor (u16) = 0           16   2   kind (u16, see kinds.ts)
 *   8   8   layout hash (u64, from schema)   18   1   alignLog2 (u8, 3..12)
 *  16   8   total length (u64, multiple 8)   19   1   reserved = 0
 *  24   8   TOC offset (u64, multiple 8)     20   4   name offset (u32, into the names area)
 *  32   4   section count (u32)              24   4   name length (u32, 1..128 ASCII bytes)
 *  36   4   TOC length (u32, entries+names)  28   4   reserved = 0
 *  40   8   checksum (u64, see hash.ts)
 *  48   4   flags (u32) = 0
 *  52  12   reserved = 0
 * ```
 *
 * Invariants (checked by `readHeader`, in O(sections), on every open):
 * - all integers little-endian; u64 fields hold values ≤ 2^53 (read as two u32 halves);
 * - every section lies in [HEADER_SIZE, tocOffset), sections do not overlap, and each is at most
 *   `maxSectionBytes` long — one typed array cannot exceed 4 GiB in Node, so readers view each
 *   section on its own and an arena as a whole may be larger than 4 GiB;
 * - names are unique, 1-128 printable ASCII characters;
 * - the arena holds nothing else: the TOC ends at totalLength, and the gap before each section (and
 *   before the TOC) is padding shorter than that section's alignment (8 for the TOC). A file's size is
 *   thus accounted for by its TOC, which `load()` checks before reading the body.
 *
 * The checksum covers every byte in [0, totalLength) except the checksum field itself. It is not
 * checked by `open` (that would be O(n)); `Arena.verify()` checks it, then walks every section.
 * The magic is written last by the builder, so an unfinished buffer never opens.
 */
import { Errors } from './errors.js';

export const MAGIC = 0x52424153; // "SABR" read as a little-endian u32
/** The format major version this reader reads and writes; an arena of another major is refused (ARENA_VERSION_UNSUPPORTED). */
export const FORMAT_MAJOR = 2;
/** The format minor version this writer stores (readers accept any minor of their major). */
export const FORMAT_MINOR = 3;

/** Bytes in the fixed arena header; the first section starts at or after it. */
export const HEADER_SIZE = 64;
export const H_MAGIC = 0;
export const H_MAJOR = 4;
export const H_MINOR = 6;
export const H_LAYOUT_HASH = 8;
export const H_TOTAL_LENGTH = 16;
export const H_TOC_OFFSET = 24;
export const H_SECTION_COUNT = 32;
export const H_TOC_LENGTH = 36;
export const H_CHECKSUM = 40;
export const H_FLAGS = 48;
export const H_RESERVED = 52;

export const TOC_ENTRY_SIZE = 32;
export const T_OFFSET = 0;
export const T_LENGTH = 8;
export const T_KIND = 16;
export const T_ALIGN_LOG2 = 18;
export const T_RESERVED8 = 19;
export const T_NAME_OFFSET = 20;
export const T_NAME_LENGTH = 24;
export const T_RESERVED32 = 28;

export const MIN_ALIGN_LOG2 = 3;
export const MAX_ALIGN_LOG2 = 12;
export const MAX_NAME_LENGTH = 128;
/** One typed array may span at most 4 GiB in Node 20; offsets inside a section are u32. */
export const MAX_SECTION_BYTES = 2 ** 32 - 8;
/** Enough for any real schema, small enough that a forged count cannot make open slow. */
export const MAX_SECTIONS = 65_536;

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface SectionEntry {
  readonly name: string;
  readonly kind: number;
  /** Absolute byte offset in the buffer. */
  readonly offset: number;
  readonly length: number;
  readonly align: number;
}

export interface Header {
  readonly major: number;
  readonly minor: number;
  readonly layoutHash: bigint;
  readonly totalLength: number;
  readonly tocOffset: number;
  readonly tocLength: number;
  readonly checksum: bigint;
  readonly sections: readonly SectionEntry[];
}

export function readU64(dv: DataView, at: number): number {
  const lo = dv.getUint32(at, true);
  const hi = dv.getUint32(at + 4, true);
  // Above 2^53 the value cannot be an offset or length; return it unsafe so bounds checks reject it.
  return hi * 2 ** 32 + lo;
}

export function writeU64(dv: DataView, at: number, value: number): void {
  dv.setUint32(at, value % 2 ** 32, true);
  dv.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

/** Low and high words of the last `splitU64`, read straight after the call. */
export const u64Words = new Uint32Array(2);

/**
 * Splits a u64 (a safe integer ≥ 0, or a bigint < 2^64) into `u64Words`; false if `x` is not one. An
 * integer number beyond 2^53 throws VALUE_OUT_OF_RANGE instead: it is no longer the integer the caller
 * wrote (2 ** 53 + 1 reads as 2 ** 53), so "not found" would be a silent wrong answer.
 */
export function splitU64(x: number | bigint): boolean {
  if (typeof x === 'number') {
    if (!(Number.isSafeInteger(x) && x >= 0)) {
      if (Number.isInteger(x) && x > Number.MAX_SAFE_INTEGER) throw Errors.valueOutOfRange('a u64 key as a safe integer (≤ 2^53 - 1) or a bigint: a larger number has lost its low bits', x);
      return false;
    }
    u64Words[0] = x >>> 0;
    u64Words[1] = Math.floor(x / 2 ** 32);
    return true;
  }
  if (typeof x !== 'bigint' || x < 0n || x >= 1n << 64n) return false;
  u64Words[0] = Number(x & 0xffff_ffffn);
  u64Words[1] = Number(x >> 32n);
  return true;
}

export function checkSectionName(name: string): void {
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) throw Errors.badSectionName(name, `is ${name.length} characters long`);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) throw Errors.badSectionName(name, `has a character outside printable ASCII at index ${i}`);
  }
}

export interface ReadHeaderOptions {
  maxSectionBytes: number;
}

/** Parses and bounds-checks the header and TOC. O(sections); never reads a section's bytes. */
export function readHeader(buffer: ArrayBufferLike, opts: ReadHeaderOptions): Header {
  const byteLength = buffer.byteLength;
  if (byteLength < HEADER_SIZE) throw Errors.tooSmall(HEADER_SIZE, byteLength);
  return readHeaderParts(new DataView(buffer, 0, HEADER_SIZE), byteLength, (offset, length) => new DataView(buffer, offset, length), opts);
}

/**
 * `readHeader` over the parts it reads: the 64 header bytes, the arena's size, and the TOC bytes,
 * fetched once through `tocAt` after the header's fields are checked. `load()` uses it to check a file's
 * header and TOC before reading (and allocating for) the rest.
 */
export function readHeaderParts(dv: DataView, byteLength: number, tocAt: (offset: number, length: number) => DataView, opts: ReadHeaderOptions): Header {
  const magic = dv.getUint32(H_MAGIC, true);
  if (magic !== MAGIC) throw Errors.badMagic(describeMagic(dv));
  const major = dv.getUint16(H_MAJOR, true);
  const minor = dv.getUint16(H_MINOR, true);
  if (major !== FORMAT_MAJOR) throw Errors.versionUnsupported(major, minor, FORMAT_MAJOR);

  const totalLength = readU64(dv, H_TOTAL_LENGTH);
  if (totalLength < HEADER_SIZE || totalLength % 8 !== 0 || !Number.isSafeInteger(totalLength)) {
    throw Errors.badHeader('total length', `a multiple of 8, at least ${HEADER_SIZE}`, totalLength);
  }
  if (totalLength > byteLength) throw Errors.truncated(totalLength, byteLength);
  if (dv.getUint32(H_FLAGS, true) !== 0) throw Errors.badHeader('flags', 0, dv.getUint32(H_FLAGS, true));
  for (let at = H_RESERVED; at < HEADER_SIZE; at += 4) {
    if (dv.getUint32(at, true) !== 0) throw Errors.badHeader(`reserved bytes ${at}..${at + 3}`, 0, dv.getUint32(at, true));
  }

  const tocOffset = readU64(dv, H_TOC_OFFSET);
  const tocLength = dv.getUint32(H_TOC_LENGTH, true);
  const count = dv.getUint32(H_SECTION_COUNT, true);
  if (tocOffset < HEADER_SIZE || tocOffset % 8 !== 0 || tocOffset + tocLength > totalLength) {
    throw Errors.badHeader('TOC offset', `a multiple of 8 in [${HEADER_SIZE}, ${totalLength - tocLength}]`, tocOffset);
  }
  if (count > MAX_SECTIONS || count * TOC_ENTRY_SIZE > tocLength) {
    throw Errors.badHeader('section count', `at most ${Math.min(MAX_SECTIONS, Math.floor(tocLength / TOC_ENTRY_SIZE))}`, count);
  }

  const toc = tocAt(tocOffset, tocLength);
  const namesStart = count * TOC_ENTRY_SIZE;
  const namesLength = tocLength - namesStart;
  const sections: SectionEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const e = i * TOC_ENTRY_SIZE;
    const nameOffset = toc.getUint32(e + T_NAME_OFFSET, true);
    const nameLength = toc.getUint32(e + T_NAME_LENGTH, true);
    if (nameLength < 1 || nameLength > MAX_NAME_LENGTH || nameOffset + nameLength > namesLength) {
      throw Errors.badToc(`entry ${i} name`, `1..${MAX_NAME_LENGTH} bytes inside the names area (${namesLength} B)`, `${nameLength} bytes at ${nameOffset}`);
    }
    let name = '';
    for (let j = 0; j < nameLength; j++) {
      const c = toc.getUint8(namesStart + nameOffset + j);
      if (c < 0x21 || c > 0x7e) throw Errors.badToc(`entry ${i} name byte ${j}`, 'printable ASCII', c);
      name += String.fromCharCode(c);
    }
    if (seen.has(name)) throw Errors.duplicateSection(name);
    seen.add(name);
    const alignLog2 = toc.getUint8(e + T_ALIGN_LOG2);
    if (alignLog2 < MIN_ALIGN_LOG2 || alignLog2 > MAX_ALIGN_LOG2) {
      throw Errors.badToc(`section "${name}" alignment`, `2^${MIN_ALIGN_LOG2}..2^${MAX_ALIGN_LOG2}`, `2^${alignLog2}`);
    }
    if (toc.getUint8(e + T_RESERVED8) !== 0 || toc.getUint32(e + T_RESERVED32, true) !== 0) {
      throw Errors.badToc(`section "${name}" reserved bytes`, 0, 'non-zero');
    }
    const align = 2 ** alignLog2;
    const offset = readU64(toc, e + T_OFFSET);
    const length = readU64(toc, e + T_LENGTH);
    if (offset % align !== 0) throw Errors.sectionMisaligned(name, align, offset);
    if (length > opts.maxSectionBytes) throw Errors.sectionTooLarge(name, length, opts.maxSectionBytes);
    if (offset < HEADER_SIZE || offset + length > tocOffset) throw Errors.sectionOutOfBounds(name, offset + length, tocOffset);
    sections.push({ name, kind: toc.getUint16(e + T_KIND, true), offset, length, align });
  }
  if (tocOffset + tocLength !== totalLength) {
    throw Errors.badHeader('TOC length', `${totalLength - tocOffset} (the TOC ends the arena)`, tocLength);
  }
  const byOffset = [...sections].sort((a, b) => a.offset - b.offset);
  let end = HEADER_SIZE; // where the previous section (or the header) ends
  for (const next of byOffset) {
    if (next.offset < end) throw Errors.sectionOverlap((byOffset[byOffset.indexOf(next) - 1] as SectionEntry).name, next.name);
    if (next.offset - end >= next.align) throw Errors.badToc(`bytes ${end}..${next.offset - 1}`, `padding shorter than section "${next.name}"'s alignment (${next.align})`, `${next.offset - end} bytes no section owns`);
    end = next.offset + next.length;
  }
  if (tocOffset - end >= 8) throw Errors.badToc(`bytes ${end}..${tocOffset - 1}`, 'padding shorter than 8 bytes before the TOC', `${tocOffset - end} bytes no section owns`);

  const layoutHash = dv.getBigUint64(H_LAYOUT_HASH, true);
  const checksum = dv.getBigUint64(H_CHECKSUM, true);
  return { major, minor, layoutHash, totalLength, tocOffset, tocLength, checksum, sections };
}

/** The first four bytes as printable text (non-printables as \\xNN), for error messages. */
export function describeMagic(dv: DataView): string {
  let out = '';
  for (let i = 0; i < 4; i++) {
    const c = dv.getUint8(i);
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}
