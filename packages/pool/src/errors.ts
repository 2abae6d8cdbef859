/**
 * Pool errors are data, like the arena's: a `PoolError` has a stable `code` and a message that says what
 * to do. A row's failure is a `RowError`: it names the row (`index`, and `line` for file sources) and
 * keeps what the task threw as `cause`. `PoolErrors` is the one table of message writers.
 */

/** Every code a {@link PoolError} may carry: POOL_* for the pool or a run, ROW_* for one row's failure (a {@link RowError}). */
export type PoolErrorCode =
  | 'POOL_CLOSED'
  | 'POOL_BAD_OPTION'
  | 'POOL_BAD_SOURCE'
  | 'POOL_TASK_LOAD_FAILED'
  | 'POOL_TASK_INIT_FAILED'
  | 'POOL_NOT_A_TASK'
  | 'POOL_SOURCE_FAILED'
  | 'POOL_ABORTED'
  | 'POOL_UNKNOWN_COUNTER'
  | 'POOL_BAD_COLUMNS'
  | 'POOL_TOO_MANY_FAILURES'
  | 'POOL_CALLBACK_FAILED'
  | 'POOL_INIT_TIMEOUT'
  | 'POOL_SINK_FAILED'
  | 'POOL_RUN_CONSUMED'
  | 'POOL_UPDATE_FAILED'
  | 'ROW_FAILED'
  | 'ROW_BAD_OUTPUT'
  | 'ROW_CRASHED'
  | 'ROW_MALFORMED'
  | 'ROW_UNSENDABLE';

const POOL_BRAND = Symbol.for('sabre.PoolError');

/**
 * A failure of the pool or of a run: a stable code and a message that says what to do; the error that
 * caused it, if any, is its `cause`. Test with {@link PoolError.is}.
 */
export class PoolError extends Error {
  /** 'PoolError' ('RowError' for a row's failure). */
  override name = 'PoolError';
  /** What went wrong, as a stable code. */
  readonly code: PoolErrorCode;

  /** Prefer the writers in {@link PoolErrors}, so one failure always gets one message. */
  constructor(code: PoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for PoolErrors (and RowErrors) from any copy of this package. */
  static is(value: unknown): value is PoolError {
    return typeof value === 'object' && value !== null && (value as { [POOL_BRAND]?: true })[POOL_BRAND] === true;
  }
}
Object.defineProperty(PoolError.prototype, POOL_BRAND, { value: true });

/** One row's failure: the task threw, the row killed its worker, or the input line was malformed. */
export class RowError extends PoolError {
  /** Always 'RowError'. */
  override name = 'RowError';
  /** The row's position in the source: 0-based; for file sources, counted in data lines (see `line`). */
  readonly index: number;
  /** For file sources, the 1-based line the record starts on. */
  readonly line: number | undefined;

  /** Made by the ROW_* writers in {@link PoolErrors}. */
  constructor(code: PoolErrorCode, message: string, index: number, line: number | undefined, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.index = index;
    this.line = line;
  }
}

const where = (index: number, line: number | undefined): string =>
  line === undefined ? `row ${index}` : `row ${index} (line ${line})`;

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${String(e.message).replace(/\.$/, '')}` : typeof e === 'string' ? e : safeString(e));

/** The one table of error writers for @sabre/pool. */
export const PoolErrors = {
  /** POOL_CLOSED: the pool was closed (or destroyed) before or while the run went on. */
  closed: () => new PoolError('POOL_CLOSED', '✖ the pool is closed. Create a new pool with createPool(...) to run more rows.'),
  /** POOL_BAD_OPTION: an option of `createPool`, a run or a file source has a value it cannot take. */
  badOption: (name: string, expected: string, got: unknown) =>
    new PoolError('POOL_BAD_OPTION', `✖ option ${name}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`),
  /** POOL_BAD_SOURCE: what was passed as a run's source is not one. */
  badSource: (got: string) =>
    new PoolError('POOL_BAD_SOURCE', `✖ expected a source of rows (an array, an iterable, an async iterable, a readable stream, or csv()/ndjson()/lines()), got ${got}`),
  /** POOL_BAD_SOURCE: the input file of a file source cannot be opened or read. */
  badInput: (path: string, cause: unknown) =>
    new PoolError('POOL_BAD_SOURCE', `✖ cannot read the input file ${path}: ${describe(cause)}. Check the path (relative paths start from ${process.cwd()}).`, { cause }),
  /** POOL_TASK_LOAD_FAILED: a worker could not import the task module; its error is the cause. */
  taskLoad: (task: string, cause: unknown) =>
    new PoolError('POOL_TASK_LOAD_FAILED', `✖ could not load the task module ${task} in a worker: ${describe(cause)}. Check the URL (use new URL('./task.ts', import.meta.url)) and that it imports without error.`, { cause }),
  /** POOL_NOT_A_TASK: the task module's default export is not what `defineTask` returns. */
  notATask: (task: string, got: string) =>
    new PoolError('POOL_NOT_A_TASK', `✖ the task module ${task} must export default defineTask((shared, ctx) => (row) => result), got a default export of ${got}`),
  /** POOL_TASK_INIT_FAILED: the task's `init` threw in a worker; its error is the cause. */
  taskInit: (task: string, cause: unknown) =>
    new PoolError('POOL_TASK_INIT_FAILED', `✖ the task's init function threw in a worker (${task}): ${describe(cause)}. It runs once per worker; fix it and create the pool again.`, { cause }),
  /** POOL_UPDATE_FAILED: the task's `init` threw on the data of `pool.update()` in a worker; every worker kept the old data. */
  updateFailed: (version: number, worker: number, cause: unknown) =>
    new PoolError('POOL_UPDATE_FAILED', `✖ update ${version} was rolled back: the task's init threw on the new shared data in worker ${worker}: ${describe(cause)}. Every worker kept the data in force; runs go on with it.`, { cause }),
  /** POOL_UPDATE_FAILED: an update's `init` did not finish within `initTimeout`; every worker kept the old data. */
  updateTimeout: (version: number, workers: readonly number[], ms: number) =>
    new PoolError('POOL_UPDATE_FAILED', `✖ update ${version} was rolled back: ${workers.length === 1 ? 'worker' : 'workers'} ${workers.join(', ')} did not finish the task's init on the new shared data within initTimeout (${ms} ms). Every worker kept the data in force (a stuck worker is replaced); runs go on with it.`),
  /** POOL_SOURCE_FAILED: the run's source threw; rows read before it keep their outcomes. */
  sourceFailed: (rowsRead: number, cause: unknown) =>
    new PoolError('POOL_SOURCE_FAILED', `✖ the source threw after ${rowsRead} rows: ${describe(cause)}. Rows read before it failed have their outcomes; nothing after it was read.`, { cause }),
  /** POOL_ABORTED: the run was aborted (`run.abort()` or its `signal`); the reason is the cause. */
  aborted: (reason: unknown) =>
    new PoolError('POOL_ABORTED', `✖ the run was aborted${reason === undefined ? '' : `: ${describe(reason)}`}. Outcomes already yielded stand; no more follow.`, { cause: reason }),
  /** POOL_UNKNOWN_COUNTER: `ctx.counter(name)` for a name `createPool({ counters })` did not declare. */
  unknownCounter: (name: string, known: readonly string[]) =>
    new PoolError('POOL_UNKNOWN_COUNTER', `✖ no shared counter named "${name}". Declare it in createPool({ counters: [${[...known, name].map((n) => JSON.stringify(n)).join(', ')}] }).`),
  /** POOL_BAD_SOURCE: a CSV file with a header expected is empty. */
  emptyCsv: () => new PoolError('POOL_BAD_SOURCE', '✖ the CSV file is empty: expected a header line naming the columns (or pass header: false)'),
  /** POOL_BAD_SOURCE: a CSV header line that cannot name columns. */
  badHeader: (problem: string) => new PoolError('POOL_BAD_SOURCE', `✖ the CSV header (line 1) ${problem} (or pass header: false)`),
  /** POOL_BAD_SOURCE: an empty or repeated column name (in the header or the `columns` option). */
  badColumnNames: (where: string, name: string) =>
    new PoolError('POOL_BAD_SOURCE', `✖ ${where} has ${name === '' ? 'an empty column name' : `a duplicate column name ${JSON.stringify(name)}`}; every column needs its own name`),
  /** ROW_UNSENDABLE: a row that cannot be cloned to a worker (not plain data). */
  rowUnsendableToWorker: (index: number, line: number | undefined, cause: unknown) =>
    new RowError('ROW_UNSENDABLE', `✖ ${where(index, line)} cannot be sent to a worker (${describe(cause)}). Rows must be plain data: numbers, strings, arrays, plain objects, typed arrays.`, index, line, cause),
  /** POOL_BAD_COLUMNS: the CSV header lacks columns the run names in `columns`; no row ran. */
  badColumns: (missing: readonly string[], unexpected: readonly string[], header: readonly string[]) =>
    new PoolError(
      'POOL_BAD_COLUMNS',
      `✖ the CSV header (line 1) lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${list(missing)} that the run needs${unexpected.length === 0 ? '' : `; it has ${list(unexpected)}, which the run does not name (a typo?)`}. The header is: ${header.join(',')}. Fix the file or the columns option; no row ran.`,
    ),
  /** POOL_TOO_MANY_FAILURES: more rows failed than `maxFailures`; the first failure is the cause. */
  tooManyFailures: (max: number, first: RowError | undefined) =>
    new PoolError('POOL_TOO_MANY_FAILURES', `✖ more than ${max} rows failed (maxFailures: ${max}), so the run stopped. The first: ${first?.message ?? 'unknown'}`, { cause: first }),
  /** POOL_CALLBACK_FAILED: a callback of the run (`onProgress`) threw; the run stopped. */
  callbackFailed: (name: string, cause: unknown) =>
    new PoolError('POOL_CALLBACK_FAILED', `✖ your ${name} callback threw: ${describe(cause)}. The run stopped; callbacks run in the main thread and must not throw.`, { cause }),
  /** POOL_INIT_TIMEOUT: a worker's task did not load and run `init` within `initTimeout` ms. */
  initTimeout: (task: string, ms: number) =>
    new PoolError('POOL_INIT_TIMEOUT', `✖ the task's init did not finish within ${ms} ms in a worker (${task}). Check for a promise that never settles, or raise initTimeout.`),
  /** POOL_SINK_FAILED: writing `pipeTo`'s output failed; the run stopped. */
  sinkFailed: (where: string, cause: unknown) =>
    new PoolError('POOL_SINK_FAILED', `✖ writing the run's output to ${where} failed: ${describe(cause)}. The run stopped.`, { cause }),
  /** POOL_SOURCE_FAILED: a batch could not be posted to a worker (often memory); the run stopped. */
  sendFailed: (cause: unknown) =>
    new PoolError('POOL_SOURCE_FAILED', `✖ a batch could not be handed to a worker: ${describe(cause)}. The run stopped; lower maxBytesInFlight or batchRows if memory is short.`, { cause }),
  /** POOL_RUN_CONSUMED: a run read a second time; a run is read once. */
  runConsumed: () =>
    new PoolError('POOL_RUN_CONSUMED', '✖ this run is already being consumed: a run is read once, by one of for await, batches(), values() or pipeTo(). Start another run for a second pass.'),
  /** ROW_BAD_OUTPUT: under `pipeTo`, the task returned something other than a string, bytes or null. */
  badOutput: (index: number, line: number | undefined, got: string) =>
    new RowError('ROW_BAD_OUTPUT', `✖ the task returned ${got} for ${where(index, line)}, but pipeTo writes text: return a string (or a Uint8Array), or null to write nothing for the row.`, index, line),
  /** ROW_FAILED: the task threw for this row; what it threw is the cause. */
  rowFailed: (index: number, line: number | undefined, cause: unknown) =>
    new RowError('ROW_FAILED', `✖ the task threw for ${where(index, line)}: ${describe(cause)}`, index, line, cause),
  /** ROW_CRASHED: the row killed its worker `maxRowCrashes` times and was not retried again. */
  rowCrashed: (index: number, line: number | undefined, attempts: number, reason: string) =>
    new RowError('ROW_CRASHED', `✖ ${where(index, line)} killed its worker ${attempts} times (last: ${reason}); it was isolated and not retried again. Every other row ran.`, index, line),
  /** ROW_MALFORMED: the input record could not be parsed; it was skipped and the run went on. */
  rowMalformed: (index: number, line: number | undefined, detail: string) =>
    new RowError('ROW_MALFORMED', `✖ malformed input at ${where(index, line)}: ${detail}. The row was skipped; the run goes on.`, index, line),
  /** ROW_UNSENDABLE: the task's result for this row cannot be cloned back to the main thread. */
  rowUnsendable: (index: number, line: number | undefined, cause: unknown) =>
    new RowError('ROW_UNSENDABLE', `✖ the result of ${where(index, line)} cannot be sent to the main thread (${describe(cause)}). Return plain data: numbers, strings, arrays, plain objects, typed arrays.`, index, line, cause),
} as const;

/** An error as it crosses a thread boundary: enough to rebuild a useful `cause`. */
export interface SentError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string | number;
}

/**
 * What crosses the thread boundary for a thrown value: strings and a string or number `code` only, so the
 * batch's message can always be sent whatever was thrown (a `code` that is a function or a symbol once
 * made the message unsendable). `stack: false` leaves the stack behind (failures after a batch's first few).
 */
export function toSent(e: unknown, stack = true): SentError {
  try {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      const out: SentError = { name: String(e.name), message: String(e.message) };
      if (stack && typeof e.stack === 'string') out.stack = e.stack;
      if (typeof code === 'string' || typeof code === 'number') out.code = code;
      return out;
    }
    return { name: 'Error', message: typeof e === 'string' ? e : safeString(e) };
  } catch {
    return { name: 'Error', message: 'an error whose fields cannot be read' };
  }
}

export function fromSent(s: SentError): Error {
  const e = new Error(s.message);
  e.name = s.name;
  if (s.stack !== undefined) e.stack = s.stack;
  if (s.code !== undefined) (e as { code?: unknown }).code = s.code;
  return e;
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    try {
      return String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
}

const list = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(', ');
