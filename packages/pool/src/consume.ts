/**
 * The ways to read a run, each of which starts it: per-row outcomes (`for await`), one finished batch at
 * a time (`batches()`), all values (`values()`), or written whole to a file or stream (`pipeTo`, sink.ts).
 * Only `for await` makes an object per row; the others hand over what the workers sent, as it came.
 */
import type { Writable } from 'node:stream';
import { PoolErrors } from './errors.js';
import type { RowError } from './errors.js';
import type { BatchResult, Outcome } from './results.js';
import type { Progress, RunCore } from './run.js';
import { pipeRun } from './sink.js';
import type { PipeOptions, RunSummary } from './sink.js';

/** What a sink accepts from a row: text or bytes to write, or nothing for the row. */
export type Writeable = string | Uint8Array | null | undefined;

/** A run over a source. It starts when first read, and is read once. */
export interface Run<R> extends AsyncIterable<Outcome<R>> {
  /** Finished batches, one at a time: values and a sparse list of failures, with no object per row. */
  batches(): AsyncGenerator<BatchResult<R>, void, undefined>;
  /** Every result, in this run's order; rejects with the first row failure. */
  values(): Promise<R[]>;
  /**
   * Writes every row's result (a string or bytes; null writes nothing) to a file or stream, in this run's
   * order, each batch as one buffer the worker joined. A path is written beside itself and renamed into
   * place when the run completes, so a failed run never leaves a partial file where the result belongs.
   */
  pipeTo(this: Run<Writeable>, destination: string | URL | Writable, options?: PipeOptions): Promise<RunSummary>;
  /** Stops the run: workers busy with it are terminated and the reader sees POOL_ABORTED. */
  abort(reason?: unknown): void;
  /** A snapshot of the run's counts now (rows read, done, failed; bytes; rate). */
  readonly progress: Progress;
}

export class RunHandle<R> implements Run<R> {
  private failed = 0;
  private firstFailure: RowError | undefined;

  /** @internal */
  constructor(readonly core: RunCore<R>) {}

  get progress(): Progress {
    return this.core.progress;
  }

  abort(reason?: unknown): void {
    this.core.abort(reason);
  }

  /** The next finished batch after the run's failure limits, or null at the end. */
  async nextBatch(): Promise<BatchResult<R> | null> {
    const r = (await this.core.outbox.next()) as BatchResult<R> | null;
    if (r !== null && r.failedCount > 0) this.admit(r.failedCount, () => r.failure(0));
    return r;
  }

  /** Applies stopOnError and maxFailures to `count` failures about to be delivered (throws to stop the run). */
  private admit(count: number, first: () => RowError): void {
    const { stopOnError, maxFailures } = this.core.options;
    if (stopOnError === true) {
      this.core.cancel();
      throw first();
    }
    this.failed += count;
    this.firstFailure ??= first();
    if (maxFailures !== undefined && this.failed > maxFailures) {
      const e = PoolErrors.tooManyFailures(maxFailures, this.firstFailure);
      this.core.fail(e);
      throw e;
    }
  }

  async *batches(): AsyncGenerator<BatchResult<R>, void, undefined> {
    this.core.start('values');
    try {
      for (let r = await this.nextBatch(); r !== null; r = await this.nextBatch()) yield r;
    } finally {
      this.core.cancel();
    }
  }

  async values(): Promise<R[]> {
    const all: R[] = [];
    for await (const b of this.batches()) {
      if (b.failedCount > 0) {
        this.core.cancel();
        throw b.failure(0);
      }
      const v = b.values!;
      for (let k = 0; k < b.length; k++) all.push(v[k] as R);
    }
    return all;
  }

  pipeTo(this: RunHandle<Writeable>, destination: string | URL | Writable, options: PipeOptions = {}): Promise<RunSummary> {
    return pipeRun(this, destination, options);
  }

  /** Outcomes one by one; a batch's outcome objects are made when the iterator reaches it. */
  [Symbol.asyncIterator](): AsyncIterator<Outcome<R>, undefined> {
    this.core.start('values');
    let outcomes: Outcome<R>[] = [];
    let at = 0;
    const end = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
    const step = (): IteratorResult<Outcome<R>, undefined> | null => {
      if (this.core.halted) outcomes = []; // aborted or failed: what was not yielded is dropped, and next() says why
      if (at >= outcomes.length) return null;
      const o = outcomes[at++]!;
      if (!o.ok) this.admit(1, () => o.error);
      return { done: false, value: o };
    };
    const wait = async (): Promise<IteratorResult<Outcome<R>, undefined>> => {
      for (;;) {
        const r = step();
        if (r !== null) return r;
        const b = (await this.core.outbox.next()) as BatchResult<R> | null;
        if (b === null) return end();
        outcomes = b.outcomes();
        at = 0;
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
        this.core.cancel();
        return end();
      },
    };
  }
}
