/**
 * Shared buffers, reused: the chunks a file is read into and the slabs workers write a batch's output
 * into. Allocating them fresh for every batch costs more than using them on this VM: the first touch of
 * each new page costs ~3 ms per MB (measured: a new 1 MB SharedArrayBuffer, written once per page, 2.9
 * ms; the same buffer reused, 0.005 ms). Sizes are powers of two, so buffers of one size class serve
 * each other; at most MAX_FREE_BYTES are kept free.
 *
 * The cap is in bytes, not buffers per class: several runs at once (a Redis host runs 2 per worker) hold
 * more chunks of one class than a cap of 16 kept, and each run's end dropped the extra ones only for the
 * next run to fault fresh pages in again (32 MiB a job in benchmarks/redis-overhead.bench.ts).
 */

const MAX_FREE_BYTES = 128 << 20;
const MIN_BYTES = 4 << 10;

export class SharedBuffers {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  private freeBytes = 0;
  /** Bytes of every buffer this pool allocated (those dropped rather than kept are freed by the GC later). */
  allocated = 0;

  /** A buffer of at least `bytes` (its size rounded up to a power of two). */
  take(bytes: number): SharedArrayBuffer {
    const size = sizeClass(bytes);
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) {
      this.freeBytes -= size;
      return reused;
    }
    this.allocated += size;
    return new SharedArrayBuffer(size);
  }

  /** Gives back a buffer nothing reads or writes any more. */
  give(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof SharedArrayBuffer) || sizeClass(buffer.byteLength) !== buffer.byteLength) return;
    if (this.freeBytes + buffer.byteLength > MAX_FREE_BYTES) return;
    let list = this.free.get(buffer.byteLength);
    if (list === undefined) this.free.set(buffer.byteLength, (list = []));
    list.push(buffer);
    this.freeBytes += buffer.byteLength;
  }
}

export function sizeClass(bytes: number): number {
  return Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
}
