/**
 * How big a run's batches and output slabs are, learned as batches finish: about `batchMs` of work per
 * batch from the measured cost per row (rows from memory) or per byte (file chunks), within fixed
 * bounds; a small input spreads over every worker, and a file's last chunks shrink with what is left
 * (guided scheduling), so no worker idles through another's long tail.
 *
 * What one run learns its pool keeps (`LearnedCosts`): the next run of the same task starts from it
 * rather than from a small first batch and a small output slab. A job fed to a pool as many short runs
 * (one per Redis batch in @sabre/redis) otherwise paid the learning again in every run.
 */
import type { Batch } from './batch.js';
import type { Want } from './feeders.js';
import type { DoneMessage } from './protocol.js';

/** Batches of rows: at most this many rows, and this few while the cost per row is not known yet. */
export const MAX_BATCH_ROWS = 1 << 16;
const FIRST_BATCH_ROWS = 64;
/** Rows from memory: about this many bytes a batch, however heavy a row. */
const MAX_BATCH_BYTES = 1 << 20;
/** Chunks of a file: sized by time between these bounds; the first one measures the cost per byte. */
const MIN_CHUNK = 16 << 10;
const MAX_CHUNK = 4 << 20;
const FIRST_CHUNK = 64 << 10;
/** Output slabs: a batch that writes more continues in a buffer of its worker's own. */
const MIN_SLAB = 16 << 10;
const MAX_SLAB = 16 << 20;

export interface SizingLimits {
  readonly workers: number;
  readonly batchMs: number;
  /** Rows per batch when fixed by the user. */
  readonly batchRows: number | undefined;
  /** Runs of the pool going at once (undefined: one). */
  readonly activeRuns?: number;
}

/** What is known of the source when sizing. */
export interface SourceShape {
  /** Rows in the source, when known (arrays). */
  length: number | undefined;
  /** File sources parsed in workers: chunk bytes fixed by the user (or null), the file's size, bytes read. */
  file: { chunkBytes: number | null; bytesTotal: number | undefined; bytesRead: number } | null;
}

/** Costs measured by a pool's runs, each a moving average (0 = not measured yet). */
export interface LearnedCosts {
  nsPerRow: number;
  nsPerByte: number;
  /** Output bytes per input byte (chunks) and per row (rows). */
  outPerByte: number;
  outPerRow: number;
}

/** Nothing measured yet: a pool's first run. */
export const unlearned = (): LearnedCosts => ({ nsPerRow: 0, nsPerByte: 0, outPerByte: 0, outPerRow: 0 });

export class BatchSizer {
  private nsPerRow: number;
  private nsPerByte: number;
  private outPerByte: number;
  private outPerRow: number;

  /** Starts from what the pool's earlier runs learned, and tells `learned` what this run learns. */
  constructor(
    private readonly limits: SizingLimits,
    private readonly learned: LearnedCosts = unlearned(),
  ) {
    ({ nsPerRow: this.nsPerRow, nsPerByte: this.nsPerByte, outPerByte: this.outPerByte, outPerRow: this.outPerRow } = learned);
  }

  /** The size of the next batch to read. */
  next(source: SourceShape): Want {
    const { workers, batchMs, batchRows } = this.limits;
    let rows = batchRows ?? (this.nsPerRow === 0 ? FIRST_BATCH_ROWS : clamp((batchMs * 1e6) / this.nsPerRow, 1, MAX_BATCH_ROWS));
    if (batchRows === undefined && source.length !== undefined) rows = Math.min(rows, Math.max(1, Math.ceil(source.length / (workers * 4))));
    const file = source.file;
    if (file === null) return { rows, bytes: batchRows === undefined ? MAX_BATCH_BYTES : Infinity };
    if (file.chunkBytes !== null) return { rows, bytes: file.chunkBytes };
    let bytes = this.nsPerByte === 0 ? FIRST_CHUNK : clamp((batchMs * 1e6) / this.nsPerByte, MIN_CHUNK, MAX_CHUNK);
    // A file's last chunks shrink so no worker idles through another's tail; with other runs going, their
    // batches fill that gap, and small chunks would only cost more batches (a Redis host runs 4 at once).
    if (file.bytesTotal !== undefined && (this.limits.activeRuns ?? 1) <= 1) {
      const left = Math.max(0, file.bytesTotal - file.bytesRead);
      bytes = Math.min(bytes, Math.max(1024, Math.ceil(left / (workers * 2))));
    }
    return { rows, bytes };
  }

  /** Learns from a finished batch: costs as moving averages, output ratios as the largest recent. */
  learn(batch: Batch, m: DoneMessage): void {
    if (m.n === 0) return;
    const ema = (old: number, x: number) => (old === 0 ? x : 0.7 * old + 0.3 * x);
    this.nsPerRow = ema(this.nsPerRow, m.nanos / m.n);
    const whole = batch.kind === 'chunk' && batch.from === 0 && batch.to < 0;
    if (whole) this.nsPerByte = ema(this.nsPerByte, m.nanos / batch.chunk.bytes.byteLength);
    if (m.bytes !== null) {
      // Decaying maxima: a slab too small costs a copy, one too large only address space.
      if (whole) this.outPerByte = Math.max(m.bytes.byteLength / batch.chunk.bytes.byteLength, 0.9 * this.outPerByte);
      this.outPerRow = Math.max(m.bytes.byteLength / m.n, 0.9 * this.outPerRow);
    }
    Object.assign(this.learned, { nsPerRow: this.nsPerRow, nsPerByte: this.nsPerByte, outPerByte: this.outPerByte, outPerRow: this.outPerRow });
  }

  /** Bytes for a batch's output slab: about 1.5× what it should write. */
  slabBytes(batch: Batch): number {
    const expect = batch.kind === 'chunk' ? this.outPerByte * batch.chunk.bytes.byteLength : this.outPerRow * batch.rows.length;
    return Math.min(MAX_SLAB, Math.max(MIN_SLAB, expect * 1.5));
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.round(x)));
