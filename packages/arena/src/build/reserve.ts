/**
 * Memory for builders that grow: how much address space to reserve, and allocation failures turned
 * into an error that says what to do.
 *
 * A growable or resizable buffer reserves its maximum size up front as address space. Reserving the
 * 4 GiB maximum for every builder (and 2 GiB for every string pool, 4 GiB for every section's vector
 * heap) made a 232-byte build reserve ~10.5 GB, so under `ulimit -v 8G` it failed with a raw
 * RangeError. Builders now reserve a window in proportion to what they hold and move to a larger one
 * (one copy) when it fills: at most ~4× their size, and a handful of copies in all.
 */
import { Errors } from '../errors.js';

/** The first window: small builds never reserve more than this. */
export const FIRST_WINDOW = 64 << 20;
/** Each new window is this many times the bytes needed, so copies stay few (64 MiB → 256 MiB → 1 GiB → 4 GiB). */
export const WINDOW_GROWTH = 4;

/** The window to reserve for `need` bytes, under the builder's `limit`. */
export function windowFor(need: number, limit: number): number {
  return Math.min(limit, Math.max(FIRST_WINDOW, need * WINDOW_GROWTH));
}

/** Runs an allocation of `bytes` for `what`; the engine's RangeError becomes ARENA_OUT_OF_MEMORY. */
export function allocating<T>(bytes: number, what: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof RangeError) throw Errors.outOfMemory(bytes, what, err);
    throw err;
  }
}
