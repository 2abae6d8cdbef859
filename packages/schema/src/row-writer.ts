/**
 * Writing one row: `Writer` checks each value against its slot and writes it into the row's bytes (and
 * vector elements into the section's `Heap`), keeping the path of the value being written for errors.
 * build.ts drives it over the sections and rows.
 */
import { checkScalar, writeScalar, type ScalarType } from '@sabre/arena/internal';
import { allocating, type ArenaBuilder } from '@sabre/arena/build';
import type { BuildOptions } from './build.js';
import { SchemaErrors } from './errors.js';
import { slotHasVector, type ArenaLayout, type Slot, type StructLayout } from './layout.js';

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

/**
 * The first enumerable key of a row that its struct does not have, or undefined; with the same
 * protection as `readField`. Allocates nothing: it runs once per row.
 */
function unknownKey(record: Record<string, unknown>, names: ReadonlySet<string>, writer: Writer): string | undefined {
  try {
    for (const key in record) if (!names.has(key)) return key;
    return undefined;
  } catch (cause) {
    throw SchemaErrors.unreadable(writer.here(), cause);
  }
}

/** Largest vector heap of one section (a section is at most 4 GiB − 8 bytes). */
const MAX_HEAP_BYTES = 2 ** 32 - 8;

/**
 * Growable scratch for one section's vector elements, doubled by copying (a resizable buffer would
 * reserve its 4 GiB maximum as address space, per section; see @sabre/arena's build/reserve.ts).
 * `dv` and `u8` change when it grows: read them after `alloc`, never across one.
 */
export class Heap {
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

export class Writer {
  private readonly enumIndex = new Map<readonly string[], Map<string, number>>();
  private readonly allocating = new Map<Slot, boolean>();
  private readonly fieldNames = new Map<StructLayout, ReadonlySet<string>>();
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

  /** Points errors at field `name` of row `i` of the section at `path` (the column writer's rows). */
  atField(path: string, i: number, name: string): void {
    this.at.length = 0;
    this.at.push(path, i, name);
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
      let names = this.fieldNames.get(s);
      if (names === undefined) this.fieldNames.set(s, (names = new Set(s.fields.map((f) => f.name))));
      const key = unknownKey(record, names, this);
      if (key !== undefined) throw SchemaErrors.unknownField(this.here(), key, s.fields.map((f) => f.name));
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
    if (writePlainScalar(type, v, dv, at)) return;
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

/**
 * Writes the common integer types and f64 on the spot when the value is plainly fine, and says whether it
 * did: the generic check and write cost more than the rest of a row. -0 and anything doubtful are left
 * to the full check, which says what is wrong.
 */
export function writePlainScalar(type: ScalarType, v: unknown, dv: DataView, at: number): boolean {
  if (typeof v !== 'number' || (v === 0 && 1 / v < 0)) return false;
  switch (type) {
    case 'u32':
      if (v >>> 0 !== v) return false;
      dv.setUint32(at, v, true);
      return true;
    case 'u16':
      if ((v & 0xffff) !== v) return false;
      dv.setUint16(at, v, true);
      return true;
    case 'u8':
      if ((v & 0xff) !== v) return false;
      dv.setUint8(at, v);
      return true;
    case 'i32':
      if ((v | 0) !== v) return false;
      dv.setInt32(at, v, true);
      return true;
    case 'f64':
      if (v - v !== 0) return false; // not finite
      dv.setFloat64(at, v, true);
      return true;
    default:
      return false;
  }
}

/** A short name for a slot's type, for error messages. */
export function slotName(slot: Slot): string {
  return slot.kind === 'scalar' ? slot.type : slot.kind === 'vector' ? 'a vector' : slot.kind === 'struct' ? `a ${slot.name}` : slot.kind;
}

function toList(v: unknown, el: Slot, writer: Writer): ArrayLike<unknown> {
  if (Array.isArray(v)) return v;
  if (el.kind === 'scalar' && ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<unknown>;
  throw SchemaErrors.wrongType(writer.here(), `an array${el.kind === 'scalar' ? ' or a typed array' : ''}`, v);
}

