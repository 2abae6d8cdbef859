/**
 * Runtime pieces for generated views (exported through `@sabre/arena/internal`).
 *
 * - `Ctx`: what every view of one section reads through: the rows' DataView, the section's heap (where
 *   vector elements live), the string pool and the generated root. Views are `(ctx, offset)` pairs.
 * - `Table`: fixed-stride rows. `at(i)` makes one small view; iteration and `forEach` move a single
 *   cursor view along the rows, so a scan allocates nothing per row (the yielded view is reused:
 *   read what you need from it before the next step). `cursor()` gives the caller a view of their own
 *   to move: `at(i, cursor)` and every container query's `(…, cursor)` form reposition it instead of
 *   making a view, so a lookup allocates nothing.
 * - `List`: a vector of strings, enums, refs or structs: `length`, `at(i)`, iteration. Vectors of
 *   numbers are returned as typed arrays over the arena instead (see `typedArray`).
 */
import { Errors } from './errors.js';
import type { SectionView } from './section.js';
import type { StringPool } from './strings.js';

const EMPTY = new DataView(new ArrayBuffer(0));

export class Ctx<R = unknown> {
  /** The same section's heap, as the `v` of views whose bytes live there (vector elements). */
  readonly inHeap: Ctx<R>;
  constructor(
    /** Where this context's views read their fields. */
    readonly v: DataView,
    /** The section's heap: vector elements. */
    readonly heap: DataView,
    readonly strings: StringPool,
    readonly root: R,
    inHeap?: Ctx<R>,
  ) {
    this.inHeap = inHeap ?? (v === heap ? this : new Ctx(heap, heap, strings, root, undefined));
  }

  static of<R>(rows: SectionView, heap: SectionView | undefined, strings: StringPool, root: R): Ctx<R> {
    return new Ctx(rows.view, heap?.view ?? EMPTY, strings, root);
  }
}

/**
 * The view of a section holding one struct record. A forged section shorter than the struct would make
 * every getter throw a RangeError; this refuses it once, up front, with an ArenaError.
 */
export function record<V>(name: string, ctx: Ctx, size: number, make: (offset: number) => V): V {
  if (ctx.v.byteLength < size) throw Errors.corrupt(name, 'the section is too short for its struct', `at least ${size} bytes`, ctx.v.byteLength);
  return make(0);
}

/** A view of one struct: where its bytes start (`$o`), in its context (`$c`). */
export interface View {
  $o: number;
  readonly $c: unknown;
}

class Cursor<V extends View> implements Iterator<V> {
  private i = 0;
  private readonly result: IteratorResult<V>;
  constructor(
    private readonly view: V,
    private readonly length: number,
    private readonly stride: number,
    private readonly base: number,
  ) {
    this.result = { value: view, done: false };
  }
  next(): IteratorResult<V> {
    if (this.i >= this.length) return { value: undefined, done: true };
    this.view.$o = this.base + this.i++ * this.stride;
    return this.result;
  }
  [Symbol.iterator](): Iterator<V> {
    return this;
  }
}

export class Table<V extends View> implements Iterable<V> {
  readonly length: number;
  /**
   * The context of this table's views: it tells them from another table's, for `at(i, cursor)` and for
   * the container queries that move a cursor themselves.
   */
  protected readonly ctx: unknown;

  constructor(
    private readonly name: string,
    byteLength: number,
    /** Bytes per row. */
    readonly stride: number,
    protected readonly make: (offset: number) => V,
  ) {
    if (byteLength % stride !== 0) {
      throw Errors.corrupt(`sections.${name}`, `table of ${stride}-byte rows whose length is not a whole number of rows`, `a multiple of ${stride}`, byteLength);
    }
    this.length = byteLength / stride;
    this.ctx = make(0).$c;
  }

  /**
   * A view of this table that the caller owns, to pass to `at(i, cursor)` and to queries: they move it
   * to their row instead of making a view. It starts on row 0 (read nothing from it until moved if
   * the table may be empty).
   */
  cursor(): V {
    return this.make(0);
  }

  /**
   * Row `i`: `cursor` moved there, or a new view without one. Throws VALUE_OUT_OF_RANGE for an index past
   * the end, or for a cursor of another table.
   */
  at(i: number, cursor?: V): V {
    if (!(i >>> 0 === i && i < this.length)) throw Errors.valueOutOfRange(`a row index 0..${this.length - 1}`, i, `${this.name}.at()`);
    if (cursor === undefined) return this.make(i * this.stride);
    if (cursor.$c !== this.ctx) throw Errors.valueOutOfRange(`a cursor made by ${this.name}.cursor()`, 'a view of another table', `${this.name}.at()`);
    cursor.$o = i * this.stride;
    return cursor;
  }

  /** Iterates with one reused cursor view: no allocation per row. */
  [Symbol.iterator](): Iterator<V> {
    return new Cursor(this.make(0), this.length, this.stride, 0);
  }

  /** Calls `fn` with one reused cursor view per row. */
  forEach(fn: (row: V, index: number) => void): void {
    const cursor = this.make(0);
    for (let i = 0; i < this.length; i++) {
      cursor.$o = i * this.stride;
      fn(cursor, i);
    }
  }

  /** Every row as plain data (allocates; 64-bit integers as decimal strings), for JSON.stringify. */
  toJSON(): unknown[] {
    return Array.from({ length: this.length }, (_, i) => jsonSafe(this.make(i * this.stride)));
  }
}

/**
 * A value as JSON can hold it: `toJSON()` followed, bigints as decimal strings, typed arrays as arrays.
 * JSON.stringify throws on a bigint, and u64/i64 fields read as bigints.
 */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return jsonSafe((value as { toJSON(): unknown }).toJSON());
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, jsonSafe);
  if (Array.isArray(value)) return value.map(jsonSafe);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
  return out;
}

/** A vector of non-numeric elements, read lazily from the heap. */
export class List<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly base: number,
    private readonly stride: number,
    private readonly read: (offset: number) => T,
  ) {}

  at(i: number): T {
    if (!(i >>> 0 === i && i < this.length)) throw Errors.valueOutOfRange(`an index 0..${this.length - 1}`, i, 'vector.at()');
    return this.read(this.base + i * this.stride);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.read(this.base + i * this.stride);
  }

  toArray(): T[] {
    return Array.from(this);
  }
}

type TypedArrayCtor =
  | Uint8ArrayConstructor | Int8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor
  | Uint32ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor
  | BigUint64ArrayConstructor | BigInt64ArrayConstructor;

/**
 * A vector of numbers as a typed array over the heap: zero-copy. Element data is aligned to its width
 * by the builder; a misaligned or out-of-bounds vector (corrupt bytes) throws an ArenaError.
 */
export function typedArray<C extends TypedArrayCtor>(ctor: C, heap: DataView, offset: number, length: number): InstanceType<C> {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (offset % ctor.BYTES_PER_ELEMENT !== 0 || offset + bytes > heap.byteLength) {
    throw Errors.corrupt('vector', 'vector outside its heap or misaligned', `≤ ${heap.byteLength}`, offset + bytes);
  }
  const make = ctor as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => InstanceType<C>;
  return new make(heap.buffer, heap.byteOffset + offset, length);
}

/** A List over heap elements, bounds-checked once. */
export function list<T>(heap: DataView, offset: number, length: number, stride: number, read: (offset: number) => T): List<T> {
  if (offset + length * stride > heap.byteLength) throw Errors.corrupt('vector', 'vector outside its heap', `≤ ${heap.byteLength}`, offset + length * stride);
  return new List(length, offset, stride, read);
}

/**
 * The base of every container's table wrapper: rows plus an index whose queries give row numbers. Checks
 * once that the index covers exactly the table's rows, and turns a row number into a view.
 */
export abstract class IndexedTable<V extends View, I extends { readonly size: number }> extends Table<V> {
  /** `covers`: the rows the index covers once each, or undefined when it may repeat or skip rows. */
  constructor(name: string, byteLength: number, stride: number, make: (offset: number) => V, protected readonly index: I, title: string, covers: number | undefined = index.size) {
    super(name, byteLength, stride, make);
    if (covers !== undefined && covers !== this.length) throw Errors.corrupt(`sections.${name}.index`, `${title} size differs from the row count`, this.length, index.size);
  }

  /**
   * Row `row` (`cursor` moved there, or a new view), or undefined for NOT_FOUND. Each container table
   * overrides this with the same few lines, moving the cursor itself: in `at`, every table kind's views
   * meet, and in a program with several tables its reads of the cursor went polymorphic (find-then-field
   * 0.67-0.90x binary search against 0.53-0.59x with the lines per kind, same runs). A new view is made
   * straight from `make`, not through `at`: with both forms used on one table, at()'s code inlined into
   * the cursor form slowed it (~56 vs ~48 ns, fastest of 15 rounds). Anything unusual (another table's
   * cursor, a row past the end) goes to `at`, which says what is wrong. container-cursor.test.ts runs
   * every kind through the same cases, so the copies stay in step.
   */
  protected abstract view(row: number, cursor: V | undefined): V | undefined;
}
