/**
 * Worker-side parsing of file chunks (framing: chunks.ts). `chunkReader` walks a chunk's records one at a
 * time, so a batch holds one parsed row at a time and the shared cursor moves row by row even while a
 * long chunk is being read. CSV without a quote character anywhere in the chunk is split directly; a
 * chunk holding quotes goes through csv-parse, and a chunk whose records do not map one-to-one onto
 * lines (a quote left open swallows the lines after it) is parsed again line by line, so one bad line
 * costs one malformed record and never the lines after it.
 *
 * Newlines inside quoted CSV fields are therefore not supported here: such a record is reported as
 * malformed with its line. Files that need them are read with `csv(path, { parseIn: 'main' })`.
 */
import { parse } from 'csv-parse/sync';
import { ChunkLines } from './chunks.js';
import type { ChunkFormat } from './protocol.js';

/** The records of one chunk, in order. After `next()` returns true, `row`, `line` and `malformed` describe one. */
export interface RecordReader {
  next(): boolean;
  /** The parsed record (undefined when malformed). */
  row: unknown;
  /** Its 1-based file line. */
  line: number;
  /** What is wrong with it, or null. */
  malformed: string | null;
}

const NOT_UTF8 = 'the line is not valid UTF-8';
const QUOTE = 34;

/** `reuse`: CSV records with columns are written into one object, reused for every row (TaskOptions.reuseRows). */
export function chunkReader(bytes: Uint8Array, format: ChunkFormat, columns: readonly string[] | null, delimiter: string, firstLine: number, reuse = false): RecordReader {
  const lines = new ChunkLines(bytes, firstLine);
  const shared: Record<string, string> | null = reuse && columns !== null ? {} : null;
  if (format === 'csv' && bytes.indexOf(QUOTE) >= 0) return quotedCsvReader(lines, columns, delimiter);
  const reader: RecordReader = {
    row: undefined,
    line: 0,
    malformed: null,
    next() {
      if (!lines.next()) return false;
      reader.line = lines.line;
      reader.row = undefined;
      if (lines.bad) {
        reader.malformed = NOT_UTF8;
        return true;
      }
      reader.malformed = null;
      const t = lines.text.slice(lines.start, lines.end);
      if (format === 'lines') reader.row = t;
      else if (format === 'ndjson') {
        const r = parseJsonLine(t);
        reader.row = r.value;
        reader.malformed = r.malformed;
      } else {
        const fields = t.split(delimiter);
        if (columns === null) reader.row = fields;
        else if (fields.length !== columns.length) reader.malformed = badWidth(columns.length, fields.length);
        else {
          const record: Record<string, string> = shared ?? {};
          for (let c = 0; c < fields.length; c++) record[columns[c]!] = fields[c]!;
          reader.row = record;
        }
      }
      return true;
    },
  };
  return reader;
}

/** A chunk holding quotes: every record parsed up front by csv-parse (in one call when it can be trusted). */
function quotedCsvReader(walker: ChunkLines, columns: readonly string[] | null, delimiter: string): RecordReader {
  const texts: string[] = [];
  const lines: number[] = [];
  const malformed = new Map<number, string>();
  while (walker.next()) {
    if (walker.bad) malformed.set(texts.length, NOT_UTF8);
    texts.push(walker.text.slice(walker.start, walker.end));
    lines.push(walker.line);
  }
  const records = parseCsvLines(texts, columns, delimiter, malformed);
  let k = -1;
  const reader: RecordReader = {
    row: undefined,
    line: 0,
    malformed: null,
    next() {
      if (++k >= texts.length) return false;
      reader.line = lines[k]!;
      reader.malformed = malformed.get(k) ?? null;
      reader.row = reader.malformed === null ? records[k] : undefined;
      return true;
    },
  };
  return reader;
}

/** Parses a whole chunk at once (tests, and callers that want every record). */
export function parseChunk(bytes: Uint8Array, format: ChunkFormat, columns: readonly string[] | null, delimiter: string, firstLine: number): { records: unknown[]; lines: Int32Array; malformed: Map<number, string> } {
  const reader = chunkReader(bytes, format, columns, delimiter, firstLine);
  const records: unknown[] = [];
  const lines: number[] = [];
  const malformed = new Map<number, string>();
  while (reader.next()) {
    if (reader.malformed !== null) malformed.set(records.length, reader.malformed);
    records.push(reader.row);
    lines.push(reader.line);
  }
  return { records, lines: Int32Array.from(lines), malformed };
}

/** One NDJSON line: its value, or what is wrong with it. */
export function parseJsonLine(text: string): { value: unknown; malformed: string | null } {
  try {
    return { value: JSON.parse(text) as unknown, malformed: null };
  } catch (e) {
    return { value: undefined, malformed: `not JSON (${(e as Error).message})` };
  }
}

const badWidth = (width: number, got: number): string => `bad CSV (Invalid Record Length: columns length is ${width}, got ${got})`;

interface CsvSkip {
  lines: number;
  message: string;
}

/**
 * Parses CSV records, one per text (a text may span lines when it came from `splitCsvRecords`), into
 * `records`; a text that is not exactly one valid record is marked malformed without touching its
 * neighbours. Exported for the main-thread parser.
 */
export function parseCsvLines(texts: string[], columns: readonly string[] | null, delimiter: string, malformed: Map<number, string>): unknown[] {
  const plain = splitPlain(texts, columns, delimiter, malformed);
  if (plain !== null) return plain;
  const options: CsvLineOptions = { delimiter, columns: columns === null ? false : [...columns], relax_column_count: columns === null };
  const whole = tryWhole(texts, options, malformed);
  if (whole !== null) return whole;
  // Text by text: slower, but a broken record cannot take its neighbours with it.
  return texts.map((t, k) => {
    if (malformed.has(k)) return undefined;
    try {
      const rows = parse(t, options) as unknown[];
      if (rows.length !== 1) {
        malformed.set(k, `expected one CSV record, got ${rows.length}`);
        return undefined;
      }
      return rows[0];
    } catch (e) {
      malformed.set(k, csvMessage(e));
      return undefined;
    }
  });
}

/**
 * Records without a quote character anywhere are split on the delimiter directly: with no quotes, CSV
 * fields are literal, and this is ~10× faster than csv-parse (5.5 µs per record here). Null when any
 * text holds a quote, so csv-parse handles quoting.
 */
function splitPlain(texts: string[], columns: readonly string[] | null, delimiter: string, malformed: Map<number, string>): unknown[] | null {
  for (const t of texts) if (t.includes('"')) return null;
  const out = new Array<unknown>(texts.length);
  const width = columns === null ? -1 : columns.length;
  for (let k = 0; k < texts.length; k++) {
    if (malformed.has(k)) continue;
    const fields = texts[k]!.split(delimiter);
    if (width < 0) {
      out[k] = fields;
      continue;
    }
    if (fields.length !== width) {
      malformed.set(k, badWidth(width, fields.length));
      continue;
    }
    const record: Record<string, string> = {};
    for (let c = 0; c < width; c++) record[columns![c]!] = fields[c]!;
    out[k] = record;
  }
  return out;
}

interface CsvLineOptions {
  delimiter: string;
  columns: string[] | false;
  relax_column_count: boolean;
}

/** One csv-parse call over all texts; null unless every record maps to exactly one text (by its last line). */
function tryWhole(texts: string[], options: CsvLineOptions, malformed: Map<number, string>): unknown[] | null {
  if (malformed.size > 0) return null;
  // The 1-based line (within the joined text) each text ends on → its position.
  const byEndLine = new Map<number, number>();
  let line = 0;
  for (let k = 0; k < texts.length; k++) {
    const t = texts[k]!;
    line++;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) line++;
    byEndLine.set(line, k);
  }
  const skips: CsvSkip[] = [];
  let parsed: { record: unknown; info: { lines: number } }[];
  try {
    parsed = parse(texts.join('\n'), {
      ...options,
      info: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        // After a quote error csv-parse may resynchronise anywhere: trust only record-local errors.
        const local = err?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || err?.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH';
        skips.push({ lines: local && typeof err?.lines === 'number' ? err.lines : -1, message: csvMessage(err) });
        return undefined;
      },
    }) as unknown as { record: unknown; info: { lines: number } }[];
  } catch {
    return null;
  }
  if (parsed.length + skips.length !== texts.length) return null;
  const records = new Array<unknown>(texts.length);
  const seen = new Uint8Array(texts.length);
  for (const r of parsed) {
    const k = byEndLine.get(r.info.lines);
    if (k === undefined || seen[k] === 1) return null;
    seen[k] = 1;
    records[k] = r.record;
  }
  const found = new Map<number, string>();
  for (const s of skips) {
    const k = byEndLine.get(s.lines);
    if (k === undefined || seen[k] === 1) return null;
    seen[k] = 1;
    found.set(k, s.message);
  }
  for (const [k, m] of found) malformed.set(k, m);
  return records;
}

/**
 * Splits CSV text into record texts, honouring quotes: a line break ends a record only outside quotes.
 * Empty records are skipped. `lines` gets the 1-based line each record starts on.
 */
export function splitCsvRecords(text: string, firstLine: number, texts: string[], lines: number[]): void {
  let start = 0;
  let line = firstLine;
  let startLine = firstLine;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 34) quoted = !quoted;
    else if (c === 10) {
      if (!quoted || i === text.length) {
        const stop = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
        if (stop > start) {
          texts.push(text.slice(start, stop));
          lines.push(startLine);
        }
        start = i + 1;
        startLine = line + 1;
      }
      line++;
    }
  }
}

/** The end of the last complete record in `text` (after its line break), or -1: quotes are honoured. */
export function lastCsvRecordEnd(text: string): number {
  let quoted = false;
  let end = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) end = i + 1;
  }
  return end;
}

function csvMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // csv-parse counts lines within the text it was given; the caller reports the file's line instead.
  return `bad CSV (${m.replace(/ (?:on|at) line \d+/, '')})`;
}
