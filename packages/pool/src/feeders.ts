/**
 * Sources turned into batches: every kind of source the pool takes becomes a `Feeder` whose `next(want)`
 * gives up to `want.rows` rows (or, for files parsed in workers, one chunk of about `want.bytes` bytes of
 * whole lines), synchronously when the source is synchronous, so an array costs no promise per batch.
 *
 * A source that throws keeps what it yielded before: those rows form a batch of their own, and the error
 * ends the run after their outcomes (it once lost them).
 */
import type { ChunkSpec } from './batch.js';
import type { SharedBuffers } from './buffers.js';
import type { Chunk } from './chunks.js';
import { PoolErrors } from './errors.js';
import { isFileSource, openFile } from './files.js';
import type { FileSource } from './files.js';
import { mainEntries } from './main-parse.js';
import type { ParsedLine } from './main-parse.js';
import { approxBytes } from './pack.js';

/** A source of rows: an array, iterable, async iterable (a Node readable stream is one), or a file source. */
export type Source<Row> = Iterable<Row> | AsyncIterable<Row> | FileSource<Row>;

export type Content = { kind: 'rows'; rows: unknown[]; lines: number[] | null; malformed: ParsedLine[] } | { kind: 'chunk'; chunk: Chunk };

export interface Want {
  rows: number;
  bytes: number;
}

export interface Feeder {
  next(want: Want): Content | null | Promise<Content | null>;
  close(): void | Promise<void>;
  readonly bytesRead: number;
}

export interface OpenedSource {
  feeder: Feeder;
  /** A file's size, when known. */
  bytesTotal: number | undefined;
  /** For file sources: the first data line, so that index = line - dataLine. */
  dataLine: number;
  /** Set for file sources parsed in workers. */
  spec: ChunkSpec | null;
  /** Rows in the source when known up front (arrays), to spread a small input over every worker. */
  length: number | undefined;
}

export async function openSource(source: unknown, buffers: SharedBuffers): Promise<OpenedSource> {
  if (isFileSource(source)) {
    const file = await openFile(source, buffers);
    const { chunker } = file;
    if (source.options.parseIn === 'main') {
      const feeder = entryFeeder(mainEntries(source, file, buffers), () => chunker.bytesRead);
      return { feeder, bytesTotal: file.bytesTotal, dataLine: file.dataLine, spec: null, length: undefined };
    }
    const feeder: Feeder = {
      next: async (want) => {
        const chunk = await chunker.next(want.bytes);
        return chunk === null ? null : { kind: 'chunk', chunk };
      },
      close: () => chunker.close(),
      get bytesRead() {
        return chunker.bytesRead;
      },
    };
    return { feeder, bytesTotal: file.bytesTotal, dataLine: file.dataLine, spec: file.spec, length: undefined };
  }
  const plain = (feeder: Feeder, length?: number): OpenedSource => ({ feeder, bytesTotal: undefined, dataLine: 1, spec: null, length });
  if (typeof source === 'object' && source !== null) {
    if (Array.isArray(source)) return plain(arrayFeeder(source), source.length);
    if (Symbol.iterator in source) return plain(syncFeeder((source as Iterable<unknown>)[Symbol.iterator]()));
    if (Symbol.asyncIterator in source) return plain(asyncFeeder((source as AsyncIterable<unknown>)[Symbol.asyncIterator]()));
  }
  throw PoolErrors.badSource(source === null ? 'null' : typeof source);
}

/**
 * Closes a source, whatever its close does: a generator whose `finally` throws, or an async one whose
 * `return()` rejects, must neither leave its run unsettled nor become an unhandled rejection. The run is
 * ending anyway; its outcome stands.
 */
export function closeQuietly(feeder: Feeder | null): void {
  try {
    const closing = feeder?.close();
    if (closing instanceof Promise) closing.catch(() => {});
  } catch {
    // See above.
  }
}

const rowsOf = (rows: unknown[]): Content => ({ kind: 'rows', rows, lines: null, malformed: [] });

/** Rows a batch may take, given its first row: about `want.bytes` of them, however heavy a row is. */
function rowLimit(want: Want, first: unknown): number {
  return Math.max(1, Math.min(want.rows, Math.floor(want.bytes / Math.max(1, approxBytes([first])))));
}

/** Arrays are sliced, not iterated: a copy of references instead of an iterator step per row. */
function arrayFeeder(rows: readonly unknown[]): Feeder {
  let at = 0;
  return {
    next(want) {
      if (at >= rows.length) return null;
      const batch = rows.slice(at, at + rowLimit(want, rows[at]));
      at += batch.length;
      return rowsOf(batch);
    },
    close() {
      at = rows.length;
    },
    bytesRead: 0,
  };
}

/** Rows read before a source threw are kept; the error is raised on the next read. */
class Deferred {
  private error: { e: unknown } | null = null;
  done = false;

  hold(e: unknown): void {
    this.error = { e };
    this.done = true;
  }

  raise(): void {
    if (this.error !== null) {
      const { e } = this.error;
      this.error = null;
      throw e;
    }
  }
}

function syncFeeder(it: Iterator<unknown>): Feeder {
  const state = new Deferred();
  return {
    next(want) {
      state.raise();
      if (state.done) return null;
      const rows: unknown[] = [];
      let limit = want.rows;
      try {
        while (rows.length < limit) {
          const r = it.next();
          if (r.done === true) {
            state.done = true;
            break;
          }
          if (rows.push(r.value) === 1) limit = rowLimit(want, r.value);
        }
      } catch (e) {
        if (rows.length === 0) throw e;
        state.hold(e);
      }
      return rows.length === 0 ? null : rowsOf(rows);
    },
    close() {
      if (!state.done) {
        state.done = true;
        it.return?.();
      }
    },
    bytesRead: 0,
  };
}

/**
 * A batch is read from the next turn of the event loop, not from inside the callback that asked for it:
 * an async generator that never waits resolves every row in microtasks, and reading 40k rows that way
 * inside a worker's message handler, message after message, starved every timer for 25 s (an abort
 * signal's timeout among them).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function asyncFeeder(it: AsyncIterator<unknown>): Feeder {
  const state = new Deferred();
  return {
    async next(want) {
      await nextTurn();
      state.raise();
      if (state.done) return null;
      const rows: unknown[] = [];
      let limit = want.rows;
      try {
        while (rows.length < limit) {
          const r = await it.next();
          if (r.done === true) {
            state.done = true;
            break;
          }
          if (rows.push(r.value) === 1) limit = rowLimit(want, r.value);
        }
      } catch (e) {
        if (rows.length === 0) throw e;
        state.hold(e);
      }
      return rows.length === 0 ? null : rowsOf(rows);
    },
    async close() {
      if (!state.done) {
        state.done = true;
        await it.return?.();
      }
    },
    bytesRead: 0,
  };
}

function entryFeeder(it: AsyncGenerator<ParsedLine, void, undefined>, bytesRead: () => number): Feeder {
  const state = new Deferred();
  return {
    async next(want) {
      await nextTurn();
      state.raise();
      if (state.done) return null;
      const rows: unknown[] = [];
      const lines: number[] = [];
      const malformed: ParsedLine[] = [];
      try {
        while (rows.length + malformed.length < want.rows) {
          const r = await it.next();
          if (r.done === true) {
            state.done = true;
            break;
          }
          if (r.value.malformed === null) {
            rows.push(r.value.row);
            lines.push(r.value.line);
          } else malformed.push(r.value);
        }
      } catch (e) {
        if (rows.length + malformed.length === 0) throw e;
        state.hold(e);
      }
      return rows.length + malformed.length === 0 ? null : { kind: 'rows', rows, lines, malformed };
    },
    async close() {
      if (!state.done) {
        state.done = true;
        await it.return();
      }
    },
    get bytesRead() {
      return bytesRead();
    },
  };
}
