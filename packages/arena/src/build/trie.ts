/**
 * Builds a trie section (layout in ../trie.ts). Keys are sorted by UTF-16 code units (JS string order),
 * duplicates refused naming both entries, then nodes are made breadth-first: a node covers a range of
 * sorted keys that share its path; its label runs to their longest common prefix; its children group the
 * rest by their next code unit. A node has at least two children or ends a key, so there are < 2n nodes.
 */
import { Errors } from '../errors.js';
import { LITTLE_ENDIAN_HOST } from '../format.js';
import { FLAG_BOUNDARY, FLAG_LABELS, FLAG_LIGHT_HASH, FLAG_REVERSED, NODE_WORDS, PER_KEY, TERMINAL, TRIE_KIND, TR_HEADER, WIDE, trieLayout } from '../trie-format.js';
import type { ArenaBuilder } from './builder.js';
import { sortByUnits } from './sort-units.js';
import { buildLabelIndex } from './trie-labels.js';

/** Options of {@link writeTrie}. */
export interface TrieOptions {
  /** Store keys backwards: the trie then answers longest-suffix queries (hostname rules). */
  reversed?: boolean;
  /**
   * One character at which keys match whole segments ('.' for hostnames, '/' for paths): longest
   * prefix/suffix matches then stop only where the query does or at this character.
   */
  boundary?: string;
  /** How entries are named in errors (default the section name). */
  path?: string;
  /** Makes the error for a duplicate key; `first < second` are entry numbers. */
  duplicate?: (first: number, second: number) => Error;
  /**
   * The label index's hash: 'light' (the default since format 2.3) or 'fmix', as format 2.2 wrote it:
   * a trie that a sabre reading format 2.2 can still open (its longest matches are ~10% slower).
   */
  labelHash?: 'light' | 'fmix';
}

/**
 * Writes a trie from string keys to u32 values as section `name` (kind Trie), read with `TrieView`.
 * Throws ARENA_BUILD_FAILED if keys and values differ in number, VALUE_OUT_OF_RANGE for a key that is
 * not a string, a value that is not a u32 or a boundary longer than one character, and
 * ARENA_DUPLICATE_KEY (or `options.duplicate`'s error) naming both entries if a key repeats.
 */
export function writeTrie(builder: ArenaBuilder, name: string, keys: readonly string[], values: ArrayLike<number>, options: TrieOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  if (options.boundary !== undefined && (typeof options.boundary !== 'string' || options.boundary.length > 1)) {
    throw Errors.valueOutOfRange('a boundary of one character (a UTF-16 code unit), or none', options.boundary, `${path}.boundary`);
  }
  if (options.labelHash !== undefined && options.labelHash !== 'light' && options.labelHash !== 'fmix') {
    throw Errors.valueOutOfRange("a label hash of 'light' (the default) or 'fmix'", options.labelHash, `${path}.labelHash`);
  }
  // Every key's code units in one flat array (backwards for a reversed trie), in entry order: sorting
  // and the node walk read units from here, never a string per key (reversed strings made per key, and a
  // comparator sort over them, were most of a trie's build).
  const entryAt = new Uint32Array(n + 1);
  let units = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (typeof k !== 'string') throw Errors.valueOutOfRange('a string key', k, `${path}[${i}]`);
    const v = values[i] as number;
    if (typeof v !== 'number' || v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    entryAt[i] = units;
    units += k.length;
  }
  entryAt[n] = units;
  // One byte per unit while every unit is Latin-1 (hostnames, paths), two from the first that is not:
  // fresh memory is paid for in page faults, and this array is the build's largest.
  let byEntry: Uint8Array | Uint16Array = new Uint8Array(units);
  const backwards = options.reversed === true;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    const at = entryAt[i] as number;
    const last = k.length - 1;
    for (let u = 0; u <= last; u++) {
      const c = k.charCodeAt(u);
      if (c > 0xff && byEntry instanceof Uint8Array) byEntry = Uint16Array.from(byEntry);
      byEntry[backwards ? at + last - u : at + u] = c;
    }
  }
  const order = sortByUnits(byEntry, entryAt, n);

  // The units again in sorted order (rank r is entry order[r]): the node walk then reads them front to
  // back, and when every key is Latin-1 they are the blob as they stand. Each key's width on its own:
  // one byte per unit when every unit is ≤ 0xff, else two; its bytes start at bytesAt[r] (wide keys need
  // no alignment: readers take their units a byte at a time).
  const units8 = byEntry instanceof Uint8Array;
  const sorted = units8 ? new Uint8Array(units) : new Uint16Array(units);
  const rankAt = new Uint32Array(n + 1);
  const wide = new Uint8Array(n);
  const bytesAt = new Uint32Array(n + 1);
  let bytes = 0;
  let to = 0;
  for (let r = 0; r < n; r++) {
    const e = order[r] as number;
    const from = entryAt[e] as number;
    const end = entryAt[e + 1] as number;
    rankAt[r] = to;
    let w = 0;
    for (let u = from; u < end; u++) {
      const c = byEntry[u] as number;
      sorted[to++] = c;
      w |= c;
    }
    wide[r] = w > 0xff ? 1 : 0;
    bytesAt[r] = bytes;
    bytes += (end - from) << (wide[r] as number);
  }
  rankAt[n] = to;
  bytesAt[n] = bytes;
  // Equal keys sort next to each other, by entry number: the first such pair names the duplicate.
  for (let r = 1; r < n; r++) {
    const at = rankAt[r] as number;
    const prev = rankAt[r - 1] as number;
    const len = (rankAt[r + 1] as number) - at;
    if (len !== at - prev) continue;
    let u = 0;
    while (u < len && sorted[at + u] === sorted[prev + u]) u++;
    if (u === len) {
      const a = order[r - 1] as number;
      const b = order[r] as number;
      throw options.duplicate?.(a, b) ?? Errors.duplicateKey(path, JSON.stringify(keys[b]), a, b);
    }
  }
  /** Unit `d` of sorted key r, or -1 past its end. */
  const unitAt = (r: number, d: number): number => {
    const p = (rankAt[r] as number) + d;
    return p < (rankAt[r + 1] as number) ? (sorted[p] as number) : -1;
  };

  // Nodes, breadth-first. Node words double as the queue: a node is enqueued as its key range [lo, hi)
  // (words 4 and 5, as stored) and its depth (word 0, until the node is written). Fewer than 2n nodes
  // (each has ≥ 2 children or ends a key). They are written in place: the section claims room for 2n
  // nodes, and keeps what it used. Pages past the last node are never touched, so they cost nothing;
  // private arrays copied in afterwards faulted in twice the memory, the build's largest cost.
  const cap = Math.max(1, 2 * n);
  const w = builder.section(name, { kind: TRIE_KIND, align: 8 });
  const base = w.base;
  // In place on a little-endian host (the format's byte order), unless room for 2n nodes would pass the
  // builder's limits when the trie itself may not: then, as on other hosts, copied in at the end.
  const most = trieLayout(n, cap, bytes, 0).labels;
  const inPlace = LITTLE_ENDIAN_HOST && builder.fits(w, most);
  if (inPlace) w.setLength(most);
  const nodeWords = inPlace ? new Uint32Array(builder.bytes.buffer, base + TR_HEADER, NODE_WORDS * cap) : new Uint32Array(NODE_WORDS * cap);
  const first = new Uint16Array(cap);
  let tail = 0;
  if (n > 0) tail = 1; // the root: [0, n) at depth 0 (the array is zeroed)
  nodeWords[5] = n;
  let nodes = 0;
  for (let head = 0; head < tail; head++) {
    const lo = nodeWords[NODE_WORDS * head + 4] as number;
    const hi = lo + (nodeWords[NODE_WORDS * head + 5] as number);
    const depth = nodeWords[NODE_WORDS * head] as number;
    // The label runs to the longest common prefix of the range: that of its first and last keys.
    let end = depth;
    while (unitAt(lo, end) >= 0 && unitAt(lo, end) === unitAt(hi - 1, end)) end++;
    const terminal = unitAt(lo, end) < 0;
    const firstChild = tail;
    let children = 0;
    for (let r = terminal ? lo + 1 : lo; r < hi; ) {
      const c = unitAt(r, end);
      let t = r + 1;
      while (t < hi && unitAt(t, end) === c) t++;
      nodeWords[NODE_WORDS * tail] = end;
      nodeWords[NODE_WORDS * tail + 4] = r;
      nodeWords[NODE_WORDS * tail + 5] = t - r;
      tail++;
      children++;
      r = t;
    }
    const at = NODE_WORDS * nodes;
    const lw = wide[lo] as number; // the label lies in key lo, so it has its width
    nodeWords[at] = (bytesAt[lo] as number) + (depth << lw);
    nodeWords[at + 1] = ((end - depth) | (lw === 1 ? WIDE : 0)) >>> 0;
    nodeWords[at + 2] = children > 0 ? firstChild : 0;
    nodeWords[at + 3] = (children | (terminal ? TERMINAL : 0)) >>> 0;
    first[nodes] = end > depth ? (unitAt(lo, depth) as number) : 0;
    nodes++;
  }

  // With a boundary, a label index answers longest-prefix (suffix) matches a segment at a time.
  const boundary = options.boundary ?? '';
  const light = options.labelHash !== 'fmix';
  const keyWord = (r: number) => ((bytesAt[r] as number) | (wide[r] === 1 ? WIDE : 0)) >>> 0;
  const value = (r: number) => values[order[r] as number] as number;
  // Its table goes in place too, after the blob (each attempt gets zeroed words there).
  const labelsAt = trieLayout(n, nodes, bytes, 0).labels;
  let tablesInPlace = LITTLE_ENDIAN_HOST;
  const tableOf = (words: number): Uint32Array => {
    // Past the limits, an attempt's table is built aside: the attempt may fail, and the trie without
    // labels may still fit (copied in at the end, as on big-endian hosts).
    if (tablesInPlace) tablesInPlace = builder.fits(w, labelsAt + 4 * words);
    if (!tablesInPlace) return new Uint32Array(words);
    w.setLength(labelsAt + 4 * words);
    const table = new Uint32Array(builder.bytes.buffer, base + labelsAt, words);
    table.fill(0); // an earlier attempt's words (fresh pages are zero already: this only clears them)
    return table;
  };
  const labels = boundary === '' ? undefined : buildLabelIndex({ n, units: sorted, rankAt, keyWord, value }, boundary.charCodeAt(0), light, tableOf);

  const l = trieLayout(n, nodes, bytes, labels?.slots ?? 0);
  if (TR_HEADER !== l.nodes) throw new Error('internal: trie header size');
  w.setLength(l.end); // then the views: making room may move the arena
  const dv = builder.view;
  const u8 = builder.bytes;
  dv.setUint32(base, n, true);
  dv.setUint32(base + 4, nodes, true);
  dv.setUint32(base + 8, PER_KEY, true);
  const flags = (options.reversed === true ? FLAG_REVERSED : 0) | (boundary === '' ? 0 : FLAG_BOUNDARY | (boundary.charCodeAt(0) << 16)) | (labels === undefined ? 0 : FLAG_LABELS | (light ? FLAG_LIGHT_HASH : 0));
  dv.setUint32(base + 12, flags >>> 0, true);
  dv.setUint32(base + 16, bytes, true);
  if (labels !== undefined) {
    dv.setUint32(base + 20, labels.slots, true);
    dv.setUint32(base + 24, labels.seed, true);
    dv.setUint32(base + 28, labels.maxProbe, true);
    const table = labels.table;
    if (LITTLE_ENDIAN_HOST) {
      if (!tablesInPlace) u8.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), base + l.labels);
    } else for (let k = 0; k < table.length; k++) dv.setUint32(base + l.labels + 4 * k, table[k] as number, true);
  }
  if (LITTLE_ENDIAN_HOST) {
    if (!inPlace) u8.set(new Uint8Array(nodeWords.buffer, 0, nodes * NODE_WORDS * 4), base + l.nodes);
    u8.set(new Uint8Array(first.buffer, 0, nodes * 2), base + l.first);
  } else {
    for (let k = 0; k < nodes * NODE_WORDS; k++) dv.setUint32(base + l.nodes + 4 * k, nodeWords[k] as number, true);
    for (let k = 0; k < nodes; k++) dv.setUint16(base + l.first + 2 * k, first[k] as number, true);
  }
  for (let r = 0; r < n; r++) dv.setUint32(base + l.values + 4 * r, value(r), true);
  for (let r = 0; r < n; r++) dv.setUint32(base + l.keys + 4 * r, keyWord(r), true);
  dv.setUint32(base + l.keys + 4 * n, bytesAt[n] as number, true);
  if (units8) u8.set(sorted, base + l.blob); // every key one byte per unit: the sorted units are the blob
  else {
    for (let r = 0; r < n; r++) {
      const from = rankAt[r] as number;
      const end = rankAt[r + 1] as number;
      const at = base + l.blob + (bytesAt[r] as number);
      if (wide[r] === 1) for (let u = from; u < end; u++) dv.setUint16(at + 2 * (u - from), sorted[u] as number, true);
      else for (let u = from; u < end; u++) u8[at + u - from] = sorted[u] as number;
    }
  }
  w.end();
}
