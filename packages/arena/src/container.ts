/**
 * What a container kind (hash map, range table, trie, …) tells the rest of the arena about itself. A
 * container is a table of rows plus an index section (`<name>.index`) over one or more of the rows'
 * fields. Each kind lives in its own files — its reader (e.g. hash-map.ts), its table wrapper and
 * `ContainerKind` (hash-map-table.ts) and its builder (build/hash-map.ts) — and describes itself with one `ContainerKind` object, listed once in
 * CONTAINERS (containers.ts). The layout encoder and decoder, `verify()`, the generic reader and
 * `sabre inspect` work from that object and know no kind by name.
 */
import type { SectionKind } from './kinds.js';
import type { FieldLayout, Slot } from './layout.js';
import type { SectionView } from './section.js';

/**
 * How an option is stored in the layout: the name of a field of the row struct, a flag (false when not
 * given), or a short text ('' when not given).
 */
export type OptionType = 'field' | 'boolean' | 'text';
export type OptionValue<T extends OptionType> = T extends 'boolean' ? boolean : string;
export type OptionsOf<O extends Record<string, OptionType>> = { [K in keyof O]: OptionValue<O[K]> };

/** An option that names an unsuitable field: which option, and what it should name. */
export interface OptionProblem {
  option: string;
  want: string;
}

/** A query of the generic reader: a row number or NOT_FOUND. (Written as a method so kinds' narrower
 * index and argument types still fit the table's general type.) */
type Query<Index> = { q(index: Index, arg: never): number }['q'];

export interface ContainerKind<Index = unknown, Options extends Record<string, OptionType> = Record<string, OptionType>> {
  /** For messages and `sabre inspect`: "hash map". */
  readonly title: string;
  /** The section kind of its index section. */
  readonly sectionKind: SectionKind;
  /** Its options in the layout, in their canonical order (the layout hash covers that order). */
  readonly options: Options;
  /**
   * Which fields the options may name, given the row struct (the options' types were checked already).
   * The schema compiler and the layout decoder both ask this, so a stored layout can claim no more than
   * a schema could have said.
   */
  checkOptions(options: OptionsOf<Options>, fieldOf: (name: string) => FieldLayout | undefined): OptionProblem | undefined;
  /**
   * Opens the index section in O(1) (sizes checked against the section; `verify` checks the rest).
   * `rows` is the table's rows section: a range index may keep its ends there.
   */
  open(section: SectionView, rows?: SectionView): Index;
  /** Walks every byte of the index: after this, no query can leave the section or loop. */
  verify(index: Index): void;
  /**
   * Rows the index covers, once each (must equal the table's rows); undefined for an index whose row
   * numbers may repeat or skip rows (a range table built with `overlaps: 'split'`).
   */
  size(index: Index): number | undefined;
  /** Every row number the index can return, so `verify()` can check each one is a row of its table. */
  rows(index: Index): Iterable<number>;
  /**
   * Every entry as the row it names and the key values it holds for that row, one per field option in
   * the order `options` lists them (integers as bigints), so `verify()` can check each against the row's
   * own fields: an index whose entries were swapped would otherwise answer with the wrong row.
   * 'equal': the row's fields equal the keys; 'inside': the keys [start, end] lie inside the row's
   * (pieces of a split range table).
   */
  keys(index: Index): Iterable<IndexEntry>;
  /**
   * Its queries for the generic reader, by name: each returns a row number or NOT_FOUND (-1).
   * `ArenaReader` offers them as `table(name).query(q, arg)`, and the common ones as methods.
   */
  readonly queries: Readonly<Record<string, Query<Index>>>;
}

/** One index entry, for `verify()`'s consistency check (see ContainerKind.keys). */
export interface IndexEntry {
  row: number;
  keys: readonly (string | bigint)[];
  match: 'equal' | 'inside';
}

/** A required field (no presence bit) of an acceptable slot, or undefined. */
export function requiredField(fieldOf: (name: string) => FieldLayout | undefined, name: string, ok: (slot: Slot) => boolean): FieldLayout | undefined {
  const f = fieldOf(name);
  return f !== undefined && f.presenceBit === undefined && ok(f.slot) ? f : undefined;
}
