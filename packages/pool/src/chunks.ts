/**
 * The one definition of line framing, used by the main thread (which cuts files into chunks) and by
 * the workers (which find records in a chunk):
 *
 *   - a line ends at '\n'; a '\r' before it is not part of the line (a lone '\r' is an ordinary byte);
 *   - a record is a non-empty line; empty lines count as lines but are not records;
 *   - a UTF-8 byte order mark at the very start of a file is not part of the first line;
 *   - a line that is not valid UTF-8 is a malformed record.
 *
 * A chunk is whole lines in shared memory plus the file line its first byte is on, so record k of a chunk
 * is known without global state and a batch re-run after a crash finds the same records again.
 */
import { isAscii, isUtf8 } from 'node:buffer';

/**
 * Whole lines of a file in shared memory. Its line numbers are not counted by the main thread: the worker
 * that first runs it counts its lines and publishes the count in `lineCount[0]` (-1 until then), and the
 * run's LineLedger turns chunk-relative lines (1 = the chunk's first line) into file lines when a row
 * has to be named.
 */
export interface Chunk {
  readonly bytes: Uint8Array;
  /** One word in the chunk's own shared buffer (before its bytes): its line count, or -1. */
  readonly lineCount: Int32Array;
  /** Its position in the file's sequence of chunks. */
  readonly seq: number;
}

/** Bytes before a chunk's data in its buffer: the line-count word, padded. */
export const CHUNK_HEADER = 8;

const NL = 10;
const CR = 13;

/**
 * Counts '\n' bytes, four at a time: 0.3 ms per MB here, against 0.9 ms for an `indexOf` loop, and this
 * runs in the main thread for every byte of a file (benchmarks/pool-job.bench.ts).
 */
export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  let i = 0;
  const misaligned = (4 - (bytes.byteOffset & 3)) & 3;
  for (; i < misaligned && i < bytes.length; i++) if (bytes[i] === NL) n++;
  const words = (bytes.length - i) >>> 2;
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let j = 0; j < words; j++) {
      const x = w[j]! ^ 0x0a0a0a0a; // a '\n' byte becomes 0
      if (((x - 0x01010101) & ~x & 0x80808080) !== 0) {
        if ((x & 0xff) === 0) n++;
        if ((x & 0xff00) === 0) n++;
        if ((x & 0xff0000) === 0) n++;
        if (x >>> 24 === 0) n++;
      }
    }
    i += words << 2;
  }
  for (; i < bytes.length; i++) if (bytes[i] === NL) n++;
  return n;
}

/** The decoded text of some whole lines, and which of them (0-based, counting empty ones) are not UTF-8. */
export interface DecodedChunk {
  text: string;
  badLines: Set<number> | null;
}

const utf8 = new TextDecoder('utf-8');

/** Decodes whole lines in one native call: ASCII as Latin-1 (10× faster than UTF-8 decoding here), else UTF-8. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(bytes)) return { text: buf.toString('latin1'), badLines: null };
  if (isUtf8(bytes)) return { text: buf.toString('utf8'), badLines: null };
  // Rare: find the lines that are not UTF-8; the text of such a line is never used.
  const badLines = new Set<number>();
  for (let start = 0, line = 0; start <= bytes.length; line++) {
    let end = bytes.indexOf(NL, start);
    if (end < 0) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) badLines.add(line);
    start = end + 1;
  }
  return { text: utf8.decode(bytes), badLines };
}

/**
 * Decoding a chunk this many bytes at a time (cut at a line break) keeps every string below V8's
 * large-object size, where each one would get fresh pages: measured here, a 400 KB chunk decoded whole
 * then split costs 2.7 ms, in 100 KB windows 1.4 ms (first page touches cost ~3 ms per MB on this VM).
 */
const WINDOW = 64 << 10;

/**
 * Walks the records of a chunk: `next()` moves to the next record (non-empty line) and sets `text`,
 * `start` and `end` (the record is `text.slice(start, end)`, without '\r'), `line` (its 1-based file line)
 * and `bad` (the line is not valid UTF-8).
 */
export class ChunkLines {
  text = '';
  start = 0;
  end = 0;
  line: number;
  bad = false;
  private pos = 0;
  private next0 = 0;
  private windowLine: number;
  private lineIndex = -1;
  private badLines: Set<number> | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    firstLine: number,
  ) {
    this.line = firstLine - 1;
    this.windowLine = firstLine;
  }

  next(): boolean {
    for (;;) {
      const text = this.text;
      while (this.pos < text.length) {
        let nl = text.indexOf('\n', this.pos);
        if (nl < 0) nl = text.length;
        const start = this.pos;
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === CR) end--;
        this.pos = nl + 1;
        this.lineIndex++;
        if (end > start) {
          this.start = start;
          this.end = end;
          this.line = this.windowLine + this.lineIndex;
          this.bad = this.badLines?.has(this.lineIndex) === true;
          return true;
        }
      }
      if (!this.nextWindow()) return false;
    }
  }

  /** Decodes the next window of whole lines. */
  private nextWindow(): boolean {
    const b = this.bytes;
    const from = this.next0;
    if (from >= b.length) return false;
    let cut = b.length;
    if (from + WINDOW < b.length) {
      cut = b.lastIndexOf(NL, from + WINDOW - 1) + 1;
      if (cut <= from) {
        const nl = b.indexOf(NL, from + WINDOW);
        cut = nl < 0 ? b.length : nl + 1;
      }
    }
    // Lines of the window before: its text ended at a line break, so each '\n' it held was one line.
    if (this.text.length > 0) this.windowLine += this.lineIndex + (this.text.charCodeAt(this.text.length - 1) === NL ? 1 : 0);
    const decoded = decodeChunk(b.subarray(from, cut));
    this.text = decoded.text;
    this.badLines = decoded.badLines;
    this.pos = 0;
    this.lineIndex = -1;
    this.next0 = cut;
    return true;
  }
}

/** Lines in whole-line bytes: each '\n', and a last line without one. */
export function countLines(bytes: Uint8Array): number {
  return countNewlines(bytes) + (bytes.length > 0 && bytes[bytes.length - 1] !== NL ? 1 : 0);
}

/** The chunk's line count: published by a worker, or counted now (the rare chunk no worker has begun). */
export function linesOf(chunk: Chunk): number {
  let n = Atomics.load(chunk.lineCount, 0);
  if (n < 0) Atomics.store(chunk.lineCount, 0, (n = countLines(chunk.bytes)));
  return n;
}

/**
 * File line numbers for a run's chunks: the base (first line) of chunk i is the first data line plus the
 * line counts of chunks 0..i-1, resolved on demand. A chunk's count is kept when its buffer is reused.
 */
export class LineLedger {
  /** bases[i]: first line of chunk i, for i ≤ resolved. */
  private readonly bases: number[];
  /** Chunks not yet resolved, by seq (null once resolved or settled). */
  private readonly chunks: (Chunk | null)[] = [];
  private readonly counts: number[] = [];
  private resolved = 0;

  constructor(firstLine: number) {
    this.bases = [firstLine];
  }

  add(chunk: Chunk): void {
    this.chunks[chunk.seq] = chunk;
  }

  /** Keeps a chunk's count before its buffer is reused. */
  settle(chunk: Chunk): void {
    if (this.chunks[chunk.seq] === chunk) {
      this.counts[chunk.seq] = linesOf(chunk);
      this.chunks[chunk.seq] = null;
    }
  }

  /** The file line of line `rel` (1-based) of chunk `seq`. */
  line(seq: number, rel: number): number {
    while (this.resolved < seq) {
      const i = this.resolved;
      const c = this.chunks[i];
      const n = c !== null && c !== undefined ? linesOf(c) : this.counts[i]!;
      this.bases[i + 1] = this.bases[i]! + n;
      this.chunks[i] = null;
      this.resolved++;
    }
    return this.bases[seq]! + rel - 1;
  }
}

/** The chunk-relative line (1 = its first line) that record k of a chunk starts on. */
export function lineOfRecord(chunk: Chunk, k: number): number {
  const b = chunk.bytes;
  let line = 1;
  let start = 0;
  let seen = 0;
  while (start < b.length) {
    let end = b.indexOf(NL, start);
    if (end < 0) end = b.length;
    const empty = end === start || (end === start + 1 && b[start] === CR);
    if (!empty) {
      if (seen === k) return line;
      seen++;
    }
    start = end + 1;
    line++;
  }
  return line;
}

/** Records (non-empty lines) in a chunk. */
export function countRecords(chunk: Chunk): number {
  const b = chunk.bytes;
  let n = 0;
  for (let start = 0; start < b.length; ) {
    let end = b.indexOf(NL, start);
    if (end < 0) end = b.length;
    if (!(end === start || (end === start + 1 && b[start] === CR))) n++;
    start = end + 1;
  }
  return n;
}
