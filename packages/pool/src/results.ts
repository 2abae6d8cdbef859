/**
 * A finished batch as the consumer receives it: the rows' values (or, for sinks, their output bytes)
 * and a sparse list of the rows that failed. The main thread makes no object per row here: an outcome
 * object is made only when a consumer asks for one (`outcome(k)`, or `for await` over the run), and a
 * RowError only when the failures are read.
 */
import { fromSent, PoolErrors, type RowError } from './errors.js';
import { FAIL_BAD_OUTPUT, FAIL_MALFORMED, FAIL_THREW, noFailures, sentError } from './failures.js';
import type { Failures } from './failures.js';
import type { DoneMessage } from './protocol.js';

/** One row's outcome, as `for await (const o of run)` gives it: its result, or its failure. */
export type Outcome<R> =
  | {
      /** The row succeeded. */
      readonly ok: true;
      /** The row's 0-based position in the source (for file sources: in data lines). */
      readonly index: number;
      /** For file sources, the 1-based line the record starts on. */
      readonly line: number | undefined;
      /** What the task returned for it. */
      readonly value: R;
      /** The version of the shared data it ran on (1 at start; see pool.update()). */
      readonly version: number;
    }
  | {
      /** The row failed. */
      readonly ok: false;
      /** The row's 0-based position in the source (for file sources: in data lines). */
      readonly index: number;
      /** For file sources, the 1-based line the record starts on. */
      readonly line: number | undefined;
      /** Why: the task threw (ROW_FAILED), the row crashed its worker (ROW_CRASHED), the record was malformed, … */
      readonly error: RowError;
      /** The version of the shared data its batch ran on (for a row that never ran: the version in force when it failed). */
      readonly version: number;
    };

/** Where a batch's rows come from, to name them: consecutive indexes, or file lines (index = line - dataLine). */
export type Positions =
  | { readonly kind: 'indexes'; readonly first: number }
  | { readonly kind: 'lines'; readonly lines: ArrayLike<number>; readonly dataLine: number }
  /**
   * A chunk of a file: lines counted from its start (per row in values mode; else only failed rows carry
   * theirs), made file lines by `fileLine` when a row has to be named.
   */
  | { readonly kind: 'chunk'; readonly lines: Int32Array | null; readonly fileLine: (rel: number) => number; readonly dataLine: number };

/** A finished batch, as `run.batches()` gives it. */
export interface BatchResult<R> {
  /** Rows in this batch (failed ones included). */
  readonly length: number;
  /** Values mode: row k's result, undefined where it failed (a Float64Array when every result was a number). */
  readonly values: ArrayLike<R | undefined> | null;
  /** Bytes mode (sinks): the batch's rows' strings or bytes, joined. */
  readonly bytes: Uint8Array | null;
  /** Rows that failed in this batch. */
  readonly failedCount: number;
  /**
   * The version of the shared data every row of this batch ran on: 1 at start, a higher number after
   * each successful `pool.update()`. A batch never mixes versions.
   */
  readonly version: number;
  /** The failed rows, in order (made on first read). */
  readonly failures: readonly RowError[];
  /** Failure number i (0 ≤ i < failedCount), made alone: reading a few failures of a large batch stays cheap. */
  failure(i: number): RowError;
  /** Row k's index in the run. */
  indexOf(k: number): number;
  /** Row k's 1-based file line, for file sources. */
  lineOf(k: number): number | undefined;
  /** The outcomes of this batch, made now, in order: one object per row. */
  outcomes(): Outcome<R>[];
}

export class FinishedBatch<R> implements BatchResult<R> {
  readonly length: number;
  readonly values: ArrayLike<R | undefined> | null;
  readonly bytes: Uint8Array | null;
  readonly failedCount: number;
  readonly version: number;
  /** RowErrors made so far (all of them once `failures` was read); a RowError costs a stack capture. */
  private errors: RowError[] | null;

  constructor(
    length: number,
    values: ArrayLike<R | undefined> | null,
    bytes: Uint8Array | null,
    private readonly raw: Failures,
    private readonly positions: Positions,
    version: number,
    errors: RowError[] | null = null,
  ) {
    this.version = version;
    this.length = length;
    this.values = values;
    this.bytes = bytes;
    this.errors = errors;
    this.failedCount = errors?.length ?? raw.k.length;
  }

  /** A finished batch from a worker's message. */
  static fromDone<R>(m: DoneMessage, positions: Positions): FinishedBatch<R> {
    return new FinishedBatch<R>(m.n, m.values as ArrayLike<R | undefined> | null, m.bytes, m.failures, positions, m.version);
  }

  /** One row that failed without a batch result (it kept killing workers, or could not be sent). */
  static failedRow<R>(error: RowError, version: number): FinishedBatch<R> {
    return new FinishedBatch<R>(1, [undefined], new Uint8Array(0), noFailures(), { kind: 'indexes', first: error.index }, version, [error]);
  }

  get failures(): readonly RowError[] {
    for (let i = 0; i < this.failedCount; i++) this.failure(i);
    return this.errors ?? [];
  }

  failure(i: number): RowError {
    if (!(i >= 0 && i < this.failedCount)) throw new RangeError(`failure(${i}): this batch has ${this.failedCount} failures`);
    this.errors ??= new Array<RowError>(this.failedCount);
    return (this.errors[i] ??= this.toError(i));
  }

  /** Bytes this result holds for the consumer (for the bound on memory in flight): a slab counts whole. */
  get byteLength(): number {
    if (this.bytes !== null) return this.bytes.buffer.byteLength;
    if (this.values instanceof Float64Array) return this.values.byteLength;
    return this.length * 16;
  }

  indexOf(k: number): number {
    const p = this.positions;
    if (p.kind === 'indexes') return p.first + k;
    const line = this.lineOf(k);
    return line === undefined ? -1 : line - p.dataLine;
  }

  lineOf(k: number): number | undefined {
    const p = this.positions;
    if (p.kind === 'lines') return p.lines[k];
    if (p.kind === 'indexes') return undefined;
    if (p.lines !== null) return p.fileLine(p.lines[k]!);
    // Bytes mode keeps the lines of failed rows only.
    const i = this.raw.k.indexOf(k);
    return i < 0 ? undefined : p.fileLine(this.raw.line[i]!);
  }

  outcomes(): Outcome<R>[] {
    const out: Outcome<R>[] = [];
    const failures = this.failures;
    let f = 0;
    for (let k = 0; k < this.length; k++) {
      const failure = failures[f];
      if (failure !== undefined && this.failedAt(f) === k) {
        out.push({ ok: false, index: failure.index, line: failure.line, error: failure, version: this.version });
        f++;
      } else out.push({ ok: true, index: this.indexOf(k), line: this.lineOf(k), value: this.values?.[k] as R, version: this.version });
    }
    return out;
  }

  /** Position in the batch of failure number f. */
  failedAt(f: number): number {
    return this.raw.k.length > 0 ? this.raw.k[f]! : f;
  }

  private toError(i: number): RowError {
    const p = this.positions;
    const f = this.raw;
    const k = f.k[i]!;
    const line = p.kind === 'chunk' ? p.fileLine(f.line[i]!) : p.kind === 'lines' ? p.lines[k] : undefined;
    const index = line !== undefined && p.kind !== 'indexes' ? line - p.dataLine : this.indexOf(k);
    switch (f.kind[i]) {
      case FAIL_THREW:
        return PoolErrors.rowFailed(index, line, fromSent(sentError(f, i)));
      case FAIL_MALFORMED:
        return PoolErrors.rowMalformed(index, line, f.message[i]!);
      case FAIL_BAD_OUTPUT:
        return PoolErrors.badOutput(index, line, f.message[i]!);
      default:
        return PoolErrors.rowUnsendable(index, line, fromSent(sentError(f, i)));
    }
  }
}
