/**
 * Worker-side parsing of file chunks. A chunk is whole lines (the pool cuts at '\n'); each non-empty line
 * is one record, so record k of a chunk is known without global state and a split re-run after a crash
 * finds the same records again. CSV goes through csv-parse; a chunk whose records do not map one-to-one
 * onto lines (a quote left open swallows the lines after it) is parsed again line by line, so one bad line
 * costs one malformed record and never the lines after it.
 *
 * Newlines inside quoted CSV fields are therefore not supported here: such a record is reported as
 * malformed with its line. Files that need them are read with `csv(path, { parseIn: 'main' })`.
 */
import { parse } from 'csv-parse/sync';
import type { ChunkFormat } from './protocol.js';

export interface ParsedChunk {
  /** One entry per record; a malformed record holds undefined and has an entry in `malformed`. */
  records: unknown[];
  /** The 1-based file line of each record. */
  lines: Int32Array;
  /** Record k → what is wrong with it. */
  malformed: Map<number, string>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseChunk(
  bytes: Uint8Array,
  format: ChunkFormat,
  columns: readonly string[] | null,
  delimiter: string,
  firstLine: number,
): ParsedChunk {
  const malformed = new Map<number, string>();
  const texts: string[] = [];
  const lineNos: number[] = [];
  splitLines(bytes, firstLine, (text, line) => {
    if (text === null) malformed.set(texts.length, 'the line is not valid UTF-8');
    texts.push(text ?? '');
    lineNos.push(line);
  });
  const lines = Int32Array.from(lineNos);
  let records: unknown[];
  switch (format) {
    case 'lines':
      records = texts;
      break;
    case 'ndjson':
      records = texts.map((t, k) => {
        if (malformed.has(k)) return undefined;
        try {
          return JSON.parse(t) as unknown;
        } catch (e) {
          malformed.set(k, `not JSON (${(e as Error).message})`);
          return undefined;
        }
      });
      break;
    case 'csv':
      records = parseCsvLines(texts, columns, delimiter, malformed);
      break;
  }
  for (const k of malformed.keys()) records[k] = undefined;
  return { records, lines, malformed };
}

/** Calls `each` for every non-empty line (without '\r\n'); text is null when the line is not valid UTF-8. */
function splitLines(bytes: Uint8Array, firstLine: number, each: (text: string | null, line: number) => void): void {
  let text: string | null = null;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = null;
  }
  if (text !== null) {
    let start = 0;
    let line = firstLine;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (stop > start) each(text.slice(start, stop), line);
      start = end + 1;
      line++;
    }
    return;
  }
  // Slow path, only for a chunk holding invalid UTF-8: decode line by line to name the bad lines.
  let start = 0;
  let line = firstLine;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    if (stop > start) {
      let t: string | null;
      try {
        t = utf8.decode(bytes.subarray(start, stop));
      } catch {
        t = null;
      }
      each(t, line);
    }
    start = end + 1;
    line++;
  }
}

interface CsvSkip {
  lines: number;
  message: string;
}

function parseCsvLines(texts: string[], columns: readonly string[] | null, delimiter: string, malformed: Map<number, string>): unknown[] {
  const options: CsvLineOptions = { delimiter, columns: columns === null ? false : [...columns], relax_column_count: columns === null };
  const whole = tryWhole(texts, options, malformed);
  if (whole !== null) return whole;
  // Line by line: slower, but a broken line cannot take its neighbours with it.
  return texts.map((t, k) => {
    if (malformed.has(k)) return undefined;
    try {
      const rows = parse(t, options) as unknown[];
      if (rows.length !== 1) {
        malformed.set(k, `expected one CSV record on the line, got ${rows.length}`);
        return undefined;
      }
      return rows[0];
    } catch (e) {
      malformed.set(k, csvMessage(e));
      return undefined;
    }
  });
}

/** One csv-parse call over the whole chunk; null unless every record maps to exactly one line. */
interface CsvLineOptions {
  delimiter: string;
  columns: string[] | false;
  relax_column_count: boolean;
}

function tryWhole(
  texts: string[],
  options: CsvLineOptions,
  malformed: Map<number, string>,
): unknown[] | null {
  if (malformed.size > 0) return null;
  const skips: CsvSkip[] = [];
  let parsed: { record: unknown; info: { lines: number } }[];
  try {
    parsed = parse(texts.join('\n'), {
      ...options,
      info: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        skips.push({ lines: typeof err?.lines === 'number' ? err.lines : -1, message: csvMessage(err) });
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
    const k = r.info.lines - 1;
    if (!(k >= 0 && k < texts.length) || seen[k] === 1) return null;
    seen[k] = 1;
    records[k] = r.record;
  }
  const found = new Map<number, string>();
  for (const s of skips) {
    const k = s.lines - 1;
    if (!(k >= 0 && k < texts.length) || seen[k] === 1) return null;
    seen[k] = 1;
    found.set(k, s.message);
  }
  for (const [k, m] of found) malformed.set(k, m);
  return records;
}

function csvMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // csv-parse counts lines within the text it was given; the caller reports the file's line instead.
  return `bad CSV (${m.replace(/ (?:on|at) line \d+/, '')})`;
}
