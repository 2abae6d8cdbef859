/**
 * A frozen hash map: a minimal-ish perfect hash (PTHash-style pilots) over string or integer keys,
 * mapping each key to a u32 value (typically a row index). Built once from all entries
 * (build/hash-map.ts); a lookup is one pilot read, one slot read and, for short keys, nothing else.
 *
 * ```
 *  off   size        field
 *   0    4           count n (keys)
 *   4    4           buckets m  (≈ n / 4)
 *   8    4           slots T    (≈ n / 0.97; empty slots have fp = 0)
 *  12    4           seed (the one that made every bucket place its keys)
 *  16    4           key kind: 1 = string, 2 = integer (u64 as two u32 halves)
 *  20    4           blob length (bytes of spilled string keys)
 *  24    8           reserved = 0
 *  32    2·m (→ 64)  pilots: u16 per bucket, padded so the slots start on a 64-byte boundary
 *  P     T·SLOT      slots (SLOT = 32 for strings, 16 for integers); the section is 64-aligned, so
 *                    no slot straddles two cache lines
 *  B     blob        long or wide string keys
 *
 *  string slot (32 B)                               integer slot (16 B)
 *   0  u32 fingerprint (0 = empty)                   0  u32 key low word
 *   4  u32 value                                     4  u32 key high word
 *   8  u32 meta: length in code units (bits 0-29)    8  u32 value
 *            | UTF-16 (bit 30) | spilled (bit 31)   12  u32 1 = used, 0 = empty
 *  12  20 B  key bytes inline (Latin-1 ≤ 20 chars,
 *            UTF-16 ≤ 10 units), or u32 blob offset when spilled
 * ```
 *
 * Lookup: h = hashChars(key) (64 bits, two lanes); bucket = reduce(lane0, m); slot = mix(lane1 ^ mix(pilot,
 * seed)), T) (see slotIndex and reduce); then the fingerprint, the length and the bytes are compared. A miss is usually rejected
 * by the fingerprint, after one slot read. Departures from PTHash: buckets are uniform (no skew), pilots
 * are plain u16 (no Elias-Fano), and slots carry the key, so a hit needs no second lookup.
 */
import { requiredField, type ContainerKind } from './container.js';
import { Errors } from './errors.js';
import { splitU64, u64Words } from './format.js';
import { hashChars, hashOut } from './hash.js';
import { SectionKind } from './kinds.js';
import { SCALARS } from './scalars.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { IndexedTable, type View } from './views.js';
import { decodeUnits, unitsEqual } from './units.js';

export const HM_COUNT = 0;
export const HM_BUCKETS = 4;
export const HM_SLOTS = 8;
export const HM_SEED = 12;
export const HM_KEY_KIND = 16;
export const HM_BLOB = 20;
export const HM_HEADER = 32;
export const KEY_STRING = 1;
export const KEY_INT = 2;
export const STR_SLOT = 32;
export const INT_SLOT = 16;
export const INLINE_BYTES = 20;
export const META_LENGTH = 0x3fff_ffff;
export const META_UTF16 = 0x4000_0000;
export const META_SPILLED = 0x8000_0000;
/** Section kind number of hash maps. */
export const HASH_MAP_KIND = SectionKind.HashMap;

/** The pilot's contribution to a slot position; shared by builder and reader. */
export function pilotMix(pilot: number, seed: number): number {
  let h = Math.imul(pilot + 1, 0x9e37_79b1) ^ seed;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b_3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/**
 * Maps a 32-bit hash onto [0, n) by multiplying (Lemire's "fastrange"): floor(x · n / 2^32). In
 * doubles the product rounds, but the result stays below n and is the same on every machine.
 * Measured: `(x >>> 0) % n` on hashes ≥ 2^31 made V8 fall back to a floating-point fmod and cost
 * ~100 ns per lookup (benchmarks/hash-map-vs-map.bench.ts).
 */
export const reduce = (x: number, n: number): number => Math.floor((x >>> 0) * n * 2.3283064365386963e-10);

/**
 * Slot of a key: its lane-1 hash XOR the pilot's mix, mixed again before the modulo. The second mix
 * matters: with a plain `(hash ^ mix) % T` and T a power of two, two keys whose hashes agree in the low
 * bits collide for every pilot, and their bucket can never be placed (found by the property test).
 */
export function slotIndex(hi: number, mix: number, slots: number): number {
  let h = hi ^ mix;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return reduce(h ^ (h >>> 16), slots);
}

/** Fingerprint of a 64-bit hash: never 0, so 0 marks an empty slot. */
export const fingerprint = (lo: number, hi: number): number => ((lo ^ ((hi << 13) | (hi >>> 19))) | 1) >>> 0;

/** Integer keys hash through the same two lanes: low and high words mixed (splitmix-style). */
export function hashInt(lo: number, hi: number): number {
  let a = Math.imul(lo ^ 0x85eb_ca6b, 0x9e37_79b1) ^ hi;
  let b = Math.imul(hi ^ 0xc2b2_ae35, 0x85eb_ca77) ^ lo;
  a ^= a >>> 16;
  a = Math.imul(a, 0x7feb_352d);
  a ^= b;
  a ^= a >>> 15;
  b = Math.imul(b ^ (a >>> 13), 0x846c_a68b);
  b ^= b >>> 16;
  hashOut[0] = a;
  hashOut[1] = b;
  return a >>> 0;
}

/** Cache-line alignment of the section and of its slots. */
export const HM_ALIGN = 64;
/** Where the slots start: after the pilots, on a cache line. */
export const slotsOffset = (buckets: number): number => Math.ceil((HM_HEADER + 2 * buckets) / HM_ALIGN) * HM_ALIGN;

interface Shape {
  count: number;
  buckets: number;
  slots: number;
  seed: number;
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
  if (keyKind !== KEY_STRING && keyKind !== KEY_INT) throw Errors.corrupt(where, 'unknown hash map key kind', '1 or 2', keyKind);
  if (buckets === 0 || slots < count) {
    throw Errors.corrupt(where, 'hash map with impossible sizes', 'buckets ≥ 1 and slots ≥ keys', `${buckets} buckets, ${slots} slots, ${count} keys`);
  }
  const pilotsAt = HM_HEADER;
  const slotsAt = slotsOffset(buckets);
  const blobAt = slotsAt + slots * (keyKind === KEY_STRING ? STR_SLOT : INT_SLOT);
  if (blobAt + blobLength > section.byteLength) {
    throw Errors.corrupt(where, 'hash map larger than its section', `≤ ${section.byteLength} bytes`, blobAt + blobLength);
  }
  return { count, buckets, slots, seed: v.getUint32(HM_SEED, true), keyKind, blobLength, pilotsAt, slotsAt, blobAt };
}

/** Reads a hash map section. `get` and `has` allocate nothing. */
export class HashMapView {
  /** Number of keys. */
  readonly size: number;
  readonly keyKind: number;
  private readonly buckets: number;
  private readonly slots: number;
  private readonly seed: number;
  private readonly pilots: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly blob: Uint8Array;

  /** O(1): checks that the sizes fit the section; `verify` checks every slot. */
  constructor(readonly section: SectionView) {
    const shape = shapeOf(section);
    this.size = shape.count;
    this.keyKind = shape.keyKind;
    this.buckets = shape.buckets;
    this.slots = shape.slots;
    this.seed = shape.seed;
    const buf = section.bytes.buffer;
    const base = section.bytes.byteOffset;
    this.pilots = new Uint16Array(buf, base + shape.pilotsAt, shape.buckets);
    const slotBytes = shape.blobAt - shape.slotsAt;
    this.u32 = new Uint32Array(buf, base + shape.slotsAt, slotBytes / 4);
    this.bytes = new Uint8Array(buf, base + shape.slotsAt, slotBytes);
    this.blob = new Uint8Array(buf, base + shape.blobAt, shape.blobLength);
  }

  private slotOf(lo: number, hi: number): number {
    return slotIndex(hi, pilotMix(this.pilots[reduce(lo, this.buckets)] as number, this.seed), this.slots);
  }

  /** The value stored for string `key`, or -1. */
  get(key: string): number {
    if (this.keyKind !== KEY_STRING) throw Errors.sectionKind(this.section.name, 'a hash map with string keys', 'a hash map with integer keys');
    if (this.slots === 0) return NOT_FOUND;
    const lo = hashChars(key);
    const hi = hashOut[1] as number;
    const slot = this.slotOf(lo, hi);
    const w = slot * 8; // 32-byte slot = 8 words
    const u32 = this.u32;
    if (u32[w] !== fingerprint(lo, hi)) return NOT_FOUND;
    const meta = u32[w + 2] as number;
    const n = meta & META_LENGTH;
    if (n !== key.length) return NOT_FOUND;
    let bytes = this.bytes;
    let at = slot * STR_SLOT + 12;
    if (meta & META_SPILLED) {
      bytes = this.blob;
      at = u32[w + 3] as number;
    }
    return unitsEqual(bytes, at, key, (meta & META_UTF16) !== 0) ? (u32[w + 1] as number) : NOT_FOUND;
  }

  has(key: string): boolean {
    return this.get(key) !== NOT_FOUND;
  }

  /** The value stored for integer `key` (a safe integer ≥ 0, or a bigint < 2^64), or -1. */
  getInt(key: number | bigint): number {
    if (this.keyKind !== KEY_INT) throw Errors.sectionKind(this.section.name, 'a hash map with integer keys', 'a hash map with string keys');
    if (this.slots === 0) return NOT_FOUND;
    if (!splitU64(key)) return NOT_FOUND;
    const lo = u64Words[0] as number;
    const hi = u64Words[1] as number;
    const h = hashInt(lo, hi);
    const slot = this.slotOf(h, hashOut[1] as number);
    const w = slot * 4;
    const u32 = this.u32;
    return u32[w + 3] === 1 && u32[w] === lo && u32[w + 1] === hi ? (u32[w + 2] as number) : NOT_FOUND;
  }

  hasInt(key: number | bigint): boolean {
    return this.getInt(key) !== NOT_FOUND;
  }

  /** Every value, in slot order. */
  *values(): IterableIterator<number> {
    const str = this.keyKind === KEY_STRING;
    const words = str ? STR_SLOT / 4 : INT_SLOT / 4;
    for (let w = 0; w < this.slots * words; w += words) {
      const used = str ? this.u32[w] !== 0 : this.u32[w + 3] === 1;
      if (used) yield this.u32[w + (str ? 1 : 2)] as number;
    }
  }

  /** Every key with its value, in slot order. String keys are decoded (this allocates). */
  *entries(): IterableIterator<[string | bigint, number]> {
    for (let i = 0; i < this.slots; i++) {
      if (this.keyKind === KEY_INT) {
        const w = i * 4;
        if (this.u32[w + 3] === 1) yield [(BigInt(this.u32[w + 1] as number) << 32n) | BigInt(this.u32[w] as number), this.u32[w + 2] as number];
        continue;
      }
      const w = i * 8;
      if (this.u32[w] === 0) continue;
      yield [this.keyAt(i), this.u32[w + 1] as number];
    }
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
      if (keyKind === KEY_INT) {
        const w = i * 4;
        const flag = this.u32[w + 3] as number;
        if (flag > 1) throw Errors.corrupt(`${where}.slots[${i}]`, 'integer slot with a bad used flag', '0 or 1', flag);
        if (flag === 0) continue;
        used++;
        const h = hashInt(this.u32[w] as number, this.u32[w + 1] as number);
        if (this.slotOf(h, hashOut[1] as number) !== i) throw Errors.corrupt(`${where}.slots[${i}]`, 'key stored in a slot its hash does not lead to');
        continue;
      }
      const w = i * 8;
      if (this.u32[w] === 0) continue;
      used++;
      const meta = this.u32[w + 2] as number;
      const n = meta & META_LENGTH;
      const bytesLong = meta & META_UTF16 ? 2 * n : n;
      if (meta & META_SPILLED) {
        const at = this.u32[w + 3] as number;
        if (at + bytesLong > blobLength) throw Errors.corrupt(`${where}.slots[${i}]`, 'spilled key past the blob', `≤ ${blobLength}`, at + bytesLong);
      } else if (bytesLong > INLINE_BYTES) {
        throw Errors.corrupt(`${where}.slots[${i}]`, 'inline key longer than its slot', `≤ ${INLINE_BYTES} bytes`, bytesLong);
      }
      const key = this.keyAt(i);
      const lo = hashChars(key);
      const hi = hashOut[1] as number;
      if (this.u32[w] !== fingerprint(lo, hi) || this.slotOf(lo, hi) !== i) throw Errors.corrupt(`${where}.slots[${i}]`, 'key stored in a slot its hash does not lead to');
    }
    if (used !== count) throw Errors.corrupt(where, 'used slots differ from the key count', count, used);
  }
}

/** A table with a hash index on one field: `get(key)` is the row with that key, or undefined. */
export class KeyedTable<V extends View, K extends string | number | bigint> extends IndexedTable<V, HashMapView> {
  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, index: HashMapView) {
    super(name, byteLength, stride, make, index, 'hash index');
  }

  /** The row whose key is `key`, as a new view; undefined if there is none. Hashing allocates nothing. */
  get(key: K): V | undefined {
    return this.view(this.indexOf(key));
  }

  has(key: K): boolean {
    return this.indexOf(key) !== NOT_FOUND;
  }

  /** The row number of `key`, or -1: no view made. */
  indexOf(key: K): number {
    return typeof key === 'string' ? this.index.get(key) : this.index.getInt(key);
  }
}

/** The hash map as a container kind: rows with a perfect-hash index on one string or unsigned field. */
export const HASH_MAP = {
  title: 'hash map',
  sectionKind: SectionKind.HashMap,
  options: { key: 'field' },
  checkOptions: (o, fieldOf) =>
    requiredField(fieldOf, o.key, (s) => s.kind === 'str' || (s.kind === 'scalar' && SCALARS[s.type].unsigned)) === undefined ? { option: 'key', want: 'a required string or unsigned integer (u8, u16, u32, u64) field' } : undefined,
  open: (section) => new HashMapView(section),
  verify: (index) => index.verify(),
  size: (index) => index.size,
  rows: (index) => index.values(),
  queries: {
    get: (index, key: string | number | bigint) => (typeof key === 'string' ? index.get(key) : index.getInt(key)),
  },
} as const satisfies ContainerKind<HashMapView, { key: 'field' }>;
