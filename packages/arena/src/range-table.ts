/**
 * The range table as a container kind (`s.ranges(...)` in a schema): rows that are disjoint ranges,
 * found through a range index (ranges.ts), and how verify, scans and generic queries reach them.
 */
import { requiredField, type ContainerKind } from './container.js';
import { SectionKind } from './kinds.js';
import { NOT_FOUND, type SectionView } from './section.js';
import { RangesView } from './ranges.js';
import type { RangeProbe32 } from './ranges-u32-probe.js';
import { IndexedTable, type View } from './views.js';

/** A table of ranges: `find(x)` is the row whose [start, end] contains x, or undefined. */
export class RangeTable<V extends View> extends IndexedTable<V, RangesView> {
  /** The index's u32 lookup, when its keys are u32: `find` calls it straight. */
  private readonly probe32: RangeProbe32 | undefined;

  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, index: RangesView) {
    super(name, byteLength, stride, make, index, 'range index', index.split ? undefined : index.size);
    this.probe32 = index.probe32;
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
   * The row whose range contains `x`: `cursor` moved there (no allocation), or a new view without one;
   * undefined if none does.
   */
  find(x: number | bigint, cursor?: V): V | undefined {
    return this.view(this.indexOf(x), cursor);
  }

  /** `find` for a u64 given as its high and low words (no BigInt): `cursor` moved there, or a new view. */
  findWords(high: number, low: number, cursor?: V): V | undefined {
    return this.view(this.index.findWords(high, low), cursor);
  }

  /**
   * The row whose u128 range contains the key in `key[0..3]`, most significant word first — as
   * `parseIPv6` writes an address: `cursor` moved there (no allocation, no BigInt), or a new view.
   */
  find128(key: Uint32Array, cursor?: V): V | undefined {
    return this.view(this.index.find128(key), cursor);
  }

  /** The row number whose range contains `x`, or -1: no view made. */
  indexOf(x: number | bigint): number {
    const probe = this.probe32;
    return probe !== undefined && typeof x === 'number' ? probe.find(x) : this.index.find(x);
  }
}

/** The range table as a container kind: rows that are disjoint [start, end] ranges of a u32, u64 or u128 field pair. */
export const RANGES = {
  title: 'range table',
  sectionKind: SectionKind.Ranges,
  options: { start: 'field', end: 'field', overlaps: 'text' },
  checkOptions: (o, fieldOf) => {
    const start = requiredField(fieldOf, o.start, (s) => s.kind === 'scalar' && (s.type === 'u32' || s.type === 'u64' || s.type === 'u128'));
    if (start === undefined) return { option: 'start', want: 'a required u32, u64 or u128 field' };
    const type = (start.slot as { type: string }).type;
    if (requiredField(fieldOf, o.end, (s) => s.kind === 'scalar' && s.type === type) === undefined) return { option: 'end', want: `a required ${type} field, like start` };
    if (o.overlaps !== '' && o.overlaps !== 'error' && o.overlaps !== 'split') return { option: 'overlaps', want: "'error' (the default) or 'split'" };
    return undefined;
  },
  open: (section, rows?: SectionView) => new RangesView(section, rows),
  verify: (index) => index.verify(),
  size: (index) => (index.split ? undefined : index.size),
  *rows(index) {
    for (let i = 0; i < index.size; i++) yield index.at(i).value;
  },
  *keys(index) {
    for (let i = 0; i < index.size; i++) {
      const { start, end, value } = index.at(i);
      yield { row: value, keys: [start, end], match: index.split ? 'inside' : 'equal' };
    }
  },
  queries: {
    find: (index, x: number | bigint) => index.find(x),
  },
} as const satisfies ContainerKind<RangesView, { start: 'field'; end: 'field'; overlaps: 'text' }>;
