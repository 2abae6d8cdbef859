/**
 * What a run offers and needs: its options and progress (public), and the two sides it talks to the
 * pool through (`RunHost`, the pool as a run sees it; `RunState`, a run as the pool sees it). The
 * run itself is run.ts.
 */
import type { Batch } from './batch.js';
import type { SharedBuffers } from './buffers.js';
import type { LearnedCosts } from './sizing.js';

/** A run's counts at one moment: `run.progress`, and what `onProgress` receives. */
export interface Progress {
  /** Rows taken from the source so far (for file sources parsed in workers: rows with an outcome). */
  rowsRead: number;
  /** Rows that succeeded. */
  rowsDone: number;
  /** Rows that failed. */
  rowsFailed: number;
  /** Rows read whose outcome has not arrived yet. */
  rowsInFlight: number;
  /** Batches finished. */
  batches: number;
  /** Bytes read from a file source, and its size when known (for a progress bar). */
  bytesRead: number;
  /** The file source's size in bytes, when known. */
  bytesTotal: number | undefined;
  /** Milliseconds since the run started (0 before). */
  elapsedMs: number;
  /** Rows with an outcome per second since the run started. */
  rowsPerSecond: number;
}

/** Options of one run (`pool.imap`, `pool.imapUnordered`, `pool.map`). */
export interface RunOptions {
  /** Stops the run: workers busy with it are terminated and the consumer sees POOL_ABORTED. */
  signal?: AbortSignal;
  /** Throw the first row failure (and stop the run) instead of delivering it. */
  stopOnError?: boolean;
  /** Stop the run with POOL_TOO_MANY_FAILURES once more than this many rows have failed. Default: no limit. */
  maxFailures?: number;
  /** Called after every batch that completes. It runs in the main thread: a throw stops the run. */
  onProgress?: (progress: Progress) => void;
}

/** What a run needs from its pool. */
export interface RunHost {
  readonly workers: number;
  readonly maxInFlight: number;
  readonly maxBytesInFlight: number;
  readonly maxRowCrashes: number;
  /** Rows per batch when fixed by the user. */
  readonly batchRows: number | undefined;
  readonly batchMs: number;
  /** The version of the shared data in force (pool.update()). */
  readonly version: number;
  /** Shared buffers reused across batches (file chunks, output slabs). */
  readonly buffers: SharedBuffers;
  /** Costs earlier runs measured: a new run's batches and slabs start sized from them. */
  readonly learned: LearnedCosts;
  kick(): void;
  /** The run started (it holds the pool's workers until it settles). */
  started(run: RunState): void;
  /** The run has no batch left in any worker, or it stopped: terminate `busy` workers when it was aborted. */
  settled(run: RunState, aborted: boolean): void;
  commitCounts(counts: Float64Array | null): void;
}

/** The side of a run the pool talks to: it takes batches from it, and fails it when the pool stops. */
export interface RunState {
  takeBatch(): Batch | null;
  fail(error: Error): void;
}

