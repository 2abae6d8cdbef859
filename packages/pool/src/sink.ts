/**
 * `run.pipeTo(destination)`: the fast path for a job's output. Each finished batch arrives as one buffer
 * that its worker joined and transferred; the main thread only writes whole buffers, in the run's order.
 * A path is written to a temporary file beside it and renamed into place once the run completes; a run
 * that fails leaves nothing there (and removes the temporary file).
 */
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PoolError, PoolErrors } from './errors.js';
import type { RowError } from './errors.js';
import type { RunHandle, Writeable } from './consume.js';

/** Options of `run.pipeTo`. */
export interface PipeOptions {
  /** Written before the first row's output: a CSV header line, say. */
  header?: string | Uint8Array;
  /** How many failures the summary keeps (the first ones, in the run's order); all are counted. Default 1,000. */
  keepFailures?: number;
  /** End a Writable destination when the run is done (default true; stdout and stderr are never ended). */
  end?: boolean;
}

/** What `run.pipeTo` resolves with once the output is complete. */
export interface RunSummary {
  /** Rows with an outcome. */
  rows: number;
  /** Rows that succeeded. */
  ok: number;
  /** Rows that failed (all counted, however many `failures` keeps). */
  failed: number;
  /** The first `keepFailures` failures. */
  failures: RowError[];
  /** Bytes written, the header included. */
  bytesWritten: number;
  /** Milliseconds the run took. */
  elapsedMs: number;
}

interface Out {
  /** Writes `bytes`; resolves true when nothing holds them any more, so they may be reused. */
  write(bytes: Uint8Array): Promise<boolean>;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export async function pipeRun(handle: RunHandle<Writeable>, destination: string | URL | Writable, options: PipeOptions): Promise<RunSummary> {
  const keep = options.keepFailures ?? 1000;
  if (!Number.isInteger(keep) || keep < 0) throw PoolErrors.badOption('keepFailures', 'a whole number ≥ 0', keep);
  handle.core.start('bytes');
  const t0 = performance.now();
  const summary: RunSummary = { rows: 0, ok: 0, failed: 0, failures: [], bytesWritten: 0, elapsedMs: 0 };
  let out: Out;
  try {
    out = typeof destination === 'string' || destination instanceof URL ? await fileOut(destination instanceof URL ? fileURLToPath(destination) : destination) : streamOut(destination, options.end ?? true);
  } catch (e) {
    handle.core.cancel();
    throw e;
  }
  try {
    if (options.header !== undefined) {
      const h = typeof options.header === 'string' ? new TextEncoder().encode(options.header) : options.header;
      await out.write(h);
      summary.bytesWritten += h.byteLength;
    }
    for (let b = await handle.nextBatch(); b !== null; b = await handle.nextBatch()) {
      summary.rows += b.length;
      summary.failed += b.failedCount;
      // Only the failures kept are made: an all-failing run makes 1,000 RowErrors, not one per row.
      for (let i = 0; i < b.failedCount && summary.failures.length < keep; i++) summary.failures.push(b.failure(i));
      const bytes = b.bytes;
      if (bytes !== null && bytes.byteLength > 0) {
        if (await out.write(bytes)) handle.core.releaseOutput(bytes);
        summary.bytesWritten += bytes.byteLength;
      }
    }
    await out.commit();
  } catch (e) {
    handle.core.cancel();
    await out.discard().catch(() => {});
    throw e;
  }
  summary.ok = summary.rows - summary.failed;
  summary.elapsedMs = performance.now() - t0;
  return summary;
}

const sinkError = (where: string, e: unknown): PoolError => (e instanceof PoolError ? e : PoolErrors.sinkFailed(where, e));

async function fileOut(path: string): Promise<Out> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.partial`);
  let fh: FileHandle;
  try {
    fh = await open(temp, 'w');
  } catch (e) {
    throw sinkError(path, e);
  }
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  return {
    async write(bytes) {
      try {
        for (let at = 0; at < bytes.byteLength; ) at += (await fh.write(bytes, at, bytes.byteLength - at)).bytesWritten;
      } catch (e) {
        throw sinkError(path, e);
      }
      return true;
    },
    async commit() {
      try {
        await close();
        await rename(temp, path);
      } catch (e) {
        throw sinkError(path, e);
      }
    },
    async discard() {
      await close();
      await rm(temp, { force: true });
    },
  };
}

const closedEarly = () => new Error('it was closed or destroyed before the run finished');

/**
 * A Writable: respects its backpressure, and fails the run (rather than waiting forever) when it errors,
 * or is destroyed or ended by someone else meanwhile (a client that disconnects, say).
 */
function streamOut(w: Writable, end: boolean): Out {
  let failure: unknown = null;
  const onError = (e: unknown) => (failure ??= e);
  w.on('error', onError);
  const check = () => {
    if (failure !== null) throw sinkError('the destination stream', failure);
    if (w.destroyed || w.writableEnded) throw sinkError('the destination stream', closedEarly());
  };
  /** Resolves on 'drain' (or 'finish'), rejects on 'error' or 'close' first. */
  const settle = (ok: string) =>
    new Promise<void>((resolve, reject) => {
      const done = (e?: unknown) => {
        w.off(ok, onOk);
        w.off('close', onClose);
        w.off('error', onError_);
        if (e === undefined) resolve();
        else reject(sinkError('the destination stream', e));
      };
      const onOk = () => done();
      const onClose = () => done(failure ?? closedEarly());
      const onError_ = (e: unknown) => done(e);
      w.once(ok, onOk);
      w.once('close', onClose);
      w.once('error', onError_);
    });
  const keepOpen = !end || w === (process.stdout as unknown) || w === (process.stderr as unknown);
  return {
    async write(bytes) {
      check();
      if (!w.write(bytes)) await settle('drain');
      check();
      // Never reused: whatever reads the stream may keep the buffer (a PassThrough's reader, say).
      return false;
    },
    async commit() {
      check();
      if (!keepOpen) {
        const finished = settle('finish');
        w.end();
        await finished;
      }
      w.off('error', onError);
    },
    async discard() {
      w.off('error', onError);
    },
  };
}
