/**
 * The hash map as a container kind (`s.hashMap(...)` in a schema): rows with a perfect-hash index
 * (hash-map.ts) on one string or unsigned field, and how verify, scans and generic queries reach them.
 */
import { requiredField, type ContainerKind } from './container.js';
import { HashMapView } from './hash-map.js';
import { SectionKind } from './kinds.js';
import { SCALARS } from './scalars.js';
import { NOT_FOUND } from './section.js';
import { IndexedTable, type View } from './views.js';

/** A table with a hash index on one field: `get(key)` is the row with that key, or undefined. */
export class KeyedTable<V extends View, K extends string | number | bigint> extends IndexedTable<V, HashMapView> {
  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, index: HashMapView) {
    super(name, byteLength, stride, make, index, 'hash index');
  }

  /** IndexedTable.view, written out for this table kind (why: see there). */
  protected override view(row: number, cursor: V | undefined): V | undefined {
    if (row >>> 0 !== row || row >= this.length) return row === NOT_FOUND ? undefined : this.at(row, cursor);
    if (cursor === undefined) return this.make(row * this.stride);
    if (cursor.$c !== this.ctx) return this.at(row, cursor);
    cursor.$o = row * this.stride;
    return cursor;
  }

  /**
   * The row whose key is `key`: `cursor` moved there (no allocation), or a new view without one;
   * undefined if there is none.
   */
  get(key: K, cursor?: V): V | undefined {
    return this.view(this.indexOf(key), cursor);
  }

  has(key: K): boolean {
    return this.indexOf(key) !== NOT_FOUND;
  }

  /** The row number of `key`, or -1: no view made. */
  indexOf(key: K): number {
    return typeof key === 'string' ? this.index.get(key) : this.index.getInt(key);
  }
}

/** The hash map as a container kind: rows with a perfect-hash index on one string or unsigned field. */
export const HASH_MAP = {
  title: 'hash map',
  sectionKind: SectionKind.HashMap,
  options: { key: 'field' },
  checkOptions: (o, fieldOf) =>
    requiredField(fieldOf, o.key, (s) => s.kind === 'str' || (s.kind === 'scalar' && SCALARS[s.type].unsigned && SCALARS[s.type].size <= 8)) === undefined ? { option: 'key', want: 'a required string or unsigned integer (u8, u16, u32, u64) field' } : undefined,
  open: (section) => new HashMapView(section),
  verify: (index) => index.verify(),
  size: (index) => index.size,
  rows: (index) => index.values(),
  *keys(index) {
    for (const [key, row] of index.entries()) yield { row, keys: [key], match: 'equal' };
  },
  queries: {
    get: (index, key: string | number | bigint) => (typeof key === 'string' ? index.get(key) : index.getInt(key)),
  },
} as const satisfies ContainerKind<HashMapView, { key: 'field' }>;
