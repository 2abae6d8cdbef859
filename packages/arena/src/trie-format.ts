/**
 * The bytes of a trie index section, shared by the reader (trie.ts) and the builder (build/trie.ts).
 *
 * ```
 *  off   size          field
 *   0    4             n keys
 *   4    4             node count
 *   8    4             key encoding: 3 = per key (1 and 2, one width for every key, were written
 *                        by older versions and are refused)
 *  12    4             flags: bit 0 = reversed, bit 1 = has a boundary unit, bit 2 = has a label
 *                        index (only with bit 1), bit 3 = the label index's light hash (format 2.3;
 *                        only with bit 2), bits 16-31 = the boundary unit
 *  16    4             blob length in bytes
 *  20   12             label index: slots, seed, longest probe (trie-labels.ts); 0 without bit 2
 *  32    24·nodes      nodes, breadth-first; a node's children are contiguous, sorted by first unit:
 *                        u32 label start (a byte in the blob)         u32 label length in units | wide << 31
 *                        u32 first child                              u32 child count | terminal << 31
 *                        u32 first rank in the subtree                u32 keys in the subtree
 *   F    2·nodes (→4)  first code unit of each node's label (searched to pick a child)
 *   V    4·n           values, by rank (rank = position in sorted key order)
 *   K    4·(n + 1)     key r: its first byte in the blob | wide << 31; it ends where key r + 1 starts
 *   B    bytes         blob: the keys in sorted order (reversed keys, if reversed), each on its own
 *                      one byte per unit when Latin-1, else two (UTF-16, little-endian): one key
 *                      needing UTF-16 does not double the others
 *   L    16·slots      with bit 2: the label index (trie-labels.ts), 4-aligned after the blob
 * ```
 *
 * A label lies inside the first key of its subtree, so it has that key's width (bit 31 of its length).
 *
 * Invariants (checked by `verify`): children come after their parent (so walks terminate), every label
 * and key lies in the blob, every rank range lies in [0, n). A node's own key, when it is terminal, is
 * the first key of its subtree, so its value is values[first rank].
 */
import { SectionKind } from './kinds.js';

export const TRIE_KIND = SectionKind.Trie;
export const TR_HEADER = 32;
export const NODE_WORDS = 6;
export const TERMINAL = 0x8000_0000;
export const COUNT_MASK = 0x7fff_ffff;
export const FLAG_REVERSED = 1;
export const FLAG_BOUNDARY = 2;
/** A label index follows the blob (trie-labels.ts). */
export const FLAG_LABELS = 4;
/** The label index hashes with `lightFingerprint` and `lightHome` (format 2.3; only with bit 2). */
export const FLAG_LIGHT_HASH = 8;
export const KNOWN_FLAGS = 0xffff_000f;
/** Header word 8: keys encoded one by one (the only encoding this version reads or writes). */
export const PER_KEY = 3;
/** Bit 31 of a label's length word and of a key offset: the units are UTF-16 (two bytes each). */
export const WIDE = 0x8000_0000;
export const OFFSET_MASK = 0x7fff_ffff;

/** Byte offsets of a trie's parts; `labelSlots` is 0 for a trie without a label index. */
export function trieLayout(n: number, nodes: number, blobBytes: number, labelSlots: number): { nodes: number; first: number; values: number; keys: number; blob: number; labels: number; end: number } {
  const nodesAt = TR_HEADER;
  const first = nodesAt + nodes * NODE_WORDS * 4;
  const values = Math.ceil((first + nodes * 2) / 4) * 4;
  const keys = values + n * 4;
  const blob = keys + (n + 1) * 4;
  const labels = Math.ceil((blob + blobBytes) / 4) * 4;
  return { nodes: nodesAt, first, values, keys, blob, labels, end: labelSlots > 0 ? labels + 16 * labelSlots : blob + blobBytes };
}
