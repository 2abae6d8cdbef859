/**
 * The label index of a trie with a boundary character: a hash table over every segment-aligned prefix
 * of the keys (in walk order: reversed keys for a reversed trie), shared by the reader (trie.ts), the
 * builder (build/trie-labels.ts) and `verify`.
 *
 * Why: a longest-suffix match over hostname rules walked the trie a code unit at a time, with ~3 cache
 * lines per node (record, label bytes, the children's first units), each load waiting on the one
 * before. Hashing the query a label at a time and probing a table costs one line per label, and the
 * probes do not depend on each other, so the processor overlaps them.
 *
 * ```
 *  header word 20   slots (0: no label index)
 *  header word 24   seed
 *  header word 28   longest probe sequence of any entry (≤ MAX_PROBE)
 *  L   16·slots     after the blob, 4-aligned, 4 u32 per slot, linear probing from home(h2) (lightHome
 *                   with trie flag bit 3, format 2.3, whose fingerprint is then lightFingerprint(h1)):
 *                     fingerprint (0 = empty slot)
 *                     word: TERMINAL_KEY | DOTTED_KEY | LEAF_KEY | key length in units (terminal entries)
 *                     the key's first byte in the blob | WIDE (as the trie's key offsets)
 *                     the key's value
 * ```
 *
 * A terminal entry carries where its key is and its value, not a rank: a hit then costs the slot, the
 * key's bytes (to check it) and the row, without the key offsets and values arrays in between.
 *
 * Entries: the empty prefix, and for every key k (walk-order units k[0..L)) every k[0..i) with k[i] the
 * boundary (interior), and k itself (TERMINAL_KEY, with its place and value). When k ends with the boundary, the
 * entry for k[0..L-1) carries DOTTED_KEY: a query probes k's own entry only then. An entry P that no
 * key continues past a boundary (no key starts with P + boundary and is longer) carries LEAF_KEY.
 *
 * Why a miss can end the walk: a key that matches the query at a longer segment edge i' has the query's
 * units up to every shorter edge i, where the query's (and so the key's) unit i is the boundary, so
 * k[0..i) is an entry. The first prefix not in the table means no longer key matches.
 *
 * Why answers stay exact: the table holds hashes, not keys, so a query can meet another string's
 * entry. The walk's answer is compared unit by unit with the key its entry points at, and on any mismatch
 * the trie walk answers instead. Fingerprints are unique along every probe sequence (the builder
 * reseeds otherwise), so a prefix that is in the table is always found.
 */

import { fmix } from './phf.js';

export const TERMINAL_KEY = 0x8000_0000;
export const DOTTED_KEY = 0x4000_0000;
/**
 * No key goes on past a boundary after this prefix (format 2.2; a 2.1 table never sets it): the walk
 * stops here instead of probing the next edge for a prefix the table cannot hold. On hostname rules
 * most hits end on such a key ("example.com" under no longer rule), and that last probe was a miss in
 * memory a lookup waited for.
 */
export const LEAF_KEY = 0x2000_0000;
export const LENGTH_MASK = 0x1fff_ffff;
/** u32 words per slot. */
export const SLOT_WORDS = 4;
/** Probe sequences are at most this long: a forged header cannot make one probe scan the table. */
export const MAX_PROBE = 4096;
/** Hash lane seeds before the arena's seed is mixed in (any odd constants would do). */
const LANE1 = 0x811c_9dc5;
const LANE2 = 0x2545_f491;

/** Lane 1's state before any unit, for `seed`. */
export function start1(seed: number): number {
  return (LANE1 ^ seed) | 0;
}

/** Lane 2's state before any unit, for `seed`. */
export function start2(seed: number): number {
  return (LANE2 + Math.imul(seed, 0x9e37_79b9)) | 0;
}

/** Lane 1 after one more code unit (FNV-1a step). */
export function mix1(h: number, c: number): number {
  return Math.imul(h ^ c, 0x0100_0193);
}

/** Lane 2 after one more code unit: another multiplier and a shift, so the lanes fail independently. */
export function mix2(h: number, c: number): number {
  return Math.imul(h + c, 0x5bd1_e995) ^ (h >>> 15);
}

/**
 * The stored fingerprint of lane 1's state: never 0, which marks an empty slot. Format 2.2's tables
 * (no FLAG_LIGHT_HASH) stored fmix of the state; any bijection tells states apart equally well, so
 * tables since 2.3 store the state itself and a probe saves the five steps (`lightFingerprint`).
 */
export function fingerprint(h1: number): number {
  return fmix(h1) >>> 0 || 1;
}

/** The slot a probe starts at, for lane 2's state (format 2.2): multiply-shift onto [0, slots) (exact in a double). */
export function home(h2: number, slots: number): number {
  return Math.floor(((fmix(h2) >>> 0) * slots) / 4_294_967_296);
}

/** The fingerprint of lane 1's state in a table with FLAG_LIGHT_HASH: the state itself, never 0. */
export function lightFingerprint(h1: number): number {
  return h1 >>> 0 || 1;
}

/**
 * The home slot in a table with FLAG_LIGHT_HASH: lane 2's state (already a multiply and a shift per
 * unit) folded and multiplied once, then multiply-shifted onto [0, slots).
 */
export function lightHome(h2: number, slots: number): number {
  return Math.floor(((Math.imul(h2 ^ (h2 >>> 16), 0x85eb_ca6b) >>> 0) * slots) / 4_294_967_296);
}
