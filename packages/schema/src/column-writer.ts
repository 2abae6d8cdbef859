/**
 * Writing a table given as `columns()`: a chunk of rows at a time straight from the columns, with no
 * row object to make and read back field by field. The checks and errors are the row writer's (a bad value names its row and field:
 * `Lookup.blocks[1042].asn`); the bytes are the ones the same rows as objects would give, which a
 * property test compares. Plain scalars (u8/u16/u32/i32/f64 holding fine values) are written on the
 * spot; every other value goes through the row writer's slot writer.
 */
import { SchemaErrors } from './errors.js';
import type { ColumnsOf, COLUMNS } from './columns.js';
import type { StructLayout } from './layout.js';
import { slotName, writePlainScalar, type Heap, type Writer } from './row-writer.js';

type Cols = ColumnsOf[typeof COLUMNS];

/**
 * Checks the columns against the struct: every column is a field (unless unknown fields are ignored).
 * A required field with no column fails at row 0 when written, as a row missing it would.
 */
export function checkColumns(s: StructLayout, cols: Cols, path: string, ignoreUnknown: boolean): void {
  if (ignoreUnknown || cols.length === 0) return; // no rows, so no row has the field (as with [])
  for (const name of cols.names) {
    if (!s.fields.some((f) => f.name === name)) throw SchemaErrors.unknownField(`${path}[0]`, name, s.fields.map((f) => f.name));
  }
}

/**
 * Writes rows [from, from + count) of `cols` into `chunk` (zeroed, row r of the chunk at r · s.size),
 * then hands each row to the section's index (`add`), as the row writer does: row by row, each row's
 * fields in the struct's order, so strings are interned and vectors placed in the same order and the
 * bytes are the same, and the first bad row fails first whichever check finds it. Each cell is read
 * once; a cell that throws fails as BUILD_SOURCE_FAILED naming its row, as a throwing iterator would.
 * What the index gets per row is `perRow`'s choice (build.ts makes it): the row as an object (`add`),
 * only its key field's value (`addKey`, no row object made), or only `check(i)` when the index adopted
 * its key columns (IndexWriter.adopt: every column an array or a typed array), which it reads again.
 */
export interface PerRow {
  add?: (row: Record<string, unknown>, i: number) => void;
  /** With `keyField`, the field's index in the struct: gets that field's value of each row. */
  addKey?: (v: unknown, i: number) => void;
  keyField?: number;
  check?: (i: number) => void;
}

export function writeColumnChunk(writer: Writer, s: StructLayout, cols: Cols, path: string, from: number, count: number, chunk: DataView, heap: Heap | undefined, perRow: PerRow): void {
  const { add, addKey, keyField, check } = perRow;
  const size = s.size;
  const fields = s.fields;
  const columns = fields.map((f) => {
    const k = cols.names.indexOf(f.name);
    return k < 0 ? undefined : (cols.arrays[k] as ArrayLike<unknown>);
  });
  const types = fields.map((f) => (f.slot.kind === 'scalar' ? f.slot.type : undefined));
  const row: Record<string, unknown> = {}; // what the index reads its keys from: this row's values
  let key: unknown;
  for (let r = 0; r < count; r++) {
    const i = from + r;
    const base = r * size;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j]!;
      const column = columns[j];
      let v: unknown;
      try {
        v = column === undefined ? undefined : column[i];
      } catch (cause) {
        throw SchemaErrors.sourceFailed(`${path}[${i}]`, cause);
      }
      if (add !== undefined) row[f.name] = v;
      if (j === keyField) key = v;
      if (v === undefined) {
        if (f.presenceBit === undefined) throw SchemaErrors.missingField(`${path}[${i}]`, f.name, slotName(f.slot));
        continue; // presence bit stays 0, the slot stays zeroed
      }
      if (f.presenceBit !== undefined) {
        const at = base + s.presenceOffset + (f.presenceBit >> 3);
        chunk.setUint8(at, chunk.getUint8(at) | (1 << (f.presenceBit & 7)));
      }
      const type = types[j];
      if (type !== undefined && writePlainScalar(type, v, chunk, base + f.offset)) continue;
      writer.atField(path, i, f.name);
      writer.slot(f.slot, v, chunk, base + f.offset, heap);
    }
    add?.(row, i);
    addKey?.(key, i);
    check?.(i);
  }
}
