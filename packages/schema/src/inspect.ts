/**
 * `sabre inspect` and `sabre dump`: any arena file, read without its generated code. Both load the file
 * the way `load()` does — size checked before allocating, then `verify()` over every byte and field — so
 * a damaged or forged file is refused with the same ArenaError, and every value shown is of its type.
 *
 *   inspect: the header, each section (kind, rows, bytes, share of the file) and the schema as text
 *   dump:    rows as JSON, NDJSON or CSV, from the stored layout (ArenaReader)
 */
import { ArenaReader } from '@sabre/arena';
import type { Arena, ArenaLayout, SectionLayout, Slot, TableReader } from '@sabre/arena';
import { containerOf, jsonSafe, optionsOf, type ContainerName } from '@sabre/arena/internal';
import { describeSlot } from './layout.js';

const bytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);
const hex = (h: bigint): string => `0x${h.toString(16).padStart(16, '0')}`;
/** Text columns, the first `left` of them aligned left, the rest (numbers) right. */
const table = (rows: string[][], left: number): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c < left ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
};

/** What `sabre inspect` prints for an arena that passed verify(). */
export function inspectText(arena: Arena, file: string): string {
  const layout = arena.layout;
  const out = [
    `file      ${file} (${bytes(arena.byteLength)})`,
    `format    ${arena.formatVersion}`,
    `layout    ${layout === null ? 'none stored (built without a schema)' : `${layout.name}, hash ${hex(arena.layoutHash)}`}`,
    `verified  ✔ checksum, every section${layout === null ? '' : ', every field of every row'}`,
    '',
  ];
  // What each section is, in the layout's terms where it has them: rows of a table, a heap, an index.
  const described = new Map<string, { kind: string; rows: string }>();
  if (layout !== null) {
    const reader = ArenaReader.of(arena);
    for (const s of layout.sections) {
      described.set(s.name, { kind: s.kind === 'record' ? 'record' : `${s.kind} rows`, rows: reader.table(s.name).length.toLocaleString('en-US') });
      described.set(`${s.name}.heap`, { kind: `vectors of ${s.name}`, rows: '' });
    }
  }
  const cells = [['section', 'holds', 'rows', 'bytes', 'share']];
  for (const s of arena.sections) {
    const d = described.get(s.name) ?? { kind: s.kindName, rows: '' };
    cells.push([s.name, d.kind, d.rows, bytes(s.byteLength), `${((100 * s.byteLength) / arena.byteLength).toFixed(1)}%`]);
  }
  out.push(...table(cells, 2), '');
  if (layout !== null) out.push(...schemaText(layout));
  return `${out.join('\n')}\n`;
}

/** The stored layout as DSL-like text: the arena's sections, then each struct with its fields. */
export function schemaText(layout: ArenaLayout): string[] {
  const doc = (d: string | undefined) => (d === undefined ? '' : `  // ${d.replace(/\s+/g, ' ')}`);
  const out = [`arena ${layout.name} {${doc(layout.doc)}`];
  for (const s of layout.sections) out.push(`  ${s.name}: ${sectionText(s)}${doc(s.doc)}`);
  out.push('}');
  for (const st of layout.structs.values()) {
    out.push(`struct ${st.name} {  // ${st.size} bytes a row${st.doc === undefined ? '' : `; ${st.doc.replace(/\s+/g, ' ')}`}`);
    for (const f of st.fields) out.push(`  ${f.name}${f.presenceBit === undefined ? '' : '?'}: ${slotText(f.slot)}${doc(f.doc)}`);
    out.push('}');
  }
  return out;
}

function sectionText(s: SectionLayout): string {
  if (s.kind === 'table') return `table(${s.struct})`;
  if (s.kind === 'record') return s.struct;
  // A container: its kind's options, flags by name when set.
  const types = containerOf(s.kind as ContainerName).options as Record<string, string>;
  const options = optionsOf(s).flatMap(([k, v]) => (v === false || v === '' ? [] : [v === true ? k : `${k}: ${types[k] === 'text' ? JSON.stringify(v) : v}`]));
  return `${s.kind}(${s.struct}, { ${options.join(', ')} })`;
}

const slotText = (slot: Slot): string => describeSlot(slot);

export type DumpFormat = 'json' | 'ndjson' | 'csv';

/** Writes rows of one section (or, for JSON, of every section) through `write`, a line or a piece at a time. */
export function dump(arena: Arena, options: { section?: string; format: DumpFormat; limit?: number }, write: (text: string) => void): void {
  const reader = ArenaReader.of(arena);
  const limit = options.limit ?? Infinity;
  if (options.section === undefined) {
    if (options.format !== 'json') throw new Error(`✖ --format ${options.format} dumps one section: add --section <name> (one of ${reader.sections.map((s) => s.name).join(', ')})`);
    write(`${JSON.stringify(Object.fromEntries(reader.sections.map((s) => [s.name, rowsJson(reader.table(s.name), limit)])), null, 2)}\n`);
    return;
  }
  const t = reader.table(options.section);
  if (options.format === 'json') {
    write(`${JSON.stringify(rowsJson(t, limit), null, 2)}\n`);
    return;
  }
  if (options.format === 'ndjson') {
    let n = 0;
    for (const row of t) {
      if (n++ >= limit) break;
      write(`${JSON.stringify(jsonSafe(row))}\n`);
    }
    return;
  }
  const columns = columnsOf(reader.layout, t.struct.name, '');
  write(`${columns.map(csvCell).join(',')}\n`);
  let n = 0;
  for (const row of t) {
    if (n++ >= limit) break;
    write(`${columns.map((c) => csvCell(cellText(pick(row, c)))).join(',')}\n`);
  }
}

function rowsJson(t: TableReader, limit: number): unknown {
  if (t.section.kind === 'record') return jsonSafe(t.at(0));
  const rows: unknown[] = [];
  for (const row of t) {
    if (rows.length >= limit) break;
    rows.push(jsonSafe(row));
  }
  return rows;
}

/** CSV columns: struct fields flattened with dots; vectors stay one column (their JSON). */
function columnsOf(layout: ArenaLayout, struct: string, prefix: string): string[] {
  return layout.structs.get(struct)!.fields.flatMap((f) => (f.slot.kind === 'struct' ? columnsOf(layout, f.slot.name, `${prefix}${f.name}.`) : [`${prefix}${f.name}`]));
}

function pick(row: Record<string, unknown>, path: string): unknown {
  let v: unknown = row;
  for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function cellText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(jsonSafe(v));
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

