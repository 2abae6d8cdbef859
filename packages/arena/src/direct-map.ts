/**
 * A direct map: rows keyed by a small unsigned integer whose values are dense (ids, country calling
 * codes, ports), found by one array read — no hashing, no comparison. The index is an array of row
 * numbers over the keys' span, from the smallest key to the largest:
 *
 * ```
 *  off  size   field
 *   0   4      count n (keys)
 *   4   4      first key k0 (the smallest)
 *   8   4      span S = last key − k0 + 1 (0 when n = 0); k0 + S ≤ 2^32
 *  12   4      reserved = 0
 *  16   4·S    slots: slot[k − k0] = the value (row) of key k, or EMPTY (0xffffffff) if no key is k
 * ```
 *
 * The builder refuses a span past max(1024, 4·n) slots (16 bytes of index per key), which would waste
 * memory on sparse keys: those belong in a hash map.
 */
import { requiredField, type ContainerKind } from './container.js';
import { Errors } from './errors.js';
import { SectionKind } from './kinds.js';
import { SCALARS } from './scalars.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { IndexedTable, type View } from './views.js';

export const DIRECT_MAP_KIND = SectionKind.DirectMap;
export const DM_HEADER = 16;
export const EMPTY = 0xffff_ffff;
/** The most slots a direct map may span for n keys. */
export const maxSpanFor = (n: number): number => Math.max(1024, 4 * n);

/** Reads a direct map section: the row of a small unsigned integer key in one array read, or -1. */
export class DirectMapView {
  /** Number of keys. */
  readonly size: number;
  /** The smallest key. */
  readonly first: number;
  /** Slots from the smallest key to the largest. */
  readonly span: number;
  private readonly slots: Uint32Array;

  /**
   * O(1): checks that the slots fit the section (ARENA_CORRUPT if not); `verify` checks every slot.
   * @param section - The direct map's section (kind DirectMap).
   */
  constructor(readonly section: SectionView) {
    const where = `sections.${section.name}`;
    if (section.byteLength < DM_HEADER) throw Errors.corrupt(where, 'direct map shorter than its header', `≥ ${DM_HEADER} bytes`, section.byteLength);
    const v = section.view;
    const n = v.getUint32(0, true);
    const first = v.getUint32(4, true);
    const span = v.getUint32(8, true);
    if (DM_HEADER + 4 * span > section.byteLength) throw Errors.corrupt(where, 'direct map larger than its section', `≤ ${section.byteLength} bytes`, DM_HEADER + 4 * span);
    if (n > span || first + span > 2 ** 32) throw Errors.corrupt(where, 'direct map with impossible sizes', 'keys ≤ span and first + span ≤ 2^32', `${n} keys, first ${first}, span ${span}`);
    this.size = n;
    this.first = first;
    this.span = span;
    this.slots = new Uint32Array(section.bytes.buffer, section.bytes.byteOffset + DM_HEADER, span);
  }

  /** The row of `key` (an integer, or a bigint), or -1. One subtraction, one compare, one read. */
  get(key: number | bigint): number {
    const i = (typeof key === 'number' ? key : key >= 0n && key < 0x1_0000_0000n ? Number(key) : -1) - this.first;
    if (!(i >>> 0 === i && i < this.span)) return NOT_FOUND; // also refuses fractions, NaN and negatives
    const row = this.slots[i] as number;
    return row === EMPTY ? NOT_FOUND : row;
  }

  /** True if `key` is in the map (`get(key) !== -1`). */
  has(key: number | bigint): boolean {
    return this.get(key) !== NOT_FOUND;
  }

  /** Every (key, row) pair, in key order. */
  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.span; i++) if (this.slots[i] !== EMPTY) yield [this.first + i, this.slots[i] as number];
  }

  /** Every row number, in key order. */
  *values(): IterableIterator<number> {
    for (const [, row] of this.entries()) yield row;
  }

  /**
   * Full walk: as many used slots as keys. (Any value is in bounds for this section; that each names a
   * row of its table, `verify()` checks through the container's `rows`.)
   */
  verify(): void {
    let used = 0;
    for (let i = 0; i < this.span; i++) if (this.slots[i] !== EMPTY) used++;
    if (used !== this.size) throw Errors.corrupt(`sections.${this.section.name}`, 'used slots differ from the key count', this.size, used);
  }
}

/** A table with a direct index on one small unsigned field: `get(key)` is the row with that key. */
export class DirectTable<V extends View> extends IndexedTable<V, DirectMapView> {
  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, index: DirectMapView) {
    super(name, byteLength, stride, make, index, 'direct map');
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
  get(key: number, cursor?: V): V | undefined {
    return this.view(this.index.get(key), cursor);
  }

  has(key: number): boolean {
    return this.index.get(key) !== NOT_FOUND;
  }

  /** The row number of `key`, or -1: no view made. */
  indexOf(key: number): number {
    return this.index.get(key);
  }
}

/** The direct map as a container kind: rows with a one-read index on a dense u8, u16 or u32 field. */
export const DIRECT_MAP = {
  title: 'direct map',
  sectionKind: SectionKind.DirectMap,
  options: { key: 'field' },
  checkOptions: (o, fieldOf) =>
    requiredField(fieldOf, o.key, (s) => s.kind === 'scalar' && SCALARS[s.type].unsigned && SCALARS[s.type].size <= 4) === undefined ? { option: 'key', want: 'a required u8, u16 or u32 field' } : undefined,
  open: (section) => new DirectMapView(section),
  verify: (index) => index.verify(),
  size: (index) => index.size,
  rows: (index) => index.values(),
  *keys(index) {
    for (const [key, row] of index.entries()) yield { row, keys: [BigInt(key)], match: 'equal' };
  },
  queries: {
    get: (index, key: number | bigint) => index.get(key),
  },
} as const satisfies ContainerKind<DirectMapView, { key: 'field' }>;
