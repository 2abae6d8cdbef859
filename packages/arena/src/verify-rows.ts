/**
 * The field-by-field half of `verify()`: every row of every typed section walked with the arena's stored
 * layout, so that afterwards every getter of the generated views returns a value of its declared type:
 *
 *   enum      index < the number of values (never `undefined`)
 *   str       id < the string pool's count
 *   ref       row index < the target table's rows
 *   vector    [offset, count] inside the section's heap, aligned for its element (typed arrays need it),
 *             and each element checked like a field
 *   struct    its fields, at its offset
 *   optional  checked when its presence bit is set
 *   sections  a whole number of rows (a record: at least one struct); every container's index covers
 *             its rows and agrees with them (verify-index.ts)
 *
 * Linear in the arena: each byte of a row or of a vector element is looked at once.
 */
import type { Arena } from './arena.js';
import { Errors } from './errors.js';
import { isContainer } from './containers.js';
import { alignOf, heapSection } from './layout.js';
import { verifyIndex } from './verify-index.js';
import type { ArenaLayout, Slot, StructLayout } from './layout.js';

const EMPTY = new DataView(new ArrayBuffer(0));

export function verifyRows(arena: Arena, layout: ArenaLayout): void {
  const strings = arena.strings.count;
  // Rows per section first: refs point across sections.
  const rows = new Map<string, number>();
  for (const s of layout.sections) {
    const struct = layout.structs.get(s.struct)!;
    const section = arena.section(s.name);
    if (s.kind === 'record') {
      if (section.byteLength < struct.size) throw Errors.corrupt(`sections.${s.name}`, 'the section is too short for its struct', `at least ${struct.size} bytes`, section.byteLength);
      rows.set(s.name, 1);
    } else {
      if (section.byteLength % struct.size !== 0) throw Errors.corrupt(`sections.${s.name}`, 'the section is not a whole number of rows', `a multiple of ${struct.size} bytes`, section.byteLength);
      rows.set(s.name, section.byteLength / struct.size);
    }
  }
  for (const s of layout.sections) {
    const struct = layout.structs.get(s.struct)!;
    const v = arena.section(s.name).view;
    const heap = s.hasHeap ? arena.section(heapSection(s.name)) : undefined;
    const walk = new Walker(layout, v, heap === undefined ? EMPTY : heap.view, heap?.byteOffset ?? 0, strings, rows);
    const n = rows.get(s.name)!;
    for (let i = 0; i < n; i++) walk.struct(struct, i * struct.size, s.kind === 'record' ? s.name : `${s.name}[${i}]`);
    if (isContainer(s.kind)) verifyIndex(arena, s, struct, n);
  }
}

class Walker {
  private walked = 0;

  constructor(
    private readonly layout: ArenaLayout,
    /** The section's rows. */
    private readonly rows: DataView,
    /** The section's heap, and where it starts in the buffer (typed arrays over it need alignment). */
    private readonly heap: DataView,
    private readonly heapOffset: number,
    private readonly strings: number,
    private readonly rowCounts: ReadonlyMap<string, number>,
  ) {}

  struct(s: StructLayout, base: number, path: string, v: DataView = this.rows): void {
    for (const f of s.fields) {
      if (f.presenceBit !== undefined && (v.getUint8(base + s.presenceOffset + (f.presenceBit >> 3)) & (1 << (f.presenceBit & 7))) === 0) continue;
      this.slot(f.slot, v, base + f.offset, `${path}.${f.name}`);
    }
  }

  private slot(slot: Slot, v: DataView, at: number, path: string): void {
    switch (slot.kind) {
      case 'scalar':
        return; // every bit pattern reads as a number, a bigint or a boolean
      case 'enum': {
        const i = slot.size === 1 ? v.getUint8(at) : v.getUint16(at, true);
        if (i >= slot.values.length) throw Errors.badValue(path, 'an enum index is out of range', `below ${slot.values.length}`, i);
        return;
      }
      case 'str': {
        const id = v.getUint32(at, true);
        if (id >= this.strings) throw Errors.badValue(path, 'a string id is out of range', `below ${this.strings}`, id);
        return;
      }
      case 'ref': {
        const row = v.getUint32(at, true);
        const n = this.rowCounts.get(slot.section)!;
        if (row >= n) throw Errors.badValue(path, `a ref to ${slot.section} is out of range`, `a row below ${n}`, row);
        return;
      }
      case 'struct':
        return this.struct(this.layout.structs.get(slot.name)!, at, path, v);
      case 'vector': {
        const offset = v.getUint32(at, true);
        const count = v.getUint32(at + 4, true);
        const el = slot.element;
        const stride = el.size;
        if (offset + count * stride > this.heap.byteLength) throw Errors.badValue(path, 'a vector runs past its heap', `elements ending by ${this.heap.byteLength}`, offset + count * stride);
        // Vectors written by a builder never share bytes, so together they fit the heap; forged ones that
        // all point at one region would make this walk quadratic.
        this.walked += count * stride;
        if (this.walked > this.heap.byteLength) throw Errors.badValue(path, 'vectors overlap in the heap', `at most ${this.heap.byteLength} bytes of elements`, this.walked);
        if ((this.heapOffset + offset) % alignOf(el) !== 0) throw Errors.badValue(path, 'a vector is not aligned for its elements', `a multiple of ${alignOf(el)}`, this.heapOffset + offset);
        if (el.kind === 'scalar') return;
        for (let i = 0; i < count; i++) this.slot(el, this.heap, offset + i * stride, `${path}[${i}]`);
        return;
      }
    }
  }
}
