/**
 * The typed builder: `build(schema, input)` (arrays and sync iterables) and `buildAsync(schema, input)`
 * (also async iterables, so millions of rows stream in without being held as JS objects). Every value
 * is checked against the schema and a bad one throws a SchemaError naming it
 * (`✖ expected u32, got -1 → at Geo.cities[1042].population`). Nothing half-built is ever returned.
 *
 * Rows are assembled in a reused scratch row and appended to their section; vector elements go to a
 * per-section heap (written as the section `<name>.heap` after the rows). Refs are checked against their
 * table's length as soon as it is known.
 */
import type { Arena } from '@sabre/arena';
import { encodeLayoutSection } from '@sabre/arena/internal';
import { ArenaBuilder, type BuilderOptions } from '@sabre/arena/build';
import type { ArenaNode, Infer } from './dsl.js';
import { SchemaErrors } from './errors.js';
import { compile, heapSection, indexSection, type ArenaLayout, type StructLayout } from './layout.js';
import { behaviourOf, type IndexWriter } from './sections.js';
import { Heap, Writer } from './row-writer.js';
import { columnsOf } from './columns.js';
import { checkColumns, writeColumnChunk, type PerRow } from './column-writer.js';

/**
 * Options of {@link build} and {@link buildAsync}: the arena builder's (sizes in bytes; the layout hash
 * comes from the schema) and how strictly input is checked.
 */
export interface BuildOptions extends Omit<BuilderOptions, 'layoutHash'> {
  /** Fields the schema does not have: an error (default), or ignored. */
  unknownFields?: 'error' | 'ignore';
  /** NaN and ±Infinity in f32/f64 fields: an error (default), or stored as they are. */
  nonFinite?: 'error' | 'allow';
}

const layouts = new WeakMap<ArenaNode, ArenaLayout>();

/** The compiled layout of a schema (compiled once per schema object); throws what {@link compile} throws. */
export function layoutOf(schema: ArenaNode): ArenaLayout {
  let l = layouts.get(schema);
  if (l === undefined) {
    l = compile(schema);
    layouts.set(schema, l);
  }
  return l;
}


/** Rows are appended to their section this many bytes at a time (see plan). */
const CHUNK_BYTES = 1 << 16;

/**
 * Whether an index may read the section's key columns again after its rows are written and get what
 * the rows got: every column a typed array of its own memory (not over a SharedArrayBuffer, which
 * another thread may write meanwhile) or an array, as long as the rows written (an array pushed to
 * after `columns()` holds rows the table does not). Nothing else runs between the rows and the index:
 * no getter-backed array-like whose reads run code. (A Proxy over an array passes `Array.isArray`;
 * the `columns()` docs ask for arrays whose reads give the same values twice.)
 */
function steadyColumns(cols: { readonly arrays: readonly ArrayLike<unknown>[]; readonly length: number }): boolean {
  const shared = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined; // a page without isolation has none
  return cols.arrays.every((a) => (Array.isArray(a) || (ArrayBuffer.isView(a) && !(shared !== undefined && a.buffer instanceof shared))) && a.length === cols.length);
}

/** Hands row i, given as an object, to its section's index. */
function addRow(index: IndexWriter, row: Record<string, unknown>, i: number): void {
  if (index.key !== undefined) index.key.add(row[index.key.field], i);
  else index.add?.(row, i);
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}
function isIterable(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

type Rows = Iterable<unknown> | AsyncIterable<unknown>;

/** Drives one build; `rows` is consumed sync or async by the caller's flavour. */
function* plan(layout: ArenaLayout, input: unknown, options: BuildOptions): Generator<{ section: string; rows: Rows; write: (row: unknown, i: number) => void }, Arena, void> {
  if (typeof input !== 'object' || input === null) throw SchemaErrors.wrongType(layout.name, `an object with sections ${layout.sections.map((s) => `"${s.name}"`).join(', ')}`, input);
  const record = input as Record<string, unknown>;
  const names = layout.sections.map((s) => s.name);
  if (options.unknownFields !== 'ignore') for (const key in record) if (!names.includes(key)) throw SchemaErrors.unknownField(layout.name, key, names);
  const builder = new ArenaBuilder({ ...options, layoutHash: layout.hash });
  // The arena carries its own layout: verify(), the generic reader and `sabre inspect` read it.
  builder.writeLayout(encodeLayoutSection(layout));
  const writer = new Writer(layout, builder, options);
  for (const sec of layout.sections) {
    const path = `${layout.name}.${sec.name}`;
    const value = record[sec.name];
    if (value === undefined) throw SchemaErrors.missingField(layout.name, sec.name, behaviourOf(sec).rows ? `the rows of ${sec.struct}` : `a ${sec.struct}`);
    const s = layout.structs.get(sec.struct) as StructLayout;
    const heap = sec.hasHeap ? new Heap() : undefined;
    const w = builder.section(sec.name, { align: Math.max(8, s.align) });
    // Rows are written into a zeroed chunk of ~64 KiB and appended a chunk at a time: one append per
    // row cost more than writing the row.
    const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / s.size));
    const chunk = new DataView(new ArrayBuffer(chunkRows * s.size));
    const chunkBytes = new Uint8Array(chunk.buffer);
    let inChunk = 0;
    const flush = () => {
      w.bytes(chunkBytes.subarray(0, inChunk * s.size));
      chunkBytes.fill(0, 0, inChunk * s.size);
      inChunk = 0;
    };
    const behaviour = behaviourOf(sec);
    const index = behaviour.index?.(sec, s, path);
    const write = (item: unknown, i: number) => {
      writer.startRow(path, behaviour.rows ? i : undefined);
      writer.struct(s, item, chunk, inChunk * s.size, heap);
      if (index !== undefined) addRow(index, item as Record<string, unknown>, i);
      if (++inChunk === chunkRows) flush();
    };
    const cols = behaviour.rows ? columnsOf(value) : undefined;
    if (cols !== undefined) {
      // Rows given as columns are written field by field, a chunk of rows at a time, with no row object.
      checkColumns(s, cols, path, options.unknownFields === 'ignore');
      const adopted = steadyColumns(cols)
        ? index?.adopt?.((field) => {
            const k = cols.names.indexOf(field);
            return k < 0 ? undefined : cols.arrays[k];
          })
        : undefined;
      // What the index gets per row: nothing but a check if it kept its key columns; the key alone if
      // it needs no more (no row object); else the row.
      const keyField = index?.key === undefined ? -1 : s.fields.findIndex((f) => f.name === index.key?.field);
      const perRow: PerRow =
        index === undefined ? {} : adopted !== undefined ? { check: adopted.check } : keyField >= 0 ? { addKey: index.key!.add, keyField } : { add: (row, i) => addRow(index, row, i) };
      for (let from = 0; from < cols.length; from += chunkRows) {
        const count = Math.min(chunkRows, cols.length - from);
        writeColumnChunk(writer, s, cols, path, from, count, chunk, heap, perRow);
        inChunk = count;
        flush();
      }
    } else if (behaviour.rows) {
      if (!isIterable(value) && !isAsyncIterable(value)) throw SchemaErrors.wrongType(path, `the rows of ${sec.struct}: an array, an iterable or an async iterable`, value);
      yield { section: path, rows: value, write };
    } else {
      write(value, 0);
    }
    flush();
    w.end();
    if (behaviour.rows) writer.closeTable(sec.name, w.length / s.size);
    if (heap !== undefined) {
      const hw = builder.section(heapSection(sec.name), { align: 8 });
      hw.bytes(heap.u8.subarray(0, heap.length));
      hw.end();
    }
    index?.write(builder, indexSection(sec.name));
  }
  writer.finish();
  return builder.finish();
}

/**
 * Builds an arena from plain data, checking every value against the schema; the arena stores its layout
 * and layout hash, so generated views and `ArenaReader` can open it.
 *
 * @param schema - The root made with `s.arena(...)`.
 * @param input - One entry per section: an array or sync iterable of rows for tables and containers, an
 *   object for a struct record. Refs are row indexes into their table.
 * @param options - Builder sizes and input strictness.
 * @returns The frozen arena; share `arena.buffer` with workers, or `save` it.
 * @throws {@link SchemaError} for a bad schema (SCHEMA_*) or a bad value (VALUE_*, BUILD_*), with the
 *   path to it; nothing half-built is returned. ArenaError ARENA_TOO_LARGE or ARENA_OUT_OF_MEMORY when
 *   the arena does not fit.
 *
 * @example
 * ```ts
 * import { build } from '@sabre/schema';
 * import { Geo } from './geo.schema.js';
 *
 * const arena = build(Geo, {
 *   countries: [{ name: 'Switzerland', code: 'CH' }],
 *   cities: [{ name: 'Zürich', population: 421_878, country: 0, elevation: 408, districts: ['Altstadt'] }],
 * });
 * ```
 */
export function build<A extends ArenaNode>(schema: A, input: Infer<A>, options: BuildOptions = {}): Arena {
  const steps = plan(layoutOf(schema), input, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    const { section, rows, write } = step.value;
    if (!isIterable(rows)) throw SchemaErrors.wrongType(section, `rows build() can read synchronously (an array or iterable); for async iterables use buildAsync()`, rows);
    let i = 0;
    const it = rows[Symbol.iterator]();
    let done = false;
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = it.next();
        } catch (err) {
          done = true; // a source that threw is finished: do not call its return()
          throw SchemaErrors.sourceFailed(`${section}[${i}]`, err);
        }
        if (next.done === true) break;
        write(next.value, i++);
      }
      done = true;
    } finally {
      if (!done) it.return?.(); // a bad row stops the build: let the source close its files
    }
  }
}

/**
 * Like {@link build}, and a section's rows may also be an async iterable (a stream, an async generator
 * reading a file), consumed one row at a time, so rows need not all be held as JS objects. A source that
 * throws rejects with BUILD_SOURCE_FAILED; a bad row stops the build and calls the source's `return()`.
 *
 * @example
 * ```ts
 * async function* cities() { for await (const line of lines) yield parseCity(line); }
 * const arena = await buildAsync(Geo, { countries, cities: cities() });
 * ```
 */
export async function buildAsync<A extends ArenaNode>(schema: A, input: Infer<A>, options: BuildOptions = {}): Promise<Arena> {
  const steps = plan(layoutOf(schema), input, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    const { section, rows, write } = step.value;
    let i = 0;
    const it = isAsyncIterable(rows) ? rows[Symbol.asyncIterator]() : (rows as Iterable<unknown>)[Symbol.iterator]();
    let done = false;
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await it.next();
        } catch (err) {
          done = true;
          throw SchemaErrors.sourceFailed(`${section}[${i}]`, err);
        }
        if (next.done === true) break;
        write(next.value, i++);
      }
      done = true;
    } finally {
      if (!done) await it.return?.();
    }
  }
}

