/**
 * Reading a file or stream into chunks of whole lines, in shared memory, for the workers to parse.
 *
 * Bytes are read straight into a SharedArrayBuffer (no intermediate copy); the partial line at the end of
 * a read is carried into the next chunk. A line longer than the chunk doubles the buffer, so a line of
 * any length is copied O(log n) times, never once per piece of the stream. The main thread does no
 * per-byte work in JavaScript at all: the workers count lines (chunks.ts).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { CHUNK_HEADER } from './chunks.js';
import type { Chunk } from './chunks.js';
import type { SharedBuffers } from './buffers.js';
import { PoolErrors } from './errors.js';

/** A file to read rows from: a path (relative to the working directory), a file URL, or a readable stream. */
export type FileInput = string | URL | Readable;

/** Where the bytes come from: a file read at its own pace, or a stream's pieces copied as they arrive. */
interface ByteSource {
  /** Fills `into` from its start; 0 at the end of the input. */
  read(into: Uint8Array): Promise<number>;
  close(): Promise<void>;
  /** False when the bytes begin inside a file (a byte range): a BOM can only open a file. */
  readonly atFileStart: boolean;
}

/** Bytes [start, end) of a file: a range is read in place, never through a stream (no copy per piece). */
export interface ByteRange {
  start: number;
  end: number;
}

async function fileSource(path: string, range: ByteRange | null): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw PoolErrors.badInput(path, e);
  }
  if (range === null) {
    return {
      read: async (into) => (await fh.read(into, 0, into.length, null)).bytesRead,
      close: () => fh.close(),
      atFileStart: true,
    };
  }
  let at = range.start;
  return {
    async read(into) {
      const want = Math.min(into.length, range.end - at);
      if (want <= 0) return 0;
      const { bytesRead } = await fh.read(into, 0, want, at);
      at += bytesRead;
      return bytesRead;
    },
    close: () => fh.close(),
    atFileStart: range.start === 0,
  };
}

function streamSource(stream: Readable): ByteSource {
  const it = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  let piece: Uint8Array | null = null;
  const encoder = new TextEncoder();
  return {
    async read(into) {
      if (piece === null || piece.length === 0) {
        const r = await it.next();
        if (r.done === true) return 0;
        piece = typeof r.value === 'string' ? encoder.encode(r.value) : r.value;
      }
      const n = Math.min(piece.length, into.length);
      into.set(piece.subarray(0, n));
      piece = piece.subarray(n);
      return n;
    },
    close: async () => {
      await it.return?.();
    },
    atFileStart: true,
  };
}

export async function openBytes(input: FileInput, range: ByteRange | null = null): Promise<ByteSource> {
  if (typeof input === 'string' || input instanceof URL) return fileSource(input instanceof URL ? fileURLToPath(input) : input, range);
  return streamSource(input);
}

const NL = 10;

export class Chunker {
  private carry: Uint8Array = new Uint8Array(0);
  private eof = false;
  private atStart: boolean;
  private closed = false;
  private seq = 0;
  /** The file line the first chunk starts on (2 after a header line). */
  firstChunkLine = 1;
  bytesRead = 0;

  constructor(
    private readonly src: ByteSource,
    /** Where chunk buffers come from; the reader gives each back once its batch is done. */
    private readonly buffers: SharedBuffers,
  ) {
    this.atStart = src.atFileStart;
  }

  /** Reads into `buf` from `filled` until it is full or the input ends. */
  private async fill(buf: Uint8Array, filled: number): Promise<number> {
    while (filled < buf.length && !this.eof) {
      const n = await this.src.read(buf.subarray(filled));
      if (n === 0) this.eof = true;
      filled += n;
      this.bytesRead += n;
    }
    if (this.atStart && filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      // A UTF-8 byte order mark is not part of the first line.
      buf.copyWithin(0, 3, filled);
      filled -= 3;
    }
    if (filled >= 3 || this.eof) this.atStart = false;
    return filled;
  }

  /** The next chunk of about `want` bytes of whole lines (more when one line is longer), or null at the end. */
  async next(want: number): Promise<Chunk | null> {
    let limit = Math.max(want, this.carry.length + 4096);
    let buf = this.take(limit);
    buf.set(this.carry);
    let filled = await this.fill(buf, this.carry.length);
    let cut: number;
    for (;;) {
      const nl = filled === 0 ? -1 : buf.lastIndexOf(NL, filled - 1);
      if (nl >= 0) {
        cut = nl + 1;
        break;
      }
      if (this.eof) {
        cut = filled;
        break;
      }
      // One line longer than the buffer: double it, keeping what was read.
      limit *= 2;
      const bigger = this.take(limit);
      bigger.set(buf.subarray(0, filled));
      this.buffers.give(buf.buffer);
      buf = bigger;
      filled = await this.fill(buf, filled);
    }
    if (cut === 0) {
      this.buffers.give(buf.buffer);
      return null;
    }
    this.carry = buf.slice(cut, filled);
    const lineCount = new Int32Array(buf.buffer, 0, 1);
    lineCount[0] = -1;
    return { bytes: buf.subarray(0, cut), lineCount, seq: this.seq++ };
  }

  /** A buffer for `limit` bytes of data after the chunk header. */
  private take(limit: number): Uint8Array {
    return new Uint8Array(this.buffers.take(CHUNK_HEADER + limit), CHUNK_HEADER, limit);
  }

  /** The first line (without its line break), consumed; null for an empty input. */
  async firstLine(): Promise<Uint8Array | null> {
    let buf = new Uint8Array(4096);
    let filled = await this.fill(buf, 0);
    let nl: number;
    while ((nl = buf.subarray(0, filled).indexOf(NL)) < 0 && !this.eof) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf.subarray(0, filled));
      buf = bigger;
      filled = await this.fill(buf, filled);
    }
    if (filled === 0) return null;
    const end = nl < 0 ? filled : nl;
    this.carry = buf.slice(nl < 0 ? filled : nl + 1, filled);
    this.firstChunkLine = 2;
    return buf.subarray(0, end > 0 && buf[end - 1] === 13 ? end - 1 : end);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.eof = true;
    await this.src.close();
  }
}
