/**
 * Builds a hash map section (layout in ../hash-map.ts) from all its entries at once.
 *
 * 1. Each key is 64 bits (a string's hash lanes, or the integer itself). For seed 1, 2, …: scramble
 *    them with the seed (../phf.ts) and put each in bucket reduce(lane 0, m), m ≈ n / 3.
 * 2. Equal keys always collide, so they are found first, inside buckets, and reported with both
 *    entry numbers (ARENA_DUPLICATE_KEY) — never left to make the search below fail.
 * 3. Buckets, largest first, each search for the smallest u16 pilot that sends all their keys to free,
 *    distinct slots: slot = slotIndex(lane 1, pilotMix(pilot, seed), T), T ≈ n / 0.97. If a bucket
 *    cannot be placed (two of its keys share lane 1, or every pilot collides), the search restarts
 *    with the next seed, which rehashes every key.
 * 4. Slots are written with short keys inline; longer or wide keys go to the blob after the slots.
 */
import { Errors } from '../errors.js';
import { hashChars, hashOut } from '../hash.js';
import {
  HASH_MAP_KIND,
  HM_ALIGN,
  INLINE_BYTES,
  KEY_STRING,
  KEY_U32,
  KEY_U64,
  META_SPILLED,
  META_UTF16,
  STR_SLOT,
  U32_EMPTY,
  U32_SLOT,
  U64_SLOT,
} from '../hash-map.js';
import { HASH_SCHEME, fingerprint, lanes, pilotMix, reduce, scramble, slotIndex } from '../phf.js';
import { isLatin1, unitBytes, writeUnits } from '../units.js';
import type { ArenaBuilder } from './builder.js';

const KEYS_PER_BUCKET = 3; // 3 rather than 4: 2.5× fewer pilot tries at 1M keys for 0.17 more bytes per key
const LOAD = 0.97;
const MAX_PILOT = 0xffff;
const MAX_SEEDS = 64;

export interface HashMapOptions {
  /** How to describe entry i in errors (default `${section}`). */
  path?: string;
  /** Makes the error for a duplicate key (default ARENA_DUPLICATE_KEY); `first < second` are entry numbers. */
  duplicate?: (first: number, second: number) => Error;
}

interface Placement {
  seed: number;
  buckets: number;
  slots: number;
  pilots: Uint16Array;
  /** Slot of each key. */
  slotOf: Uint32Array;
}

/**
 * Finds a seed and pilots for keys whose 64 bits are (lo, hi). `same(i, j)` says whether keys i and j
 * are equal (only asked when their 64 bits are).
 */
function place(lo: Uint32Array, hi: Uint32Array, same: (i: number, j: number) => boolean, duplicate: (first: number, second: number) => Error, path: string): Placement {
  const n = lo.length;
  const buckets = Math.max(1, Math.ceil(n / KEYS_PER_BUCKET));
  const slots = n === 0 ? 0 : Math.max(n, Math.ceil(n / LOAD));
  const lane1 = new Uint32Array(n);
  const bucketOf = new Uint32Array(n);
  const start = new Uint32Array(buckets + 1);
  const order = new Uint32Array(n);
  const pilots = new Uint16Array(buckets);
  const grouped = new Uint32Array(n);
  const slotAt = new Uint32Array(n); // slot of the key at each position of `order`
  // One bit per slot: at 10M keys that is 1.2 MB, which stays in cache while pilots are tried (a word
  // per slot did not, and made the search 10× slower there).
  const taken = new Uint32Array(Math.ceil(slots / 32));
  for (let seed = 1; seed <= MAX_SEEDS; seed++) {
    // Keys grouped by bucket (counting sort): members of bucket b are order[start[b] .. start[b + 1]).
    start.fill(0);
    for (let i = 0; i < n; i++) {
      const b = reduce(scramble(lo[i] as number, hi[i] as number, seed), buckets);
      bucketOf[i] = b;
      lane1[i] = lanes[1] as number;
      start[b + 1]++;
    }
    for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
    const fill = start.slice(0, buckets);
    for (let i = 0; i < n; i++) order[fill[bucketOf[i] as number]++] = i;
    // Lane 1 in bucket order: the pilot search then reads each bucket's keys from one place, not from
    // all over a 40 MB array (at 10M keys that halved the search).
    for (let x = 0; x < n; x++) grouped[x] = lane1[order[x] as number] as number;

    // Duplicates: equal keys share every lane, hence a bucket (checked once: seed 1 sees them all).
    let clash = false;
    for (let b = 0; b < buckets; b++) {
      for (let x = start[b] as number; x < (start[b + 1] as number); x++) {
        for (let y = x + 1; y < (start[b + 1] as number); y++) {
          if (grouped[x] !== grouped[y]) continue;
          const i = order[x] as number;
          const j = order[y] as number;
          if (hi[i] === hi[j] && lo[i] === lo[j] && same(i, j)) throw duplicate(Math.min(i, j), Math.max(i, j));
          clash = true; // distinct keys no pilot can separate under this seed
        }
      }
    }
    taken.fill(0);
    if (!clash && placeBuckets(seed, start, grouped, slots, pilots, slotAt, taken)) {
      const slotOf = lane1; // reused: lane 1 is no longer needed
      for (let x = 0; x < n; x++) slotOf[order[x] as number] = slotAt[x] as number;
      return { seed, buckets, slots, pilots, slotOf };
    }
  }
  throw Errors.buildFailed(path, `no perfect hash found after ${MAX_SEEDS} seeds; this should not happen for distinct keys — please report it with the keys`);
}

/**
 * Places every bucket, largest first, under one seed; false if some bucket exhausts its pilots. Bucket b
 * holds the keys whose lane 1 is grouped[start[b] .. start[b + 1]); their slots go to the same
 * positions of `slotAt`.
 */
function placeBuckets(seed: number, start: Uint32Array, grouped: Uint32Array, slots: number, pilots: Uint16Array, slotAt: Uint32Array, taken: Uint32Array): boolean {
  const buckets = start.length - 1;
  const sizeOf = (b: number): number => (start[b + 1] as number) - (start[b] as number);
  // Buckets by size, largest first (counting sort on size).
  let maxSize = 0;
  for (let b = 0; b < buckets; b++) maxSize = Math.max(maxSize, sizeOf(b));
  const bySize = new Uint32Array(maxSize + 2);
  for (let b = 0; b < buckets; b++) bySize[maxSize - sizeOf(b) + 1]++;
  for (let k = 0; k <= maxSize; k++) bySize[k + 1] = (bySize[k + 1] as number) + (bySize[k] as number);
  const bucketOrder = new Uint32Array(buckets);
  for (let b = 0; b < buckets; b++) bucketOrder[bySize[maxSize - sizeOf(b)]++] = b;

  const pos = new Uint32Array(maxSize);
  for (let k = 0; k < buckets; k++) {
    const b = bucketOrder[k] as number;
    const s0 = start[b] as number;
    const size = sizeOf(b);
    if (size === 0) return true; // the rest are empty too
    let placed = false;
    for (let p = 0; p <= MAX_PILOT && !placed; p++) {
      const mix = pilotMix(p, seed);
      let ok = true;
      for (let x = 0; x < size && ok; x++) {
        const q = slotIndex(grouped[s0 + x] as number, mix, slots);
        if (((taken[q >>> 5] as number) & (1 << (q & 31))) !== 0) ok = false;
        for (let y = 0; y < x && ok; y++) if (pos[y] === q) ok = false;
        pos[x] = q;
      }
      if (!ok) continue;
      for (let x = 0; x < size; x++) {
        const q = pos[x] as number;
        taken[q >>> 5] = (taken[q >>> 5] as number) | (1 << (q & 31));
        slotAt[s0 + x] = q;
      }
      pilots[b] = p;
      placed = true;
    }
    if (!placed) return false;
  }
  return true;
}

/** Writes the section: header, pilots, then `slotBytes` (slots and blob). */
function writeSection(builder: ArenaBuilder, name: string, n: number, p: Placement, keyKind: number, blobLength: number, slotBytes: Uint8Array): void {
  const w = builder.section(name, { kind: HASH_MAP_KIND, align: HM_ALIGN });
  w.u32(n).u32(p.buckets).u32(p.slots).u32(p.seed).u32(keyKind).u32(blobLength).u32(HASH_SCHEME).u32(0);
  for (let b = 0; b < p.buckets; b++) w.u16(p.pilots[b] as number);
  w.align(HM_ALIGN);
  w.bytes(slotBytes);
  w.end();
}

/**
 * Writes a hash map from string keys to u32 values as section `name`. Throws ARENA_DUPLICATE_KEY
 * naming both entries if a key repeats.
 */
export function writeStringHashMap(builder: ArenaBuilder, name: string, keys: readonly string[], values: ArrayLike<number>, options: HashMapOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (typeof k !== 'string') throw Errors.valueOutOfRange('a string key', k, `${path}[${i}]`);
    const v = values[i] as number;
    if (v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    lo[i] = hashChars(k);
    hi[i] = hashOut[1] as number;
  }
  const p = place(lo, hi, (i, j) => keys[i] === keys[j], options.duplicate ?? ((a, b) => Errors.duplicateKey(path, JSON.stringify(keys[b]), a, b)), path);

  // Spilled keys: total their bytes first, so the blob's size is known when the section starts.
  let blobLength = 0;
  const wide = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    wide[i] = isLatin1(k) ? 0 : 1;
    const bytes = unitBytes(k, wide[i] === 1);
    if (bytes > INLINE_BYTES) blobLength += bytes;
  }
  const slotBytes = new Uint8Array(p.slots * STR_SLOT + blobLength);
  const dv = new DataView(slotBytes.buffer);
  let blobAt = 0;
  const blobBase = p.slots * STR_SLOT;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    const at = (p.slotOf[i] as number) * STR_SLOT;
    const isWide = wide[i] === 1;
    const bytes = unitBytes(k, isWide);
    const spilled = bytes > INLINE_BYTES;
    dv.setUint32(at, fingerprint(lo[i] as number, hi[i] as number), true);
    dv.setUint32(at + 4, values[i] as number, true);
    dv.setUint32(at + 8, (k.length | (isWide ? META_UTF16 : 0) | (spilled ? META_SPILLED : 0)) >>> 0, true);
    let to = at + 12;
    if (spilled) {
      dv.setUint32(at + 12, blobAt, true);
      to = blobBase + blobAt;
      blobAt += bytes;
    }
    writeUnits(slotBytes, to, k, isWide);
  }
  writeSection(builder, name, n, p, KEY_STRING, blobLength, slotBytes);
}

/**
 * Writes a hash map from integer keys (safe integers ≥ 0, or bigints < 2^64) to u32 values as section
 * `name`. When every key and value fits 32 bits (values below 0xffffffff), slots take 8 bytes instead
 * of 16. Throws ARENA_DUPLICATE_KEY naming both entries if a key repeats.
 */
export function writeIntHashMap(builder: ArenaBuilder, name: string, keys: ArrayLike<number | bigint>, values: ArrayLike<number>, options: HashMapOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  const kLo = new Uint32Array(n);
  const kHi = new Uint32Array(n);
  let narrow = true;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (typeof k === 'number' && Number.isSafeInteger(k) && k >= 0) {
      kLo[i] = k >>> 0;
      kHi[i] = Math.floor(k / 2 ** 32);
    } else if (typeof k === 'bigint' && k >= 0n && k < 1n << 64n) {
      kLo[i] = Number(k & 0xffff_ffffn);
      kHi[i] = Number(k >> 32n);
    } else {
      throw Errors.valueOutOfRange('an integer key (a safe integer ≥ 0, or a bigint 0n..2n**64n-1n)', k, `${path}[${i}]`);
    }
    const v = values[i] as number;
    if (v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    if (kHi[i] !== 0 || v === U32_EMPTY) narrow = false;
  }
  const p = place(kLo, kHi, () => true, options.duplicate ?? ((a, b) => Errors.duplicateKey(path, String(keys[b]), a, b)), path);
  const slotSize = narrow ? U32_SLOT : U64_SLOT;
  const slotBytes = new Uint8Array(p.slots * slotSize);
  const u32 = new Uint32Array(slotBytes.buffer); // host order: readers view slots the same way (little-endian hosts)
  if (narrow) {
    for (let s = 0; s < p.slots; s++) u32[s * 2 + 1] = U32_EMPTY;
    for (let i = 0; i < n; i++) {
      const at = (p.slotOf[i] as number) * 2;
      u32[at] = kLo[i] as number;
      u32[at + 1] = values[i] as number;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const at = (p.slotOf[i] as number) * 4;
      u32[at] = kLo[i] as number;
      u32[at + 1] = kHi[i] as number;
      u32[at + 2] = values[i] as number;
      u32[at + 3] = 1;
    }
  }
  writeSection(builder, name, n, p, narrow ? KEY_U32 : KEY_U64, 0, slotBytes);
}

