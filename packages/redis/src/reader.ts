/**
 * How hosts and the finisher read a batch's bytes when the input is not a file they can read in place:
 * a small interface, so object storage (a ranged GET gives the same bytes) plugs in without the rest knowing.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Reads the bytes [start, end) of an input named by a batch's `uri`. The default reads local or shared
 * files; object storage plugs in here (a ranged GET gives the same bytes).
 */
export type ByteRangeReader = (uri: string, start: number, end: number) => Readable;

/** A {@link ByteRangeReader} over files, as a stream (hosts read files in place without one by default). */
export const readFileRange: ByteRangeReader = (uri, start, end) => createReadStream(uri, { start, end: end - 1 });
