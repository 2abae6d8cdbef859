/**
 * Input line numbers, counted only when a row must be named. Submitting a job finds its cut points and
 * nothing more: counting every line up front read the whole input in the submitter's main thread, ~2% of
 * a job's time (benchmarks/redis-overhead.bench.ts), for numbers only failed rows need. Hosts name a
 * failed row by its line in its batch; the finisher (and a host burying a batch) turn batch lines into
 * input lines here, in one pass up to the last batch that needs it.
 */
import type { ByteRangeReader } from './reader.js';

/** The 1-based input line each of `offsets` (byte offsets at line starts) is on: one pass from byte 0. */
export async function linesAt(read: ByteRangeReader, uri: string, offsets: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let next = 0;
  while (next < wanted.length && wanted[next] === 0) out.set(wanted[next++]!, 1);
  if (next === wanted.length) return out;
  let pos = 0;
  let newlines = 0;
  for await (const piece of read(uri, 0, wanted[wanted.length - 1]!)) {
    const bytes = piece as Buffer;
    // Each wanted offset inside this piece: the line breaks before it, plus one.
    while (next < wanted.length && wanted[next]! <= pos + bytes.length) {
      out.set(wanted[next]!, newlines + count(bytes.subarray(0, wanted[next]! - pos)) + 1);
      next++;
    }
    newlines += count(bytes);
    pos += bytes.length;
  }
  return out;
}

function count(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}
