/**
 * @sabre/pool: a worker pool that shares arenas with its workers once and streams rows through them in
 * batches, with exactly one outcome per row.
 *
 *   createPool(options)             → Pool: workers attached to the shared arenas (workers: 0 runs inline)
 *   pool.imap(source)               → Run, in input order (imapUnordered: as batches finish)
 *   run.pipeTo(path | Writable)     → every row's text written, one buffer per batch: the fast path
 *   run.batches() / for await / values() → results as batches, as outcomes, or as one array
 *   pool.map(rows)                  → Promise of results in order (first failure rejects)
 *   csv() / ndjson() / lines()      → file sources, parsed in the workers by default
 *   defineTask(init)                → the task module's default export (also at @sabre/pool/task)
 *
 * @module @sabre/pool
 */
export { createPool } from './pool.js';
export type { Pool, PoolOptions, PoolStats, SharedInput, UntypedTask } from './pool-api.js';
export type { Run, Writeable } from './consume.js';
export type { BatchResult, Outcome } from './results.js';
export type { Progress, RunOptions } from './run.js';
export type { PipeOptions, RunSummary } from './sink.js';
export type { Source } from './feeders.js';
export { csv, ndjson, lines } from './files.js';
export type { CsvOptions, FileInput, FileSource, FileSourceOptions } from './files.js';
export { defineTask, isTask } from './task.js';
export type { AnyTask, Counter, ResultOf, RowFunction, RowOf, SharedOf, Task, TaskContext, TaskInit } from './task.js';
export { PoolError, PoolErrors, RowError } from './errors.js';
export type { PoolErrorCode } from './errors.js';
