/**
 * One run over a source: reading it in batches (never more than `maxInFlight` batches ahead of the
 * consumer), putting outcomes in order when asked, and handing them to the consumer as an async iterable.
 * The pool (pool.ts) takes ready batches from runs, and gives back outcomes, splits and failures.
 *
 * Accounting: a batch read from the source is a `Seq`. Running it may split it into pieces (after a
 * crash); the Seq is complete when every piece has delivered its outcomes, so each row's outcome is
 * delivered exactly once, whatever happened to the workers in between.
 */
import { PoolErrors, RowError } from './errors.js';
import { openSource } from './feeders.js';
import type { Chunked, Content, Feeder } from './feeders.js';
import type { Chunk, FileSource } from './files.js';

export type Outcome<R> =
  | { readonly ok: true; readonly index: number; readonly line: number | undefined; readonly value: R }
  | { readonly ok: false; readonly index: number; readonly line: number | undefined; readonly error: RowError };

/** A source of rows: an array, iterable, async iterable (a Node readable stream is one), or a file source. */
export type Source<Row> = Iterable<Row> | AsyncIterable<Row> | FileSource<Row>;

export interface Progress {
  /** Rows taken from the source so far (for file sources parsed in workers: rows with an outcome). */
  rowsRead: number;
  rowsDone: number;
  rowsFailed: number;
  /** Rows read whose outcome has not arrived yet. */
  rowsInFlight: number;
  batches: number;
  /** Bytes read from a file source, and its size when known (for a progress bar). */
  bytesRead: number;
  bytesTotal: number | undefined;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface RunOptions {
  /** Stops the run: workers busy with it are terminated and the iterable throws POOL_ABORTED. */
  signal?: AbortSignal;
  /** Throw the first row failure from the iterable (and stop the run) instead of yielding it. */
  stopOnError?: boolean;
  /** Called after every batch that completes. */
  onProgress?: (progress: Progress) => void;
}

export interface Seq {
  readonly n: number;
  pieces: number;
  split: boolean;
  /** Ordered runs only: outcomes held until the Seq is complete. */
  held: Outcome<unknown>[] | null;
}

export interface Batch {
  id: number;
  readonly run: Run<unknown>;
  readonly seq: Seq;
  /** Rows mode. */
  readonly rows: unknown[] | null;
  readonly first: number;
  readonly lines: number[] | null;
  /** Chunk mode: records [from, to) of the chunk (to = -1: to its end). */
  readonly chunk: Chunk | null;
  readonly from: number;
  readonly to: number;
  /** Times this batch (a single suspect row) has already killed a worker. */
  readonly attempts: number;
}

/** What the pool needs from a run's owner. */
export interface RunHost {
  readonly maxInFlight: number;
  batchRows(run: Run<unknown>): number;
  kick(): void;
  abortRun(run: Run<unknown>): void;
}

type State = 'running' | 'cancelled' | 'aborted' | 'failed' | 'ended';

export class Run<R> implements AsyncIterable<Outcome<R>> {
  private feeder: Feeder | null = null;
  private sourceDone = false;
  private reading = false;
  private readonly ready: Batch[] = [];
  private outstanding = 0;
  private nextSeq = 0;
  private readonly order: Seq[] = [];
  private readonly out: Outcome<R>[][] = [];
  private outPos = 0;
  private waiter: (() => void) | null = null;
  private state: State = 'running';
  private error: Error | null = null;
  private readonly startedAt = performance.now();
  private bytesTotal: number | undefined;
  /** Rows read so far: the index of the next batch's first row. */
  private rowsTaken = 0;
  /** For file sources: the first data line, so that index = line - dataLine. */
  dataLine = 1;
  /** Set for file sources parsed in workers. */
  chunked: Chunked | null = null;
  /** Per-row cost estimate for batch sizing, in ns (EMA); 0 until the first batch completes. */
  perRowNs = 0;
  readonly progressCounts = { rowsRead: 0, rowsDone: 0, rowsFailed: 0, batches: 0 };

  constructor(
    private readonly host: RunHost,
    source: unknown,
    readonly ordered: boolean,
    private readonly options: RunOptions,
  ) {
    this.open(source).then(
      () => {
        this.fill();
        this.host.kick();
      },
      (e: unknown) => {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      },
    );
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.abort(signal.reason);
      else signal.addEventListener('abort', () => this.abort(signal.reason), { once: true });
    }
  }

  get active(): boolean {
    return this.state === 'running';
  }

  private async open(source: unknown): Promise<void> {
    const opened = await openSource(source);
    this.feeder = opened.feeder;
    this.bytesTotal = opened.bytesTotal;
    this.dataLine = opened.dataLine;
    this.chunked = opened.chunked;
  }

  /** Reads from the source while fewer than maxInFlight batches are outstanding. */
  fill(): void {
    if (this.reading || this.sourceDone || this.state !== 'running' || this.feeder === null) return;
    const feeder = this.feeder;
    // Outcomes waiting for the consumer count too: a slow consumer slows the reading.
    while (this.outstanding + this.out.length < this.host.maxInFlight && this.state === 'running' && !this.sourceDone) {
      let got: Content | null | Promise<Content | null>;
      try {
        got = feeder.next(this.host.batchRows(this as Run<unknown>));
      } catch (e) {
        this.sourceFailed(e);
        return;
      }
      if (got instanceof Promise) {
        this.reading = true;
        got.then(
          (c) => {
            this.reading = false;
            if (this.state !== 'running') return;
            this.take(c);
            this.host.kick();
            this.fill();
          },
          (e: unknown) => {
            this.reading = false;
            this.sourceFailed(e);
          },
        );
        return;
      }
      this.take(got);
    }
  }

  private take(c: Content | null): void {
    if (c === null) {
      this.sourceDone = true;
      this.settleIfDone();
      return;
    }
    const seq: Seq = { n: this.nextSeq++, pieces: 1, split: false, held: this.ordered ? [] : null };
    this.order.push(seq);
    this.outstanding++;
    if ('chunk' in c) {
      this.ready.push({ id: 0, run: this as Run<unknown>, seq, rows: null, first: 0, lines: null, chunk: c.chunk, from: 0, to: -1, attempts: 0 });
      return;
    }
    this.progressCounts.rowsRead += c.rows.length + c.malformed.length;
    if (c.malformed.length > 0) {
      seq.pieces++;
      seq.split = true;
      this.progressCounts.rowsFailed += c.malformed.length;
      this.deliver(seq, c.malformed.map((m) => failed(PoolErrors.rowMalformed(m.line - this.dataLine, m.line, m.malformed ?? ''))));
      this.pieceDone(seq);
    }
    if (c.rows.length > 0) {
      this.ready.push({ id: 0, run: this as Run<unknown>, seq, rows: c.rows, first: this.rowsTaken, lines: c.lines, chunk: null, from: 0, to: c.rows.length, attempts: 0 });
      this.rowsTaken += c.rows.length;
    } else {
      this.pieceDone(seq);
    }
  }

  /** The next batch to run, or null. */
  takeBatch(): Batch | null {
    if (this.state !== 'running') return null;
    const b = this.ready.shift() ?? null;
    if (this.ready.length < 2) this.fill();
    return b;
  }

  /** Puts pieces of a batch back at the front (after a crash); `replaced` is the batch they replace. */
  requeue(replaced: Batch, pieces: Batch[]): void {
    if (this.state !== 'running') return;
    replaced.seq.pieces += pieces.length;
    if (pieces.length > 0) replaced.seq.split = true;
    this.ready.unshift(...pieces);
    this.pieceDone(replaced.seq);
  }

  /** The outcomes of one piece of a Seq. */
  complete(batch: Batch, outcomes: Outcome<unknown>[]): void {
    if (this.state !== 'running' && this.state !== 'ended') return;
    this.progressCounts.batches++;
    if (this.chunked !== null) this.progressCounts.rowsRead += outcomes.length;
    for (const o of outcomes) {
      if (o.ok) this.progressCounts.rowsDone++;
      else this.progressCounts.rowsFailed++;
    }
    this.deliver(batch.seq, outcomes);
    this.pieceDone(batch.seq);
    this.options.onProgress?.(this.progress);
  }

  /** A row failed without a batch result (it kept killing workers). */
  deliverFailure(seq: Seq, error: RowError): void {
    seq.pieces++;
    seq.split = true;
    this.progressCounts.rowsFailed++;
    if (this.chunked !== null) this.progressCounts.rowsRead++;
    this.deliver(seq, [failed(error)]);
    this.pieceDone(seq);
  }

  private deliver(seq: Seq, outcomes: Outcome<unknown>[]): void {
    if (outcomes.length === 0) return;
    if (seq.held !== null) for (const o of outcomes) seq.held.push(o);
    else this.push(outcomes as Outcome<R>[]);
  }

  private pieceDone(seq: Seq): void {
    seq.pieces--;
    if (seq.pieces > 0) return;
    if (this.ordered) {
      // Emit every complete Seq at the head of the order.
      while (this.order.length > 0 && this.order[0]!.pieces === 0) {
        const s = this.order.shift()!;
        const held = s.held!;
        if (s.split) held.sort((a, b) => a.index - b.index);
        if (held.length > 0) this.push(held as Outcome<R>[]);
        s.held = null;
        this.outstanding--;
      }
    } else {
      const i = this.order.indexOf(seq);
      if (i >= 0) this.order.splice(i, 1);
      this.outstanding--;
    }
    this.fill();
    this.settleIfDone();
  }

  private push(outcomes: Outcome<R>[]): void {
    this.out.push(outcomes);
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w();
    }
  }

  private settleIfDone(): void {
    if (this.state === 'running' && this.sourceDone && this.order.length === 0 && this.ready.length === 0 && !this.reading) {
      this.state = this.error === null ? 'ended' : 'failed';
      void this.feeder?.close();
      this.wake();
    }
  }

  private sourceFailed(e: unknown): void {
    this.error = PoolErrors.sourceFailed(this.progressCounts.rowsRead, e);
    this.sourceDone = true;
    this.settleIfDone();
  }

  /** A failure of the whole run (the task could not start, the pool closed). */
  fail(e: Error): void {
    if (this.state !== 'running') return;
    this.state = 'failed';
    this.error = e;
    this.out.length = 0;
    void this.feeder?.close();
    this.wake();
  }

  /** Stops the run at once: workers busy with it are terminated by the pool. */
  abort(reason?: unknown): void {
    if (this.state !== 'running') return;
    this.state = 'aborted';
    this.error = PoolErrors.aborted(reason);
    this.out.length = 0;
    this.ready.length = 0;
    void this.feeder?.close();
    this.host.abortRun(this as Run<unknown>);
    this.wake();
  }

  /** The consumer stopped early: read no more, let running batches finish and drop their outcomes. */
  private cancel(): void {
    if (this.state !== 'running') return;
    this.state = 'cancelled';
    this.out.length = 0;
    this.ready.length = 0;
    void this.feeder?.close();
  }

  get progress(): Progress {
    const c = this.progressCounts;
    const elapsedMs = performance.now() - this.startedAt;
    const finished = c.rowsDone + c.rowsFailed;
    return {
      rowsRead: c.rowsRead,
      rowsDone: c.rowsDone,
      rowsFailed: c.rowsFailed,
      rowsInFlight: Math.max(0, c.rowsRead - finished),
      batches: c.batches,
      bytesRead: this.feeder?.bytesRead ?? 0,
      bytesTotal: this.bytesTotal,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? (finished * 1000) / elapsedMs : 0,
    };
  }

  /** Takes the first waiting group; room in flight opens, so read on. */
  private shiftGroup(): Outcome<R>[] {
    const g = this.out.shift()!;
    if (this.state === 'running' && !this.sourceDone) {
      this.fill();
      this.host.kick();
    }
    return g;
  }

  /** The next group of outcomes (one completed batch), or null at the end. */
  private async nextGroup(): Promise<Outcome<R>[] | null> {
    for (;;) {
      if (this.out.length > 0) {
        // A group the per-row iterator had started: hand over only what it had not yielded.
        const from = this.outPos;
        this.outPos = 0;
        const g = this.shiftGroup();
        return from > 0 ? g.slice(from) : g;
      }
      if (this.state !== 'running') {
        if (this.error !== null && this.state !== 'cancelled') throw this.error;
        return null;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private checked(o: Outcome<R>): Outcome<R> {
    if (!o.ok && this.options.stopOnError === true) {
      this.cancel();
      throw o.error;
    }
    return o;
  }

  /** Outcomes one completed batch at a time: one promise per batch instead of one per row. */
  async *batches(): AsyncGenerator<Outcome<R>[], void, undefined> {
    try {
      for (;;) {
        const g = await this.nextGroup();
        if (g === null) return;
        if (this.options.stopOnError === true) for (const o of g) this.checked(o);
        yield g;
      }
    } finally {
      this.cancel();
    }
  }

  /**
   * Outcomes one by one. A hand-written iterator, not an async generator: while outcomes are waiting it
   * answers with an already-settled promise, which costs about a third of a generator's `yield`.
   */
  [Symbol.asyncIterator](): AsyncIterator<Outcome<R>, undefined> {
    const end = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
    const step = (): IteratorResult<Outcome<R>, undefined> | null => {
      const g = this.out[0];
      if (g === undefined) return null;
      const o = g[this.outPos++]!;
      if (this.outPos === g.length) {
        this.outPos = 0;
        this.shiftGroup();
      }
      return { done: false, value: this.checked(o) };
    };
    const wait = async (): Promise<IteratorResult<Outcome<R>, undefined>> => {
      for (;;) {
        const r = step();
        if (r !== null) return r;
        if (this.state !== 'running') {
          if (this.error !== null && this.state !== 'cancelled') throw this.error;
          return end();
        }
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    };
    return {
      next: () => {
        try {
          const r = step();
          return r !== null ? Promise.resolve(r) : wait();
        } catch (e) {
          return Promise.reject(e as Error);
        }
      },
      return: async () => {
        this.cancel();
        return end();
      },
    };
  }

  /** The results in this run's order; throws the first row failure. */
  async values(): Promise<R[]> {
    const all: R[] = [];
    for await (const g of this.batches()) {
      for (const o of g) {
        if (!o.ok) {
          this.cancel();
          throw o.error;
        }
        all.push(o.value);
      }
    }
    return all;
  }
}

function failed(error: RowError): Outcome<never> {
  return { ok: false, index: error.index, line: error.line, error };
}
