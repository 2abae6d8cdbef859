/**
 * Builds a trie section (layout in ../trie.ts). Keys are sorted by UTF-16 code units (JS string order),
 * duplicates refused naming both entries, then nodes are made breadth-first: a node covers a range of
 * sorted keys that share its path; its label runs to their longest common prefix; its children group the
 * rest by their next code unit. A node has at least two children or ends a key, so there are < 2n nodes.
 */
import { Errors } from '../errors.js';
import { FLAG_BOUNDARY, FLAG_REVERSED, NODE_WORDS, TERMINAL, TRIE_KIND, TR_HEADER, trieLayout } from '../trie.js';
import { isLatin1, writeUnits } from '../units.js';
import type { ArenaBuilder } from './builder.js';

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
}

const reverse = (s: string): string => {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
};

export function writeTrie(builder: ArenaBuilder, name: string, keys: readonly string[], values: ArrayLike<number>, options: TrieOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  if (options.boundary !== undefined && (typeof options.boundary !== 'string' || options.boundary.length > 1)) {
    throw Errors.valueOutOfRange('a boundary of one character (a UTF-16 code unit), or none', options.boundary, `${path}.boundary`);
  }
  const stored: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (typeof k !== 'string') throw Errors.valueOutOfRange('a string key', k, `${path}[${i}]`);
    const v = values[i] as number;
    if (v >>> 0 !== v) throw Errors.valueOutOfRange('a u32 value', v, `${path}[${i}]`);
    stored[i] = options.reversed === true ? reverse(k) : k;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = stored[a] as string;
    const y = stored[b] as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const sorted = order.map((i) => stored[i] as string);
  for (let r = 1; r < n; r++) {
    if (sorted[r] === sorted[r - 1]) {
      const a = Math.min(order[r - 1] as number, order[r] as number);
      const b = Math.max(order[r - 1] as number, order[r] as number);
      throw options.duplicate?.(a, b) ?? Errors.duplicateKey(path, JSON.stringify(keys[b]), a, b);
    }
  }

  // Blob: the sorted keys, 1 byte per unit if all are Latin-1, else 2.
  let units = 0;
  let wide = false;
  const offsets = new Uint32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const k = sorted[r] as string;
    offsets[r] = units;
    units += k.length;
    if (!wide && !isLatin1(k)) wide = true;
  }
  offsets[n] = units;
  const width = wide ? 2 : 1;

  // Nodes, breadth-first.
  const nodeWords: number[] = [];
  const first: number[] = [];
  const queue: [number, number, number][] = n === 0 ? [] : [[0, n, 0]]; // key range [lo, hi), depth
  for (let head = 0; head < queue.length; head++) {
    const [lo, hi, depth] = queue[head] as [number, number, number];
    const a = sorted[lo] as string;
    const z = sorted[hi - 1] as string;
    let end = depth;
    while (end < a.length && end < z.length && a.charCodeAt(end) === z.charCodeAt(end)) end++;
    const terminal = a.length === end;
    const firstChild = queue.length;
    let children = 0;
    for (let r = terminal ? lo + 1 : lo; r < hi; ) {
      const c = (sorted[r] as string).charCodeAt(end);
      let s = r + 1;
      while (s < hi && (sorted[s] as string).charCodeAt(end) === c) s++;
      queue.push([r, s, end]);
      children++;
      r = s;
    }
    nodeWords.push((offsets[lo] as number) + depth, end - depth, children > 0 ? firstChild : 0, (children | (terminal ? TERMINAL : 0)) >>> 0, lo, hi - lo);
    first.push(end > depth ? a.charCodeAt(depth) : 0);
  }
  const nodes = first.length;

  const l = trieLayout(n, nodes, width, units);
  const bytes = new Uint8Array(l.end);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, n, true);
  dv.setUint32(4, nodes, true);
  dv.setUint32(8, width, true);
  const boundary = options.boundary ?? '';
  dv.setUint32(12, ((options.reversed === true ? FLAG_REVERSED : 0) | (boundary === '' ? 0 : FLAG_BOUNDARY | (boundary.charCodeAt(0) << 16))) >>> 0, true);
  dv.setUint32(16, units, true);
  for (let k = 0; k < nodes * NODE_WORDS; k++) dv.setUint32(l.nodes + 4 * k, nodeWords[k] as number, true);
  for (let k = 0; k < nodes; k++) dv.setUint16(l.first + 2 * k, first[k] as number, true);
  for (let r = 0; r < n; r++) dv.setUint32(l.values + 4 * r, values[order[r] as number] as number, true);
  for (let r = 0; r <= n; r++) dv.setUint32(l.keys + 4 * r, offsets[r] as number, true);
  let p = l.blob;
  for (const k of sorted) p = writeUnits(bytes, p, k, wide);
  if (TR_HEADER !== l.nodes) throw new Error('internal: trie header size');
  const w = builder.section(name, { kind: TRIE_KIND, align: 8 });
  w.bytes(bytes);
  w.end();
}
