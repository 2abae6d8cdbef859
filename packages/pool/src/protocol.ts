/**
 * The messages between the pool (main thread) and its workers. One message carries a whole batch each
 * way; per row, a worker only stores its position in a shared cursor, so the pool knows which row was
 * running if the worker dies.
 *
 * Cursor (one Int32Array of CURSOR_WORDS per worker, in shared memory):
 *   [CURSOR_BATCH]  id of the batch the worker is running (written before its first row)
 *   [CURSOR_ROW]    k: the batch's row k is running; CURSOR_ALL_RAN once every row has run
 */
import type { SentError } from './errors.js';

export const CURSOR_BATCH = 0;
export const CURSOR_ROW = 1;
export const CURSOR_WORDS = 2;
export const CURSOR_ALL_RAN = -2;

export type ChunkFormat = 'csv' | 'ndjson' | 'lines';

export interface WorkerInit {
  runtime: string;
  tsx: boolean;
  task: string;
  shared: Record<string, unknown>;
  counterNames: readonly string[];
  counters: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
  workerIndex: number;
}

/** A batch of rows, run in order. */
export interface RowsMessage {
  t: 'rows';
  id: number;
  rows: unknown[];
}

/** A chunk of a file: whole lines, parsed in the worker; records [from, to) are run. */
export interface ChunkMessage {
  t: 'chunk';
  id: number;
  bytes: Uint8Array;
  format: ChunkFormat;
  columns: readonly string[] | null;
  delimiter: string;
  firstLine: number;
  from: number;
  to: number;
}

export type ToWorker = RowsMessage | ChunkMessage;

/** How a row failed in the worker. */
export const FAIL_THREW = 0;
export const FAIL_MALFORMED = 1;
export const FAIL_UNSENDABLE = 2;

export interface DoneMessage {
  t: 'done';
  id: number;
  /** One value per row run (undefined where it failed); all-number results travel as a Float64Array. */
  values: unknown[] | Float64Array;
  /** Flat triples: row k (within the batch), FAIL_*, SentError or a detail string. */
  failures: (number | SentError | string)[];
  /** Chunks only: the 1-based line each record starts on. */
  lines: Int32Array | null;
  nanos: number;
  /** Per-counter additions made while running this batch; applied by the pool when it accepts the batch. */
  counts: Float64Array | null;
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'init-failed'; stage: 'load' | 'not-task' | 'init'; error: SentError; got?: string }
  | DoneMessage;
