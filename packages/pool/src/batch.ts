/**
 * A batch: rows from memory, or records [from, to) of a file chunk, bound for one worker; and the math
 * that splits one after its worker died. The pool sees batches as opaque (it sends them and reports
 * their results or their worker's death); the run that made them does the accounting.
 */
import { countRecords, lineOfRecord } from './chunks.js';
import type { Chunk, LineLedger } from './chunks.js';
import type { Entry } from './outbox.js';
import { pack } from './pack.js';
import type { BatchMessage, ChunkFormat, DoneMessage, OutputMode } from './protocol.js';

/** How the workers parse a file's chunks; one per run. */
export interface ChunkSpec {
  readonly format: ChunkFormat;
  readonly columns: readonly string[] | null;
  readonly delimiter: string;
}

/** What a batch answers to: the run that made it. The pool reports each batch's fate here and nowhere else. */
export interface BatchOwner {
  readonly output: OutputMode;
  /** Its run is still going. */
  readonly active: boolean;
  /** The batch finished in a worker. */
  done(batch: Batch, m: DoneMessage): void;
  /** Its worker died: at row k if `started`, else before it began this batch. */
  crashed(batch: Batch, started: boolean, k: number, reason: string): void;
  /** It could not be sent to a worker. */
  unsendable(batch: Batch, error: unknown): void;
  /** Bytes mode: a slab for the batch's output, sized from what batches wrote so far. */
  outputSlab(batch: Batch): SharedArrayBuffer | null;
  /** The batch cannot run at all (not the fault of a row): the run fails. */
  fail(error: Error): void;
}

interface BatchBase {
  /** Set when it is sent to a worker; the worker's cursor names it. */
  id: number;
  readonly owner: BatchOwner;
  readonly entry: Entry;
  /** Times this batch has killed a worker outside any row, or (for a single suspect row) at all. */
  readonly attempts: number;
}

export interface RowsBatch extends BatchBase {
  readonly kind: 'rows';
  readonly rows: readonly unknown[];
  /** The run index of rows[0]. */
  readonly first: number;
  /** For main-thread parsed files: each row's file line. */
  readonly lines: readonly number[] | null;
}

export interface ChunkBatch extends BatchBase {
  readonly kind: 'chunk';
  readonly chunk: Chunk;
  readonly spec: ChunkSpec;
  readonly from: number;
  /** -1: to the end of the chunk. */
  readonly to: number;
}

export type Batch = RowsBatch | ChunkBatch;

/** Rows in a batch; Infinity for the rest of a chunk whose record count is not known. */
export function batchSize(b: Batch): number {
  if (b.kind === 'rows') return b.rows.length;
  return b.to < 0 ? Infinity : b.to - b.from;
}

/** Rows [a, end) of a batch (positions relative to it; end -1: to its end) as a new batch. */
export function piece(b: Batch, a: number, end: number, attempts: number): Batch {
  if (b.kind === 'chunk') return { ...b, id: 0, from: b.from + a, to: end < 0 ? b.to : b.from + end, attempts };
  const stop = end < 0 ? b.rows.length : end;
  return { ...b, id: 0, rows: b.rows.slice(a, stop), first: b.first + a, lines: b.lines === null ? null : b.lines.slice(a, stop), attempts };
}

/**
 * Where row k of a batch sorts within its entry, so the pieces of a split entry (and rows failed on
 * their own) are put back in input order: its record number in a chunk, its file line, or its index.
 */
export function sortKey(b: Batch, k: number): number {
  if (b.kind === 'chunk') return b.from + k;
  return b.lines !== null ? b.lines[k]! : b.first + k;
}

/** The message that runs a batch in a worker (`forWorker: false` for the in-thread runner: rows are not packed). */
export function toMessage(b: Batch, forWorker: boolean): { message: BatchMessage; transfer: ArrayBuffer[] } {
  const output = b.owner.output;
  const out = b.owner.outputSlab(b);
  if (b.kind === 'chunk') {
    const s = b.spec;
    return { message: { t: 'chunk', id: b.id, bytes: b.chunk.bytes, lineCount: b.chunk.lineCount, format: s.format, columns: s.columns, delimiter: s.delimiter, from: b.from, to: b.to, output, out }, transfer: [] };
  }
  const rows = forWorker ? pack(b.rows) : ({ kind: 'plain', rows: b.rows } as const);
  return { message: { t: 'rows', id: b.id, rows, output, out }, transfer: rows.kind === 'numbers' ? [rows.values.buffer as ArrayBuffer] : [] };
}

/** The run index and file line of a batch's row k (main thread: to name a row that crashed or cannot be sent). */
export function rowId(b: Batch, k: number, dataLine: number, ledger: LineLedger | null): { index: number; line: number | undefined } {
  if (b.kind === 'chunk') {
    const line = ledger!.line(b.chunk.seq, lineOfRecord(b.chunk, b.from + k));
    return { index: line - dataLine, line };
  }
  if (b.lines !== null) return { index: b.lines[k]! - dataLine, line: b.lines[k] };
  return { index: b.first + k, line: undefined };
}

/**
 * Rows parsed in the main thread, cut at each malformed line between them: every run is its own piece of
 * the entry, so the pieces (sorted by first line) and the malformed lines come out in file order.
 */
export function runsBetween(n: number, lines: readonly number[] | null, malformed: readonly { line: number }[]): [number, number][] {
  if (lines === null || malformed.length === 0) return [[0, n]];
  const runs: [number, number][] = [];
  let start = 0;
  let m = 0;
  for (let k = 0; k < lines.length; k++) {
    let cut = false;
    for (; m < malformed.length && malformed[m]!.line < lines[k]!; m++) cut = true;
    if (cut && k > start) {
      runs.push([start, k]);
      start = k;
    }
  }
  runs.push([start, lines.length]);
  return runs;
}

/**
 * A batch of rows that could not be sent: the rows that clone alone go on as pieces, the others fail.
 * When every row clones alone yet the batch did not (a getter that throws on every other read), all of
 * them fail rather than be retried forever.
 */
export function sortUnsendable(b: RowsBatch): { sendable: Batch[]; bad: number[] } {
  const sendable: Batch[] = [];
  const bad: number[] = [];
  let start = 0;
  for (let k = 0; k <= b.rows.length; k++) {
    if (k < b.rows.length && clones(b.rows[k])) continue;
    if (k > start) sendable.push(piece(b, start, k, 0));
    if (k < b.rows.length) bad.push(k);
    start = k + 1;
  }
  return bad.length === 0 ? { sendable: [], bad: b.rows.map((_, k) => k) } : { sendable, bad };
}

function clones(v: unknown): boolean {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

/** What to do after a batch's worker died: batches to run again, and the row (if any) that fails for good. */
export interface Recovery {
  retry: Batch[];
  /** Position in the batch of a row that has now killed `maxRowCrashes` workers. */
  crashed: number | null;
  attempts: number;
}

/**
 * The worker died while running row k of `b` (k ≥ 0), or outside any row (k < 0: while decoding the
 * batch, or after its last row while sending the result). A row at the cursor runs again alone and fails
 * for good after `maxRowCrashes` deaths; the rows around it run again. A death outside any row retries the
 * whole batch, then splits it in halves, so a batch that keeps dying is narrowed down to one row that
 * fails: no batch is retried forever.
 */
export function recover(b: Batch, k: number, maxRowCrashes: number): Recovery {
  let n = batchSize(b);
  if (k >= 0 && k < n) {
    const attempts = (n === 1 ? b.attempts : 0) + 1;
    const retry: Batch[] = [];
    if (k > 0) retry.push(piece(b, 0, k, 0));
    const crashed = attempts >= maxRowCrashes ? k : null;
    if (crashed === null) retry.push(piece(b, k, k + 1, attempts));
    if (k + 1 < n) retry.push(piece(b, k + 1, -1, 0));
    return { retry, crashed, attempts };
  }
  const attempts = b.attempts + 1;
  if (attempts < maxRowCrashes) return { retry: [{ ...b, id: 0, attempts }], crashed: null, attempts };
  if (n === Infinity && b.kind === 'chunk') n = countRecords(b.chunk) - b.from;
  if (n <= 1) return { retry: [], crashed: n === 1 ? 0 : null, attempts };
  const half = Math.floor(n / 2);
  return { retry: [piece(b, 0, half, 0), piece(b, half, n, 0)], crashed: null, attempts };
}
