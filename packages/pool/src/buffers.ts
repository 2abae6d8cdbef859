/**
 * Shared buffers, reused: the chunks a file is read into and the slabs workers write a batch's output
 * into. Allocating them fresh for every batch costs more than using them on this VM: the first touch of
 * each new page costs ~3 ms per MB (measured: a new 1 MB SharedArrayBuffer, written once per page, 2.9
 * ms; the same buffer reused, 0.005 ms). Sizes are powers of two, so buffers of one size class serve
 * each other; at most MAX_FREE of a class are kept.
 */

const MAX_FREE = 16;
const MIN_BYTES = 4 << 10;

export class SharedBuffers {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  /** Bytes of every buffer this pool allocated (those dropped rather than kept are freed by the GC later). */
  allocated = 0;

  /** A buffer of at least `bytes` (its size rounded up to a power of two). */
  take(bytes: number): SharedArrayBuffer {
    const size = sizeClass(bytes);
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) return reused;
    this.allocated += size;
    return new SharedArrayBuffer(size);
  }

  /** Gives back a buffer nothing reads or writes any more. */
  give(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof SharedArrayBuffer) || sizeClass(buffer.byteLength) !== buffer.byteLength) return;
    let list = this.free.get(buffer.byteLength);
    if (list === undefined) this.free.set(buffer.byteLength, (list = []));
    if (list.length < MAX_FREE) list.push(buffer);
  }
}

export function sizeClass(bytes: number): number {
  return Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
}
