/**
 * The trie as a container kind (`s.trie(...)` in a schema): a table of rows with a trie (trie.ts) on a
 * string field, and how verify, scans and generic queries reach it.
 */
import { requiredField, type ContainerKind } from './container.js';
import { SectionKind } from './kinds.js';
import { NOT_FOUND } from './section.js';
import { TrieView } from './trie.js';
import { IndexedTable, type View } from './views.js';

/**
 * A table with a trie on a string field: `get(key)`, `longestPrefix(s)` (or `longestSuffix(s)` when
 * built reversed) and `withPrefix(p)`, all giving row views; `matchedLength` is the length of the key
 * the last longest-prefix call matched.
 */
export class TrieTable<V extends View> extends IndexedTable<V, TrieView> {
  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, index: TrieView) {
    super(name, byteLength, stride, make, index, 'trie');
  }

  /** IndexedTable.view, written out for this table kind (why: see there). */
  protected override view(row: number, cursor: V | undefined): V | undefined {
    if (row >>> 0 !== row || row >= this.length) return row === NOT_FOUND ? undefined : this.at(row, cursor);
    if (cursor === undefined) return this.make(row * this.stride);
    if (cursor.$c !== this.ctx) return this.at(row, cursor);
    cursor.$o = row * this.stride;
    return cursor;
  }

  /** The row whose key is `key` (`cursor` moved there, or a new view); undefined if there is none. */
  get(key: string, cursor?: V): V | undefined {
    return this.view(this.index.get(key), cursor);
  }

  has(key: string): boolean {
    return this.index.get(key) !== NOT_FOUND;
  }

  /** The row number of `key`, or -1: no view made. */
  indexOf(key: string): number {
    return this.index.get(key);
  }

  /** The row with the longest key that is a prefix of `s` (a suffix, for a reversed trie); `cursor` moved there, or a new view. */
  longestPrefix(s: string, cursor?: V): V | undefined {
    return this.view(this.index.longestPrefix(s), cursor);
  }

  /** For a trie built with `reversed: true`: the row with the longest key that is a suffix of `s`; `cursor` moved there, or a new view. */
  longestSuffix(s: string, cursor?: V): V | undefined {
    return this.view(this.index.longestSuffix(s), cursor);
  }

  /** The row number `longestPrefix(s)` would give, or -1: no view made. */
  longestPrefixIndex(s: string): number {
    return this.index.longestPrefix(s);
  }

  /** The row number `longestSuffix(s)` would give, or -1: no view made. */
  longestSuffixIndex(s: string): number {
    return this.index.longestSuffix(s);
  }

  get matchedLength(): number {
    return this.index.matchedLength;
  }

  /** Rows whose key starts with `prefix` (ends with it, if reversed), in key order. */
  *withPrefix(prefix: string): IterableIterator<V> {
    const [lo, hi] = this.index.prefixRange(prefix);
    for (let r = lo; r < hi; r++) yield this.at(this.index.valueAt(r));
  }

  /** How many keys start with `prefix` (end with it, if reversed): no row is read. */
  countPrefix(prefix: string): number {
    const [lo, hi] = this.index.prefixRange(prefix);
    return hi - lo;
  }
}

/** The trie as a container kind: rows with a trie on a string field, forwards or reversed. */
export const TRIE = {
  title: 'trie',
  sectionKind: SectionKind.Trie,
  options: { key: 'field', reversed: 'boolean', boundary: 'text' },
  checkOptions: (o, fieldOf) => {
    if (requiredField(fieldOf, o.key, (s) => s.kind === 'str') === undefined) return { option: 'key', want: 'a required string field' };
    if (o.boundary.length > 1) return { option: 'boundary', want: 'one character (a UTF-16 code unit), or none' };
    return undefined;
  },
  open: (section) => new TrieView(section),
  verify: (index) => index.verify(),
  size: (index) => index.size,
  *rows(index) {
    for (let rank = 0; rank < index.size; rank++) yield index.valueAt(rank);
  },
  *keys(index) {
    for (let rank = 0; rank < index.size; rank++) yield { row: index.valueAt(rank), keys: [index.keyAt(rank)], match: 'equal' };
  },
  queries: {
    get: (index, key: string) => index.get(String(key)),
    longestPrefix: (index, s: string) => index.longestPrefix(s),
    longestSuffix: (index, s: string) => index.longestSuffix(s),
  },
} as const satisfies ContainerKind<TrieView, { key: 'field'; reversed: 'boolean'; boundary: 'text' }>;
