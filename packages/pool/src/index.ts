/**
 * @sabre/pool: a worker pool that shares arenas with its workers once and streams rows through them in
 * batches, with exactly one outcome per row.
 *
 *   createPool(options)          → Pool: workers attached to the shared arenas
 *   pool.imapUnordered(source)   → Run: outcomes as batches finish
 *   pool.imap(source)            → Run: outcomes in input order
 *   pool.map(rows)               → Promise of results in order (first failure rejects)
 *   csv() / ndjson() / lines()   → file sources, parsed in the workers by default
 *   defineTask(init)             → the task module's default export (also at @sabre/pool/task)
 */
export { createPool, Pool } from './pool.js';
export type { PoolOptions, PoolStats, SharedInput } from './pool.js';
export { Run } from './run.js';
export type { Outcome, Progress, RunOptions, Source } from './run.js';
export { csv, ndjson, lines } from './files.js';
export type { CsvOptions, FileInput, FileSource, FileSourceOptions } from './files.js';
export { defineTask, isTask } from './task.js';
export type { AnyTask, Counter, ResultOf, RowFunction, RowOf, SharedOf, Task, TaskContext, TaskInit } from './task.js';
export { PoolError, PoolErrors, RowError } from './errors.js';
export type { PoolErrorCode } from './errors.js';
