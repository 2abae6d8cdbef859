/**
 * A frozen trie over string keys: exact lookup, longest-prefix match and prefix enumeration (in sorted
 * order, as a contiguous range of ranks), each key mapping to a u32 value. Built from all keys at once
 * (build/trie.ts) as a path-compressed radix tree in flat arrays. A trie built `reversed` stores every
 * key backwards and walks queries from their end: longest-suffix match, for hostname rules.
 *
 * The bytes of the index section (its header, nodes, values, keys and blob) are in trie-format.ts; a
 * trie with a boundary also carries a label index (trie-labels.ts) that answers longest matches a
 * segment at a time. The container kind (rows with a trie on a field) is in trie-table.ts.
 */
import { Errors } from './errors.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { decodeUnits } from './units.js';

import { TR_HEADER, NODE_WORDS, TERMINAL, COUNT_MASK, FLAG_REVERSED, FLAG_BOUNDARY, FLAG_LABELS, FLAG_LIGHT_HASH, KNOWN_FLAGS, PER_KEY, OFFSET_MASK, trieLayout } from './trie-format.js';
import { ASK_THE_TRIE, LabelTable } from './trie-label-table.js';

export { TRIE_KIND } from './trie-format.js';

/**
 * Reads a trie section: exact lookup, longest-prefix (or, reversed, longest-suffix) match and prefix
 * enumeration over string keys, each mapped to a u32 value. Ranks are positions in sorted key order.
 */
export class TrieView {
  /** Number of keys. */
  readonly size: number;
  /** Built with `reversed: true`: keys are stored backwards and matched from the query's end. */
  readonly reversed: boolean;
  /**
   * The code unit keys match whole segments at ('.' for hostnames, '/' for paths), or -1: with one,
   * `longestPrefix`/`longestSuffix` only match a key that ends where the query does or at a boundary.
   */
  readonly boundary: number;
  /** Length of the key matched by the last `longestPrefix` (or `longestSuffix`) call. */
  matchedLength = 0;
  private readonly nodeCount: number;
  private readonly nodes: Uint32Array;
  private readonly firstUnit: Uint16Array;
  private readonly values: Uint32Array;
  private readonly keyOffsets: Uint32Array;
  private readonly blob8: Uint8Array;
  private readonly blobBytes: number;
  /** The label index of a trie with a boundary (trie-labels.ts), or undefined. */
  private readonly labels: LabelTable | undefined;

  /**
   * O(1): checks that the counts fit the section (ARENA_CORRUPT if not); `verify` checks every node.
   * @param section - The trie's section (kind Trie).
   */
  constructor(readonly section: SectionView) {
    const where = `sections.${section.name}`;
    if (section.byteLength < TR_HEADER) throw Errors.corrupt(where, 'trie shorter than its header', `≥ ${TR_HEADER} bytes`, section.byteLength);
    const v = section.view;
    const n = v.getUint32(0, true);
    const nodes = v.getUint32(4, true);
    const encoding = v.getUint32(8, true);
    const blobBytes = v.getUint32(16, true);
    if (encoding !== PER_KEY) {
      throw Errors.corrupt(where, encoding === 1 || encoding === 2 ? 'trie written by an older sabre (one key width for all keys): rebuild the arena with this version' : 'trie key encoding', PER_KEY, encoding);
    }
    const flags = v.getUint32(12, true);
    if ((flags & ~KNOWN_FLAGS) !== 0 || ((flags & FLAG_BOUNDARY) === 0 && (flags >>> 16 !== 0 || (flags & FLAG_LABELS) !== 0)) || ((flags & FLAG_LABELS) === 0 && (flags & FLAG_LIGHT_HASH) !== 0)) {
      throw Errors.corrupt(where, 'trie flags with unknown bits set', 'bits 0-3, 16-31 and 2 only with bit 1, 3 only with 2', flags >>> 0);
    }
    const labelSlots = (flags & FLAG_LABELS) !== 0 ? v.getUint32(20, true) : 0;
    const l = trieLayout(n, nodes, blobBytes, labelSlots);
    if (l.end > section.byteLength || (n > 0 && nodes === 0)) throw Errors.corrupt(where, 'trie larger than its section', `≤ ${section.byteLength} bytes`, l.end);
    this.size = n;
    this.nodeCount = nodes;
    this.blobBytes = blobBytes;
    this.reversed = (flags & FLAG_REVERSED) !== 0;
    this.boundary = (flags & FLAG_BOUNDARY) !== 0 ? flags >>> 16 : -1;
    const buf = section.bytes.buffer;
    const at = section.bytes.byteOffset;
    this.nodes = new Uint32Array(buf, at + l.nodes, nodes * NODE_WORDS);
    this.firstUnit = new Uint16Array(buf, at + l.first, nodes);
    this.values = new Uint32Array(buf, at + l.values, n);
    this.keyOffsets = new Uint32Array(buf, at + l.keys, n + 1);
    this.blob8 = new Uint8Array(buf, at + l.blob, blobBytes);
    this.labels = (flags & FLAG_LABELS) !== 0 ? LabelTable.open(section, l.labels, labelSlots, this.blob8, (flags & FLAG_LIGHT_HASH) !== 0) : undefined;
  }

  /** Unit k of the units starting at byte p, one byte each (wide 0) or two (wide 1). Past the blob: 0. */
  private unit(p: number, k: number, wide: number): number {
    const b = this.blob8;
    return wide === 0 ? ((b[p + k] as number) | 0) : ((b[p + 2 * k] as number) | ((b[p + 2 * k + 1] as number) << 8));
  }

  /** Code unit i of the query, from the end if the trie is reversed. */
  private q(s: string, i: number): number {
    return this.reversed ? s.charCodeAt(s.length - 1 - i) : s.charCodeAt(i);
  }

  /** The child of `node` whose label starts with unit `c`, or -1. Binary search over first units. */
  private child(node: number, c: number): number {
    const w = node * NODE_WORDS;
    let lo = this.nodes[w + 2] as number;
    let hi = lo + ((this.nodes[w + 3] as number) & COUNT_MASK) - 1;
    const first = this.firstUnit;
    while (lo <= hi) {
      // Not (lo + hi) >>> 1: with a forged first-child index near 2^32 the sum wraps and the search never
      // ends. This form stays in range on unverified bytes, so every walk terminates.
      const mid = lo + ((hi - lo) >>> 1);
      const u = first[mid] as number;
      if (u === c) return mid;
      if (u < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Set by `walk`: the walk ended inside a node's label, not at its end. */
  private partial = false;

  /** Walks `s` from the root and returns the node where it stopped, or -1 - node on a mismatch. */
  private walk(s: string): number {
    this.partial = false;
    if (this.nodeCount === 0) return -1;
    const nodes = this.nodes;
    let node = 0;
    let i = 0;
    // Every node below the root has a label of at least one unit, so a walk takes at most |s| + 1 steps;
    // only forged, unverified bytes could take more.
    for (let steps = 0; ; steps++) {
      if (steps > s.length + 1) throw Errors.corrupt(`sections.${this.section.name}`, 'trie walk does not advance (run verify() on untrusted bytes)');
      const w = node * NODE_WORDS;
      const start = nodes[w] as number;
      const lenWord = nodes[w + 1] as number;
      const len = lenWord & OFFSET_MASK;
      const wide = lenWord >>> 31;
      for (let k = 0; k < len; k++, i++) {
        if (i >= s.length) {
          this.partial = true;
          return node;
        }
        if (this.unit(start, k, wide) !== this.q(s, i)) {
          this.partial = true;
          return -1 - node; // mismatch inside the label
        }
      }
      if (i === s.length) return node;
      const next = this.child(node, this.q(s, i));
      if (next < 0) return -1 - node;
      node = next;
    }
  }

  /** The value of key `s` exactly, or -1. */
  get(s: string): number {
    const node = this.walk(s);
    if (node < 0 || this.partial) return NOT_FOUND;
    const w = node * NODE_WORDS;
    return ((this.nodes[w + 3] as number) & TERMINAL) !== 0 ? (this.values[this.nodes[w + 4] as number] as number) : NOT_FOUND;
  }

  /** True if `s` is a key (`get(s) !== -1`). */
  has(s: string): boolean {
    return this.get(s) !== NOT_FOUND;
  }

  /**
   * The value of the longest key that is a prefix of `s` (of a reversed trie: the longest key that is a
   * suffix of `s`), or -1. `matchedLength` holds that key's length. The walk of `walk`, written out with
   * the match check inline (a callback per terminal node cost ~8% of a hostname lookup).
   */
  longestPrefix(s: string): number {
    this.matchedLength = 0;
    if (this.labels !== undefined) {
      const value = this.labels.longest(s, this.reversed, this.boundary);
      if (value !== ASK_THE_TRIE) {
        if (value !== NOT_FOUND) this.matchedLength = this.labels.length;
        return value;
      }
    }
    return this.walkLongest(s);
  }

  /** `longestPrefix` by walking the trie a unit at a time. */
  private walkLongest(s: string): number {
    if (this.nodeCount === 0) return NOT_FOUND;
    const nodes = this.nodes;
    const blob = this.blob8;
    const n = s.length;
    const rev = this.reversed;
    const b = this.boundary;
    let best = -1;
    let bestLength = 0;
    let node = 0;
    let i = 0;
    for (let steps = 0; ; steps++) {
      if (steps > n + 1) throw Errors.corrupt(`sections.${this.section.name}`, 'trie walk does not advance (run verify() on untrusted bytes)');
      const w = node * NODE_WORDS;
      const start = nodes[w] as number;
      const lenWord = nodes[w + 1] as number;
      const len = lenWord & OFFSET_MASK;
      if (lenWord >>> 31 === 0) {
        for (let k = 0; k < len; k++, i++) {
          if (i >= n || (blob[start + k] as number) !== (rev ? s.charCodeAt(n - 1 - i) : s.charCodeAt(i))) return this.matched(best, bestLength);
        }
      } else {
        for (let k = 0; k < len; k++, i++) {
          if (i >= n || this.unit(start, k, 1) !== (rev ? s.charCodeAt(n - 1 - i) : s.charCodeAt(i))) return this.matched(best, bestLength);
        }
      }
      if (((nodes[w + 3] as number) & TERMINAL) !== 0) {
        // With a boundary, a key counts only if it is the whole query, or stops at a segment's edge: the
        // query's next unit is the boundary ("co.uk" in "example.co.uk"), or the key's last one is
        // (".co.uk"). The empty key matches everything.
        if (b < 0 || i === 0 || i === n || (rev ? s.charCodeAt(n - 1 - i) : s.charCodeAt(i)) === b || (rev ? s.charCodeAt(n - i) : s.charCodeAt(i - 1)) === b) {
          best = node;
          bestLength = i;
        }
      }
      if (i === n) return this.matched(best, bestLength);
      const next = this.child(node, rev ? s.charCodeAt(n - 1 - i) : s.charCodeAt(i));
      if (next < 0) return this.matched(best, bestLength);
      node = next;
    }
  }

  /** The value of node `best` (recording the match's length), or -1 for none. */
  private matched(best: number, length: number): number {
    if (best < 0) return NOT_FOUND;
    this.matchedLength = length;
    return this.values[this.nodes[best * NODE_WORDS + 4] as number] as number;
  }

  /** For a reversed trie: the value of the longest key that is a suffix of `s`, or -1. */
  longestSuffix(s: string): number {
    if (!this.reversed) throw Errors.sectionKind(this.section.name, 'a reversed trie (built with reversed: true)', 'a forward trie');
    return this.longestPrefix(s);
  }

  /** Ranks [lo, hi) of the keys starting with `prefix` (ending with it, for a reversed trie), in sorted order. */
  prefixRange(prefix: string): [number, number] {
    const node = this.walk(prefix);
    if (node < 0) return [0, 0];
    const w = node * NODE_WORDS;
    const lo = this.nodes[w + 4] as number;
    return [lo, lo + (this.nodes[w + 5] as number)];
  }

  /** The key with rank `r` (decoded; reversed tries give it the right way round). */
  keyAt(r: number): string {
    if (!(r >>> 0 === r && r < this.size)) throw Errors.valueOutOfRange(`a rank 0..${this.size - 1}`, r, `${this.section.name}.keyAt()`);
    const { start, length, wide } = this.keyBytes(r);
    const out = decodeUnits(this.blob8, start, length, wide === 1);
    return this.reversed ? reverseUnits(out) : out; // code units back in order: every string round-trips
  }

  /** Where key r's units are: first byte, length in units, width (0: a byte each, 1: two). */
  private keyBytes(r: number): { start: number; length: number; wide: number } {
    const word = this.keyOffsets[r] as number;
    const start = word & OFFSET_MASK;
    const wide = word >>> 31;
    return { start, length: (((this.keyOffsets[r + 1] as number) & OFFSET_MASK) - start) >>> wide, wide };
  }

  /** The value with rank `r`. */
  valueAt(r: number): number {
    if (!(r >>> 0 === r && r < this.size)) throw Errors.valueOutOfRange(`a rank 0..${this.size - 1}`, r, `${this.section.name}.valueAt()`);
    return this.values[r] as number;
  }

  /** Keys starting with `prefix` and their values, in sorted order; strings are decoded lazily. */
  *withPrefix(prefix: string): IterableIterator<[string, number]> {
    const [lo, hi] = this.prefixRange(prefix);
    for (let r = lo; r < hi; r++) yield [this.keyAt(r), this.values[r] as number];
  }

  /** Full walk for untrusted bytes. */
  verify(): void {
    const where = `sections.${this.section.name}`;
    const n = this.size;
    for (let r = 0; r < n; r++) {
      const a = this.keyOffsets[r] as number;
      const b = (this.keyOffsets[r + 1] as number) & OFFSET_MASK;
      if ((a & OFFSET_MASK) > b) throw Errors.corrupt(`${where}.keys[${r}]`, 'key offsets out of order');
      if (a >>> 31 === 1 && (b - (a & OFFSET_MASK)) % 2 !== 0) throw Errors.corrupt(`${where}.keys[${r}]`, 'a UTF-16 key with an odd number of bytes');
    }
    if (n > 0 && (this.keyOffsets[n] as number) !== this.blobBytes) throw Errors.corrupt(`${where}.keys`, 'keys do not end where the blob does', this.blobBytes, this.keyOffsets[n] as number);
    if (this.labels !== undefined) {
      this.labels.verifyRoot(n);
      for (let r = 0; r < n; r++) {
        const key = this.keyBytes(r);
        this.labels.verifyKey(r, key.length, (k) => this.unit(key.start, k, key.wide), this.boundary, this.keyOffsets[r] as number, this.values[r] as number);
      }
    }
    const depth = new Float64Array(this.nodeCount); // 1 + the depth a node's label starts at; 0 = not reached yet
    for (let node = 0; node < this.nodeCount; node++) {
      const w = node * NODE_WORDS;
      const [start, lenWord, firstChild, packed, rank, count] = [0, 1, 2, 3, 4, 5].map((k) => this.nodes[w + k] as number) as [number, number, number, number, number, number];
      const len = lenWord & OFFSET_MASK;
      const wide = lenWord >>> 31;
      const children = packed & COUNT_MASK;
      const at = `${where}.nodes[${node}]`;
      if (start + len * (wide + 1) > this.blobBytes) throw Errors.corrupt(at, 'label past the blob', `≤ ${this.blobBytes}`, start + len * (wide + 1));
      if (children > 0 && (firstChild <= node || firstChild + children > this.nodeCount)) throw Errors.corrupt(at, 'children must come after their parent and inside the node array');
      if (rank + count > n || count === 0) throw Errors.corrupt(at, 'rank range outside the keys', `⊆ [0, ${n})`, `[${rank}, ${rank + count})`);
      if (len > 0 && this.firstUnit[node] !== this.unit(start, 0, wide)) throw Errors.corrupt(at, 'first unit differs from the label');
      if (node > 0 && len === 0) throw Errors.corrupt(at, 'empty label below the root');
      // Children are searched by binary search over their first units: out of order, keys go missing.
      for (let c = firstChild + 1; c < firstChild + children; c++) {
        if ((this.firstUnit[c] as number) <= (this.firstUnit[c - 1] as number)) throw Errors.corrupt(at, 'children out of order (or two sharing a first unit)');
      }
      // The walk must reach the rank it names: each node's path is a prefix of its first key (the whole
      // key when terminal), its children's rank ranges tile its own, and every node has one parent.
      // Otherwise a lookup could land on another key's row while keyAt(rank) still looked right.
      const d = node === 0 ? 0 : (depth[node] as number) - 1;
      if (node > 0 && d < 0) continue; // unreachable: no walk gets here
      const key = this.keyBytes(rank);
      const terminal = (packed & TERMINAL) !== 0;
      if (d + len > key.length || (terminal && d + len !== key.length)) throw Errors.corrupt(at, "node path and its first key differ in length");
      for (let k = 0; k < len; k++) if (this.unit(start, k, wide) !== this.unit(key.start, d + k, key.wide)) throw Errors.corrupt(at, 'node label differs from its first key');
      let next = rank + (terminal ? 1 : 0);
      for (let c = firstChild; c < firstChild + children; c++) {
        if (depth[c] !== 0) throw Errors.corrupt(at, 'a node with two parents');
        depth[c] = d + len + 1;
        if (this.nodes[c * NODE_WORDS + 4] !== next) throw Errors.corrupt(`${where}.nodes[${c}]`, 'rank differs from where its parent puts it', next, this.nodes[c * NODE_WORDS + 4] as number);
        next += this.nodes[c * NODE_WORDS + 5] as number;
      }
      if (next !== rank + count || (children === 0 && !terminal)) throw Errors.corrupt(at, "children's keys do not add up to the node's");
    }
  }
}

function reverseUnits(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}
