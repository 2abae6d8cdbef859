/**
 * The pool's public surface: the options of `createPool`, the `Pool` interface and its statistics.
 * The implementation is pool.ts; hot swap is update.ts.
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { Run } from './consume.js';
import type { RunOptions } from './run.js';
import type { AnyTask, ResultOf, RowOf, SharedOf, Task } from './task.js';
import type { Source } from './feeders.js';

/** A pool created without naming its task type: rows and results are `unknown`. */
export type UntypedTask = Task<Record<string, unknown>, unknown, unknown>;

/** How `shared` is passed: an arena (or anything with a SharedArrayBuffer `buffer`) arrives as its buffer. */
export type SharedInput<S> = {
  [K in keyof S]: S[K] extends SharedArrayBuffer
    ? SharedArrayBuffer | {
        /** The arena's (or object's) buffer, which is what the worker receives. */
        readonly buffer: SharedArrayBuffer | ArrayBuffer;
      }
    : S[K];
};

/** Options of {@link createPool}. Times are in milliseconds, sizes in bytes. */
export interface PoolOptions<T extends AnyTask> {
  /** The task module: `new URL('./task.ts', import.meta.url)` (or a file path). `.ts` needs tsx installed. */
  task: URL | string;
  /** Data every worker receives once, at start: arenas as handles (no copy), small values cloned. */
  shared?: SharedInput<SharedOf<T>>;
  /** Worker threads; 0 runs every batch in the calling thread (the in-thread runner). Default: os.availableParallelism(). */
  workers?: number;
  /** Rows per batch (at most 65,536). Default: sized from the measured cost per row (batches of about `batchMs`). */
  batchRows?: number;
  /** Target time per batch when sizing automatically, in ms. Default 50 (a file's last batches are shorter). */
  batchMs?: number;
  /** Batches read from a source ahead of the consumer, per run. Default 3 per worker (one running, one queued, one spare). */
  maxInFlight?: number;
  /** Bytes a run may hold ahead of its consumer (inputs being run, outputs not yet taken). Default 64 MiB. */
  maxBytesInFlight?: number;
  /** A row running longer than this (ms) has its worker terminated and counts as a crash. Default: none. */
  timeout?: number;
  /** A worker whose task has not loaded and run `init` within this many ms fails the pool. Default 60,000. */
  initTimeout?: number;
  /** A row that kills this many workers fails with ROW_CRASHED. Default 2. */
  maxRowCrashes?: number;
  /** Per-worker limits (heap sizes in MB), as for `new Worker`; a worker over them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /** Names of counters in shared memory, incremented by tasks through ctx.counter(name).add(). */
  counters?: readonly string[];
}

/** What a pool has done so far (`pool.stats`). */
export interface PoolStats {
  /** Worker threads, as created (0: rows run in the calling thread). */
  workers: number;
  /** Workers replaced after dying. */
  respawns: number;
  /** Why each replaced worker died, most recent last (at most 20 kept). */
  deaths: string[];
  /** Batches finished by workers, over every run. */
  batches: number;
  /** Bytes of shared buffers allocated for file chunks and batch outputs (reused from batch to batch). */
  readonly bufferBytes: number;
}

/** A pool of workers sharing arenas; see createPool. */
export interface Pool<T extends AnyTask> {
  /** Resolves once every worker has run `init`; rejects with the task's load or init error. */
  ready(): Promise<void>;
  /** Outcomes as batches finish: the fastest order. */
  imapUnordered(source: Source<RowOf<T>>, options?: RunOptions): Run<ResultOf<T>>;
  /** Outcomes in input order (holding at most maxInFlight batches to reorder). */
  imap(source: Source<RowOf<T>>, options?: RunOptions): Run<ResultOf<T>>;
  /** All results in input order; rejects with the first row's failure (a RowError naming the row). */
  map(rows: Source<RowOf<T>>, options?: Omit<RunOptions, 'stopOnError'>): Promise<ResultOf<T>[]>;
  /**
   * Replaces shared entries (arenas, or any shared value) while runs go on, with no restart: every
   * worker runs the task's `init` on the new data between two batches. Batches sent before the call
   * finish on the old data; every batch sent after it runs on the new; none mixes them, and each says
   * which it ran on (`BatchResult.version`, `Outcome.version`). Resolves with the new version number once
   * every worker has switched (the old data is then released). If `init` throws in any worker (or does
   * not finish within `initTimeout`), every worker keeps the old data and this rejects with
   * POOL_UPDATE_FAILED naming the worker and the cause. Updates queue, one at a time, in call order.
   *
   * @example
   * ```ts
   * const version = await pool.update({ rules: await Rules.load('rules.arena') });
   * ```
   */
  update(shared: Partial<SharedInput<SharedOf<T>>>): Promise<number>;
  /** The version of the shared data in force: 1 at start, a higher number after each successful `update` (a failed one's number is skipped). */
  readonly version: number;
  /** Current values of the shared counters. */
  counters(): Record<string, number>;
  /** Counts of what the pool has done: workers, respawns and why, batches, buffer bytes. */
  readonly stats: Readonly<PoolStats>;
  /** Lets started runs finish, then stops the workers; runs not started yet end with POOL_CLOSED. */
  close(): Promise<void>;
  /** Stops at once: every run still going ends with POOL_CLOSED. Resolves when every thread has exited. */
  destroy(): Promise<void>;
  /** `close()`, for `await using pool = createPool(...)` (TypeScript; in plain JavaScript call close in a finally). */
  [Symbol.asyncDispose](): Promise<void>;
}

