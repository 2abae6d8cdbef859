/**
 * Any arena that carries its layout, read without its generated code: every table's rows as plain
 * objects, and the queries of its containers by section name. For tools (`sabre inspect`, `sabre dump`),
 * debugging and one-off scripts; the generated views remain the fast, typed, allocation-free way.
 *
 *   const r = ArenaReader.open(buffer)           // or ArenaReader.of(arena)
 *   r.table('cities').at(3)                      // { name: 'Zürich', population: 421878, country: 0, … }
 *   r.table('countries').get('CH')               // hash map / trie exact lookup, or undefined
 *   r.table('ipBlocks').find(0x0a000001)         // range table
 *   r.table('domains').longestSuffix('x.co.jp')  // trie
 *
 * Values: numbers, bigints for 64-bit integers, booleans, strings, enum values as their strings, refs as
 * row indexes, structs as objects, vectors as arrays, absent optional fields left out. Read on an arena
 * that passed `verify()`, every value is of its declared type.
 */
import { Arena } from './arena.js';
import { Errors } from './errors.js';
import { containerOf, isContainer } from './containers.js';
import { heapSection, indexSection } from './layout.js';
import type { ArenaLayout, SectionLayout, Slot, StructLayout } from './layout.js';
import { NOT_FOUND } from './section.js';
import type { StringPool } from './strings.js';
import { readScalar } from './scalars.js';
import { jsonSafe } from './views.js';

/** One row read without generated code: field names to plain values (see the module notes for types). */
export type Row = Record<string, unknown>;

/**
 * Reads any arena that carries its layout (built with `build()` from `@sabre/schema`), without its
 * generated code: rows as plain objects and container queries by section name. Slower and allocating;
 * for tools, debugging and scripts.
 *
 * @example
 * ```ts
 * const r = ArenaReader.open(buffer);
 * r.table('cities').at(0);           // { name: 'Zürich', population: 421878, country: 0, … }
 * r.table('asns').find(0x0a000001);  // a range table: the row whose range holds the key, or undefined
 * ```
 */
export class ArenaReader {
  private readonly tables = new Map<string, TableReader>();

  private constructor(
    /** The arena being read. */
    readonly arena: Arena,
    /** Its stored layout: the structs and sections rows are read by. */
    readonly layout: ArenaLayout,
  ) {}

  /**
   * Opens a buffer (O(sections), like Arena.open) and reads its stored layout. Throws what `Arena.open`
   * throws, and ARENA_NO_LAYOUT for an arena written without a schema.
   */
  static open(buffer: SharedArrayBuffer | ArrayBuffer): ArenaReader {
    return ArenaReader.of(Arena.open(buffer));
  }

  /** A reader over an already opened arena. Throws ARENA_NO_LAYOUT if it carries no layout. */
  static of(arena: Arena): ArenaReader {
    const layout = arena.layout;
    if (layout === null) throw Errors.noLayout();
    return new ArenaReader(arena, layout);
  }

  /** The sections that hold rows (tables, hash maps, range tables, tries) or one record. */
  get sections(): readonly SectionLayout[] {
    return this.layout.sections;
  }

  /** The reader of section `name` (one per name, made on first use); ARENA_SECTION_NOT_FOUND if there is none. */
  table(name: string): TableReader {
    let t = this.tables.get(name);
    if (t === undefined) {
      const s = this.layout.sections.find((x) => x.name === name);
      if (s === undefined) throw Errors.sectionNotFound(name, this.layout.sections.map((x) => x.name));
      t = new TableReader(this.arena, this.layout, s);
      this.tables.set(name, t);
    }
    return t;
  }

  /** Every section as plain data (allocates; 64-bit integers as decimal strings). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.layout.sections.map((s) => [s.name, this.table(s.name).toJSON()]));
  }
}

/** Reads one section's rows as plain objects, and its container's queries; made by {@link ArenaReader.table}. */
export class TableReader {
  /** Number of rows (1 for a record section). */
  readonly length: number;
  /** The struct of its rows. */
  readonly struct: StructLayout;
  private readonly rows: DataView;
  private readonly heap: DataView;
  private readonly strings: StringPool;
  private index: unknown = null;

  constructor(
    private readonly arena: Arena,
    private readonly layout: ArenaLayout,
    /** The section's layout: its kind, row struct and container options. */
    readonly section: SectionLayout,
  ) {
    this.struct = layout.structs.get(section.struct)!;
    this.rows = arena.section(section.name).view;
    this.heap = section.hasHeap ? arena.section(heapSection(section.name)).view : new DataView(new ArrayBuffer(0));
    this.strings = arena.strings;
    this.length = section.kind === 'record' ? 1 : Math.floor(this.rows.byteLength / this.struct.size);
    if (this.length * this.struct.size > this.rows.byteLength) {
      throw Errors.corrupt(`sections.${section.name}`, `a ${this.struct.name} record longer than its section (run verify() on untrusted bytes)`, `≥ ${this.struct.size} bytes`, this.rows.byteLength);
    }
  }

  /** The section's name. */
  get name(): string {
    return this.section.name;
  }

  /** Row `i` as a plain object; VALUE_OUT_OF_RANGE unless 0 ≤ i < length. */
  at(i: number): Row {
    if (!(i >>> 0 === i && i < this.length)) throw Errors.valueOutOfRange(`a row index 0..${this.length - 1}`, i, `${this.name}.at()`);
    return this.read(this.struct, this.rows, i * this.struct.size);
  }

  /** Every row, in order. */
  *[Symbol.iterator](): Iterator<Row> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /**
   * A query of this section's container kind, by name (`get`, `find`, `longestPrefix`, …): the row it
   * names, or undefined. Throws ARENA_SECTION_KIND if the kind has no such query.
   */
  query(name: string, arg: unknown): Row | undefined {
    const kind = this.section.kind;
    const container = isContainer(kind) ? containerOf(kind) : undefined;
    const q = container?.queries[name];
    if (container === undefined || q === undefined) {
      throw Errors.sectionKind(this.name, `a container with a ${name}() query`, container === undefined ? `a ${kind}` : `a ${container.title}, whose queries are ${Object.keys(container.queries).join(', ')}`);
    }
    this.index ??= container.open(this.arena.section(indexSection(this.name), container.sectionKind), this.arena.section(this.name));
    const row = q(this.index, arg as never);
    return row === NOT_FOUND ? undefined : this.at(row);
  }

  /** Hash map or trie: the row with this key. */
  get(key: string | number | bigint): Row | undefined {
    return this.query('get', key);
  }

  /** Range table: the row whose range holds x. */
  find(x: number | bigint): Row | undefined {
    return this.query('find', x);
  }

  /** Trie: the row whose key is the longest prefix of s. */
  longestPrefix(s: string): Row | undefined {
    return this.query('longestPrefix', s);
  }

  /** Reversed trie: the row whose key is the longest suffix of s. */
  longestSuffix(s: string): Row | undefined {
    return this.query('longestSuffix', s);
  }

  /** The rows as plain data for `JSON.stringify` (bigints as decimal strings); a record section's one object. */
  toJSON(): unknown {
    const rows = Array.from(this, jsonSafe);
    return this.section.kind === 'record' ? rows[0] : rows;
  }

  private read(struct: StructLayout, v: DataView, base: number): Row {
    const out: Row = {};
    for (const f of struct.fields) {
      if (f.presenceBit !== undefined && (v.getUint8(base + struct.presenceOffset + (f.presenceBit >> 3)) & (1 << (f.presenceBit & 7))) === 0) continue;
      out[f.name] = this.value(f.slot, v, base + f.offset);
    }
    return out;
  }

  private value(slot: Slot, v: DataView, at: number): unknown {
    switch (slot.kind) {
      case 'scalar':
        return readScalar(v, at, slot.type);
      case 'enum':
        return slot.values[slot.size === 1 ? v.getUint8(at) : v.getUint16(at, true)];
      case 'str':
        return this.strings.decode(v.getUint32(at, true));
      case 'ref':
        return v.getUint32(at, true);
      case 'struct':
        return this.read(this.layout.structs.get(slot.name)!, v, at);
      case 'vector': {
        const offset = v.getUint32(at, true);
        const count = v.getUint32(at + 4, true);
        if (offset + count * slot.element.size > this.heap.byteLength) throw Errors.corrupt(`${this.name}.heap`, 'a vector runs past its heap', this.heap.byteLength, offset + count * slot.element.size);
        return Array.from({ length: count }, (_, i) => this.value(slot.element, this.heap, offset + i * slot.element.size));
      }
    }
  }
}
