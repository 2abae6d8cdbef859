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
import { checkScalar, encodeLayoutSection, writeScalar, type ScalarType } from '@sabre/arena/internal';
import { allocating, ArenaBuilder, type BuilderOptions } from '@sabre/arena/build';
import type { ArenaNode, Infer } from './dsl.js';
import { SchemaErrors } from './errors.js';
import { compile, heapSection, indexSection, slotHasVector, type ArenaLayout, type Slot, type StructLayout } from './layout.js';
import { behaviourOf } from './sections.js';

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


/**
 * A row's field, read so that a getter or Proxy trap that throws fails the build naming the row and field
 * (VALUE_UNREADABLE), not as a bare TypeError with no path.
 */
function readField(record: Record<string, unknown>, name: string, writer: Writer): unknown {
  try {
    return record[name];
  } catch (cause) {
    throw SchemaErrors.unreadable(writer.here(), cause);
  }
}

/** A row's own enumerable keys, with the same protection as `readField`. */
function readKeys(record: Record<string, unknown>, writer: Writer): string[] {
  try {
    const keys: string[] = [];
    for (const key in record) keys.push(key);
    return keys;
  } catch (cause) {
    throw SchemaErrors.unreadable(writer.here(), cause);
  }
}

/** Rows are appended to their section this many bytes at a time (see plan). */
const CHUNK_BYTES = 1 << 16;

/** Largest vector heap of one section (a section is at most 4 GiB − 8 bytes). */
const MAX_HEAP_BYTES = 2 ** 32 - 8;

/**
 * Growable scratch for one section's vector elements, doubled by copying (a resizable buffer would
 * reserve its 4 GiB maximum as address space, per section; see @sabre/arena's build/reserve.ts).
 * `dv` and `u8` change when it grows: read them after `alloc`, never across one.
 */
class Heap {
  private buf = new ArrayBuffer(1 << 12);
  dv = new DataView(this.buf);
  u8 = new Uint8Array(this.buf);
  length = 0;

  alloc(bytes: number, align: number, where: () => string): number {
    const at = Math.ceil(this.length / align) * align;
    const end = at + bytes;
    if (end > MAX_HEAP_BYTES) throw SchemaErrors.outOfRange(where(), `vectors totalling at most ${MAX_HEAP_BYTES} bytes per section`, `${end} bytes`);
    if (end > this.buf.byteLength) {
      const size = Math.min(MAX_HEAP_BYTES, Math.max(end, this.buf.byteLength * 2));
      const next = allocating(size, `the vectors of ${where()}`, () => new ArrayBuffer(size));
      new Uint8Array(next).set(this.u8.subarray(0, this.length));
      this.buf = next;
      this.dv = new DataView(next);
      this.u8 = new Uint8Array(next);
    }
    this.length = end;
    return at; // bytes past the old length were never written: a new ArrayBuffer is zeroed
  }
}

class Writer {
  private readonly enumIndex = new Map<readonly string[], Map<string, number>>();
  private readonly allocating = new Map<Slot, boolean>();
  /** Rows per completed table. */
  readonly lengths = new Map<string, number>();
  /** Largest ref into a table not yet written, with the first path that used it. */
  readonly pendingRefs = new Map<string, { max: number; path: string }>();

  /**
   * Where the value being written sits: the section's path, then field names and indexes. Kept as a
   * stack and formatted only for an error — building a path string per field of every row took a third
   * of a row's time.
   */
  private readonly at: (string | number)[] = [];

  constructor(
    readonly layout: ArenaLayout,
    readonly builder: ArenaBuilder,
    readonly options: BuildOptions,
  ) {}

  /** Starts a row (`i`) of the section at `path`, or its one record (`i` undefined). */
  startRow(path: string, i: number | undefined): void {
    this.at.length = 0;
    this.at.push(path);
    if (i !== undefined) this.at.push(i);
  }

  /** The path of the value being written: `Geo.cities[3].location.lat`. */
  here(): string {
    let out = '';
    for (const k of this.at) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
    return out;
  }

  struct(s: StructLayout, value: unknown, dv: DataView, base: number, heap: Heap | undefined): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw SchemaErrors.wrongType(this.here(), `a ${s.name} object`, value);
    const record = value as Record<string, unknown>;
    if (this.options.unknownFields !== 'ignore') {
      for (const key of readKeys(record, this)) {
        if (!s.fields.some((f) => f.name === key)) throw SchemaErrors.unknownField(this.here(), key, s.fields.map((f) => f.name));
      }
    }
    for (const f of s.fields) {
      this.at.push(f.name);
      const v = readField(record, f.name, this);
      if (v === undefined) {
        this.at.pop();
        if (f.presenceBit === undefined) throw SchemaErrors.missingField(this.here(), f.name, slotName(f.slot));
        continue; // presence bit stays 0, the slot stays zeroed
      }
      if (f.presenceBit !== undefined) {
        const at = base + s.presenceOffset + (f.presenceBit >> 3);
        dv.setUint8(at, dv.getUint8(at) | (1 << (f.presenceBit & 7)));
      }
      this.slot(f.slot, v, dv, base + f.offset, heap);
      this.at.pop();
    }
  }

  /** Whether writing `slot` allocates in the heap (memoised: asked once per vector written). */
  private allocates(slot: Slot): boolean {
    let yes = this.allocating.get(slot);
    if (yes === undefined) this.allocating.set(slot, (yes = slotHasVector(slot, this.layout.structs)));
    return yes;
  }

  slot(slot: Slot, v: unknown, dv: DataView, at: number, heap: Heap | undefined): void {
    switch (slot.kind) {
      case 'scalar':
        return this.scalar(slot.type, v, dv, at);
      case 'enum': {
        let index = this.enumIndex.get(slot.values);
        if (index === undefined) {
          index = new Map(slot.values.map((x, i) => [x, i]));
          this.enumIndex.set(slot.values, index);
        }
        const i = typeof v === 'string' ? index.get(v) : undefined;
        if (i === undefined) throw SchemaErrors.badEnum(this.here(), slot.values, v);
        return slot.size === 1 ? dv.setUint8(at, i) : dv.setUint16(at, i, true);
      }
      case 'str':
        if (typeof v !== 'string') throw SchemaErrors.wrongType(this.here(), 'a string', v);
        return dv.setUint32(at, this.builder.intern(v), true);
      case 'ref': {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw SchemaErrors.wrongType(this.here(), `a row index into "${slot.section}" (an integer ≥ 0)`, v);
        const length = this.lengths.get(slot.section); // known once that table is complete
        if (length !== undefined) {
          if (v >= length) throw SchemaErrors.badRef(this.here(), slot.section, length, v);
        } else {
          const p = this.pendingRefs.get(slot.section);
          if (p === undefined || v > p.max) this.pendingRefs.set(slot.section, { max: v, path: this.here() });
        }
        return dv.setUint32(at, v, true);
      }
      case 'struct':
        return this.struct(this.layout.structs.get(slot.name) as StructLayout, v, dv, at, heap);
      case 'vector': {
        if (heap === undefined) throw new Error('internal: vector outside a section with a heap');
        const el = slot.element;
        const items = toList(v, el, this);
        const align = el.kind === 'struct' ? Math.max(el.align, 1) : el.kind === 'scalar' ? el.size : 4;
        const stride = el.size;
        const start = heap.alloc(items.length * stride, align, () => this.here());
        if (this.allocates(el)) {
          // An element that holds a vector allocates while it is written, which may move the heap:
          // it is written into its own scratch, then copied in.
          for (let i = 0; i < items.length; i++) {
            const scratch = new DataView(new ArrayBuffer(stride));
            this.at.push(i);
            this.slot(el, items[i], scratch, 0, heap);
            this.at.pop();
            heap.u8.set(new Uint8Array(scratch.buffer), start + i * stride);
          }
        } else {
          for (let i = 0; i < items.length; i++) {
            this.at.push(i);
            this.slot(el, items[i], heap.dv, start + i * stride, heap);
            this.at.pop();
          }
        }
        dv.setUint32(at, start, true);
        dv.setUint32(at + 4, items.length, true);
        return;
      }
    }
  }

  scalar(type: ScalarType, v: unknown, dv: DataView, at: number): void {
    const problem = checkScalar(type, v, this.options);
    if (problem !== undefined) throw SchemaErrors.badScalar(this.here(), problem, v);
    writeScalar(dv, at, type, v as number | bigint | boolean);
  }

  /** A ref into `section` may now be checked: its length is final. */
  closeTable(section: string, length: number): void {
    this.lengths.set(section, length);
    const p = this.pendingRefs.get(section);
    if (p !== undefined && p.max >= length) throw SchemaErrors.badRef(p.path, section, length, p.max);
    this.pendingRefs.delete(section);
  }

  finish(): void {
    for (const [section, p] of this.pendingRefs) throw SchemaErrors.badRef(p.path, section, this.lengths.get(section) ?? 0, p.max);
  }
}

/** A short name for a slot's type, for error messages. */
function slotName(slot: Slot): string {
  return slot.kind === 'scalar' ? slot.type : slot.kind === 'vector' ? 'a vector' : slot.kind === 'struct' ? `a ${slot.name}` : slot.kind;
}

function toList(v: unknown, el: Slot, writer: Writer): ArrayLike<unknown> {
  if (Array.isArray(v)) return v;
  if (el.kind === 'scalar' && ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<unknown>;
  throw SchemaErrors.wrongType(writer.here(), `an array${el.kind === 'scalar' ? ' or a typed array' : ''}`, v);
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
      index?.add(item as Record<string, unknown>, i);
      if (++inChunk === chunkRows) flush();
    };
    if (behaviour.rows) {
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

