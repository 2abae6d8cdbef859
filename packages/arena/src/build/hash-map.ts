/**
 * Builds a hash map section (layout in ../hash-map.ts) from all its entries at once.
 *
 * 1. Each key is 64 bits (a string's hash lanes, or the integer itself). For seed 1, 2, …: scramble
 *    them with the seed (../phf.ts; integer keys with `multiplyLanes`, scheme 5) and put each in
 *    bucket reduce(lane 0, m), m ≈ n / 3.
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
import { HASH_MAP_KIND, HM_ALIGN, INLINE_BYTES, KEY_STRING, KEY_U32, KEY_U64, META_SPILLED, META_UTF16, STR_SLOT, U32_EMPTY, U32_SLOT, U64_SLOT } from '../hash-map.js';
import { keyedHash, randomWords } from '../keyed-hash.js';
import { DIRECT_SCHEME, HASH_SCHEME, KEYED_SCHEME, MULTIPLY_SCHEME, fingerprint, lanes, multipliersOf, multiplyLanes, multiplyMix, multiplySlot, pilotMix, reduce, scramble, slotIndex } from '../phf.js';
import { isLatin1, unitBytes, writeUnits } from '../units.js';
import type { ArenaBuilder } from './builder.js';

const KEYS_PER_BUCKET = 3; // 3 rather than 4: 2.5× fewer pilot tries at 1M keys for 0.17 more bytes per key
const LOAD = 0.97;
const MAX_PILOT = 0xffff;
/** Seeds tried in order before random ones: honest keys place under seed 1, so builds are reproducible. */
const FIXED_SEEDS = 3;
/** Attempts in all (fixed, then random seeds; for string keys, then random hash keys). */
const MAX_ATTEMPTS = 64;
/** Buckets up to this size are checked pair by pair; larger ones are sorted first. */
const SMALL_BUCKET = 16;
/**
 * A bucket this large is not tried: with 3 keys per bucket on average, honest keys never get near it
 * (Poisson tail < 10^-150), and no pilot would place it. Only keys aimed at a known seed crowd one.
 */
const MAX_BUCKET = 256;

/** Options of {@link writeStringHashMap} and {@link writeIntHashMap}. */
export interface HashMapOptions {
  /** How to describe entry i in errors (default `${section}`). */
  path?: string;
  /** Makes the error for a duplicate key (default ARENA_DUPLICATE_KEY); `first < second` are entry numbers. */
  duplicate?: (first: number, second: number) => Error;
}

interface Placement {
  /** HASH_SCHEME (three-round scramble) or MULTIPLY_SCHEME (integer keys). */
  scheme: number;
  seed: number;
  buckets: number;
  slots: number;
  pilots: Uint16Array;
  /** Slot of each key. */
  slotOf: Uint32Array;
}

/** `place` saw distinct keys with the same 64 bits: no seed can separate them under this hash. */
const COLLIDED = 'collided';

/** Seeds for `count` attempts: 1, 2, 3, then random ones, so keys cannot be aimed at the later ones. */
function seedsFor(count: number): Uint32Array {
  const seeds = randomWords(new Uint32Array(count));
  for (let k = 0; k < Math.min(count, FIXED_SEEDS); k++) seeds[k] = k + 1;
  return seeds;
}

/**
 * Finds a seed and pilots for keys whose 64 bits are (lo, hi), trying `seeds` in order. `same(i, j)` says whether keys i and j are equal (only asked when their 64 bits are).
 * Returns COLLIDED as soon as two distinct keys share all 64 bits, undefined if every seed failed.
 */
function place(lo: Uint32Array, hi: Uint32Array, same: (i: number, j: number) => boolean, duplicate: (first: number, second: number) => Error, seeds: ArrayLike<number>, scheme = HASH_SCHEME): Placement | typeof COLLIDED | undefined {
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
  const multipliers = new Int32Array(4);
  for (let attempt = 0; attempt < seeds.length; attempt++) {
    const seed = seeds[attempt] as number;
    const m = scheme === MULTIPLY_SCHEME ? multipliersOf(seed, multipliers) : undefined;
    // Keys grouped by bucket (counting sort): members of bucket b are order[start[b] .. start[b + 1]).
    start.fill(0);
    for (let i = 0; i < n; i++) {
      const b = reduce(m === undefined ? scramble(lo[i] as number, hi[i] as number, seed) : multiplyLanes(lo[i] as number, hi[i] as number, seed, m), buckets);
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

    // Duplicates: equal keys share every lane, hence a bucket, under every seed.
    let clash = false;
    for (let b = 0; b < buckets; b++) {
      const found = scanBucket(start[b] as number, start[b + 1] as number, order, grouped, lo, hi, same, duplicate);
      if (found === COLLIDED) return COLLIDED;
      if (found) clash = true;
    }
    taken.fill(0);
    if (!clash && placeBuckets(seed, m, start, grouped, slots, pilots, slotAt, taken)) {
      const slotOf = lane1; // reused: lane 1 is no longer needed
      for (let x = 0; x < n; x++) slotOf[order[x] as number] = slotAt[x] as number;
      return { scheme, seed, buckets, slots, pilots, slotOf };
    }
  }
  return undefined;
}

/**
 * Checks the keys at positions [x0, x1) of one bucket. Throws `duplicate` for equal keys; returns
 * COLLIDED for distinct keys with the same 64 bits, true if the bucket cannot be placed under this seed
 * (two keys share lane 1, or it is crowded past MAX_BUCKET), false if it can be tried.
 */
function scanBucket(x0: number, x1: number, order: Uint32Array, grouped: Uint32Array, lo: Uint32Array, hi: Uint32Array, same: (i: number, j: number) => boolean, duplicate: (first: number, second: number) => Error): boolean | typeof COLLIDED {
  const compare = (i: number, j: number): boolean | typeof COLLIDED => {
    if (hi[i] !== hi[j] || lo[i] !== lo[j]) return true;
    if (same(i, j)) throw duplicate(Math.min(i, j), Math.max(i, j));
    return COLLIDED;
  };
  let clash = false;
  if (x1 - x0 <= SMALL_BUCKET) {
    for (let x = x0; x < x1; x++) {
      for (let y = x + 1; y < x1; y++) {
        if (grouped[x] !== grouped[y]) continue;
        const found = compare(order[x] as number, order[y] as number);
        if (found === COLLIDED) return COLLIDED;
        clash = true;
      }
    }
    return clash;
  }
  // Sorted by (lane 1, high, low), equal keys sit side by side: k log k, even for a bucket of
  // thousands of colliding keys (pair by pair that was quadratic).
  const members = Array.from(order.subarray(x0, x1));
  const lane1 = new Map(members.map((i, x) => [i, grouped[x0 + x] as number]));
  members.sort((i, j) => (lane1.get(i) as number) - (lane1.get(j) as number) || (hi[i] as number) - (hi[j] as number) || (lo[i] as number) - (lo[j] as number));
  for (let x = 1; x < members.length; x++) {
    const i = members[x - 1] as number;
    const j = members[x] as number;
    if (lane1.get(i) !== lane1.get(j)) continue;
    const found = compare(i, j);
    if (found === COLLIDED) return COLLIDED;
    clash = true;
  }
  return clash || x1 - x0 > MAX_BUCKET;
}

/**
 * Places every bucket, largest first, under one seed; false if some bucket exhausts its pilots. Bucket b
 * holds the keys whose lane 1 is grouped[start[b] .. start[b + 1]); their slots go to the same
 * positions of `slotAt`. `m`: scheme 5's multipliers, or undefined for scheme 2.
 */
function placeBuckets(seed: number, m: Int32Array | undefined, start: Uint32Array, grouped: Uint32Array, slots: number, pilots: Uint16Array, slotAt: Uint32Array, taken: Uint32Array): boolean {
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
      const mix = m === undefined ? pilotMix(p, seed) : multiplyMix(p);
      let ok = true;
      for (let x = 0; x < size && ok; x++) {
        const q = m === undefined ? slotIndex(grouped[s0 + x] as number, mix, slots) : multiplySlot(grouped[s0 + x] as number, mix, m[2] as number, slots);
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

/**
 * Writes the section: header, pilots, then `slotBytes` (slots and blob). `hashKey0` is the first word
 * of a keyed string hash's key (the second is the seed), or undefined for `hashChars`/integer keys.
 */
function writeSection(builder: ArenaBuilder, name: string, n: number, p: Placement, keyKind: number, blobLength: number, slotBytes: Uint8Array, hashKey0: number | undefined): void {
  const w = builder.section(name, { kind: HASH_MAP_KIND, align: HM_ALIGN });
  w.u32(n).u32(p.buckets).u32(p.slots).u32(p.seed).u32(keyKind).u32(blobLength);
  w.u32(hashKey0 === undefined ? p.scheme : KEYED_SCHEME).u32(hashKey0 ?? 0);
  for (let b = 0; b < p.buckets; b++) w.u16(p.pilots[b] as number);
  w.align(HM_ALIGN);
  w.bytes(slotBytes);
  w.end();
}

/**
 * Writes a hash map from string keys to u32 values as section `name`. Throws ARENA_DUPLICATE_KEY
 * naming both entries if a key repeats.
 *
 * Keys are hashed with `hashChars` first (seeds 1-3, so the same keys give the same bytes). If two
 * distinct keys share its 64 bits — which keys can be made to do on purpose — or those seeds fail, the
 * map is rebuilt with the keyed hash (keyed-hash.ts) under a fresh random key per attempt, and readers
 * follow the scheme in its header. Distinct keys then place whatever they are.
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
    if (typeof v !== 'number' || v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    lo[i] = hashChars(k);
    hi[i] = hashOut[1] as number;
  }
  const same = (i: number, j: number): boolean => keys[i] === keys[j];
  const duplicate = options.duplicate ?? ((a, b) => Errors.duplicateKey(path, JSON.stringify(keys[b]), a, b));
  let found = place(lo, hi, same, duplicate, seedsFor(FIXED_SEEDS));
  let hashKey0: number | undefined;
  for (let attempt = FIXED_SEEDS; !(typeof found === 'object') && attempt < MAX_ATTEMPTS; attempt++) {
    // A fresh key, and the seed as its second word: one random draw rehashes every key.
    const [k0, seed] = randomWords(new Uint32Array(2)) as unknown as [number, number];
    for (let i = 0; i < n; i++) {
      lo[i] = keyedHash(keys[i] as string, k0, seed);
      hi[i] = hashOut[1] as number;
    }
    found = place(lo, hi, same, duplicate, [seed]);
    hashKey0 = k0;
  }
  if (typeof found !== 'object') throw Errors.buildFailed(path, `no perfect hash found after ${MAX_ATTEMPTS} attempts (the last ${MAX_ATTEMPTS - FIXED_SEEDS} with random hash keys); this should not happen for distinct keys — please report it with the keys`);
  const p = found;

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
  writeSection(builder, name, n, p, KEY_STRING, blobLength, slotBytes, hashKey0);
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
    if (typeof v !== 'number' || v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    if (kHi[i] !== 0 || v === U32_EMPTY) narrow = false;
  }
  if (narrow && n > 0 && writeDirect(builder, name, kLo, values, options.duplicate ?? ((a, b) => Errors.duplicateKey(path, String(keys[b]), a, b)))) return;
  // Integer keys never share both lanes unless equal (multiplyLanes is a bijection), so only seeds
  // change between attempts; random ones after the first few, so keys cannot be aimed at them.
  const p = place(kLo, kHi, () => true, options.duplicate ?? ((a, b) => Errors.duplicateKey(path, String(keys[b]), a, b)), seedsFor(MAX_ATTEMPTS), MULTIPLY_SCHEME);
  if (typeof p !== 'object') throw Errors.buildFailed(path, `no perfect hash found after ${MAX_ATTEMPTS} seeds; this should not happen for distinct keys — please report it with the keys`);
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
  writeSection(builder, name, n, p, narrow ? KEY_U32 : KEY_U64, 0, slotBytes, undefined);
}


/** Slots per key a direct map may spend: at 1.25, 10 B per key at most (a PTHash map spends ~8.3). */
const DIRECT_MAX_SLOTS_PER_KEY = 1.25;

/**
 * Writes u32 keys as a direct map (DIRECT_SCHEME in phf.ts) when they are dense on a grid: every key
 * minus the smallest shares `shift` trailing zero bits, and (max - min) / 2^shift + 1 slots are at most
 * 1.25 per key. Consecutive ids and ids strided by 2^k qualify; a lookup is then one slot read. Returns
 * false (nothing written) for keys too sparse.
 */
function writeDirect(builder: ArenaBuilder, name: string, keys: Uint32Array, values: ArrayLike<number>, duplicate: (first: number, second: number) => Error): boolean {
  const n = keys.length;
  let min = keys[0] as number;
  let max = min;
  for (let i = 1; i < n; i++) {
    const k = keys[i] as number;
    if (k < min) min = k;
    else if (k > max) max = k;
  }
  let bits = 0;
  for (let i = 0; i < n; i++) bits |= (keys[i] as number) - min; // < 2^32: the low 32 bits are exact
  const shift = bits === 0 ? 0 : 31 - Math.clz32(bits & -bits);
  const slots = Math.floor((max - min) / 2 ** shift) + 1;
  if (slots > Math.ceil(n * DIRECT_MAX_SLOTS_PER_KEY)) return false;
  const u32 = new Uint32Array(slots * 2); // host order: readers view slots the same way (little-endian hosts)
  const owner = new Int32Array(slots).fill(-1);
  for (let s = 0; s < slots; s++) u32[s * 2 + 1] = U32_EMPTY;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    const slot = (k - min) / 2 ** shift;
    const first = owner[slot] as number;
    if (first >= 0) throw duplicate(first, i);
    owner[slot] = i;
    u32[slot * 2] = k;
    u32[slot * 2 + 1] = values[i] as number;
  }
  const w = builder.section(name, { kind: HASH_MAP_KIND, align: HM_ALIGN });
  w.u32(n).u32(1).u32(slots).u32(min).u32(KEY_U32).u32(0).u32(DIRECT_SCHEME).u32(shift);
  w.u16(0); // the one bucket's pilot, unused
  w.align(HM_ALIGN);
  w.bytes(new Uint8Array(u32.buffer));
  w.end();
  return true;
}
