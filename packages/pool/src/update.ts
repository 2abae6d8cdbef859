/**
 * Hot swap: replacing shared data under running runs (`pool.update()`), with no batch ever seeing a mix.
 *
 * 1. The pool stops dispatching (`pause`). Batches already sent finish on the version they started on.
 * 2. Every ready slot gets an `update` message, queued behind its batches: between two batches, never
 *    during one, it runs the task's `init` on the new data and switches to it, keeping the old row
 *    function aside. A slot that dies meanwhile is replaced (on the old version) and gets the update once
 *    ready, so "every worker" means every worker there is when the update commits.
 * 3. All switched: the pool commits — the new data becomes what replacements start with, every slot
 *    drops its old row function (and with it the old arenas), dispatch resumes. Every batch sent from
 *    now on runs on the new version, and says so (`BatchResult.version`).
 * 4. One init failed (or did not finish within `initTimeout`): every switched slot rolls back, a stuck
 *    one is replaced, dispatch resumes on the old version, and the call rejects naming the worker and
 *    the cause. No batch ran on the new version: none was sent while it was pending.
 */
import { fromSent, PoolErrors } from './errors.js';
import type { SentError } from './errors.js';
import { isCloneError, toShared } from './options.js';
import type { Slot } from './slot.js';

/**
 * The shared entries `pool.update(shared)` replaces, as workers receive them. Throws POOL_BAD_OPTION for
 * a non-object or a value a worker cannot receive: refused here, whole, rather than by the first worker
 * it is posted to mid-update.
 */
export function updateEntries(shared: unknown): Record<string, unknown> {
  if (typeof shared !== 'object' || shared === null) throw PoolErrors.badOption('update(shared)', 'an object naming the shared entries to replace', shared);
  const next = toShared(shared as Record<string, unknown>);
  try {
    structuredClone(next);
  } catch (e) {
    throw isCloneError(e) ? PoolErrors.badOption('update(shared)', 'values a worker can receive (SharedArrayBuffers, arenas, structured-cloneable data)', String(e)) : e;
  }
  return next;
}

/** What an update needs from the pool. */
export interface UpdateHost {
  /** The current slots (a replacement takes its predecessor's place). */
  readonly slots: readonly Slot[];
  readonly initTimeout: number;
  /** Stops (true) or resumes (false) handing batches to slots. */
  pause(on: boolean): void;
  /** The new version is in force: replacements start with it. */
  commit(version: number, shared: Record<string, unknown>): void;
  /** Stops a slot whose update never answered, blaming no row; the pool replaces it on the version in force. */
  terminate(slot: Slot, reason: string): void;
}

export class Update {
  private readonly sent = new Set<Slot>();
  private readonly switched = new Set<Slot>();
  private settled = false;
  private readonly timer: NodeJS.Timeout;
  /** When each slot sent the update had no batch left ahead of it: its init's time counts from then. */
  private readonly initStarted = new Map<Slot, number>();
  readonly done: Promise<number>;
  private resolve!: (version: number) => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly host: UpdateHost,
    readonly version: number,
    private readonly shared: Record<string, unknown>,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    host.pause(true);
    // initTimeout bounds each worker's init, not the batches queued ahead of it: checked periodically,
    // from the moment a worker has no batch left before the update.
    this.timer = setInterval(() => this.checkTime(), Math.max(10, Math.min(250, host.initTimeout / 4)));
    this.step();
  }

  /** Sends the update to every ready slot that has not had it; commits once all have switched. */
  step(): void {
    if (this.settled) return;
    for (const slot of this.host.slots) {
      if (!slot.ready || this.sent.has(slot)) continue;
      this.sent.add(slot);
      slot.update({ t: 'update', version: this.version, shared: this.shared });
    }
    if (this.host.slots.every((s) => this.switched.has(s))) this.commit();
  }

  slotUpdated(slot: Slot, version: number, error: SentError | null): void {
    if (this.settled || version !== this.version || !this.sent.has(slot)) return;
    if (error !== null) {
      this.rollBack(PoolErrors.updateFailed(this.version, slot.index, fromSent(error)));
      return;
    }
    this.switched.add(slot);
    this.step();
  }

  /** A slot died: its replacement gets the update once ready (`step` on slotReady). */
  slotDied(slot: Slot): void {
    this.sent.delete(slot);
    this.switched.delete(slot);
  }

  /** The pool stopped: the update cannot finish. */
  abort(error: Error): void {
    if (this.settle()) this.reject(error);
  }

  private commit(): void {
    if (!this.settle()) return;
    this.host.commit(this.version, this.shared);
    for (const slot of this.host.slots) slot.update({ t: 'commit', version: this.version });
    this.host.pause(false);
    this.resolve(this.version);
  }

  private rollBack(error: Error): void {
    if (!this.settle()) return;
    // Every slot that was sent the update, switched or not: one still in init switches when it ends,
    // and the rollback queued behind the update switches it back before any later batch.
    for (const slot of this.sent) slot.update({ t: 'rollback', version: this.version });
    this.host.pause(false);
    this.reject(error);
  }

  private checkTime(): void {
    if (this.settled) return;
    const now = performance.now();
    let over = false;
    for (const s of this.sent) {
      if (this.switched.has(s) || s.assigned.length > 0) continue;
      const since = this.initStarted.get(s) ?? now;
      this.initStarted.set(s, since);
      if (now - since > this.host.initTimeout) over = true;
    }
    if (over) this.timedOut();
  }

  private timedOut(): void {
    if (this.settled) return;
    const late = this.host.slots.filter((s) => this.sent.has(s) && !this.switched.has(s));
    const error = PoolErrors.updateTimeout(this.version, late.map((s) => s.index), this.host.initTimeout);
    // An init that never returns blocks every batch queued behind it: stop each such thread (it is
    // replaced on the version still in force). A slot still starting never got the update: it stays.
    for (const s of late) this.host.terminate(s, `its init on the data of update ${this.version} did not finish within ${this.host.initTimeout} ms`);
    this.rollBack(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearInterval(this.timer);
    return true;
  }
}
