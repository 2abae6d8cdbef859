/**
 * The pool: slots (worker threads, or the calling thread for `workers: 0`) that attach to the shared
 * arenas once, and a scheduler that keeps each worker busy with at most two batches (one running, one
 * queued behind it, so a worker never waits for the main thread between batches).
 *
 * Batches are opaque here: the pool takes them from runs, sends them, and reports each one's fate back
 * to the run that made it — its results, or its worker's death and the row the worker was on. Exactly
 * one outcome per row follows from that (run.ts, batch.ts, outbox.ts).
 *
 * Lifecycle: workers keep the process alive only while a run is going or the workers are starting, so
 * a script that forgets `close()` still exits. `close()` lets started runs finish; `destroy()` stops them.
 */
import { availableParallelism } from 'node:os';
import type { Batch } from './batch.js';
import { SharedBuffers } from './buffers.js';
import { RunHandle } from './consume.js';
import type { Run } from './consume.js';
import type { SentError } from './errors.js';
import { commitCounts } from './counters.js';
import { fromSent, type PoolError, PoolErrors } from './errors.js';
import { InlineSlot } from './inline.js';
import type { DoneMessage } from './protocol.js';
import { checkOptions, isCloneError, toShared } from './options.js';
import { RunCore } from './run.js';
import type { RunHost, RunOptions, RunState } from './run.js';
import { unlearned } from './sizing.js';
import { WorkerSlot } from './slot.js';
import type { InitFailure, Slot, SlotEvents, WorkerSlotOptions } from './slot.js';
import { RUNTIME, SOURCE_MODE } from './spawn.js';
import type { AnyTask, ResultOf, RowOf, SharedOf } from './task.js';
import type { Source } from './feeders.js';
import type { Pool, PoolOptions, PoolStats, SharedInput, UntypedTask } from './pool-api.js';
import { Update, updateEntries } from './update.js';
import type { UpdateHost } from './update.js';

/**
 * Creates a pool. Workers start at once, each importing the task module and running its `init` with
 * `shared`; `await pool.ready()` waits until they all have. Name the task's type (`createPool<typeof
 * task>`) to type rows and results. Throws POOL_BAD_OPTION for a bad option; a task that fails to load
 * or init rejects `ready()` and every run with POOL_TASK_LOAD_FAILED, POOL_NOT_A_TASK,
 * POOL_TASK_INIT_FAILED or POOL_INIT_TIMEOUT.
 *
 * @example
 * ```ts
 * import { createPool, csv } from '@sabre/pool';
 * import type task from './task.ts';
 *
 * const pool = createPool<typeof task>({ task: new URL('./task.ts', import.meta.url), shared: { rules: arena } });
 * try {
 *   const summary = await pool.imap(csv('words.csv', { columns: ['id', 'word'] })).pipeTo('labels.csv');
 *   console.log(`${summary.ok} rows, ${summary.failed} failed`, summary.failures[0]?.message);
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export function createPool<T extends AnyTask = UntypedTask>(options: PoolOptions<T>): Pool<T> {
  return new PoolImpl<T>(options);
}

class PoolImpl<T extends AnyTask> implements Pool<T>, RunHost, SlotEvents, UpdateHost {
  readonly workers: number;
  readonly maxInFlight: number;
  readonly maxBytesInFlight: number;
  readonly maxRowCrashes: number;
  readonly batchRows: number | undefined;
  readonly batchMs: number;
  readonly stats: PoolStats;
  readonly buffers = new SharedBuffers();
  readonly learned = unlearned();
  readonly slots: Slot[] = [];
  private readonly task: string;
  private readonly totals: BigInt64Array;
  private readonly names: readonly string[];
  private readonly slotOptions: WorkerSlotOptions | null;
  /** Runs started and not settled, and runs made but not started yet. */
  private readonly running = new Set<RunCore<unknown>>();
  private readonly unstarted = new Set<RunCore<unknown>>();
  private nextId = 1;
  private closing = false;
  private stopped = false;
  private fatal: PoolError | null = null;
  private readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private settledWaiters: (() => void)[] = [];
  private watchdog: NodeJS.Timeout | null = null;
  /** The version of the shared data in force, and what replacements start with. */
  version = 1;
  /** The last version number handed out: a failed update's number is never used again. */
  private lastVersion = 1;
  private shared: Record<string, unknown>;
  readonly initTimeout: number;
  /** The update in progress (dispatch waits while one is), and the chain later ones queue on. */
  private updating: Update | null = null;
  private updates: Promise<unknown> = Promise.resolve();
  private paused = false;

  constructor(options: PoolOptions<T>) {
    const workers = checkOptions(options, availableParallelism());
    this.workers = Math.max(1, workers);
    this.maxInFlight = options.maxInFlight ?? this.workers * 3;
    this.maxBytesInFlight = options.maxBytesInFlight ?? 64 << 20;
    this.maxRowCrashes = options.maxRowCrashes ?? 2;
    this.batchRows = options.batchRows;
    this.batchMs = options.batchMs ?? 50;
    this.task = options.task instanceof URL ? options.task.href : options.task.startsWith('file:') ? options.task : new URL(options.task, `file://${process.cwd()}/`).href;
    this.names = [...(options.counters ?? [])];
    const counters = new SharedArrayBuffer(8 * Math.max(1, this.names.length));
    this.totals = new BigInt64Array(counters);
    const shared = toShared(options.shared ?? {});
    this.shared = shared;
    this.initTimeout = options.initTimeout ?? 60_000;
    const buffers = this.buffers;
    this.stats = {
      workers,
      respawns: 0,
      deaths: [],
      batches: 0,
      get bufferBytes() {
        return buffers.allocated;
      },
    };
    if (workers === 0) {
      this.slotOptions = null;
      this.slots.push(new InlineSlot({ task: this.task, shared, version: this.version, counterNames: this.names, totals: this.totals }, this));
      return;
    }
    this.slotOptions = {
      init: { runtime: RUNTIME.href, tsx: SOURCE_MODE || /\.[mc]?tsx?$/.test(this.task), task: this.task, shared, version: this.version, counterNames: this.names, counters },
      resourceLimits: options.resourceLimits,
      initTimeout: this.initTimeout,
    };
    for (let i = 0; i < workers; i++) this.slots.push(new WorkerSlot(i, this.slotOptions, this));
    if (options.timeout !== undefined) {
      const timeout = options.timeout;
      this.watchdog = setInterval(() => {
        const now = performance.now();
        for (const s of this.slots) (s as WorkerSlot).watch(timeout, now);
      }, Math.max(5, Math.min(1000, timeout / 4)));
      this.watchdog.unref();
    }
  }

  ready(): Promise<void> {
    if (this.fatal !== null) return Promise.reject(this.fatal);
    if (this.stopped || this.closing) return Promise.reject(PoolErrors.closed());
    if (this.slots.every((s) => s.ready)) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  imapUnordered(source: Source<RowOf<T>>, options: RunOptions = {}): Run<ResultOf<T>> {
    return this.run(source, false, options);
  }

  imap(source: Source<RowOf<T>>, options: RunOptions = {}): Run<ResultOf<T>> {
    return this.run(source, true, options);
  }

  map(rows: Source<RowOf<T>>, options: Omit<RunOptions, 'stopOnError'> = {}): Promise<ResultOf<T>[]> {
    try {
      return this.run<ResultOf<T>>(rows, true, { ...options, stopOnError: true }).values();
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  update(shared: Partial<SharedInput<SharedOf<T>>>): Promise<number> {
    let next: Record<string, unknown>;
    try {
      next = updateEntries(shared);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    // One update at a time, in call order: each starts from the data the one before left in force.
    const run = async (): Promise<number> => {
      if (this.fatal !== null) throw this.fatal;
      if (this.stopped || this.closing) throw PoolErrors.closed();
      this.updating = new Update(this, ++this.lastVersion, { ...this.shared, ...next });
      try {
        return await this.updating.done;
      } finally {
        this.updating = null;
      }
    };
    const done = this.updates.then(run, run);
    this.updates = done.catch(() => {});
    return done;
  }

  // UpdateHost

  pause(on: boolean): void {
    this.paused = on;
    if (!on) this.kick();
  }

  commit(version: number, shared: Record<string, unknown>): void {
    this.version = version;
    this.shared = shared;
    if (this.slotOptions !== null) this.slotOptions.init = { ...this.slotOptions.init, shared, version };
  }

  terminate(slot: Slot, reason: string): void {
    // No row is to blame (its batches ran before the update): terminated like an abort's worker. The
    // in-thread runner cannot be stopped; it abandons the pending init instead (inline.ts).
    if (!(slot instanceof InlineSlot)) slot.terminate(reason, true);
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    this.names.forEach((n, i) => (out[n] = Number(Atomics.load(this.totals, i))));
    return out;
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      for (const r of this.unstarted) r.fail(this.fatal ?? PoolErrors.closed());
      this.unstarted.clear();
      if (this.running.size > 0) await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
      this.shutdown(PoolErrors.closed());
    }
    await Promise.all(this.slots.map((s) => s.gone));
  }

  async destroy(): Promise<void> {
    this.closing = true;
    this.shutdown(PoolErrors.closed());
    await Promise.all(this.slots.map((s) => s.gone));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private run<R>(source: unknown, ordered: boolean, options: RunOptions): Run<R> {
    if (this.closing && this.fatal === null) throw PoolErrors.closed();
    const core = new RunCore<R>(this, source, ordered, options);
    if (this.fatal !== null) core.fail(this.fatal);
    else if (!core.halted) this.unstarted.add(core as RunCore<unknown>);
    return new RunHandle<R>(core);
  }

  // RunHost

  get activeRuns(): number {
    return this.running.size;
  }

  started(run: RunState): void {
    this.unstarted.delete(run as RunCore<unknown>);
    this.running.add(run as RunCore<unknown>);
    this.holdProcess();
  }

  settled(run: RunState, aborted: boolean): void {
    this.running.delete(run as RunCore<unknown>);
    this.unstarted.delete(run as RunCore<unknown>);
    if (aborted) {
      // Only a worker running the aborted run's batch is stopped; a batch of it queued behind another
      // run's batch runs and is dropped, rather than killing the other run's work.
      for (const s of this.slots) if (s instanceof WorkerSlot && (s.assigned[0]?.owner as unknown) === run) s.terminate('terminated: its run was aborted', true);
    }
    if (this.running.size === 0) {
      for (const w of this.settledWaiters.splice(0)) w();
    }
    this.holdProcess();
    queueMicrotask(() => this.kick());
  }

  commitCounts(counts: Float64Array | null): void {
    commitCounts(this.totals, counts);
  }

  /** Hands ready batches to slots with room (two per slot). */
  kick(): void {
    if (this.stopped || this.paused || this.running.size === 0) return;
    for (let depth = 1; depth <= 2; depth++) {
      for (const slot of this.slots) {
        if (!slot.ready || slot.assigned.length >= depth) continue;
        const batch = this.nextBatch();
        if (batch === null) return;
        batch.id = this.nextId;
        this.nextId = this.nextId === 0x7fffffff ? 1 : this.nextId + 1;
        try {
          slot.send(batch);
        } catch (e) {
          // Some row cannot be cloned into a worker: the run fails those rows alone and sends the rest.
          // Anything else (an allocation that failed) fails the run: no row is to blame.
          if (isCloneError(e) && batch.kind === 'rows') batch.owner.unsendable(batch, e);
          else batch.owner.fail(PoolErrors.sendFailed(e));
        }
      }
    }
  }

  private nextBatch(): Batch | null {
    // Round robin over runs, so one huge run does not starve another.
    for (const run of this.running) {
      const b = run.takeBatch();
      if (b !== null) {
        this.running.delete(run);
        this.running.add(run);
        return b;
      }
    }
    return null;
  }

  // SlotEvents

  slotReady(): void {
    this.updating?.step(); // a replacement that started during an update gets it now
    if (this.slots.every((s) => s.ready)) {
      for (const w of this.readyWaiters.splice(0)) w.resolve();
      this.holdProcess();
    }
    this.kick();
  }

  slotInitFailed(_slot: Slot, f: InitFailure): void {
    const task = this.task;
    const cause = f.error === undefined ? new Error(f.detail ?? 'unknown') : fromSent(f.error);
    this.die(
      f.stage === 'load'
        ? PoolErrors.taskLoad(task, cause)
        : f.stage === 'not-task'
          ? PoolErrors.notATask(task, f.got ?? 'unknown')
          : f.stage === 'timeout'
            ? PoolErrors.initTimeout(task, this.slotOptions?.initTimeout ?? 0)
            : PoolErrors.taskInit(task, cause),
    );
  }

  slotDone(slot: Slot, m: DoneMessage): void {
    const i = slot.assigned.findIndex((b) => b.id === m.id);
    if (i < 0) return;
    const [batch] = slot.assigned.splice(i, 1) as [Batch];
    this.stats.batches++;
    batch.owner.done(batch, m);
    this.kick();
  }

  slotUpdated(slot: Slot, version: number, error: SentError | null): void {
    this.updating?.slotUpdated(slot, version, error);
  }

  slotDied(slot: Slot, reason: string): void {
    if (this.stopped || this.slots[slot.index] !== slot) return;
    this.updating?.slotDied(slot);
    this.stats.respawns++;
    this.stats.deaths.push(reason);
    if (this.stats.deaths.length > 20) this.stats.deaths.shift();
    const replacement = new WorkerSlot(slot.index, this.slotOptions!, this);
    this.slots[slot.index] = replacement;
    replacement.hold(this.busy);
    const assigned = slot.assigned.splice(0);
    // The batch at the head was running (unless the pool killed the worker for an abort: nobody to blame).
    assigned.forEach((b, i) => {
      const { started, k } = i === 0 && !slot.aborting ? slot.position(b) : { started: false, k: -1 };
      b.owner.crashed(b, started, k, reason);
    });
    this.kick();
  }

  /** Workers keep the process alive only while something is starting or running. */
  private get busy(): boolean {
    return !this.stopped && (this.running.size > 0 || this.readyWaiters.length > 0 || !this.slots.every((s) => s.ready));
  }

  private holdProcess(): void {
    // Once stopped, terminated workers stay referenced until they exit, so close() can await them.
    if (this.stopped) return;
    const on = this.busy;
    for (const s of this.slots) s.hold(on);
  }

  private die(error: PoolError): void {
    if (this.fatal !== null || this.stopped) return;
    this.fatal = error;
    this.shutdown(error);
  }

  /** Fails every run and waiter with `error`, and terminates the threads. */
  private shutdown(error: PoolError): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closing = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    for (const r of [...this.running, ...this.unstarted]) r.fail(this.fatal ?? error);
    this.running.clear();
    this.unstarted.clear();
    for (const w of this.readyWaiters.splice(0)) w.reject(this.fatal ?? error);
    for (const w of this.settledWaiters.splice(0)) w();
    this.updating?.abort(this.fatal ?? error);
    for (const s of this.slots) s.terminate('the pool was closed');
  }
}
