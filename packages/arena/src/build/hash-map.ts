/**
 * Builds a hash map section (layout in ../hash-map.ts) from all its entries at once.
 *
 * 1. Hash every key (64 bits) and put it in bucket reduce(lane0, m), m ≈ n / 4.
 * 2. Equal keys always collide, so they are found first, inside buckets, and reported with both
 *    entry numbers (ARENA_DUPLICATE_KEY) — never left to make the search below fail.
 * 3. Buckets, largest first, each search for the smallest u16 pilot that sends all their keys to free,
 *    distinct slots: slot = slotIndex(lane1, mix(pilot, seed), T), T ≈ n / 0.97. If a bucket exhausts its
 *    pilots (rare: distinct keys with identical 64-bit hashes, or bad luck), the search restarts with the
 *    next seed.
 * 4. Slots are written with short keys inline; longer or wide keys go to the blob after the slots.
 */
import { Errors } from '../errors.js';
import { hashChars, hashOut } from '../hash.js';
import {
  HASH_MAP_KIND,
  HM_ALIGN,
  INLINE_BYTES,
  INT_SLOT,
  KEY_INT,
  KEY_STRING,
  META_SPILLED,
  META_UTF16,
  STR_SLOT,
  fingerprint,
  hashInt,
  pilotMix,
  reduce,
  slotIndex,
} from '../hash-map.js';
import { isLatin1, unitBytes, writeUnits } from '../units.js';
import type { ArenaBuilder } from './builder.js';

const KEYS_PER_BUCKET = 4;
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

/** Finds pilots for keys with hashes (lo, hi). `same(i, j)` says whether keys i and j are equal. */
function place(lo: Uint32Array, hi: Uint32Array, same: (i: number, j: number) => boolean, duplicate: (first: number, second: number) => Error, path: string): Placement {
  const n = lo.length;
  const buckets = Math.max(1, Math.ceil(n / KEYS_PER_BUCKET));
  const slots = n === 0 ? 0 : Math.max(n, Math.ceil(n / LOAD));
  // Keys grouped by bucket (counting sort): members of bucket b are order[start[b] .. start[b + 1]).
  const start = new Uint32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[reduce(lo[i] as number, buckets) + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const fill = start.slice(0, buckets);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[reduce(lo[i] as number, buckets)]++] = i;

  // Duplicates: equal keys share both hash lanes, hence a bucket.
  for (let b = 0; b < buckets; b++) {
    for (let x = start[b] as number; x < (start[b + 1] as number); x++) {
      for (let y = x + 1; y < (start[b + 1] as number); y++) {
        const i = order[x] as number;
        const j = order[y] as number;
        if (hi[i] === hi[j] && lo[i] === lo[j] && same(i, j)) throw duplicate(Math.min(i, j), Math.max(i, j));
      }
    }
  }

  // Buckets by size, largest first (counting sort on size).
  let maxSize = 0;
  for (let b = 0; b < buckets; b++) maxSize = Math.max(maxSize, (start[b + 1] as number) - (start[b] as number));
  const bySize = new Uint32Array(maxSize + 2);
  for (let b = 0; b < buckets; b++) bySize[maxSize - ((start[b + 1] as number) - (start[b] as number)) + 1]++;
  for (let k = 0; k <= maxSize; k++) bySize[k + 1] = (bySize[k + 1] as number) + (bySize[k] as number);
  const bucketOrder = new Uint32Array(buckets);
  for (let b = 0; b < buckets; b++) bucketOrder[bySize[maxSize - ((start[b + 1] as number) - (start[b] as number))]++] = b;

  const pilots = new Uint16Array(buckets);
  const slotOf = new Uint32Array(n);
  const taken = new Uint32Array(slots); // generation stamps: no clearing between seeds
  const pos = new Uint32Array(maxSize);
  for (let seed = 1; seed <= MAX_SEEDS; seed++) {
    let failed = false;
    for (let k = 0; k < buckets && !failed; k++) {
      const b = bucketOrder[k] as number;
      const s0 = start[b] as number;
      const size = (start[b + 1] as number) - s0;
      if (size === 0) break; // the rest are empty too
      let placed = false;
      for (let p = 0; p <= MAX_PILOT && !placed; p++) {
        const mix = pilotMix(p, seed);
        let ok = true;
        for (let x = 0; x < size && ok; x++) {
          const q = slotIndex(hi[order[s0 + x] as number] as number, mix, slots);
          if (taken[q] === seed) ok = false;
          for (let y = 0; y < x && ok; y++) if (pos[y] === q) ok = false;
          pos[x] = q;
        }
        if (!ok) continue;
        for (let x = 0; x < size; x++) {
          taken[pos[x] as number] = seed;
          slotOf[order[s0 + x] as number] = pos[x] as number;
        }
        pilots[b] = p;
        placed = true;
      }
      if (!placed) failed = true;
    }
    if (!failed) return { seed, buckets, slots, pilots, slotOf };
  }
  throw Errors.buildFailed(path, `no perfect hash found after ${MAX_SEEDS} seeds; this should not happen for distinct keys — please report it with the keys`);
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
  const w = builder.section(name, { kind: HASH_MAP_KIND, align: HM_ALIGN });
  w.u32(n).u32(p.buckets).u32(p.slots).u32(p.seed).u32(KEY_STRING).u32(blobLength).u32(0).u32(0);
  for (let b = 0; b < p.buckets; b++) w.u16(p.pilots[b] as number);
  w.align(HM_ALIGN);
  w.bytes(slotBytes);
  w.end();
}

/**
 * Writes a hash map from integer keys (safe integers ≥ 0, or bigints < 2^64) to u32 values as section
 * `name`. Throws ARENA_DUPLICATE_KEY naming both entries if a key repeats.
 */
export function writeIntHashMap(builder: ArenaBuilder, name: string, keys: ArrayLike<number | bigint>, values: ArrayLike<number>, options: HashMapOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  const kLo = new Uint32Array(n);
  const kHi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
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
    lo[i] = hashInt(kLo[i] as number, kHi[i] as number);
    hi[i] = hashOut[1] as number;
  }
  const p = place(lo, hi, (i, j) => kLo[i] === kLo[j] && kHi[i] === kHi[j], options.duplicate ?? ((a, b) => Errors.duplicateKey(path, String(keys[b]), a, b)), path);
  const slotBytes = new Uint8Array(p.slots * INT_SLOT);
  const dv = new DataView(slotBytes.buffer);
  for (let i = 0; i < n; i++) {
    const at = (p.slotOf[i] as number) * INT_SLOT;
    dv.setUint32(at, kLo[i] as number, true);
    dv.setUint32(at + 4, kHi[i] as number, true);
    dv.setUint32(at + 8, values[i] as number, true);
    dv.setUint32(at + 12, 1, true);
  }
  const w = builder.section(name, { kind: HASH_MAP_KIND, align: HM_ALIGN });
  w.u32(n).u32(p.buckets).u32(p.slots).u32(p.seed).u32(KEY_INT).u32(0).u32(0).u32(0);
  for (let b = 0; b < p.buckets; b++) w.u16(p.pilots[b] as number);
  w.align(HM_ALIGN);
  w.bytes(slotBytes);
  w.end();
}
