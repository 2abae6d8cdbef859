/**
 * Where a key lands in a hash map: the functions builder (build/hash-map.ts) and reader (hash-map.ts)
 * must compute identically, bit for bit.
 *
 * A key is first a 64-bit value: a string's `hashChars` lanes, or an integer key itself (low and high
 * words). `scramble(lo, hi, seed)` turns it into the two lanes the map uses (lane 0 picks the bucket,
 * lane 1 the slot). It is a bijection on 64 bits, different for every seed, so:
 * - distinct integer keys never share both lanes, whatever their pattern (consecutive, strided by 2^k,
 *   only high bits set): no bucket can hold two keys that no pilot separates;
 * - a failed placement retried with the next seed really rehashes every key. (Scheme 1 hashed keys the
 *   same way for every seed, and its integer hash left lane 1 depending on ~19 bits of small keys:
 *   0..849 could not be built at all.)
 */

/** Hash scheme stored in each hash map's header; a reader refuses maps built with another. */
export const HASH_SCHEME = 2;
/**
 * Scheme 2 with string keys hashed by `keyedHashInto` (keyed-hash.ts) under the 64-bit key (header
 * word 28, seed) instead of `hashChars`: what a build falls back to when its string keys collide fully.
 */
export const KEYED_SCHEME = 3;
/**
 * Integer keys dense enough to index directly (u32 slots only): key k sits in slot (k - base) / 2^shift,
 * with base = the smallest key (header word 12) and shift (word 28) the trailing zero bits every
 * key - base shares. Consecutive ids and ids strided by 2^k then cost one slot read, no pilot.
 */
export const DIRECT_SCHEME = 4;
/**
 * Integer keys that are not dense: the same pilots and slots as scheme 2, hashed with four multiplies
 * instead of ten (`multiplyLanes`). Schemes 2 and 3 keep the three-round scramble for string hashes.
 */
export const MULTIPLY_SCHEME = 5;

const K1 = 0x9e37_79b9;
const K2 = 0x7f4a_7c15;
const K3 = 0xf39c_c060;

/** murmur3's 32-bit finaliser: every output bit depends on every input bit (a signed 32-bit result). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return h ^ (h >>> 16);
}

/** Lane 0 and lane 1 of the last `scramble`. Read them straight after the call (no allocation). */
export const lanes = new Uint32Array(2);

/**
 * Three Feistel rounds over the 32-bit halves, keyed by `seed`. Each round xors one half with a mix of
 * the other, so the whole is invertible (a permutation of 64-bit values) for any round function; three
 * rounds make each output lane depend on every input bit. Six multiplies in all. Returns lane 0.
 */
export function scramble(lo: number, hi: number, seed: number): number {
  let l = hi ^ seed;
  let r = lo;
  l ^= fmix(r ^ K1 ^ seed);
  r ^= fmix(l ^ K2);
  l ^= fmix(r ^ K3);
  lanes[0] = r;
  lanes[1] = l;
  return r >>> 0;
}

/** The pilot's contribution to a slot position. */
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
 * Slot of a key: its lane 1 XOR the pilot's mix, mixed again before the reduction. The second mix
 * matters: with a plain `(hash ^ mix) % T` and T a power of two, two keys whose hashes agree in the low
 * bits collide for every pilot, and their bucket can never be placed (found by the property test).
 */
export function slotIndex(lane1: number, mix: number, slots: number): number {
  let h = lane1 ^ mix;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return reduce(h ^ (h >>> 16), slots);
}

/** Fingerprint of a string key's 64-bit hash (seed-free): never 0, so 0 marks an empty slot. */
export const fingerprint = (lo: number, hi: number): number => ((lo ^ ((hi << 13) | (hi >>> 19))) | 1) >>> 0;

/*
 * The lookup path: the same functions as above, written out in flat bodies that call nothing. A number
 * above 2^30 returned from, or passed to, a call V8 did not inline is boxed as a heap number; once a
 * caller's inlining budget ran out, that made every lookup allocate. These read the key's words from a
 * typed array and return a small integer or a boolean, so nothing is boxed whether they are inlined or
 * not. The builder uses the composed functions; the round-trip tests check both agree.
 */

/** `slotIndex(lane 1, pilotMix(pilots[reduce(lane 0, buckets)], seed), slots)` of the key words[0..1]. */
export function slotOfKey(words: Uint32Array, seed: number, pilots: Uint16Array, buckets: number, slots: number): number {
  let l = (words[1] as number) ^ seed;
  let r = words[0] as number;
  // scramble: three rounds of fmix
  let h = r ^ K1 ^ seed;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  l ^= h ^ (h >>> 16);
  h = l ^ K2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  r ^= h ^ (h >>> 16);
  h = r ^ K3;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  l ^= h ^ (h >>> 16);
  // reduce(lane 0, buckets), then pilotMix
  const pilot = pilots[Math.floor((r >>> 0) * buckets * 2.3283064365386963e-10)] as number;
  let m = Math.imul(pilot + 1, 0x9e37_79b1) ^ seed;
  m ^= m >>> 15;
  m = Math.imul(m, 0x2c1b_3c6d);
  m ^= m >>> 12;
  // slotIndex(lane 1, m, slots)
  let x = l ^ m;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85eb_ca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2_ae35);
  x ^= x >>> 16;
  return Math.floor((x >>> 0) * slots * 2.3283064365386963e-10);
}

/** Whether `slots[at]` is the fingerprint of the string hash in words[0..1]. */
export function fingerprintIs(slots: Uint32Array, at: number, words: Uint32Array): boolean {
  const hi = words[1] as number;
  return slots[at] === (((words[0] as number) ^ ((hi << 13) | (hi >>> 19))) | 1) >>> 0;
}

/*
 * Scheme 5 (integer keys). A lookup's time was the hash, not memory: the three fmix rounds, pilotMix
 * and slotIndex are ten dependent multiplies, and a 1M-key map answered in ~34 ns next to ~9 ns for
 * the same pilots and slots reached with four (measured on scrambled u32 keys). Multiply-shift hashing
 * (the top bits of an odd multiplier times the key) spreads keys as well as a random function does on
 * average over the multiplier, so each seed stands for four odd multipliers drawn from it: a seed that
 * fails really rehashes, and no key set is bad for every seed.
 */

const M4 = 0x5bd1_e995;
export const PILOT_MULTIPLIER = 0x9e37_79b1 | 0;

/** The odd multipliers a seed stands for (a, b, c, d), written to `out` as int32. */
export function multipliersOf(seed: number, out: Int32Array = new Int32Array(4)): Int32Array {
  out[0] = fmix(seed ^ K1) | 1;
  out[1] = fmix(seed ^ K2) | 1;
  out[2] = fmix(seed ^ K3) | 1;
  out[3] = fmix(seed ^ M4) | 1;
  return out;
}

/**
 * Scheme 5's lanes of the 64-bit key (lo, hi): two Feistel rounds, r = lo ^ (hi ^ seed)·d, folded
 * (r ^= r >>> 16), and lane 1 = hi ^ (r ^ seed)·b, then lane 0 = r·a. Each step is invertible (odd
 * multipliers), so distinct keys never share both lanes; lane 0's top bits pick the bucket. The fold
 * matters: a product's top bit depends on the factor's top bit alone, so without it keys 0 and 2^63
 * shared lane 1 under every seed (found by the property test). Returns lane 0; lane 1 in `lanes[1]`.
 */
export function multiplyLanes(lo: number, hi: number, seed: number, m: Int32Array): number {
  let r = lo ^ Math.imul(hi ^ seed, m[3] as number);
  r ^= r >>> 16;
  lanes[1] = hi ^ Math.imul(r ^ seed, m[1] as number);
  lanes[0] = Math.imul(r, m[0] as number);
  return lanes[0] as number;
}

/** Scheme 5: the pilot's share of a slot position. */
export const multiplyMix = (pilot: number): number => Math.imul(pilot + 1, PILOT_MULTIPLIER);

/** Scheme 5: slot of lane 1 under a pilot's mix: the top bits of (lane 1 ^ mix)·c, onto [0, slots). */
export const multiplySlot = (lane1: number, mix: number, c: number, slots: number): number => reduce(Math.imul(lane1 ^ mix, c), slots);

/** Scheme 5's lookup, written flat (see above): the slot of the integer key (lo, hi). */
export function slotOfInt(lo: number, hi: number, seed: number, m: Int32Array, pilots: Uint16Array, buckets: number, slots: number): number {
  let r = lo ^ Math.imul(hi ^ seed, m[3] as number);
  r ^= r >>> 16;
  const l = hi ^ Math.imul(r ^ seed, m[1] as number);
  const pilot = pilots[Math.floor((Math.imul(r, m[0] as number) >>> 0) * buckets * 2.3283064365386963e-10)] as number;
  return Math.floor((Math.imul(l ^ Math.imul(pilot + 1, PILOT_MULTIPLIER), m[2] as number) >>> 0) * slots * 2.3283064365386963e-10);
}
