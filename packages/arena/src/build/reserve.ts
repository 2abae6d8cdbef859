/**
 * Memory for builders that grow: how much address space to reserve, and allocation failures turned
 * into an error that says what to do.
 *
 * A growable or resizable buffer reserves its maximum size up front as address space. Reserving the
 * 4 GiB maximum for every builder (and 2 GiB for every string pool, 4 GiB for every section's vector
 * heap) made a 232-byte build reserve ~10.5 GB, so under `ulimit -v 8G` it failed with a raw
 * RangeError. Builders now reserve a window in proportion to what they hold and move to a larger one
 * (one copy) when it fills: at most ~4× their size, and a handful of copies in all.
 *
 * Shared or not: the arena's buffer is a growable SharedArrayBuffer wherever one exists, so workers read
 * it in place. A browser page that is not cross-origin isolated has no SharedArrayBuffer at all; there
 * the builder uses a resizable ArrayBuffer, which builds and reads the same in one thread (a worker
 * would get a copy). Only `shared: true` insists, and its error names the headers that fix the page.
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

/** Whether the builder's buffer must be shared (`true`), must not be (`false`), or is shared where possible. */
export type Sharing = boolean | undefined;

/** A buffer of `bytes` that can grow in place up to `window`: shared unless `shared` is false or it cannot be. */
export function growableBuffer(bytes: number, window: number, shared: Sharing): SharedArrayBuffer | ArrayBuffer {
  // `typeof`, not a reference: a page without cross-origin isolation has no SharedArrayBuffer global.
  const canShare = typeof SharedArrayBuffer === 'function';
  if (shared === true && !canShare) throw Errors.noSharedMemory();
  return shared !== false && canShare ? new SharedArrayBuffer(bytes, { maxByteLength: window }) : new ArrayBuffer(bytes, { maxByteLength: window });
}

/** Grows a buffer made by `growableBuffer` in place to `bytes` (≤ its maxByteLength). */
export function growInPlace(buffer: SharedArrayBuffer | ArrayBuffer, bytes: number): void {
  if ('grow' in buffer) buffer.grow(bytes);
  else buffer.resize(bytes);
}
