/**
 * One place where batches run: a worker thread (`WorkerSlot`), or the calling thread for `workers: 0`
 * (inline.ts). A slot runs its assigned batches in order and tells the pool what happened; it never looks
 * inside a batch. A worker slot also watches its thread: the shared cursor for rows past `timeout`, its
 * start for `initTimeout`, and a thread that does not stop when terminated (blocked in a system call,
 * which `worker.terminate()` cannot interrupt) is abandoned after a grace period so nothing waits on it.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { toMessage } from './batch.js';
import type { Batch } from './batch.js';
import type { SentError } from './errors.js';
import { CURSOR_ALL_RAN, CURSOR_BATCH, CURSOR_ROW, CURSOR_WORDS } from './protocol.js';
import type { DoneMessage, FromWorker, UpdateMessage, WorkerInit } from './protocol.js';
import { startWorker } from './spawn.js';

export interface InitFailure {
  stage: 'load' | 'not-task' | 'init' | 'timeout' | 'exit';
  error?: SentError;
  got?: string;
  detail?: string;
}

/** What a slot tells the pool. */
export interface SlotEvents {
  slotReady(slot: Slot): void;
  slotInitFailed(slot: Slot, f: InitFailure): void;
  slotDone(slot: Slot, m: DoneMessage): void;
  /** The thread is gone (or abandoned); its assigned batches are the pool's to recover. */
  slotDied(slot: Slot, reason: string): void;
  /** The slot ran `init` on an update's shared data: switched (error null), or its init failed. */
  slotUpdated(slot: Slot, version: number, error: SentError | null): void;
}

export interface Slot {
  readonly index: number;
  readonly ready: boolean;
  /** Batches sent and not finished, in the order they run. */
  readonly assigned: Batch[];
  /** Terminated because a run it served was aborted: no row is to blame. */
  readonly aborting: boolean;
  send(batch: Batch): void;
  /** Queues an update step behind the batches already sent (update.ts). */
  update(m: UpdateMessage): void;
  /** Whether it had begun `batch`, and at which row (negative: outside any row). */
  position(batch: Batch): { started: boolean; k: number };
  terminate(reason: string, aborting?: boolean): void;
  /** Resolves when the thread has exited or was abandoned. */
  readonly gone: Promise<void>;
  /** Whether the slot keeps the process alive. */
  hold(on: boolean): void;
}

/** How long a terminated thread may take to stop before it is abandoned. */
const ABANDON_MS = 2000;

export interface WorkerSlotOptions {
  init: Omit<WorkerInit, 'cursor' | 'workerIndex'>;
  resourceLimits: ResourceLimits | undefined;
  initTimeout: number;
}

export class WorkerSlot implements Slot {
  ready = false;
  readonly assigned: Batch[] = [];
  aborting = false;
  readonly gone: Promise<void>;
  private readonly worker: Worker;
  private readonly cursor: Int32Array;
  private reason: string | null = null;
  /** The pool was told this slot is finished (its init failed, or its thread died or was abandoned). */
  private reported = false;
  /** The thread exited, or was abandoned: nothing more will come from it. */
  private exitedOrAbandoned = false;
  /** terminate() was called: the thread is on its way out, whatever it still sends. */
  private terminating = false;
  private seenBatch = 0;
  private seenRow = CURSOR_ALL_RAN;
  private seenAt = 0;
  private initTimer: NodeJS.Timeout | null;
  private resolveGone!: () => void;

  constructor(
    readonly index: number,
    options: WorkerSlotOptions,
    private readonly events: SlotEvents,
  ) {
    this.cursor = new Int32Array(new SharedArrayBuffer(4 * CURSOR_WORDS));
    // No row is running until a batch begins: the watchdog must not time a worker that is starting.
    this.cursor[CURSOR_ROW] = CURSOR_ALL_RAN;
    const workerData: WorkerInit = { ...options.init, cursor: this.cursor.buffer as SharedArrayBuffer, workerIndex: index };
    this.worker = startWorker({ workerData, ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }) });
    this.gone = new Promise<void>((r) => (this.resolveGone = r));
    this.initTimer = setTimeout(() => {
      this.initFailed({ stage: 'timeout' });
      // An init stuck in a system call would keep the thread: stop it, or give up on it.
      this.terminate('its init did not finish in time');
    }, options.initTimeout);
    this.initTimer.unref();
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (e: Error) => {
      this.reason ??= `${(e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory (resourceLimits)' : 'uncaught error'}: ${e.message}`;
    });
    this.worker.on('exit', (code) => this.gone_(this.reason ?? `process.exit(${code}) or the thread ended`, code));
  }

  private onMessage(m: FromWorker): void {
    if (this.reported || this.terminating) return;
    switch (m.t) {
      case 'ready':
        this.clearInitTimer();
        this.ready = true;
        this.events.slotReady(this);
        return;
      case 'init-failed':
        this.initFailed({ stage: m.stage, error: m.error, ...(m.got === undefined ? {} : { got: m.got }) });
        return;
      case 'done':
        this.events.slotDone(this, m);
        return;
      case 'updated':
      case 'update-failed':
        this.events.slotUpdated(this, m.version, m.t === 'updated' ? null : m.error);
        return;
    }
  }

  private initFailed(f: InitFailure): void {
    this.clearInitTimer();
    if (this.reported || this.ready) return;
    this.reported = true;
    this.events.slotInitFailed(this, f);
  }

  private clearInitTimer(): void {
    if (this.initTimer !== null) clearTimeout(this.initTimer);
    this.initTimer = null;
  }

  /** The thread exited (or was abandoned): resolve `gone`, and tell the pool unless it was told already. */
  private gone_(reason: string, code?: number): void {
    if (this.exitedOrAbandoned) return;
    this.exitedOrAbandoned = true;
    this.clearInitTimer();
    this.resolveGone();
    if (this.reported) return;
    this.reported = true;
    if (this.ready) {
      this.events.slotDied(this, reason);
      return;
    }
    const detail =
      // 13: Node's exit code for a top-level await that can never settle (the runtime awaits init).
      (code === 0 || code === 13) && this.reason === null
        ? 'the worker exited before init finished: its event loop emptied while init was still waiting (on a promise that nothing will settle?)'
        : `the worker exited${code === undefined ? '' : ` (code ${code})`} before init finished: ${reason}`;
    this.events.slotInitFailed(this, { stage: 'exit', detail });
  }

  send(batch: Batch): void {
    const { message, transfer } = toMessage(batch, true);
    this.worker.postMessage(message, transfer);
    this.assigned.push(batch);
  }

  update(m: UpdateMessage): void {
    this.worker.postMessage(m);
  }

  position(batch: Batch): { started: boolean; k: number } {
    const started = Atomics.load(this.cursor, CURSOR_BATCH) === batch.id;
    return { started, k: started ? Atomics.load(this.cursor, CURSOR_ROW) : -1 };
  }

  terminate(reason: string, aborting = false): void {
    this.reason ??= reason;
    this.aborting ||= aborting;
    if (this.terminating || this.exitedOrAbandoned) return;
    this.terminating = true;
    void this.worker.terminate();
    // A thread blocked outside JavaScript cannot be stopped: stop waiting for it instead.
    const timer = setTimeout(() => {
      if (this.exitedOrAbandoned) return;
      this.worker.unref();
      this.gone_(`${this.reason ?? reason} — and the thread did not stop within ${ABANDON_MS} ms (blocked outside JavaScript, e.g. in a synchronous system call), so it was abandoned`);
    }, ABANDON_MS);
    timer.unref();
  }

  /** Terminates the worker when its row has not moved for `timeout` ms (rows only: decoding is not timed). */
  watch(timeout: number, now: number): void {
    const head = this.assigned[0];
    const b = Atomics.load(this.cursor, CURSOR_BATCH);
    const r = Atomics.load(this.cursor, CURSOR_ROW);
    // Timed only while a row of the batch at the head runs: not while starting, decoding or sending.
    if (head === undefined || this.terminating || this.exitedOrAbandoned || b !== head.id || r < 0 || b !== this.seenBatch || r !== this.seenRow) {
      this.seenBatch = b;
      this.seenRow = r;
      this.seenAt = now;
    } else if (now - this.seenAt > timeout) this.terminate(`timeout: a row ran longer than ${timeout} ms`);
  }

  hold(on: boolean): void {
    // A terminated worker stays referenced until it exits, so its exit is awaited; an abandoned one never is.
    if (this.terminating || this.exitedOrAbandoned) return;
    if (on) this.worker.ref();
    else this.worker.unref();
  }
}
