/**
 * Shared counters. The totals are a BigInt64Array in shared memory, one slot per declared name. A row's
 * additions wait in the executing thread's `pending` array and travel with its batch's result; the pool
 * applies them with Atomics.add when it accepts the batch, so a batch re-run after a crash counts once.
 */
import { PoolErrors } from './errors.js';
import type { Counter } from './task.js';

export class PendingCounts {
  private readonly pending: Float64Array;
  private used = false;

  constructor(
    private readonly names: readonly string[],
    private readonly totals: BigInt64Array,
  ) {
    this.pending = new Float64Array(names.length);
  }

  /** The counter named `name`, for a task's ctx.counter(name). */
  counter(name: string): Counter {
    const i = this.names.indexOf(name);
    if (i < 0) throw PoolErrors.unknownCounter(name, this.names);
    return {
      add: (n = 1) => {
        // Checked here, in the row that calls it: a NaN reaching the main thread once threw there.
        if (!Number.isSafeInteger(n)) throw new TypeError(`counter "${name}": add(n) takes a whole number, got ${String(n)}`);
        this.pending[i] += n;
        this.used = true;
      },
      read: () => Number(Atomics.load(this.totals, i)) + this.pending[i]!,
    };
  }

  /** This batch's additions (null when none), cleared for the next batch. */
  take(): Float64Array | null {
    if (!this.used) return null;
    const out = this.pending.slice();
    this.pending.fill(0);
    this.used = false;
    return out;
  }
}

/** Applies a batch's additions to the shared totals (main thread). */
export function commitCounts(totals: BigInt64Array, counts: Float64Array | null): void {
  if (counts === null) return;
  for (let c = 0; c < counts.length && c < totals.length; c++) {
    const n = counts[c]!;
    if (n !== 0 && Number.isFinite(n)) Atomics.add(totals, c, BigInt(Math.trunc(n)));
  }
}
