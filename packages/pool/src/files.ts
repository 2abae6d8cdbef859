/**
 * File sources: `csv()`, `ndjson()` and `lines()` describe a file (a path, URL or readable stream); the
 * pool reads it. By default workers parse: the main thread only cuts the bytes into chunks of whole lines
 * (chunker.ts) and shares each chunk, because parsing in the main thread caps a pool at single-thread
 * speed. `parseIn: 'main'` parses in the main thread instead (main-parse.ts), for CSV files with line
 * breaks inside quoted fields.
 *
 * For file sources an outcome's `line` is the 1-based line its record starts on, and `index` counts data
 * lines from 0 (the header is not a data line), so both stay stable however the file is chunked.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseSync } from 'csv-parse/sync';
import type { SharedBuffers } from './buffers.js';
import { Chunker, openBytes } from './chunker.js';
import type { FileInput } from './chunker.js';
import { PoolErrors } from './errors.js';
import type { ChunkSpec } from './batch.js';
import type { ChunkFormat } from './protocol.js';

export type { FileInput } from './chunker.js';

const FILE_SOURCE = Symbol.for('sabre.PoolFileSource');

/** Options of every file source ({@link csv}, {@link ndjson}, {@link lines}). */
export interface FileSourceOptions {
  /** Where records are parsed. Default 'worker'. */
  parseIn?: 'worker' | 'main';
  /**
   * Bytes per chunk sent to a worker. Default: sized from the measured cost per byte so a batch takes
   * about the pool's `batchMs`, between 16 KiB and 4 MiB, and small enough that a small file still
   * spreads over every worker.
   */
  chunkBytes?: number;
  /**
   * Main-thread CSV only: a record still inside quotes after this many characters is reported malformed,
   * and reading goes on from its next line. Default 16 Mi.
   */
  maxRecordChars?: number;
  /**
   * Reads only the bytes [start, end) of a file (a path or URL, not a stream): one file split over
   * several runs or hosts, each range starting at a line. The range's first line is line 1 of the run,
   * and with `csv` it is the header unless `header: false`. Read in place, as a whole file is.
   */
  range?: {
    /** The first byte read: the start of a line. */
    start: number;
    /** The byte after the last one read (the end of a line, or of the file). */
    end: number;
  };
}

/** Options of {@link csv}. */
export interface CsvOptions extends FileSourceOptions {
  /** The first line names the columns and rows are objects (default true); false gives string arrays. */
  header?: boolean;
  /**
   * The columns the run needs. With a header, it is checked against them before any row runs, and a
   * missing column is one clear error (POOL_BAD_COLUMNS). Without a header, they name the fields: rows are
   * objects with these keys.
   */
  columns?: readonly string[];
  /** Field delimiter, default ','. */
  delimiter?: string;
}

/** A file to read rows from; made by csv(), ndjson() or lines(). `Row` is what the task receives. */
export interface FileSource<Row> {
  /** How records are parsed: 'csv', 'ndjson' or 'lines'. */
  readonly format: ChunkFormat;
  /** The file: a path, a file URL or a readable stream. */
  readonly input: FileInput;
  /** The options with their defaults filled in. */
  readonly options: Required<Pick<CsvOptions, 'parseIn' | 'header' | 'delimiter' | 'maxRecordChars'>> & {
    /** Bytes per chunk, or null: sized from the measured cost per byte. */
    chunkBytes: number | null;
    /** The columns named by the `columns` option, or null. */
    columns: readonly string[] | null;
    /** The byte range read, or null for the whole input. */
    range: {
      /** The first byte read. */
      start: number;
      /** The byte after the last one read. */
      end: number;
    } | null;
  };
  /** Phantom: the row type. */
  readonly __row?: Row;
}

/**
 * Rows of a CSV file: objects keyed by the header's column names, or string arrays with header: false
 * (objects keyed by `columns` when given). Fields are strings. Name the columns the task needs with
 * `columns`: the header is checked against them before any row runs, and the row type follows.
 */
export function csv<const C extends string>(input: FileInput, options: CsvOptions & { columns: readonly C[] }): FileSource<Record<C, string>>;
export function csv<Row extends Record<string, string> = Record<string, string>>(input: FileInput, options?: CsvOptions & { header?: true }): FileSource<Row>;
export function csv(input: FileInput, options: CsvOptions & { header: false }): FileSource<string[]>;
export function csv(input: FileInput, options: CsvOptions = {}): FileSource<Record<string, string> | string[]> {
  return fileSource('csv', input, options);
}

/** Rows of a newline-delimited JSON file: one JSON value per line. */
export function ndjson<Row = unknown>(input: FileInput, options: FileSourceOptions = {}): FileSource<Row> {
  return fileSource('ndjson', input, options);
}

/** Rows that are the file's non-empty lines, as strings (without the line break). */
export function lines(input: FileInput, options: FileSourceOptions = {}): FileSource<string> {
  return fileSource('lines', input, options);
}

function fileSource<Row>(format: ChunkFormat, input: FileInput, options: CsvOptions): FileSource<Row> {
  const parseIn = options.parseIn ?? 'worker';
  if (parseIn !== 'worker' && parseIn !== 'main') throw PoolErrors.badOption('parseIn', "'worker' or 'main'", parseIn);
  const chunkBytes = options.chunkBytes ?? null;
  if (chunkBytes !== null && (!Number.isInteger(chunkBytes) || chunkBytes < 1)) throw PoolErrors.badOption('chunkBytes', 'a positive integer', chunkBytes);
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0 || delimiter.includes('\n') || delimiter.includes('"'))
    throw PoolErrors.badOption('delimiter', 'a non-empty string without quotes or line breaks', delimiter);
  const maxRecordChars = options.maxRecordChars ?? 16 << 20;
  if (!Number.isInteger(maxRecordChars) || maxRecordChars < 1) throw PoolErrors.badOption('maxRecordChars', 'a positive integer', maxRecordChars);
  const columns = options.columns ?? null;
  if (columns !== null) checkNames(columns, 'option columns');
  const range = options.range === undefined ? null : { start: options.range.start, end: options.range.end };
  if (range !== null && (typeof input !== 'string' && !(input instanceof URL) || !Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start))
    throw PoolErrors.badOption('range', 'whole byte offsets 0 ≤ start ≤ end, of a file given by path or URL (not a stream)', options.range);
  const src = { format, input, options: { parseIn, chunkBytes, header: options.header ?? true, delimiter, maxRecordChars, columns, range } };
  Object.defineProperty(src, FILE_SOURCE, { value: true });
  return src;
}

export function isFileSource(value: unknown): value is FileSource<unknown> {
  return typeof value === 'object' && value !== null && (value as { [FILE_SOURCE]?: true })[FILE_SOURCE] === true;
}

/** A file source opened: its header read and checked, ready to be cut into chunks. */
export interface OpenedFile {
  chunker: Chunker;
  spec: ChunkSpec;
  /** The first data line: 2 after a header, else 1. */
  dataLine: number;
  /** The file's size, when it is a file (for progress bars and for sizing chunks). */
  bytesTotal: number | undefined;
}

export async function openFile(src: FileSource<unknown>, buffers: SharedBuffers): Promise<OpenedFile> {
  const { range } = src.options;
  const size = await sizeOf(src.input);
  // A range past the end of the file reads what there is.
  const bytesTotal = range === null || size === undefined ? size : Math.max(0, Math.min(size, range.end) - range.start);
  const chunker = new Chunker(await openBytes(src.input, range), buffers);
  const { header, delimiter, columns: wanted } = src.options;
  let columns: readonly string[] | null = src.format === 'csv' ? wanted : null;
  let dataLine = 1;
  if (src.format === 'csv' && header) {
    const first = await chunker.firstLine();
    if (first === null) {
      await chunker.close();
      throw PoolErrors.emptyCsv();
    }
    try {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(first);
      } catch {
        throw PoolErrors.badHeader('is not valid UTF-8; save the file as UTF-8');
      }
      columns = parseHeader(text, delimiter);
      if (wanted !== null) checkColumns(columns, wanted);
    } catch (e) {
      await chunker.close();
      throw e;
    }
    dataLine = chunker.firstChunkLine;
  }
  return { chunker, spec: { format: src.format, columns, delimiter }, dataLine, bytesTotal };
}

async function sizeOf(input: FileInput): Promise<number | undefined> {
  if (typeof input !== 'string' && !(input instanceof URL)) return undefined;
  try {
    const s = await stat(input instanceof URL ? fileURLToPath(input) : input);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

function checkColumns(header: readonly string[], wanted: readonly string[]): void {
  const have = new Set(header);
  const missing = wanted.filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const need = new Set(wanted);
  throw PoolErrors.badColumns(missing, header.filter((c) => !need.has(c)), header);
}

/** Column names from a header line: non-empty and distinct. */
export function parseHeader(text: string, delimiter: string): string[] {
  let cols: unknown;
  try {
    cols = (parseSync(text, { delimiter }) as unknown[])[0];
  } catch (e) {
    throw PoolErrors.badHeader(`is not valid CSV: ${(e as Error).message}`);
  }
  if (!Array.isArray(cols) || cols.length === 0) throw PoolErrors.emptyCsv();
  checkNames(cols as string[], 'the CSV header (line 1)');
  return cols as string[];
}

function checkNames(cols: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const c of cols) {
    if (typeof c !== 'string' || c === '' || seen.has(c)) throw PoolErrors.badColumnNames(where, typeof c === 'string' ? c : '');
    seen.add(c);
  }
}
