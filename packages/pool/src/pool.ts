/**
 * The pool: workers that attach to shared arenas once, and a scheduler that keeps each of them busy
 * with at most two batches (one running, one queued behind it, so a worker never waits for the main
 * thread between batches).
 *
 * Exactly one outcome per row, whatever the workers do: a worker that dies (exit, uncaught error, heap
 * limit, a row past `timeout`) is replaced; its cursor names the row that was running, the rows before it
 * and after it run again, and the suspect row runs again alone. A row that kills `maxRowCrashes` workers
 * fails with ROW_CRASHED. Outcomes are delivered only from a finished batch's message, so a row whose
 * worker died before replying has no outcome yet and cannot get two.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { PoolError, PoolErrors, RowError, fromSent } from './errors.js';
import type { SentError } from './errors.js';
import { lineOfRecord } from './files.js';
import { CURSOR_BATCH, CURSOR_ROW, CURSOR_WORDS, FAIL_MALFORMED, FAIL_THREW } from './protocol.js';
import type { DoneMessage, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { Run } from './run.js';
import { RUNTIME, SOURCE_MODE, startWorker } from './spawn.js';
import type { Batch, Outcome, RunHost, RunOptions, Source } from './run.js';
import type { AnyTask, ResultOf, RowOf, SharedOf, Task } from './task.js';

/** A pool created without naming its task type: rows and results are `unknown`. */
export type UntypedTask = Task<Record<string, unknown>, unknown, unknown>;

/** How `shared` is passed: an arena (or anything with a SharedArrayBuffer `buffer`) arrives as its buffer. */
export type SharedInput<S> = {
  [K in keyof S]: S[K] extends SharedArrayBuffer ? SharedArrayBuffer | { readonly buffer: SharedArrayBuffer | ArrayBuffer } : S[K];
};

export interface PoolOptions<T extends AnyTask> {
  /** The task module: `new URL('./task.ts', import.meta.url)` (or a file path). `.ts` needs tsx installed. */
  task: URL | string;
  /** Data every worker receives once, at start: arenas as handles (no copy), small values cloned. */
  shared?: SharedInput<SharedOf<T>>;
  /** Worker threads. Default: os.availableParallelism(). */
  workers?: number;
  /** Rows per batch. Default: sized from the measured per-row cost (batches of about `batchMs`). */
  batchRows?: number;
  /** Target time per batch when sizing automatically, in ms. Default 4. */
  batchMs?: number;
  /** Batches read from a source ahead of the consumer, per run. Default 4 per worker. */
  maxInFlight?: number;
  /** A row running longer than this (ms) has its worker terminated and counts as a crash. Default: none. */
  timeout?: number;
  /** A row that kills this many workers fails with ROW_CRASHED. Default 2. */
  maxRowCrashes?: number;
  /** Per-worker limits (heap sizes in MB), as for `new Worker`; a worker over them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /** Names of counters in shared memory, incremented by tasks through ctx.counter(name).add(). */
  counters?: readonly string[];
}

export interface PoolStats {
  workers: number;
  /** Workers replaced after dying. */
  respawns: number;
  /** Why each replaced worker died, most recent last (at most 20 kept). */
  deaths: string[];
  batches: number;
}

interface Slot {
  index: number;
  worker: Worker;
  cursor: Int32Array;
  ready: boolean;
  /** Sent batches, in the order the worker runs them. */
  assigned: Batch[];
  /** Why the pool terminated it, or the error it reported before exiting. */
  reason: string | null;
  /** Terminated because a run it served was aborted: no row is to blame. */
  aborting: boolean;
  /** Watchdog: the cursor position last seen, and since when. */
  seenBatch: number;
  seenRow: number;
  seenAt: number;
}

// Caps memory in flight (maxInFlight × this many rows) while keeping per-batch overhead near 5% on trivial rows.
const MAX_BATCH_ROWS = 1 << 14;

/** Creates a pool. Workers start at once; `await pool.ready()` waits until they have all run `init`. */
export function createPool<T extends AnyTask = UntypedTask>(options: PoolOptions<T>): Pool<T> {
  return new Pool<T>(options);
}

export class Pool<T extends AnyTask> implements RunHost {
  readonly maxInFlight: number;
  private readonly slots: Slot[] = [];
  private readonly runs = new Set<Run<unknown>>();
  private readonly init: Omit<WorkerInit, 'cursor' | 'workerIndex'>;
  private readonly totals: BigInt64Array;
  private readonly names: readonly string[];
  private nextId = 1;
  private closed = false;
  private fatal: PoolError | null = null;
  private readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private watchdog: NodeJS.Timeout | null = null;
  private readonly exits = new Set<Promise<void>>();
  readonly stats: PoolStats;

  constructor(private readonly options: PoolOptions<T>) {
    const workers = options.workers ?? availableParallelism();
    positiveInt('workers', workers);
    if (options.batchRows !== undefined) positiveInt('batchRows', options.batchRows);
    if (options.maxInFlight !== undefined) positiveInt('maxInFlight', options.maxInFlight);
    if (options.maxRowCrashes !== undefined) positiveInt('maxRowCrashes', options.maxRowCrashes);
    if (options.timeout !== undefined && !(options.timeout > 0)) throw PoolErrors.badOption('timeout', 'a positive number of ms', options.timeout);
    this.maxInFlight = options.maxInFlight ?? workers * 4;
    const task = options.task instanceof URL ? options.task.href : options.task.startsWith('file:') ? options.task : new URL(options.task, 'file://' + process.cwd() + '/').href;
    this.names = [...(options.counters ?? [])];
    const counters = new SharedArrayBuffer(8 * Math.max(1, this.names.length));
    this.totals = new BigInt64Array(counters);
    this.init = {
      runtime: RUNTIME.href,
      tsx: SOURCE_MODE || /\.[mc]?tsx?$/.test(task),
      task,
      shared: toShared(options.shared ?? {}),
      counterNames: this.names,
      counters,
    };
    this.stats = { workers, respawns: 0, deaths: [], batches: 0 };
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn(i));
    if (options.timeout !== undefined) {
      const every = Math.max(5, Math.min(1000, options.timeout / 4));
      this.watchdog = setInterval(() => this.watch(), every);
      this.watchdog.unref();
    }
  }

  /** Resolves once every worker has run `init`; rejects with the task's load or init error. */
  ready(): Promise<void> {
    if (this.fatal !== null) return Promise.reject(this.fatal);
    if (this.closed) return Promise.reject(PoolErrors.closed());
    if (this.slots.every((s) => s.ready)) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Outcomes as batches finish: the fastest order. */
  imapUnordered(source: Source<RowOf<T>>, options: RunOptions = {}): Run<ResultOf<T>> {
    return this.start(source, false, options);
  }

  /** Outcomes in input order (holding at most maxInFlight batches to reorder). */
  imap(source: Source<RowOf<T>>, options: RunOptions = {}): Run<ResultOf<T>> {
    return this.start(source, true, options);
  }

  /** All results in input order; rejects with the first row's failure (a RowError naming the row). */
  map(rows: Source<RowOf<T>>, options: Omit<RunOptions, 'stopOnError'> = {}): Promise<ResultOf<T>[]> {
    if (this.closed && this.fatal === null) return Promise.reject(PoolErrors.closed());
    return this.start<ResultOf<T>>(rows, true, { ...options, stopOnError: true }).values();
  }

  /** Current values of the shared counters. */
  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    this.names.forEach((n, i) => (out[n] = Number(Atomics.load(this.totals, i))));
    return out;
  }

  /** Stops the workers. Runs still going end with POOL_CLOSED; resolves when every thread has exited. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      if (this.watchdog !== null) clearInterval(this.watchdog);
      for (const r of this.runs) r.fail(PoolErrors.closed());
      this.runs.clear();
      for (const w of this.readyWaiters) w.reject(this.fatal ?? PoolErrors.closed());
      this.readyWaiters = [];
      for (const s of this.slots) void s.worker.terminate();
    }
    await Promise.all([...this.exits]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private start<R>(source: unknown, ordered: boolean, options: RunOptions): Run<R> {
    if (this.closed && this.fatal === null) throw PoolErrors.closed();
    const run = new Run<R>(this, source, ordered, options);
    if (this.fatal !== null) run.fail(this.fatal);
    else {
      this.runs.add(run as Run<unknown>);
      queueMicrotask(() => this.kick());
    }
    return run;
  }

  batchRows(run: Run<unknown>): number {
    if (this.options.batchRows !== undefined) return this.options.batchRows;
    if (run.perRowNs === 0) return 64;
    const target = (this.options.batchMs ?? 4) * 1e6;
    return Math.max(1, Math.min(MAX_BATCH_ROWS, Math.round(target / run.perRowNs)));
  }

  /** Hands ready batches to workers with room (two per worker). */
  kick(): void {
    if (this.closed || this.fatal !== null) return;
    for (const run of this.runs) if (!run.active) this.runs.delete(run);
    if (this.runs.size === 0) return;
    for (let depth = 1; depth <= 2; depth++) {
      for (const slot of this.slots) {
        if (!slot.ready || slot.assigned.length >= depth) continue;
        const batch = this.nextBatch();
        if (batch === null) return;
        this.send(slot, batch);
      }
    }
  }

  private nextBatch(): Batch | null {
    // Round robin over runs, so one huge run does not starve another.
    for (const run of this.runs) {
      const b = run.takeBatch();
      if (b !== null) {
        this.runs.delete(run);
        this.runs.add(run);
        return b;
      }
    }
    return null;
  }

  private send(slot: Slot, batch: Batch): void {
    batch.id = this.nextId;
    this.nextId = this.nextId === 0x7fffffff ? 1 : this.nextId + 1;
    slot.assigned.push(batch);
    const run = batch.run;
    let m: ToWorker;
    if (batch.chunk !== null) {
      const c = run.chunked!;
      m = { t: 'chunk', id: batch.id, bytes: batch.chunk.bytes, format: c.format, columns: c.columns, delimiter: c.delimiter, firstLine: batch.chunk.firstLine, from: batch.from, to: batch.to };
    } else {
      m = { t: 'rows', id: batch.id, rows: batch.rows! };
    }
    try {
      slot.worker.postMessage(m);
    } catch (e) {
      // A row that cannot be cloned into a worker fails alone; the rest of its batch runs.
      slot.assigned.pop();
      this.unsendableRows(batch, e);
    }
  }

  private unsendableRows(batch: Batch, e: unknown): void {
    const rows = batch.rows!;
    const good: Batch[] = [];
    let start = 0;
    for (let k = 0; k <= rows.length; k++) {
      let bad = k < rows.length;
      if (bad) {
        try {
          structuredClone(rows[k]);
          bad = false;
        } catch {
          bad = true;
        }
      }
      if (!bad && k < rows.length) continue;
      if (k > start) good.push(piece(batch, start, k, 0));
      if (k < rows.length) {
        const { index, line } = rowId(batch, k);
        batch.run.deliverFailure(batch.seq, new RowError('ROW_UNSENDABLE', `✖ row ${index} cannot be sent to a worker (${(e as Error).message}). Rows must be plain data: numbers, strings, arrays, plain objects, typed arrays.`, index, line, e));
      }
      start = k + 1;
    }
    batch.run.requeue(batch, good);
    queueMicrotask(() => this.kick());
  }

  private spawn(index: number): Slot {
    const cursor = new Int32Array(new SharedArrayBuffer(4 * CURSOR_WORDS));
    const workerData: WorkerInit = { ...this.init, cursor: cursor.buffer as SharedArrayBuffer, workerIndex: index };
    const worker = startWorker({
      workerData,
      ...(this.options.resourceLimits === undefined ? {} : { resourceLimits: this.options.resourceLimits }),
    });
    const slot: Slot = { index, worker, cursor, ready: false, assigned: [], reason: null, aborting: false, seenBatch: 0, seenRow: -1, seenAt: 0 };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e: Error) => {
      slot.reason ??= `${(e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory (resourceLimits)' : 'uncaught error'}: ${e.message}`;
    });
    let exited!: () => void;
    const exit = new Promise<void>((r) => (exited = r));
    this.exits.add(exit);
    worker.on('exit', (code) => {
      this.exits.delete(exit);
      exited();
      this.onExit(slot, code);
    });
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (this.slots[slot.index] !== slot) return;
    switch (m.t) {
      case 'ready':
        slot.ready = true;
        if (this.slots.every((s) => s.ready)) {
          for (const w of this.readyWaiters) w.resolve();
          this.readyWaiters = [];
        }
        this.kick();
        return;
      case 'init-failed': {
        const error = m.stage === 'load' ? PoolErrors.taskLoad(this.init.task, fromSent(m.error)) : m.stage === 'not-task' ? PoolErrors.notATask(this.init.task, m.got ?? 'unknown') : PoolErrors.taskInit(this.init.task, fromSent(m.error));
        this.die(error);
        return;
      }
      case 'done':
        this.onDone(slot, m);
        return;
    }
  }

  private onDone(slot: Slot, m: DoneMessage): void {
    const i = slot.assigned.findIndex((b) => b.id === m.id);
    if (i < 0) return;
    const [batch] = slot.assigned.splice(i, 1) as [Batch];
    this.stats.batches++;
    const run = batch.run;
    if (!run.active) {
      this.kick();
      return;
    }
    if (m.counts !== null) for (let c = 0; c < m.counts.length; c++) if (m.counts[c] !== 0) Atomics.add(this.totals, c, BigInt(Math.trunc(m.counts[c]!)));
    const n = m.values.length;
    if (n > 0) run.perRowNs = run.perRowNs === 0 ? m.nanos / n : 0.7 * run.perRowNs + (0.3 * m.nanos) / n;
    const failures = new Map<number, RowError>();
    for (let f = 0; f < m.failures.length; f += 3) {
      const k = m.failures[f] as number;
      const kind = m.failures[f + 1] as number;
      const what = m.failures[f + 2] as SentError | string;
      const { index, line } = rowIdFrom(batch, m, k);
      failures.set(k, kind === FAIL_MALFORMED ? PoolErrors.rowMalformed(index, line, what as string) : kind === FAIL_THREW ? PoolErrors.rowFailed(index, line, fromSent(what as SentError)) : PoolErrors.rowUnsendable(index, line, fromSent(what as SentError)));
    }
    const outcomes = new Array<Outcome<unknown>>(n);
    const values = m.values;
    if (failures.size === 0 && m.lines === null && batch.lines === null) {
      // The common case, kept free of per-row allocations beyond the outcome itself.
      for (let k = 0, index = batch.first; k < n; k++, index++) outcomes[k] = { ok: true, index, line: undefined, value: values[k] };
    } else {
      for (let k = 0; k < n; k++) {
        const error = failures.get(k);
        const { index, line } = rowIdFrom(batch, m, k);
        outcomes[k] = error === undefined ? { ok: true, index, line, value: values[k] } : { ok: false, index, line, error };
      }
    }
    run.complete(batch, outcomes);
    this.kick();
  }

  private onExit(slot: Slot, code: number): void {
    if (this.slots[slot.index] !== slot || this.closed) return;
    const reason = slot.reason ?? `process.exit(${code}) or the thread ended`;
    if (!slot.ready) {
      // Dying before init finished is not a row's fault: nothing would make the next worker start.
      this.die(PoolErrors.taskLoad(this.init.task, new Error(`the worker exited (code ${code}) while loading the task: ${reason}`)));
      return;
    }
    this.stats.respawns++;
    this.stats.deaths.push(reason);
    if (this.stats.deaths.length > 20) this.stats.deaths.shift();
    const assigned = slot.assigned;
    this.slots[slot.index] = this.spawn(slot.index);
    const running = slot.aborting ? undefined : assigned[0];
    if (running !== undefined && running.run.active) {
      const started = Atomics.load(slot.cursor, CURSOR_BATCH) === running.id;
      const k = started ? Atomics.load(slot.cursor, CURSOR_ROW) : -1;
      this.recover(running, k, reason);
    }
    for (const b of running === undefined ? assigned : assigned.slice(1)) if (b.run.active) b.run.requeue(b, [b]);
    this.kick();
  }

  /** Re-runs a batch whose worker died while running row k (k < 0: before its first row). */
  private recover(batch: Batch, k: number, reason: string): void {
    const n = size(batch);
    if (k < 0 || k >= n) {
      batch.run.requeue(batch, [batch]);
      return;
    }
    const attempts = (n === 1 ? batch.attempts : 0) + 1;
    const pieces: Batch[] = [];
    if (k > 0) pieces.push(piece(batch, 0, k, 0));
    const max = this.options.maxRowCrashes ?? 2;
    if (attempts >= max) {
      const { index, line } = rowId(batch, k);
      batch.run.deliverFailure(batch.seq, PoolErrors.rowCrashed(index, line, attempts, reason));
    } else pieces.push(piece(batch, k, k + 1, attempts));
    if (k + 1 < n) pieces.push(piece(batch, k + 1, n === Infinity ? -1 : n, 0));
    batch.run.requeue(batch, pieces);
  }

  abortRun(run: Run<unknown>): void {
    this.runs.delete(run);
    for (const slot of this.slots) {
      if (slot.assigned.some((b) => b.run === run)) {
        slot.reason = 'terminated: its run was aborted';
        slot.aborting = true;
        void slot.worker.terminate();
      }
    }
  }

  private watch(): void {
    const timeout = this.options.timeout!;
    const now = performance.now();
    for (const slot of this.slots) {
      if (slot.assigned.length === 0 || slot.reason !== null) {
        slot.seenAt = now;
        continue;
      }
      const b = Atomics.load(slot.cursor, CURSOR_BATCH);
      const r = Atomics.load(slot.cursor, CURSOR_ROW);
      if (b !== slot.seenBatch || r !== slot.seenRow) {
        slot.seenBatch = b;
        slot.seenRow = r;
        slot.seenAt = now;
      } else if (now - slot.seenAt > timeout) {
        slot.reason = `timeout: a row ran longer than ${timeout} ms`;
        void slot.worker.terminate();
      }
    }
  }

  private die(error: PoolError): void {
    if (this.fatal !== null) return;
    this.fatal = error;
    for (const r of this.runs) r.fail(error);
    this.runs.clear();
    for (const w of this.readyWaiters) w.reject(error);
    this.readyWaiters = [];
    this.closed = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    for (const s of this.slots) void s.worker.terminate();
  }
}

/** Rows in a batch; Infinity for the rest of a chunk whose record count is not known yet. */
function size(batch: Batch): number {
  if (batch.chunk !== null) return batch.to < 0 ? Infinity : batch.to - batch.from;
  return batch.rows!.length;
}

/** Rows [a, b) of a batch (positions relative to the batch) as a new batch. */
function piece(batch: Batch, a: number, b: number, attempts: number): Batch {
  if (batch.chunk !== null) {
    return { ...batch, id: 0, from: batch.from + a, to: b < 0 ? -1 : batch.from + b, attempts };
  }
  return {
    ...batch,
    id: 0,
    rows: batch.rows!.slice(a, b),
    first: batch.first + a,
    lines: batch.lines === null ? null : batch.lines.slice(a, b),
    from: 0,
    to: b - a,
    attempts,
  };
}

function rowId(batch: Batch, k: number): { index: number; line: number | undefined } {
  if (batch.chunk !== null) {
    const line = lineOfRecord(batch.chunk, batch.from + k);
    return { index: line - batch.run.dataLine, line };
  }
  if (batch.lines !== null) return { index: batch.lines[k]! - batch.run.dataLine, line: batch.lines[k] };
  return { index: batch.first + k, line: undefined };
}

function rowIdFrom(batch: Batch, m: DoneMessage, k: number): { index: number; line: number | undefined } {
  if (m.lines !== null) {
    const line = m.lines[k]!;
    return { index: line - batch.run.dataLine, line };
  }
  return rowId(batch, k);
}

function toShared(shared: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shared)) {
    if (typeof v === 'object' && v !== null && !(v instanceof SharedArrayBuffer) && 'buffer' in v && (v as { buffer: unknown }).buffer instanceof SharedArrayBuffer) {
      out[k] = (v as { buffer: SharedArrayBuffer }).buffer;
    } else if (typeof v === 'object' && v !== null && 'buffer' in v && (v as { buffer: unknown }).buffer instanceof ArrayBuffer && !ArrayBuffer.isView(v)) {
      throw PoolErrors.badOption(`shared.${k}`, 'an arena over a SharedArrayBuffer (build with ArenaBuilder, or load() a file)', 'an arena over a plain ArrayBuffer, which cannot be shared');
    } else out[k] = v;
  }
  return out;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw PoolErrors.badOption(name, 'a positive integer', v);
}
