/**
 * A pool's options checked, with the fix named for a bad one; and `shared`, turned into what workers
 * receive (an arena arrives as its SharedArrayBuffer, a handle and not a copy).
 */
import { PoolErrors } from './errors.js';
import type { PoolOptions } from './pool-api.js';
import { MAX_BATCH_ROWS } from './sizing.js';
import type { AnyTask } from './task.js';

/** Checks every option; returns the number of workers asked for (0: the calling thread). */
export function checkOptions<T extends AnyTask>(options: PoolOptions<T>, defaultWorkers: number): number {
  const workers = options.workers ?? defaultWorkers;
  if (!Number.isInteger(workers) || workers < 0) throw PoolErrors.badOption('workers', 'a whole number ≥ 0 (0 runs in this thread)', workers);
  if (options.batchRows !== undefined && (!Number.isInteger(options.batchRows) || options.batchRows < 1 || options.batchRows > MAX_BATCH_ROWS))
    throw PoolErrors.badOption('batchRows', `an integer from 1 to ${MAX_BATCH_ROWS}`, options.batchRows);
  for (const name of ['maxInFlight', 'maxBytesInFlight', 'maxRowCrashes'] as const) {
    const v = options[name];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw PoolErrors.badOption(name, 'a positive integer', v);
  }
  for (const name of ['timeout', 'initTimeout', 'batchMs'] as const) {
    const v = options[name];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) throw PoolErrors.badOption(name, 'a positive number of ms', v);
  }
  if (workers === 0 && (options.timeout !== undefined || options.resourceLimits !== undefined))
    throw PoolErrors.badOption(options.timeout !== undefined ? 'timeout' : 'resourceLimits', 'no value with workers: 0 (a row running in the calling thread cannot be stopped or limited; use workers ≥ 1)', options.timeout ?? options.resourceLimits);
  return workers;
}

export function toShared(shared: Record<string, unknown>): Record<string, unknown> {
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

/** The error structured cloning throws for a value it cannot copy. */
export function isCloneError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'DataCloneError';
}

