/**
 * File sources: `csv()`, `ndjson()` and `lines()` describe a file (a path, URL or readable stream); the
 * pool reads it. By default workers parse: the main thread only cuts the bytes into chunks of whole lines
 * and shares each chunk (a SharedArrayBuffer view, no copy per worker), because parsing in the main thread
 * caps a pool at single-thread speed. `parseIn: 'main'` parses in the main thread instead, for CSV files
 * with line breaks inside quoted fields: records are framed by quote-aware splitting, then parsed by
 * csv-parse in blocks. A quote that is never closed swallows lines only up to `maxRecordChars`.
 *
 * For file sources an outcome's `line` is the 1-based line its record starts on, and `index` counts data
 * lines from 0 (the header is not a data line), so both stay stable however the file is chunked.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import { PoolError, PoolErrors } from './errors.js';
import { lastCsvRecordEnd, parseCsvLines, parseJsonLine, splitCsvRecords } from './formats.js';
import type { ChunkFormat } from './protocol.js';

const FILE_SOURCE = Symbol.for('sabre.PoolFileSource');

export type FileInput = string | URL | Readable;

export interface FileSourceOptions {
  /** Where records are parsed. Default 'worker'. */
  parseIn?: 'worker' | 'main';
  /** Bytes per chunk sent to a worker (worker parsing). Default 1 MiB. */
  chunkBytes?: number;
  /**
   * Main-thread CSV only: a record still inside quotes after this many characters is reported malformed,
   * and reading goes on from its next line. Default 16 Mi.
   */
  maxRecordChars?: number;
}

export interface CsvOptions extends FileSourceOptions {
  /** The first line names the columns and rows are objects (default true); false gives string arrays. */
  header?: boolean;
  /** Field delimiter, default ','. */
  delimiter?: string;
}

/** A file to read rows from; made by csv(), ndjson() or lines(). `Row` is what the task receives. */
export interface FileSource<Row> {
  readonly format: ChunkFormat;
  readonly input: FileInput;
  readonly options: Required<Pick<CsvOptions, 'parseIn' | 'chunkBytes' | 'header' | 'delimiter' | 'maxRecordChars'>>;
  /** Phantom: the row type. */
  readonly __row?: Row;
}

/**
 * Rows of a CSV file: objects keyed by the header's column names (name them with `csv<{ id: string }>(…)`),
 * or string arrays with header: false. Fields are strings.
 */
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
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw PoolErrors.badOption('chunkBytes', 'a positive integer', chunkBytes);
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0 || delimiter.includes('\n') || delimiter.includes('"'))
    throw PoolErrors.badOption('delimiter', 'a non-empty string without quotes or line breaks', delimiter);
  const maxRecordChars = options.maxRecordChars ?? 16 << 20;
  if (!Number.isInteger(maxRecordChars) || maxRecordChars < 1) throw PoolErrors.badOption('maxRecordChars', 'a positive integer', maxRecordChars);
  const src = { format, input, options: { parseIn, chunkBytes, header: options.header ?? true, delimiter, maxRecordChars } };
  Object.defineProperty(src, FILE_SOURCE, { value: true });
  return src;
}

export function isFileSource(value: unknown): value is FileSource<unknown> {
  return typeof value === 'object' && value !== null && (value as { [FILE_SOURCE]?: true })[FILE_SOURCE] === true;
}

function open(input: FileInput, chunkBytes: number): Readable {
  if (typeof input === 'string' || input instanceof URL) {
    const path = input instanceof URL ? fileURLToPath(input) : input;
    return createReadStream(path, { highWaterMark: Math.min(chunkBytes, 8 << 20) });
  }
  return input;
}

/** The file's size, when it is a file (for progress bars). */
export async function sizeOf(input: FileInput): Promise<number | undefined> {
  if (typeof input === 'string' || input instanceof URL) {
    try {
      return (await stat(input instanceof URL ? fileURLToPath(input) : input)).size;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A chunk of whole lines in shared memory, and the line its first byte is on. */
export interface Chunk {
  bytes: Uint8Array;
  firstLine: number;
}

/** Cuts a byte stream into chunks of whole lines (the header line, for CSV with a header, taken off first). */
export class Chunker {
  private carry: Uint8Array = new Uint8Array(0);
  private nextLine = 1;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array | string>;
  bytesRead = 0;
  columns: string[] | null = null;
  /** The first data line (2 when a header line was read). */
  dataLine = 1;

  constructor(private readonly src: FileSource<unknown>) {
    this.it = (open(src.input, src.options.chunkBytes) as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  }

  /** Reads the header when there is one; call once before next(). */
  async start(): Promise<void> {
    if (this.src.format !== 'csv' || !this.src.options.header) return;
    let nl = -1;
    while ((nl = this.carry.indexOf(10)) < 0 && (await this.pull()));
    const end = nl < 0 ? this.carry.length : nl;
    const text = new TextDecoder().decode(this.carry.subarray(0, end)).replace(/\r$/, '');
    this.carry = this.carry.subarray(nl < 0 ? end : end + 1);
    this.nextLine = 2;
    this.dataLine = 2;
    this.columns = parseHeader(text, this.src.options.delimiter);
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done === true) {
      this.done = true;
      return false;
    }
    const piece = typeof r.value === 'string' ? new TextEncoder().encode(r.value) : r.value;
    this.bytesRead += piece.length;
    const merged = new Uint8Array(this.carry.length + piece.length);
    merged.set(this.carry, 0);
    merged.set(piece, this.carry.length);
    this.carry = merged;
    return true;
  }

  /** The next chunk, or null at the end of the input. */
  async next(): Promise<Chunk | null> {
    const want = this.src.options.chunkBytes;
    while (this.carry.length < want && (await this.pull()));
    let cut = this.carry.lastIndexOf(10) + 1;
    while (cut === 0 && (await this.pull())) cut = this.carry.lastIndexOf(10) + 1;
    if (cut === 0) cut = this.carry.length; // the last line has no line break
    if (cut === 0) return null;
    const bytes = new Uint8Array(new SharedArrayBuffer(cut));
    bytes.set(this.carry.subarray(0, cut));
    this.carry = this.carry.subarray(cut);
    const firstLine = this.nextLine;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) this.nextLine++;
    return { bytes, firstLine };
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** A record parsed in the main thread, or the reason its line is malformed. */
export type Entry = { row: unknown; line: number; malformed: null } | { row: undefined; line: number; malformed: string };

/** Parses in the main thread (parseIn: 'main'), yielding entries in file order. */
export async function* mainEntries(src: FileSource<unknown>): AsyncGenerator<Entry, void, undefined> {
  const stream = open(src.input, src.options.chunkBytes);
  if (src.format === 'csv') {
    yield* csvEntries(stream as AsyncIterable<Uint8Array | string>, src.options);
    return;
  }
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.length === 0) continue;
    if (src.format === 'lines') {
      yield { row: text, line, malformed: null };
      continue;
    }
    const r = parseJsonLine(text);
    yield r.malformed === null ? { row: r.value, line, malformed: null } : { row: undefined, line, malformed: r.malformed };
  }
}

async function* csvEntries(stream: AsyncIterable<Uint8Array | string>, options: FileSource<unknown>['options']): AsyncGenerator<Entry, void, undefined> {
  const decoder = new TextDecoder();
  let carry = '';
  let nextLine = 1;
  let columns: string[] | null = null;
  let needHeader = options.header;
  function* emit(text: string): Generator<Entry, void, undefined> {
    const texts: string[] = [];
    const lines: number[] = [];
    splitCsvRecords(text, nextLine, texts, lines);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nextLine++;
    if (needHeader && texts.length > 0) {
      columns = parseHeader(texts.shift()!, options.delimiter);
      lines.shift();
      needHeader = false;
    }
    const malformed = new Map<number, string>();
    const records = parseCsvLines(texts, columns, options.delimiter, malformed);
    for (let k = 0; k < texts.length; k++) {
      const m = malformed.get(k);
      yield m === undefined ? { row: records[k], line: lines[k]!, malformed: null } : { row: undefined, line: lines[k]!, malformed: m };
    }
  }
  for await (const piece of stream) {
    carry += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    const end = lastCsvRecordEnd(carry);
    if (end > 0) {
      yield* emit(carry.slice(0, end));
      carry = carry.slice(end);
    } else if (carry.length > options.maxRecordChars) {
      const nl = carry.indexOf('\n');
      yield { row: undefined, line: nextLine, malformed: `a quote opened on this line is not closed within ${options.maxRecordChars} characters (maxRecordChars); reading goes on from the next line` };
      nextLine++;
      carry = carry.slice(nl + 1);
    }
  }
  carry += decoder.decode();
  if (carry.length > 0) yield* emit(carry);
  if (needHeader) throw emptyCsv();
}

const emptyCsv = () => new PoolError('POOL_BAD_SOURCE', '✖ the CSV file is empty: expected a header line naming the columns (or pass header: false)');

/** Column names from a header line: non-empty and distinct. */
function parseHeader(text: string, delimiter: string): string[] {
  let cols: unknown;
  try {
    cols = (parseSync(text, { delimiter }) as unknown[])[0];
  } catch (e) {
    throw new PoolError('POOL_BAD_SOURCE', `✖ the CSV header (line 1) is not valid CSV: ${(e as Error).message}`);
  }
  if (!Array.isArray(cols) || cols.length === 0) throw emptyCsv();
  const seen = new Set<string>();
  for (const c of cols as string[]) {
    if (c === '' || seen.has(c)) throw new PoolError('POOL_BAD_SOURCE', `✖ the CSV header (line 1) has ${c === '' ? 'an empty' : `a duplicate column name "${c}"`}; every column needs its own name (or pass header: false)`);
    seen.add(c);
  }
  return cols as string[];
}

/** The 1-based line of record `r` of a chunk (its r-th non-empty line); used only to name a row that crashed. */
export function lineOfRecord(chunk: Chunk, r: number): number {
  const b = chunk.bytes;
  let line = chunk.firstLine;
  let seen = 0;
  let start = 0;
  while (start < b.length) {
    let end = b.indexOf(10, start);
    if (end < 0) end = b.length;
    const stop = end > start && b[end - 1] === 13 ? end - 1 : end;
    if (stop > start) {
      if (seen === r) return line;
      seen++;
    }
    start = end + 1;
    line++;
  }
  return line;
}
