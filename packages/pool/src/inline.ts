/**
 * The in-thread runner (`createPool({ workers: 0 })`): the same task module over the same sources, with
 * the same batches, parsing and outcomes as a pool of workers, run in the calling thread. It is the
 * honest baseline for a pool (one thread doing exactly the pool's work) and the way to unit-test a task.
 *
 * What a thread cannot do for itself is not offered: a row cannot be timed out, a crash ends the
 * process, and values are passed by reference rather than cloned.
 */
import { toMessage } from './batch.js';
import type { Batch } from './batch.js';
import { PendingCounts } from './counters.js';
import { PoolErrors } from './errors.js';
import { runBatch } from './execute.js';
import type { Runner } from './execute.js';
import { CURSOR_WORDS } from './protocol.js';
import { initTask, loadTask } from './task-loader.js';
import type { LoadedTask } from './task-loader.js';
import type { Slot, SlotEvents } from './slot.js';
import type { UpdateMessage } from './protocol.js';
import type { TaskContext } from './task.js';

export interface InlineOptions {
  task: string;
  shared: Record<string, unknown>;
  version: number;
  counterNames: readonly string[];
  totals: BigInt64Array;
}

export class InlineSlot implements Slot {
  readonly index = 0;
  ready = false;
  readonly assigned: Batch[] = [];
  readonly aborting = false;
  readonly gone = Promise.resolve();
  private runner: Runner | null = null;
  /** During an update: the runner of the version before it, until commit or rollback (worker.ts does the same). */
  private previous: Runner | null = null;
  private task: LoadedTask | null = null;
  private readonly ctx: TaskContext;
  /** Update steps wait here for the batches sent before them. */
  private readonly updates: UpdateMessage[] = [];
  /** The version whose init is running, and how to stop waiting for it (a rollback gives up on it). */
  private initializing = -1;
  private giveUp: (() => void) | null = null;
  private running = false;
  private stopped = false;
  private readonly cursor = new Int32Array(CURSOR_WORDS);
  private readonly counts: PendingCounts;

  constructor(
    options: InlineOptions,
    private readonly events: SlotEvents,
  ) {
    this.counts = new PendingCounts(options.counterNames, options.totals);
    this.ctx = { workerIndex: 0, counter: (name) => this.counts.counter(name) };
    void loadTask(options.task, options.shared, this.ctx).then((started) => {
      if (this.stopped) return;
      if (!started.ok) {
        this.events.slotInitFailed(this, { stage: started.stage, error: started.error, ...(started.got === undefined ? {} : { got: started.got }) });
        return;
      }
      this.task = started.task;
      this.runner = { fn: started.fn, options: started.options, version: options.version };
      this.ready = true;
      this.events.slotReady(this);
    });
  }

  send(batch: Batch): void {
    this.assigned.push(batch);
    if (!this.running) void this.drain();
  }

  update(m: UpdateMessage): void {
    // An init that never finishes would hold this thread's queue forever: a rollback stops waiting for it.
    if (m.t === 'rollback' && this.initializing === m.version) this.giveUp?.();
    this.updates.push(m);
    if (!this.running) void this.drain();
  }

  /** One update step, once the batches before it have run (the pool sends none during an update). */
  private async applyUpdate(m: UpdateMessage): Promise<void> {
    if (m.t === 'commit') {
      if (this.runner?.version === m.version) this.previous = null;
    } else if (m.t === 'rollback') {
      if (this.runner?.version === m.version && this.previous !== null) [this.runner, this.previous] = [this.previous, null];
    } else {
      this.initializing = m.version;
      const abandoned = new Promise<null>((resolve) => (this.giveUp = () => resolve(null)));
      const next = await Promise.race([initTask(this.task!, m.shared, this.ctx), abandoned]);
      this.initializing = -1;
      this.giveUp = null;
      if (next === null || this.stopped) return;
      if (!next.ok) this.events.slotUpdated(this, m.version, next.error);
      else {
        this.previous = this.runner;
        this.runner = { fn: next.fn, options: next.options, version: m.version };
        this.events.slotUpdated(this, m.version, null);
      }
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    while ((this.assigned.length > 0 || this.updates.length > 0) && !this.stopped) {
      // An update runs after the batches sent before it; its commit or rollback is sent before any
      // batch that follows (the pool sends none until the update settles), so it goes first.
      const step = this.updates[0];
      if (step !== undefined && (step.t !== 'update' || this.assigned.length === 0)) {
        this.updates.shift();
        await this.applyUpdate(step);
        continue;
      }
      // Yield between batches, so reading, writing and the consumer go on in this same thread.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = this.assigned[0];
      if (batch === undefined || this.stopped) break;
      if (!batch.owner.active) {
        // Its run was aborted or stopped: nothing would read the result.
        this.assigned.shift();
        continue;
      }
      let done: Awaited<ReturnType<typeof runBatch>>;
      try {
        done = await runBatch(this.runner!, toMessage(batch, false).message, this.cursor, this.counts);
      } catch (e) {
        // Not a row's fault (rows' throws are outcomes): the batch cannot run, so its run fails.
        this.assigned.shift();
        batch.owner.fail(PoolErrors.sendFailed(e));
        continue;
      }
      if (!this.stopped) this.events.slotDone(this, done);
    }
    this.running = false;
  }

  position(): { started: boolean; k: number } {
    return { started: false, k: -1 };
  }

  terminate(): void {
    this.stopped = true;
    this.assigned.length = 0;
  }

  hold(): void {}
}
