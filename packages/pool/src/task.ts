/**
 * The worker side of a pool: a task module's default export is `defineTask(init)`. `init` runs once per
 * worker with the shared arenas (as SharedArrayBuffers, ready for `Geo.open`) and returns the function
 * that handles one row. Per-worker state lives in that closure, never in a module global.
 *
 *     export default defineTask((shared: { geo: SharedArrayBuffer }, ctx) => {
 *       const geo = Geo.open(shared.geo);
 *       const misses = ctx.counter('misses');
 *       return (row: { ip: number }) => geo.asns.find(row.ip)?.name ?? (misses.add(), null);
 *     });
 *
 * This entry is what task modules import; it holds no main-thread code.
 *
 * @module @sabre/pool/task
 */

const TASK = Symbol.for('sabre.PoolTask');

/** A counter in shared memory, declared in `createPool({ counters })`. */
export interface Counter {
  /** Adds `n` (default 1). Applied once per row outcome: a batch re-run after a crash does not count twice. */
  add(n?: number): void;
  /** The total so far across all workers, plus this worker's not yet committed additions. */
  read(): number;
}

/** What `init` receives besides the shared data. */
export interface TaskContext {
  /** This worker's slot, 0 .. workers-1 (a replacement worker takes over the slot of the one it replaces). */
  readonly workerIndex: number;
  /** The shared counter named `name`; throws POOL_UNKNOWN_COUNTER for a name the pool did not declare. */
  counter(name: string): Counter;
}

/** Handles one row in a worker: returns (or resolves to) its result; a throw fails that row only (ROW_FAILED). */
export type RowFunction<Row, Result> = (row: Row) => Result | Promise<Result>;

/** Runs once per worker with the shared data and returns (or resolves to) the row function. */
export type TaskInit<Shared, Row, Result> = (
  shared: Shared,
  ctx: TaskContext,
) => RowFunction<Row, Result> | Promise<RowFunction<Row, Result>>;

/** How a task wants its rows. */
export interface TaskOptions {
  /**
   * CSV records with named columns arrive in one object reused for every row of a batch, instead of a new
   * object per row: less garbage on the hot path. The row function must then not keep the row, nor return
   * it, past its call (copy the fields it keeps).
   */
  reuseRows?: boolean;
}

/** A task definition: the default export of a task module. Its type carries the row and result types to the pool. */
export interface Task<Shared, Row, Result> {
  /** The function `defineTask` was given. */
  readonly init: TaskInit<Shared, Row, Result>;
  /** The options `defineTask` was given, defaults filled in. */
  readonly options: Readonly<TaskOptions>;
}

/** Any task: the constraint of `createPool<T>`. */
export interface AnyTask {
  /** The task's init function, whatever its types. */
  readonly init: (shared: never, ctx: TaskContext) => unknown;
}

type RowFnOf<T> = T extends { init: (shared: never, ctx: TaskContext) => infer F } ? Awaited<F> : never;
/** What a task's `init` receives as `shared`. */
export type SharedOf<T> = T extends {
  /** An init function, whose first parameter's type is inferred. */
  init: (shared: infer S, ctx: TaskContext) => unknown;
}
  ? S
  : never;
/** The row type of a task. */
export type RowOf<T> = RowFnOf<T> extends (row: infer R) => unknown ? R : never;
/** The result type of a task (awaited, for async row functions). */
export type ResultOf<T> = RowFnOf<T> extends (row: never) => infer R ? Awaited<R> : never;

/**
 * Defines a task: `init(shared, ctx)` runs once per worker and returns the row function.
 * The row function may be async; a throw fails that row only. Throws a TypeError if `init` is not a
 * function or `options` not an object.
 *
 * @example
 * ```ts
 * // task.ts: the module a pool's workers import
 * import { defineTask } from '@sabre/pool/task';
 * import { Geo } from './__generated__/geo.js';
 *
 * export default defineTask((shared: { geo: SharedArrayBuffer }) => {
 *   const geo = Geo.open(shared.geo); // once per worker, no copy
 *   return (row: { city: number }) => geo.cities.at(row.city).name;
 * });
 * ```
 */
export function defineTask<Shared, Row, Result>(init: TaskInit<Shared, Row, Result>, options: TaskOptions = {}): Task<Shared, Row, Result> {
  if (typeof init !== 'function') throw new TypeError(`defineTask expects an init function (shared, ctx) => (row) => result, got ${typeof init}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`defineTask's options must be an object like { reuseRows: true }, got ${options === null ? 'null' : typeof options}`);
  const task = { init, options: { reuseRows: options.reuseRows === true } };
  Object.defineProperty(task, TASK, { value: true });
  return task;
}

/** True for what `defineTask` returned, from any copy of this package. */
export function isTask(value: unknown): value is Task<unknown, unknown, unknown> {
  return typeof value === 'object' && value !== null && (value as { [TASK]?: true })[TASK] === true;
}
