/**
 * Delivery of finished batches to the consumer, in input order or as they finish.
 *
 * Every batch read from a source reserves an `Entry`, in read order. Running it may split it into pieces
 * (after a crash); each piece puts its result into the entry, and the entry is complete when its last
 * piece is done. Ordered delivery releases entries from the head of the order only, their pieces sorted
 * by position; unordered delivery releases each piece at once. So each row's outcome is delivered
 * exactly once, whatever happened to the workers in between.
 *
 * The outbox also keeps the numbers that bound a run's read-ahead: entries not yet consumed, and bytes
 * held (a batch's input until it is complete, its output until the consumer takes it).
 */
import type { Chunk } from './chunks.js';
import type { FinishedBatch } from './results.js';

export interface Entry {
  /** Pieces still running or queued. */
  pieces: number;
  /** Ordered delivery: results held until the entry is complete, with their positions. */
  held: { at: number; result: FinishedBatch<unknown> }[];
  readonly inputBytes: number;
  /** The file chunk the entry's input is, released by the run once the entry is complete. */
  readonly input: Chunk | null;
  complete: boolean;
}

export class Outbox {
  private readonly order: Entry[] = [];
  private readonly ready: FinishedBatch<unknown>[] = [];
  private head = 0;
  private openEntries = 0;
  private held = 0;
  private waiter: (() => void) | null = null;
  private finished = false;
  private error: Error | null = null;

  constructor(
    private readonly ordered: boolean,
    /** Called when the consumer takes a result: room in flight opened. */
    private readonly onTaken: () => void,
  ) {}

  /**
   * The read-ahead count: entries not yet released plus results not yet taken. In input order an entry
   * that is complete still waits behind an unfinished one, and counts until it is released.
   */
  get pending(): number {
    return (this.ordered ? this.order.length : this.openEntries) + this.ready.length - this.head;
  }

  /** Bytes held for this run: inputs of incomplete entries and outputs not yet taken. */
  get bytes(): number {
    return this.held;
  }

  /** True once every entry reserved so far is complete (nothing of the run is running or queued). */
  get allComplete(): boolean {
    return this.openEntries === 0;
  }

  reserve(inputBytes: number, input: Chunk | null = null): Entry {
    const entry: Entry = { pieces: 1, held: [], inputBytes, input, complete: false };
    this.openEntries++;
    this.held += inputBytes;
    if (this.ordered) this.order.push(entry);
    return entry;
  }

  /** A piece's result, at its position within the entry. */
  put(entry: Entry, at: number, result: FinishedBatch<unknown>): void {
    if (this.finished) return;
    this.held += result.byteLength;
    if (this.ordered) entry.held.push({ at, result });
    else this.release(result);
  }

  /** The entry was split: `more` pieces were added. */
  split(entry: Entry, more: number): void {
    entry.pieces += more;
  }

  /** One piece of the entry is done (its result, if any, was put); true when that completed the entry. */
  pieceDone(entry: Entry): boolean {
    if (--entry.pieces > 0 || entry.complete) return false;
    entry.complete = true;
    this.openEntries--;
    this.held -= entry.inputBytes;
    if (!this.ordered) return true;
    while (this.order.length > 0 && this.order[0]!.complete) {
      const e = this.order.shift()!;
      if (e.held.length > 1) e.held.sort((a, b) => a.at - b.at);
      for (const h of e.held) this.release(h.result);
      e.held = [];
    }
    return true;
  }

  private release(result: FinishedBatch<unknown>): void {
    this.ready.push(result);
    this.wake();
  }

  /** The next result, or null when none is waiting. */
  take(): FinishedBatch<unknown> | null {
    if (this.head === this.ready.length) return null;
    const r = this.ready[this.head]!;
    this.ready[this.head++] = undefined as never;
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready.splice(0, this.head);
      this.head = 0;
    }
    this.held -= r.byteLength;
    this.onTaken();
    return r;
  }

  /** The next result; null at the end of the run; throws the run's error. */
  async next(): Promise<FinishedBatch<unknown> | null> {
    for (;;) {
      const r = this.take();
      if (r !== null) return r;
      if (this.finished) {
        if (this.error !== null) throw this.error;
        return null;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** No more results will come: the consumer drains what is ready, then sees the end (or `error`). */
  finish(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.error = error;
    this.wake();
  }

  /** Ends at once, dropping everything not yet taken (abort, failure, the consumer stopped). */
  drop(error: Error | null): void {
    this.ready.length = 0;
    this.head = 0;
    this.order.length = 0;
    this.held = 0;
    this.finished = false;
    this.finish(error);
  }

  get done(): boolean {
    return this.finished;
  }

  private wake(): void {
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w();
    }
  }
}
