/**
 * Sources turned into batches: every kind of source the pool takes becomes a `Feeder` whose `next(n)`
 * gives up to n rows (or, for files parsed in workers, one chunk of lines), synchronously when the
 * source is synchronous, so an array costs no promise per batch.
 */
import { PoolErrors } from './errors.js';
import { Chunker, isFileSource, mainEntries, sizeOf } from './files.js';
import type { Chunk, Entry, FileSource } from './files.js';

export type Content = { rows: unknown[]; lines: number[] | null; malformed: Entry[] } | { chunk: Chunk };

export interface Feeder {
  next(n: number): Content | null | Promise<Content | null>;
  close(): void | Promise<void>;
  readonly bytesRead: number;
}

/** How workers parse a file's chunks. */
export interface Chunked {
  columns: string[] | null;
  format: FileSource<unknown>['format'];
  delimiter: string;
}

export interface OpenedSource {
  feeder: Feeder;
  /** A file's size, when known. */
  bytesTotal: number | undefined;
  /** For file sources: the first data line, so that index = line - dataLine. */
  dataLine: number;
  /** Set for file sources parsed in workers. */
  chunked: Chunked | null;
}

export async function openSource(source: unknown): Promise<OpenedSource> {
  if (isFileSource(source)) {
    const bytesTotal = await sizeOf(source.input);
    if (source.options.parseIn === 'main') {
      const dataLine = source.format === 'csv' && source.options.header ? 2 : 1;
      return { feeder: entryFeeder(mainEntries(source)), bytesTotal, dataLine, chunked: null };
    }
    const chunker = new Chunker(source);
    await chunker.start();
    const feeder: Feeder = {
      next: async () => {
        const chunk = await chunker.next();
        return chunk === null ? null : { chunk };
      },
      close: () => chunker.close(),
      get bytesRead() {
        return chunker.bytesRead;
      },
    };
    return { feeder, bytesTotal, dataLine: chunker.dataLine, chunked: { columns: chunker.columns, format: source.format, delimiter: source.options.delimiter } };
  }
  const plain = (feeder: Feeder): OpenedSource => ({ feeder, bytesTotal: undefined, dataLine: 1, chunked: null });
  if (typeof source === 'object' && source !== null) {
    if (Array.isArray(source)) return plain(arrayFeeder(source));
    if (Symbol.iterator in source) return plain(syncFeeder((source as Iterable<unknown>)[Symbol.iterator]()));
    if (Symbol.asyncIterator in source) return plain(asyncFeeder((source as AsyncIterable<unknown>)[Symbol.asyncIterator]()));
  }
  throw PoolErrors.badSource(source === null ? 'null' : typeof source);
}

/** Arrays are sliced, not iterated: a copy of references instead of an iterator step per row. */
function arrayFeeder(rows: readonly unknown[]): Feeder {
  let at = 0;
  return {
    next(n) {
      if (at >= rows.length) return null;
      const batch = rows.slice(at, at + n);
      at += batch.length;
      return { rows: batch, lines: null, malformed: [] };
    },
    close() {
      at = rows.length;
    },
    bytesRead: 0,
  };
}

function syncFeeder(it: Iterator<unknown>): Feeder {
  let done = false;
  return {
    next(n) {
      if (done) return null;
      const rows: unknown[] = [];
      while (rows.length < n) {
        const r = it.next();
        if (r.done === true) {
          done = true;
          break;
        }
        rows.push(r.value);
      }
      return rows.length === 0 ? null : { rows, lines: null, malformed: [] };
    },
    close() {
      if (!done) {
        done = true;
        it.return?.();
      }
    },
    bytesRead: 0,
  };
}

function asyncFeeder(it: AsyncIterator<unknown>): Feeder {
  let done = false;
  return {
    async next(n) {
      if (done) return null;
      const rows: unknown[] = [];
      while (rows.length < n) {
        const r = await it.next();
        if (r.done === true) {
          done = true;
          break;
        }
        rows.push(r.value);
      }
      return rows.length === 0 ? null : { rows, lines: null, malformed: [] };
    },
    async close() {
      if (!done) {
        done = true;
        await it.return?.();
      }
    },
    bytesRead: 0,
  };
}

function entryFeeder(it: AsyncGenerator<Entry, void, undefined>): Feeder {
  let done = false;
  return {
    async next(n) {
      if (done) return null;
      const rows: unknown[] = [];
      const lines: number[] = [];
      const malformed: Entry[] = [];
      while (rows.length + malformed.length < n) {
        const r = await it.next();
        if (r.done === true) {
          done = true;
          break;
        }
        if (r.value.malformed === null) {
          rows.push(r.value.row);
          lines.push(r.value.line);
        } else malformed.push(r.value);
      }
      return rows.length + malformed.length === 0 ? null : { rows, lines, malformed };
    },
    async close() {
      if (!done) {
        done = true;
        await it.return();
      }
    },
    bytesRead: 0,
  };
}
