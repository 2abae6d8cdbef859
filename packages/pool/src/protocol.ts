/**
 * The messages between the pool (main thread) and its workers. One message carries a whole batch each
 * way, and a batch's results come back as one value: packed numbers, one buffer of text (for sinks), or
 * an array of values — never one message or one outcome object per row. Per row, a worker only stores
 * its position in a shared cursor, so the pool knows which row was running if the worker dies.
 *
 * Cursor (one Int32Array of CURSOR_WORDS per worker, in shared memory):
 *   [CURSOR_BATCH]  id of the batch the worker is running (written before anything else of it)
 *   [CURSOR_ROW]    k ≥ 0: the batch's row k is running; CURSOR_PREPARING while its input is decoded
 *                   (no row is to blame yet); CURSOR_ALL_RAN once every row has run
 */
import type { SentError } from './errors.js';
import type { Failures } from './failures.js';
import type { PackedRows } from './pack.js';

export const CURSOR_BATCH = 0;
export const CURSOR_ROW = 1;
export const CURSOR_WORDS = 2;
export const CURSOR_PREPARING = -1;
export const CURSOR_ALL_RAN = -2;

export type ChunkFormat = 'csv' | 'ndjson' | 'lines';

/**
 * What a worker sends back for a batch: `values` (each row's result, for consumers that read values) or
 * `bytes` (every row's string or bytes joined into one buffer, for sinks that write them whole).
 */
export type OutputMode = 'values' | 'bytes';

export interface WorkerInit {
  runtime: string;
  tsx: boolean;
  task: string;
  shared: Record<string, unknown>;
  /** The version of `shared` (1 at start; pool.update() makes the next). */
  version: number;
  counterNames: readonly string[];
  counters: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
  workerIndex: number;
}

/** A batch of rows from memory, run in order. */
export interface RowsMessage {
  t: 'rows';
  id: number;
  rows: PackedRows;
  output: OutputMode;
  /** Bytes mode: where to write the batch's output (a worker writes past it only into a buffer of its own). */
  out: SharedArrayBuffer | null;
}

/**
 * A chunk of a file: whole lines, parsed in the worker; records [from, to) are run (to = -1: to the end).
 * Lines are numbered from 1 at the chunk's start; the worker publishes the chunk's line count in `lineCount`.
 */
export interface ChunkMessage {
  t: 'chunk';
  id: number;
  bytes: Uint8Array;
  lineCount: Int32Array;
  format: ChunkFormat;
  columns: readonly string[] | null;
  delimiter: string;
  from: number;
  to: number;
  output: OutputMode;
  out: SharedArrayBuffer | null;
}

export type BatchMessage = RowsMessage | ChunkMessage;

/**
 * Hot swap (update.ts), queued behind the batches already sent so it runs between batches, never during
 * one. `update`: run the task's init on the new shared data and switch to it, keeping the old row
 * function until `commit` (drop it) or `rollback` (switch back: another worker failed the update).
 */
export type UpdateMessage =
  | { t: 'update'; version: number; shared: Record<string, unknown> }
  | { t: 'commit'; version: number }
  | { t: 'rollback'; version: number };

export type ToWorker = BatchMessage | UpdateMessage;


export interface DoneMessage {
  t: 'done';
  id: number;
  /** Rows run. */
  n: number;
  /** Values mode: one value per row (undefined where it failed); all-number results travel as a Float64Array. */
  values: unknown[] | Float64Array | null;
  /** Bytes mode: the rows' outputs, joined: a view of the batch's `out` slab, or a buffer of the worker's (transferred). */
  bytes: Uint8Array | null;
  /** Chunks in values mode: each row's line, counted from 1 at the chunk's start. */
  lines: Int32Array | null;
  /** The failed rows, in order, as columns (failures.ts); empty when every row succeeded. */
  failures: Failures;
  nanos: number;
  /** The version of the shared data the batch ran on: one version for the whole batch. */
  version: number;
  /** Per-counter additions made while running this batch; applied by the pool when it accepts the batch. */
  counts: Float64Array | null;
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'init-failed'; stage: 'load' | 'not-task' | 'init'; error: SentError; got?: string }
  | { t: 'updated'; version: number }
  | { t: 'update-failed'; version: number; error: SentError }
  | DoneMessage;
