/**
 * What each kind of arena section means to the schema package, in one table: whether it holds rows or a
 * single record, what the generated root class holds for it, and (for containers) how the builder
 * gathers each row's key and writes the index. `satisfies` over every layout kind makes a kind without
 * an entry a type error. How a container's options are checked is the arena's business (its
 * ContainerKind), shared with the layout decoder; the compiler in layout.ts asks it generically.
 */
import { writeDirectMap, writeIntHashMap, writeRangeColumns, writeStringHashMap, writeTrie, type ArenaBuilder } from '@sabre/arena/build';
import { KeyList } from './key-list.js';
import type { SectionLayout, SectionLayoutKind, StructLayout } from '@sabre/arena/internal';
import { SchemaErrors } from './errors.js';

/** The pieces of a generated member initializer. */
export interface MemberParts {
  /** `"name", ctx.v.byteLength, stride, (o) => new RowView(ctx, o)`: what `Table` and its subclasses take. */
  rows: string;
  /** The index section's name, as a string literal. */
  index: string;
  /** The section name literal, its Ctx variable, the struct size and the view factory: what `record` takes. */
  name: string;
  ctx: string;
  size: number;
  make: string;
}

/** Gathers a container's keys as rows stream past (each row already checked), then writes its index. */
export interface IndexWriter {
  /** Gathers row i's keys from the row (each row already checked). An index with `key` has no `add`. */
  add?(row: Record<string, unknown>, i: number): void;
  /**
   * Rows given as `columns()` of arrays and typed arrays (build.ts decides): the index may keep its key
   * columns as they are instead of copying keys out row by row — the copies cost a range table's build
   * ~6% in pushes and the fresh memory they grew into. It says so by returning what to run for each row
   * once its fields are written instead of `add` (`check`, if there is anything to check); undefined
   * keeps `add`.
   */
  adopt?(column: (field: string) => ArrayLike<unknown> | undefined): { check?: (i: number) => void } | undefined;
  /**
   * An index keyed by one field gathers that field's value of each row alone: rows given as columns
   * hand it over with no row object made.
   */
  key?: { field: string; add(v: unknown, i: number): void };
  write(builder: ArenaBuilder, name: string): void;
}

export interface SectionBehaviour<K extends SectionLayoutKind> {
  /** False for a single struct record; true for a table of rows. */
  readonly rows: boolean;
  /** Names the generated file imports from @sabre/arena/internal for a section of this kind. */
  readonly imports: readonly string[];
  /** The member's type on the generated root class, given the row view's class name. */
  memberType(section: Extract<SectionLayout, { kind: K }>, struct: StructLayout, view: string): string;
  /** The expression that makes the member. */
  member(parts: MemberParts): string;
  /** Containers: a collector for the index, for the section at `path` (for error messages). */
  index?(section: Extract<SectionLayout, { kind: K }>, struct: StructLayout, path: string): IndexWriter;
}

const fieldOf = (struct: StructLayout, name: string) => struct.fields.find((f) => f.name === name);
/** A column of plain numbers, which `writeRangeColumns` reads in place. */
const isNumberColumn = (c: unknown): c is Float64Array | Uint32Array => c instanceof Float64Array || c instanceof Uint32Array;
/** 0..n−1: the row numbers a container's entries map to. */
const rowCount = (n: number): Uint32Array => {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
};

export const SECTIONS = {
  table: {
    rows: true,
    imports: ['Table'],
    memberType: (_s, _st, view) => `Table<${view}>`,
    member: (p) => `new Table(${p.rows})`,
  },
  record: {
    rows: false,
    imports: ['record'],
    memberType: (_s, _st, view) => view,
    member: (p) => `record(${p.name}, ${p.ctx}, ${p.size}, ${p.make})`,
  },
  hashMap: {
    rows: true,
    imports: ['HASH_MAP_KIND', 'HashMapView', 'KeyedTable'],
    memberType: (s, struct, view) => {
      const key = fieldOf(struct, s.key)?.slot;
      const type = key?.kind === 'str' ? 'string' : key?.kind === 'scalar' && key.type === 'u64' ? 'bigint | number' : 'number';
      return `KeyedTable<${view}, ${type}>`;
    },
    member: (p) => `new KeyedTable(${p.rows}, new HashMapView(arena.section(${p.index}, HASH_MAP_KIND)))`,
    index: (s, struct, path) => {
      const keys: (string | number | bigint)[] = [];
      const strings = fieldOf(struct, s.key)?.slot.kind === 'str';
      return {
        key: { field: s.key, add: (v) => void keys.push(v as string | number | bigint) },
        write: (builder, name) => {
          const duplicate = (a: number, b: number) => SchemaErrors.duplicateKey(`${path}[${b}].${s.key}`, typeof keys[b] === 'string' ? JSON.stringify(keys[b]) : String(keys[b]), a, b);
          if (strings) writeStringHashMap(builder, name, keys as string[], rowCount(keys.length), { duplicate });
          else writeIntHashMap(builder, name, keys as (number | bigint)[], rowCount(keys.length), { duplicate });
        },
      };
    },
  },
  ranges: {
    rows: true,
    imports: ['RANGES_KIND', 'RangeTable', 'RangesView'],
    memberType: (_s, _st, view) => `RangeTable<${view}>`,
    member: (p) => `new RangeTable(${p.rows}, new RangesView(arena.section(${p.index}, RANGES_KIND), arena.section(${p.name})))`,
    index: (s, struct, path) => {
      const starts = new KeyList();
      const ends = new KeyList();
      let adopted: { starts: Float64Array | Uint32Array; ends: Float64Array | Uint32Array } | undefined;
      const start = fieldOf(struct, s.start)?.slot;
      const bits = start?.kind === 'scalar' ? (start.type === 'u128' ? 128 : start.type === 'u64' ? 64 : 32) : 32;
      // The index keeps no copy of the ends: it reads each from its row (and, for rows given in order,
      // keeps no row numbers either). Split pieces need their own ends.
      const rowEnds = s.overlaps === 'split' ? undefined : { stride: struct.size, endOffset: fieldOf(struct, s.end)!.offset };
      return {
        add: (row, i) => {
          const lo = row[s.start] as number | bigint;
          const hi = row[s.end] as number | bigint;
          // (< compares a number with a bigint exactly: no BigInt made per row)
          if (hi < lo) throw SchemaErrors.outOfRange(`${path}[${i}].${s.end}`, `an end ≥ its start (${String(lo)})`, hi);
          starts.push(lo);
          ends.push(hi);
        },
        adopt: (column) => {
          const [lo, hi] = [column(s.start), column(s.end)];
          if (!isNumberColumn(lo) || !isNumberColumn(hi)) return undefined;
          adopted = { starts: lo, ends: hi };
          return {
            check: (i) => {
              if ((hi[i] as number) < (lo[i] as number)) throw SchemaErrors.outOfRange(`${path}[${i}].${s.end}`, `an end ≥ its start (${lo[i]})`, hi[i]);
            },
          };
        },
        write: (builder, name) => {
          const [lo, hi] = adopted === undefined ? [starts.keys(), ends.keys()] : [adopted.starts, adopted.ends];
          const overlap = (a: number, b: number) => {
            const [sa, ea, sb, eb] = [lo[a], hi[a], lo[b], hi[b]].map(String);
            return SchemaErrors.overlappingRanges(`${path}[${b}].${s.start}`, `rows ${a} [${sa}, ${ea}] and ${b} [${sb}, ${eb}] overlap (fields ${s.start}..${s.end}); ranges must not share any value`);
          };
          // Values are the row numbers (no column given).
          writeRangeColumns(builder, name, { starts: lo, ends: hi }, { bits, overlap, overlaps: s.overlaps === 'split' ? 'split' : 'error', rowEnds });
        },
      };
    },
  },
  trie: {
    rows: true,
    imports: ['TRIE_KIND', 'TrieTable', 'TrieView'],
    memberType: (_s, _st, view) => `TrieTable<${view}>`,
    member: (p) => `new TrieTable(${p.rows}, new TrieView(arena.section(${p.index}, TRIE_KIND)))`,
    index: (s, _struct, path) => {
      let keys: string[] = [];
      return {
        key: { field: s.key, add: (v) => void keys.push(v as string) },
        adopt: (column) => {
          // Keys in an array are kept as the array (each checked as a string when its row was written):
          // copying 200k of them row by row cost the lookup arena's build ~8%.
          const given = column(s.key);
          if (!Array.isArray(given)) return undefined;
          keys = given as string[];
          return {};
        },
        write: (builder, name) => {
          const duplicate = (a: number, b: number) => SchemaErrors.duplicateKey(`${path}[${b}].${s.key}`, JSON.stringify(keys[b]), a, b);
          writeTrie(builder, name, keys, rowCount(keys.length), { reversed: s.reversed, boundary: s.boundary, duplicate });
        },
      };
    },
  },
  directMap: {
    rows: true,
    imports: ['DIRECT_MAP_KIND', 'DirectMapView', 'DirectTable'],
    memberType: (_s, _st, view) => `DirectTable<${view}>`,
    member: (p) => `new DirectTable(${p.rows}, new DirectMapView(arena.section(${p.index}, DIRECT_MAP_KIND)))`,
    index: (s, _struct, path) => {
      const keys: number[] = [];
      return {
        key: { field: s.key, add: (v) => void keys.push(v as number) },
        write: (builder, name) => {
          const duplicate = (a: number, b: number) => SchemaErrors.duplicateKey(`${path}[${b}].${s.key}`, String(keys[b]), a, b);
          writeDirectMap(builder, name, keys, rowCount(keys.length), { path, duplicate });
        },
      };
    },
  },
} satisfies { [K in SectionLayoutKind]: SectionBehaviour<K> };

/** The behaviour of a section's kind, typed for that section. */
export function behaviourOf<S extends SectionLayout>(section: S): SectionBehaviour<S['kind']> {
  return SECTIONS[section.kind] as unknown as SectionBehaviour<S['kind']>;
}
