/**
 * One run over a source: reading it in batches (never more than `maxInFlight` batches or
 * `maxBytesInFlight` bytes ahead of the consumer), the accounting of every batch read (outbox.ts), and
 * recovery when a worker dies (batch.ts). The pool takes ready batches from runs and reports back what
 * happened to each; consumers read the run through consume.ts.
 *
 * A run starts when it is first consumed, because the consumer decides what the workers send back:
 * values (`for await`, `batches()`, `values()`) or bytes (`pipeTo`).
 */
import { recover, rowId, runsBetween, sortKey, sortUnsendable } from './batch.js';
import { LineLedger } from './chunks.js';
import type { Batch, BatchOwner, ChunkSpec } from './batch.js';
import { PoolError, PoolErrors } from './errors.js';
import { closeQuietly, openSource } from './feeders.js';
import type { Content, Feeder, Want } from './feeders.js';
import { Outbox } from './outbox.js';
import type { Entry } from './outbox.js';
import { approxBytes } from './pack.js';
import { BatchSizer } from './sizing.js';
import type { OutputMode, DoneMessage } from './protocol.js';
import { FinishedBatch } from './results.js';
import type { Positions } from './results.js';

export type { Progress, RunHost, RunOptions, RunState } from './run-api.js';
import type { RunHost, RunOptions, RunState, Progress } from './run-api.js';

type State = 'idle' | 'running' | 'ended' | 'failed' | 'aborted' | 'cancelled';

export class RunCore<R> implements RunState, BatchOwner {
  output: OutputMode = 'values';
  private state: State = 'idle';
  private consumed = false;
  private feeder: Feeder | null = null;
  private sourceDone = false;
  private reading = false;
  private readonly ready: Batch[] = [];
  readonly outbox: Outbox;
  private rowsTaken = 0;
  private dataLine = 1;
  private spec: ChunkSpec | null = null;
  /** File line numbers of the chunks read so far (file sources parsed in workers). */
  private ledger: LineLedger | null = null;
  private length: number | undefined;
  private bytesTotal: number | undefined;
  private readonly sizer: BatchSizer;
  private startedAt = 0;
  private readonly counts = { rowsRead: 0, rowsDone: 0, rowsFailed: 0, batches: 0 };

  constructor(
    private readonly host: RunHost,
    private readonly source: unknown,
    ordered: boolean,
    readonly options: RunOptions,
  ) {
    this.sizer = new BatchSizer(host, host.learned);
    this.outbox = new Outbox(ordered, () => {
      if (this.state === 'running') {
        this.fill();
        this.host.kick();
      }
    });
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.abort(signal.reason);
      else {
        const onAbort = () => this.abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        // A long-lived signal must not keep every finished run (and its source) alive.
        this.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  private unlisten: (() => void) | null = null;

  get active(): boolean {
    return this.state === 'running';
  }

  /** True once the run was stopped (aborted, failed, or cancelled by its consumer): nothing more is delivered. */
  get halted(): boolean {
    return this.state === 'aborted' || this.state === 'failed' || this.state === 'cancelled';
  }

  /** Begins reading, for a consumer that wants `output`; a run is consumed once. */
  start(output: OutputMode): void {
    if (this.consumed) throw PoolErrors.runConsumed();
    this.consumed = true;
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.output = output;
    this.startedAt = performance.now();
    this.host.started(this);
    openSource(this.source, this.host.buffers).then(
      (opened) => {
        this.feeder = opened.feeder;
        this.bytesTotal = opened.bytesTotal;
        this.dataLine = opened.dataLine;
        this.spec = opened.spec;
        this.length = opened.length;
        if (this.state !== 'running') {
          closeQuietly(opened.feeder);
          return;
        }
        this.fill();
        this.host.kick();
      },
      (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))),
    );
  }

  private want(): Want {
    const s = this.source as { options?: { chunkBytes?: number | null } };
    return this.sizer.next({
      length: this.length,
      file: this.spec === null ? null : { chunkBytes: s.options?.chunkBytes ?? null, bytesTotal: this.bytesTotal, bytesRead: this.feeder?.bytesRead ?? 0 },
    });
  }

  /** Reads from the source while the read-ahead bounds allow. */
  private fill(): void {
    if (this.reading || this.sourceDone || this.state !== 'running' || this.feeder === null) return;
    const { maxInFlight, maxBytesInFlight } = this.host;
    while (this.outbox.pending < maxInFlight && (this.outbox.bytes < maxBytesInFlight || this.outbox.pending === 0) && this.state === 'running' && !this.sourceDone) {
      let got: Content | null | Promise<Content | null>;
      try {
        got = this.feeder.next(this.want());
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
    if (c.kind === 'chunk') {
      this.ledger ??= new LineLedger(this.dataLine);
      this.ledger.add(c.chunk);
      const entry = this.outbox.reserve(c.chunk.bytes.byteLength, c.chunk);
      this.ready.push({ kind: 'chunk', id: 0, owner: this, entry, chunk: c.chunk, spec: this.spec!, from: 0, to: -1, attempts: 0 });
      return;
    }
    const bytes = approxBytes(c.rows);
    const entry = this.outbox.reserve(bytes);
    this.counts.rowsRead += c.rows.length + c.malformed.length;
    for (const m of c.malformed) {
      this.outbox.split(entry, 1);
      this.finishPiece(entry, m.line, FinishedBatch.failedRow(PoolErrors.rowMalformed(m.line - this.dataLine, m.line, m.malformed ?? ''), this.host.version));
    }
    if (c.rows.length === 0) {
      this.pieceDone(entry);
      return;
    }
    const runs = runsBetween(c.rows.length, c.lines, c.malformed);
    this.outbox.split(entry, runs.length - 1);
    for (const [a, b] of runs) {
      const lines = c.lines === null ? null : c.lines.slice(a, b);
      this.ready.push({ kind: 'rows', id: 0, owner: this, entry, rows: a === 0 && b === c.rows.length ? c.rows : c.rows.slice(a, b), first: this.rowsTaken + a, lines, attempts: 0 });
    }
    this.rowsTaken += c.rows.length;
  }

  /** One piece of an entry is done; a complete entry's chunk is counted and its buffer reused for later chunks. */
  private pieceDone(entry: Entry): void {
    if (!this.outbox.pieceDone(entry) || entry.input === null || this.state !== 'running') return;
    this.ledger?.settle(entry.input);
    this.host.buffers.give(entry.input.bytes.buffer);
  }

  /** Bytes mode: a slab for the batch's output, reused from earlier batches when one is free. */
  outputSlab(batch: Batch): SharedArrayBuffer | null {
    return this.output === 'bytes' ? this.host.buffers.take(this.sizer.slabBytes(batch)) : null;
  }

  /** The consumer has written an output buffer: a shared slab goes back for later batches. */
  releaseOutput(bytes: Uint8Array): void {
    if (this.state === 'running' || this.state === 'ended') this.host.buffers.give(bytes.buffer);
  }

  takeBatch(): Batch | null {
    if (this.state !== 'running') return null;
    const b = this.ready.shift() ?? null;
    if (this.ready.length < 2) this.fill();
    return b;
  }

  done(batch: Batch, m: DoneMessage): void {
    if (this.state !== 'running') return;
    this.host.commitCounts(m.counts);
    this.sizer.learn(batch, m);
    const result = FinishedBatch.fromDone<R>(m, this.positions(batch, m));
    this.counts.batches++;
    if (batch.kind === 'chunk') this.counts.rowsRead += m.n;
    this.finishPiece(batch.entry, sortKey(batch, 0), result as FinishedBatch<unknown>);
    this.progressed();
    this.fill();
  }

  private positions(batch: Batch, m: DoneMessage): Positions {
    if (batch.kind === 'chunk') {
      const { ledger } = this;
      const seq = batch.chunk.seq;
      return { kind: 'chunk', lines: m.lines, fileLine: (rel) => ledger!.line(seq, rel), dataLine: this.dataLine };
    }
    return batch.lines !== null ? { kind: 'lines', lines: batch.lines, dataLine: this.dataLine } : { kind: 'indexes', first: batch.first };
  }

  /** A piece of an entry finished with `result`. */
  private finishPiece(entry: Batch['entry'], key: number, result: FinishedBatch<unknown>): void {
    this.counts.rowsDone += result.length - result.failedCount;
    this.counts.rowsFailed += result.failedCount;
    this.outbox.put(entry, key, result);
    this.pieceDone(entry);
    this.settleIfDone();
  }

  private progressed(): void {
    const cb = this.options.onProgress;
    if (cb === undefined) return;
    try {
      cb(this.progress);
    } catch (e) {
      this.fail(PoolErrors.callbackFailed('onProgress', e));
    }
  }

  /** The worker running `batch` died: at row k (if `started`), or before it began the batch. */
  crashed(batch: Batch, started: boolean, k: number, reason: string): void {
    if (this.state !== 'running') return;
    if (!started) {
      this.requeue(batch, [batch]);
      return;
    }
    const r = recover(batch, k, this.host.maxRowCrashes);
    if (r.crashed !== null) {
      const { index, line } = rowId(batch, r.crashed, this.dataLine, this.ledger);
      this.outbox.split(batch.entry, 1);
      if (batch.kind === 'chunk') this.counts.rowsRead++;
      this.finishPiece(batch.entry, sortKey(batch, r.crashed), FinishedBatch.failedRow(PoolErrors.rowCrashed(index, line, r.attempts, reason), this.host.version));
    }
    this.requeue(batch, r.retry);
  }

  /** A batch of rows could not be sent to a worker: the rows that cannot be cloned fail alone. */
  unsendable(batch: Batch, error: unknown): void {
    if (this.state !== 'running' || batch.kind !== 'rows') return;
    const { sendable, bad } = sortUnsendable(batch);
    for (const k of bad) {
      const { index, line } = rowId(batch, k, this.dataLine, this.ledger);
      this.outbox.split(batch.entry, 1);
      this.finishPiece(batch.entry, sortKey(batch, k), FinishedBatch.failedRow(PoolErrors.rowUnsendableToWorker(index, line, error), this.host.version));
    }
    this.requeue(batch, sendable);
  }

  /** Puts pieces of a batch back at the front; `replaced` is the batch they replace. */
  private requeue(replaced: Batch, pieces: Batch[]): void {
    this.outbox.split(replaced.entry, pieces.length);
    this.ready.unshift(...pieces);
    this.pieceDone(replaced.entry);
    this.settleIfDone();
    this.host.kick();
  }

  private sourceError: Error | null = null;

  private settleIfDone(): void {
    if (this.state === 'running' && this.sourceDone && !this.reading && this.ready.length === 0 && this.outbox.allComplete) {
      this.state = 'ended';
      closeQuietly(this.feeder);
      this.unlisten?.();
      this.outbox.finish(this.sourceError);
      this.host.settled(this, false);
    }
  }

  private sourceFailed(e: unknown): void {
    this.sourceError = e instanceof PoolError ? e : PoolErrors.sourceFailed(this.counts.rowsRead, e);
    this.sourceDone = true;
    this.settleIfDone();
  }

  /** A failure of the whole run (the task could not start, the pool closed, a callback threw). */
  fail(error: Error): void {
    this.stop('failed', error);
  }

  /** Stops the run at once: workers busy with it are terminated by the pool. */
  abort(reason?: unknown): void {
    this.stop('aborted', PoolErrors.aborted(reason));
  }

  /** The consumer stopped early: read no more, let running batches finish and drop their results. */
  cancel(): void {
    this.stop('cancelled', null);
  }

  private stop(state: 'failed' | 'aborted' | 'cancelled', error: Error | null): void {
    if (this.state === 'ended' || this.state === 'failed' || this.state === 'aborted' || this.state === 'cancelled') return;
    this.state = state;
    this.ready.length = 0;
    this.outbox.drop(error);
    closeQuietly(this.feeder);
    this.unlisten?.();
    this.host.settled(this, state === 'aborted');
  }

  get progress(): Progress {
    const c = this.counts;
    const elapsedMs = this.startedAt === 0 ? 0 : performance.now() - this.startedAt;
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
}
