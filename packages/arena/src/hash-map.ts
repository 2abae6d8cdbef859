/**
 * A frozen hash map: a minimal-ish perfect hash (PTHash-style pilots) over string or integer keys,
 * mapping each key to a u32 value (typically a row index). Built once from all entries
 * (build/hash-map.ts); a lookup is one pilot read, one slot read and, for short keys, nothing else.
 *
 * ```
 *  off   size        field
 *   0    4           count n (keys)
 *   4    4           buckets m  (≈ n / 3)
 *   8    4           slots T    (≈ n / 0.97)
 *  12    4           seed (the one that made every bucket place its keys)
 *  16    4           key kind: 1 = string, 2 = u64 (two u32 halves), 3 = u32
 *  20    4           blob length (bytes of spilled string keys)
 *  24    4           hash scheme: 2 = phf.ts HASH_SCHEME; 3 = KEYED_SCHEME (string keys hashed with a
 *                    random key, see keyed-hash.ts); 4 = DIRECT_SCHEME (dense u32 keys: slot =
 *                    (key - seed) / 2^shift, one bucket whose pilot is unused); 5 = MULTIPLY_SCHEME
 *                    (integer keys: scheme 2's pilots and slots, hashed by multiplies drawn from
 *                    the seed); another scheme is refused, not misread
 *  28    4           scheme 3: the hash key's first word (the second is the seed); scheme 4: shift
 *                    (0-31); otherwise 0
 *  32    2·m (→ 64)  pilots: u16 per bucket, padded so the slots start on a 64-byte boundary
 *  P     T·SLOT      slots (SLOT = 32 for strings, 16 for u64, 8 for u32 keys); the section is
 *                    64-aligned, so no slot straddles two cache lines
 *  B     blob        long or wide string keys
 *
 *  string slot (32 B)                               u64 slot (16 B)          u32 slot (8 B)
 *   0  u32 fingerprint (0 = empty)                   0  u32 key low word      0  u32 key
 *   4  u32 value                                     4  u32 key high word     4  u32 value
 *   8  u32 meta: length in code units (bits 0-29)    8  u32 value                (0xffffffff = empty)
 *            | UTF-16 (bit 30) | spilled (bit 31)   12  u32 1 = used, 0 = empty
 *  12  20 B  key bytes inline (Latin-1 ≤ 20 chars,
 *            UTF-16 ≤ 10 units), or u32 blob offset when spilled
 * ```
 *
 * Lookup: the key's 64 bits (hashChars lanes for a string, or keyed-hash lanes in a scheme 3 map) are
 * scrambled with the seed (phf.ts); bucket = reduce(lane 0, m); slot = slotIndex(lane 1,
 * pilotMix(pilot, seed), T). An integer key (scheme 5) takes the same steps with `multiplyLanes`,
 * `multiplyMix` and `multiplySlot`: four multiplies instead of ten. Then the key is compared (for strings: fingerprint, length, then bytes). A miss is usually settled by one
 * slot read. Integer maps whose keys all fit 32 bits use 8-byte slots: a third of a `Map`'s memory.
 * Departures from PTHash: buckets are uniform (no skew), pilots are plain u16 (no Elias-Fano), and
 * slots carry the key, so a hit needs no second lookup.
 */
import { Errors } from './errors.js';
import { splitU64, u64Words } from './format.js';
import { hashChars, hashCharsInto, hashOut } from './hash.js';
import { SectionKind } from './kinds.js';
import { keyedHash, keyedHashInto } from './keyed-hash.js';
import { DIRECT_SCHEME, HASH_SCHEME, KEYED_SCHEME, MULTIPLY_SCHEME, fingerprint, fingerprintIs, multipliersOf, slotOfInt, slotOfKey } from './phf.js';
import { U32_EMPTY, U32Probe } from './hash-map-u32-probe.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { decodeUnits, unitsEqual } from './units.js';

/** Scratch words for `slotOf`. */
const keyWords = new Uint32Array(2);

export const HM_COUNT = 0;
export const HM_BUCKETS = 4;
export const HM_SLOTS = 8;
export const HM_SEED = 12;
export const HM_KEY_KIND = 16;
export const HM_BLOB = 20;
export const HM_SCHEME = 24;
export const HM_HASH_KEY = 28;
export const HM_HEADER = 32;
export const KEY_STRING = 1;
export const KEY_U64 = 2;
export const KEY_U32 = 3;
/** Slot size per key kind. */
export const SLOT_BYTES: Readonly<Record<number, number>> = { [KEY_STRING]: 32, [KEY_U64]: 16, [KEY_U32]: 8 };
export const STR_SLOT = 32;
export const U64_SLOT = 16;
export const U32_SLOT = 8;
export { U32_EMPTY };
export const INLINE_BYTES = 20;
export const META_LENGTH = 0x3fff_ffff;
export const META_UTF16 = 0x4000_0000;
export const META_SPILLED = 0x8000_0000;
/** Section kind number of hash maps. */
export const HASH_MAP_KIND = SectionKind.HashMap;

/** Cache-line alignment of the section and of its slots. */
export const HM_ALIGN = 64;
/** Where the slots start: after the pilots, on a cache line. */
export const slotsOffset = (buckets: number): number => Math.ceil((HM_HEADER + 2 * buckets) / HM_ALIGN) * HM_ALIGN;

interface Shape {
  count: number;
  buckets: number;
  slots: number;
  seed: number;
  /** Scheme 3: the string hash's key (header word 28, seed); otherwise undefined (`hashChars`). */
  hashKey: Uint32Array | undefined;
  /** Scheme 4 (direct): the shift (header word 28); otherwise -1. */
  shift: number;
  /** Scheme 5: the seed's multipliers (phf.ts `multipliersOf`); otherwise undefined. */
  multipliers: Int32Array | undefined;
  keyKind: number;
  blobLength: number;
  pilotsAt: number;
  slotsAt: number;
  blobAt: number;
}

function shapeOf(section: SectionView): Shape {
  const where = `sections.${section.name}`;
  if (section.byteLength < HM_HEADER) throw Errors.corrupt(where, 'hash map shorter than its header', `≥ ${HM_HEADER} bytes`, section.byteLength);
  const v = section.view;
  const count = v.getUint32(HM_COUNT, true);
  const buckets = v.getUint32(HM_BUCKETS, true);
  const slots = v.getUint32(HM_SLOTS, true);
  const keyKind = v.getUint32(HM_KEY_KIND, true);
  const blobLength = v.getUint32(HM_BLOB, true);
  const scheme = v.getUint32(HM_SCHEME, true);
  if (scheme !== HASH_SCHEME && scheme !== KEYED_SCHEME && scheme !== DIRECT_SCHEME && scheme !== MULTIPLY_SCHEME) {
    throw Errors.corrupt(where, `hash map built with hash scheme ${scheme}, but this sabre computes schemes ${HASH_SCHEME} to ${MULTIPLY_SCHEME} (a lower number means an older sabre built it; anything else, damaged bytes): rebuild the arena with this version`);
  }
  const slotBytes = SLOT_BYTES[keyKind];
  if (slotBytes === undefined) throw Errors.corrupt(where, 'unknown hash map key kind', '1, 2 or 3', keyKind);
  if (scheme === KEYED_SCHEME && keyKind !== KEY_STRING) throw Errors.corrupt(where, 'integer hash map with a keyed string hash', `scheme ${MULTIPLY_SCHEME}`, scheme);
  if (scheme === MULTIPLY_SCHEME && keyKind === KEY_STRING) throw Errors.corrupt(where, 'string hash map with the integer hash', `scheme ${HASH_SCHEME} or ${KEYED_SCHEME}`, scheme);
  const shift = scheme === DIRECT_SCHEME ? v.getUint32(HM_HASH_KEY, true) : -1;
  if (scheme === DIRECT_SCHEME && (keyKind !== KEY_U32 || shift > 31)) throw Errors.corrupt(where, 'direct hash map', 'u32 keys (kind 3) and a shift of 0-31', `kind ${keyKind}, shift ${shift}`);
  if (buckets === 0 || slots < count) {
    throw Errors.corrupt(where, 'hash map with impossible sizes', 'buckets ≥ 1 and slots ≥ keys', `${buckets} buckets, ${slots} slots, ${count} keys`);
  }
  if (keyKind !== KEY_STRING && blobLength !== 0) throw Errors.corrupt(where, 'integer hash map with a key blob', 0, blobLength);
  const pilotsAt = HM_HEADER;
  const slotsAt = slotsOffset(buckets);
  const blobAt = slotsAt + slots * slotBytes;
  if (blobAt + blobLength > section.byteLength) {
    throw Errors.corrupt(where, 'hash map larger than its section', `≤ ${section.byteLength} bytes`, blobAt + blobLength);
  }
  const seed = v.getUint32(HM_SEED, true);
  const hashKey = scheme === KEYED_SCHEME ? Uint32Array.of(v.getUint32(HM_HASH_KEY, true), seed) : undefined;
  const multipliers = scheme === MULTIPLY_SCHEME ? multipliersOf(seed) : undefined;
  return { count, buckets, slots, seed, hashKey, shift, multipliers, keyKind, blobLength, pilotsAt, slotsAt, blobAt };
}

/** Reads a hash map section. `get` and `has` allocate nothing. */
export class HashMapView {
  /** Number of keys. */
  readonly size: number;
  /** How keys are stored: 1 = strings, 2 = u64, 3 = u32 (integer maps take `getInt`, string maps `get`). */
  readonly keyKind: number;
  private readonly buckets: number;
  private readonly slots: number;
  private readonly seed: number;
  private readonly hashKey: Uint32Array | undefined;
  /** Scheme 4: keys index their slot directly, (key - seed) / step with step = 2^shift; otherwise step is 0. */
  private readonly step: number;
  private readonly shift: number;
  /** Scheme 5: the multipliers integer keys are hashed with; otherwise undefined. */
  private readonly multipliers: Int32Array | undefined;
  /** Scheme 5 with u32 keys: the lookup's hot path (see U32Probe); otherwise undefined. */
  private readonly u32Probe: U32Probe | undefined;
  private readonly pilots: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly blob: Uint8Array;

  /**
   * O(1): checks that the sizes fit the section (ARENA_CORRUPT if not); `verify` checks every slot.
   * @param section - The hash map's section (kind HashMap), from `arena.section(name)`.
   */
  constructor(readonly section: SectionView) {
    const shape = shapeOf(section);
    this.size = shape.count;
    this.keyKind = shape.keyKind;
    this.buckets = shape.buckets;
    this.slots = shape.slots;
    this.seed = shape.seed;
    this.hashKey = shape.hashKey;
    this.step = shape.shift >= 0 ? 2 ** shape.shift : 0;
    this.shift = Math.max(0, shape.shift);
    this.multipliers = shape.multipliers;
    const buf = section.bytes.buffer;
    const base = section.bytes.byteOffset;
    this.pilots = new Uint16Array(buf, base + shape.pilotsAt, shape.buckets);
    const slotBytes = shape.blobAt - shape.slotsAt;
    this.u32 = new Uint32Array(buf, base + shape.slotsAt, slotBytes / 4);
    this.bytes = new Uint8Array(buf, base + shape.slotsAt, slotBytes);
    this.blob = new Uint8Array(buf, base + shape.blobAt, shape.blobLength);
    this.u32Probe = shape.multipliers !== undefined && shape.keyKind === KEY_U32 && shape.slots > 0 ? U32Probe.of(this.pilots, this.u32, shape.seed, shape.multipliers, shape.buckets, shape.slots) : undefined;
  }

  /** Slot of a key whose 64 bits are (lo, hi), or -1 (a direct map's key off its grid); allocates nothing. */
  private slotOf(lo: number, hi: number): number {
    if (this.step !== 0) {
      const d = lo - this.seed; // in (-2^32, 2^32): >>> is exact for d ≥ 0
      const slot = d >>> this.shift;
      return hi === 0 && d >= 0 && slot * this.step === d && slot < this.slots ? slot : -1;
    }
    if (this.multipliers !== undefined) return slotOfInt(lo, hi, this.seed, this.multipliers, this.pilots, this.buckets, this.slots);
    keyWords[0] = lo;
    keyWords[1] = hi;
    return this.slotOfWords(keyWords);
  }

  /** Slot of the key whose 64 bits are words[0] (low) and words[1] (high); allocates nothing (phf.ts). */
  private slotOfWords(words: Uint32Array): number {
    return slotOfKey(words, this.seed, this.pilots, this.buckets, this.slots);
  }

  /** The value stored for string `key`, or -1. Throws ARENA_SECTION_KIND on a map with integer keys. */
  get(key: string): number {
    if (this.keyKind !== KEY_STRING) throw Errors.sectionKind(this.section.name, 'a hash map with string keys', 'a hash map with integer keys');
    if (this.slots === 0) return NOT_FOUND;
    if (this.hashKey === undefined) hashCharsInto(key);
    else keyedHashInto(key, this.hashKey);
    const slot = this.slotOfWords(hashOut);
    const w = slot * 8; // 32-byte slot = 8 words
    if (!fingerprintIs(this.u32, w, hashOut)) return NOT_FOUND;
    return this.holds(slot, key) ? (this.u32[w + 1] as number) : NOT_FOUND;
  }

  /** Whether string slot `slot` holds exactly `key`. */
  private holds(slot: number, key: string): boolean {
    const u32 = this.u32;
    const meta = u32[slot * 8 + 2] as number;
    if ((meta & META_LENGTH) !== key.length) return false;
    return meta & META_SPILLED
      ? unitsEqual(this.blob, u32[slot * 8 + 3] as number, key, (meta & META_UTF16) !== 0)
      : unitsEqual(this.bytes, slot * STR_SLOT + 12, key, (meta & META_UTF16) !== 0);
  }

  /** True if string `key` is in the map (`get(key) !== -1`). */
  has(key: string): boolean {
    return this.get(key) !== NOT_FOUND;
  }

  /**
   * The value stored for integer `key` (a safe integer ≥ 0, or a bigint < 2^64), or -1. Throws
   * ARENA_SECTION_KIND on a map with string keys, VALUE_OUT_OF_RANGE for a number past 2^53.
   */
  getInt(key: number | bigint): number {
    const probe = this.u32Probe;
    if (probe !== undefined && typeof key === 'number' && key >>> 0 === key) return probe.get(key);
    return this.getIntOther(key);
  }

  /** `getInt` past its hot path: u64 keys, bigints, direct and empty maps, and misuse. */
  private getIntOther(key: number | bigint): number {
    const kind = this.keyKind;
    if (kind === KEY_STRING) throw Errors.sectionKind(this.section.name, 'a hash map with integer keys', 'a hash map with string keys');
    let lo: number;
    let hi = 0;
    if (typeof key === 'number' && key >>> 0 === key) {
      lo = key; // the common case, without the split
    } else {
      if (!splitU64(key)) return NOT_FOUND; // (a number past 2^53 throws here, in an empty map too)
      lo = u64Words[0] as number;
      hi = u64Words[1] as number;
    }
    if (this.slots === 0) return NOT_FOUND;
    const u32 = this.u32;
    if (kind === KEY_U32) {
      if (hi !== 0) return NOT_FOUND;
      const slot = this.slotOf(lo, 0);
      if (slot < 0) return NOT_FOUND;
      const w = slot * 2;
      const value = u32[w + 1] as number;
      return u32[w] === lo && value !== U32_EMPTY ? value : NOT_FOUND;
    }
    const w = this.slotOf(lo, hi) * 4;
    return u32[w + 3] === 1 && u32[w] === lo && u32[w + 1] === hi ? (u32[w + 2] as number) : NOT_FOUND;
  }

  /** True if integer `key` is in the map (`getInt(key) !== -1`). */
  hasInt(key: number | bigint): boolean {
    return this.getInt(key) !== NOT_FOUND;
  }

  /** Whether slot `i` holds a key. */
  private used(i: number): boolean {
    switch (this.keyKind) {
      case KEY_STRING: return this.u32[i * 8] !== 0;
      case KEY_U64: return this.u32[i * 4 + 3] === 1;
      default: return this.u32[i * 2 + 1] !== U32_EMPTY;
    }
  }

  /** The value in used slot `i`. */
  private valueAt(i: number): number {
    switch (this.keyKind) {
      case KEY_STRING: return this.u32[i * 8 + 1] as number;
      case KEY_U64: return this.u32[i * 4 + 2] as number;
      default: return this.u32[i * 2 + 1] as number;
    }
  }

  /** Every value, in slot order. */
  *values(): IterableIterator<number> {
    for (let i = 0; i < this.slots; i++) if (this.used(i)) yield this.valueAt(i);
  }

  /** Every key with its value, in slot order; integer keys as bigints. String keys are decoded (this allocates). */
  *entries(): IterableIterator<[string | bigint, number]> {
    for (let i = 0; i < this.slots; i++) {
      if (!this.used(i)) continue;
      const key = this.keyKind === KEY_STRING ? this.keyAt(i) : (BigInt(this.intKeyHi(i)) << 32n) | BigInt(this.u32[i * (this.keyKind === KEY_U64 ? 4 : 2)] as number);
      yield [key, this.valueAt(i)];
    }
  }

  private intKeyHi(slot: number): number {
    return this.keyKind === KEY_U64 ? (this.u32[slot * 4 + 1] as number) : 0;
  }

  private keyAt(slot: number): string {
    const meta = this.u32[slot * 8 + 2] as number;
    const n = meta & META_LENGTH;
    const bytes = meta & META_SPILLED ? this.blob : this.bytes;
    const at = meta & META_SPILLED ? (this.u32[slot * 8 + 3] as number) : slot * STR_SLOT + 12;
    return decodeUnits(bytes, at, n, (meta & META_UTF16) !== 0);
  }

  /** Full walk for untrusted bytes: every used slot's key lies in bounds and is where its hash puts it. */
  verify(): void {
    const where = `sections.${this.section.name}`;
    const { slots, keyKind, size: count } = this;
    const blobLength = this.blob.length;
    let used = 0;
    for (let i = 0; i < slots; i++) {
      if (keyKind === KEY_U64) {
        const flag = this.u32[i * 4 + 3] as number;
        if (flag > 1) throw Errors.corrupt(`${where}.slots[${i}]`, 'integer slot with a bad used flag', '0 or 1', flag);
      }
      if (!this.used(i)) continue;
      used++;
      if (keyKind !== KEY_STRING) {
        const lo = this.u32[i * (keyKind === KEY_U64 ? 4 : 2)] as number;
        if (this.slotOf(lo, this.intKeyHi(i)) !== i) throw Errors.corrupt(`${where}.slots[${i}]`, 'key stored in a slot its hash does not lead to');
        continue;
      }
      const meta = this.u32[i * 8 + 2] as number;
      const n = meta & META_LENGTH;
      const bytesLong = meta & META_UTF16 ? 2 * n : n;
      if (meta & META_SPILLED) {
        const at = this.u32[i * 8 + 3] as number;
        if (at + bytesLong > blobLength) throw Errors.corrupt(`${where}.slots[${i}]`, 'spilled key past the blob', `≤ ${blobLength}`, at + bytesLong);
      } else if (bytesLong > INLINE_BYTES) {
        throw Errors.corrupt(`${where}.slots[${i}]`, 'inline key longer than its slot', `≤ ${INLINE_BYTES} bytes`, bytesLong);
      }
      const key = this.keyAt(i);
      const lo = this.hashKey === undefined ? hashChars(key) : keyedHash(key, this.hashKey[0] as number, this.hashKey[1] as number);
      const hi = hashOut[1] as number;
      if (this.u32[i * 8] !== fingerprint(lo, hi) || this.slotOf(lo, hi) !== i) throw Errors.corrupt(`${where}.slots[${i}]`, 'key stored in a slot its hash does not lead to');
    }
    if (used !== count) throw Errors.corrupt(where, 'used slots differ from the key count', count, used);
  }
}
