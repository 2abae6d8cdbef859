/**
 * Pool errors are data, like the arena's: a `PoolError` has a stable `code` and a message that says what
 * to do. A row's failure is a `RowError`: it names the row (`index`, and `line` for file sources) and
 * keeps what the task threw as `cause`. `PoolErrors` is the one table of message writers.
 */

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
  | 'ROW_FAILED'
  | 'ROW_BAD_OUTPUT'
  | 'ROW_CRASHED'
  | 'ROW_MALFORMED'
  | 'ROW_UNSENDABLE';

const POOL_BRAND = Symbol.for('sabre.PoolError');

export class PoolError extends Error {
  override name = 'PoolError';
  readonly code: PoolErrorCode;

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
  override name = 'RowError';
  /** The row's position in the source: 0-based; for file sources, counted in data lines (see `line`). */
  readonly index: number;
  /** For file sources, the 1-based line the record starts on. */
  readonly line: number | undefined;

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
  closed: () => new PoolError('POOL_CLOSED', '✖ the pool is closed. Create a new pool with createPool(...) to run more rows.'),
  badOption: (name: string, expected: string, got: unknown) =>
    new PoolError('POOL_BAD_OPTION', `✖ option ${name}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`),
  badSource: (got: string) =>
    new PoolError('POOL_BAD_SOURCE', `✖ expected a source of rows (an array, an iterable, an async iterable, a readable stream, or csv()/ndjson()/lines()), got ${got}`),
  badInput: (path: string, cause: unknown) =>
    new PoolError('POOL_BAD_SOURCE', `✖ cannot read the input file ${path}: ${describe(cause)}. Check the path (relative paths start from ${process.cwd()}).`, { cause }),
  taskLoad: (task: string, cause: unknown) =>
    new PoolError('POOL_TASK_LOAD_FAILED', `✖ could not load the task module ${task} in a worker: ${describe(cause)}. Check the URL (use new URL('./task.ts', import.meta.url)) and that it imports without error.`, { cause }),
  notATask: (task: string, got: string) =>
    new PoolError('POOL_NOT_A_TASK', `✖ the task module ${task} must export default defineTask((shared, ctx) => (row) => result), got a default export of ${got}`),
  taskInit: (task: string, cause: unknown) =>
    new PoolError('POOL_TASK_INIT_FAILED', `✖ the task's init function threw in a worker (${task}): ${describe(cause)}. It runs once per worker; fix it and create the pool again.`, { cause }),
  sourceFailed: (rowsRead: number, cause: unknown) =>
    new PoolError('POOL_SOURCE_FAILED', `✖ the source threw after ${rowsRead} rows: ${describe(cause)}. Rows read before it failed have their outcomes; nothing after it was read.`, { cause }),
  aborted: (reason: unknown) =>
    new PoolError('POOL_ABORTED', `✖ the run was aborted${reason === undefined ? '' : `: ${describe(reason)}`}. Outcomes already yielded stand; no more follow.`, { cause: reason }),
  unknownCounter: (name: string, known: readonly string[]) =>
    new PoolError('POOL_UNKNOWN_COUNTER', `✖ no shared counter named "${name}". Declare it in createPool({ counters: [${[...known, name].map((n) => JSON.stringify(n)).join(', ')}] }).`),
  emptyCsv: () => new PoolError('POOL_BAD_SOURCE', '✖ the CSV file is empty: expected a header line naming the columns (or pass header: false)'),
  badHeader: (problem: string) => new PoolError('POOL_BAD_SOURCE', `✖ the CSV header (line 1) ${problem} (or pass header: false)`),
  badColumnNames: (where: string, name: string) =>
    new PoolError('POOL_BAD_SOURCE', `✖ ${where} has ${name === '' ? 'an empty column name' : `a duplicate column name ${JSON.stringify(name)}`}; every column needs its own name`),
  rowUnsendableToWorker: (index: number, line: number | undefined, cause: unknown) =>
    new RowError('ROW_UNSENDABLE', `✖ ${where(index, line)} cannot be sent to a worker (${describe(cause)}). Rows must be plain data: numbers, strings, arrays, plain objects, typed arrays.`, index, line, cause),
  badColumns: (missing: readonly string[], unexpected: readonly string[], header: readonly string[]) =>
    new PoolError(
      'POOL_BAD_COLUMNS',
      `✖ the CSV header (line 1) lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${list(missing)} that the run needs${unexpected.length === 0 ? '' : `; it has ${list(unexpected)}, which the run does not name (a typo?)`}. The header is: ${header.join(',')}. Fix the file or the columns option; no row ran.`,
    ),
  tooManyFailures: (max: number, first: RowError | undefined) =>
    new PoolError('POOL_TOO_MANY_FAILURES', `✖ more than ${max} rows failed (maxFailures: ${max}), so the run stopped. The first: ${first?.message ?? 'unknown'}`, { cause: first }),
  callbackFailed: (name: string, cause: unknown) =>
    new PoolError('POOL_CALLBACK_FAILED', `✖ your ${name} callback threw: ${describe(cause)}. The run stopped; callbacks run in the main thread and must not throw.`, { cause }),
  initTimeout: (task: string, ms: number) =>
    new PoolError('POOL_INIT_TIMEOUT', `✖ the task's init did not finish within ${ms} ms in a worker (${task}). Check for a promise that never settles, or raise initTimeout.`),
  sinkFailed: (where: string, cause: unknown) =>
    new PoolError('POOL_SINK_FAILED', `✖ writing the run's output to ${where} failed: ${describe(cause)}. The run stopped.`, { cause }),
  sendFailed: (cause: unknown) =>
    new PoolError('POOL_SOURCE_FAILED', `✖ a batch could not be handed to a worker: ${describe(cause)}. The run stopped; lower maxBytesInFlight or batchRows if memory is short.`, { cause }),
  runConsumed: () =>
    new PoolError('POOL_RUN_CONSUMED', '✖ this run is already being consumed: a run is read once, by one of for await, batches(), values() or pipeTo(). Start another run for a second pass.'),
  badOutput: (index: number, line: number | undefined, got: string) =>
    new RowError('ROW_BAD_OUTPUT', `✖ the task returned ${got} for ${where(index, line)}, but pipeTo writes text: return a string (or a Uint8Array), or null to write nothing for the row.`, index, line),
  rowFailed: (index: number, line: number | undefined, cause: unknown) =>
    new RowError('ROW_FAILED', `✖ the task threw for ${where(index, line)}: ${describe(cause)}`, index, line, cause),
  rowCrashed: (index: number, line: number | undefined, attempts: number, reason: string) =>
    new RowError('ROW_CRASHED', `✖ ${where(index, line)} killed its worker ${attempts} times (last: ${reason}); it was isolated and not retried again. Every other row ran.`, index, line),
  rowMalformed: (index: number, line: number | undefined, detail: string) =>
    new RowError('ROW_MALFORMED', `✖ malformed input at ${where(index, line)}: ${detail}. The row was skipped; the run goes on.`, index, line),
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
