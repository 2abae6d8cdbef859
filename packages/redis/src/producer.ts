/**
 * Submitting a job: the input file is split into batches of whole lines by byte range (one record per
 * line, as the pool's worker-side parsing frames a file), and one stream entry per batch is added — a
 * reference to the bytes, never the rows. The job's hash records what every host needs.
 */
import { open } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { type ArenaRef, refText } from './arena-ref.js';
import { GROUP, jobKeys } from './keys.js';

/** Options of {@link submitJob}. */
export interface SubmitOptions {
  /** The job's name: its keys in Redis and its output files are named after it. */
  job: string;
  /** The input file, on storage every host sees. */
  input: string;
  /** The arena every batch runs against. */
  arena: ArenaRef;
  /** A directory every host can write: each batch's output goes there, named by batch. */
  outputDir: string;
  /** Rows are CSV with this header line first (its columns name the fields), or plain lines. Default 'csv'. */
  format?: 'csv' | 'lines';
  /** Bytes per batch, rounded to whole lines. Default 8 MiB (each batch is a run of its own on a host: smaller ones pay its start more often). */
  batchBytes?: number;
}

/** What {@link submitJob} added. */
export interface Submitted {
  /** Batches (stream entries) the job has. */
  batches: number;
  /** The CSV header's columns, or null for plain lines. */
  columns: string[] | null;
}

/**
 * Submits a job: splits `input` into batches of whole lines (about `batchBytes` each) and adds one stream
 * entry per batch, a reference to its byte range. Replaces any earlier job of the same name.
 *
 * @example
 * ```ts
 * await submitJob(redis, { job: 'jan', input: '/shared/visits.csv', arena: await arenaRefOf('/shared/rules.arena', Rules.layoutHash), outputDir: '/shared/out' });
 * ```
 */
export async function submitJob(redis: Redis, options: SubmitOptions): Promise<Submitted> {
  const keys = jobKeys(options.job);
  const format = options.format ?? 'csv';
  const target = options.batchBytes ?? 8 << 20;
  const fh = await open(options.input, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(64 << 10);
    let at = 0;
    let columns: string[] | null = null;
    // Reads from `from` until the next line break: the offset just past it (or the end of the file).
    const nextLineStart = async (from: number): Promise<{ end: number; lines: number; text: string }> => {
      let text = '';
      for (let pos = from; pos < size; ) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) return { end: pos + nl + 1, lines: 1, text: text + buf.toString('utf8', 0, nl) };
        text += buf.toString('utf8', 0, bytesRead);
        pos += bytesRead;
      }
      return { end: size, lines: 1, text };
    };
    if (format === 'csv') {
      const header = await nextLineStart(0);
      columns = headerColumns(header.text);
      at = header.end;
    }
    // Only the cut points are read (no line is counted: lines.ts counts them if a row must be named).
    const entries: string[][] = [];
    while (at < size) {
      // Cut after the first line break past the target size: a batch never splits a line.
      const end = at + target >= size ? size : (await nextLineStart(at + target)).end;
      entries.push([String(entries.length), String(at), String(end)]);
      at = end;
    }
    await redis.del(keys.batches, keys.done, keys.dead, keys.solo, keys.probe);
    await redis.hset(keys.job, { total: entries.length, uri: options.input, arena: refText(options.arena), arenaUri: options.arena.uri, outputDir: options.outputDir, format, columns: columns === null ? '' : JSON.stringify(columns), submittedAt: Date.now() });
    await redis.xgroup('CREATE', keys.batches, GROUP, '0', 'MKSTREAM');
    const pipeline = redis.pipeline();
    for (const [batchId, byteStart, byteEnd] of entries) {
      pipeline.xadd(keys.batches, '*', 'batchId', batchId!, 'uri', options.input, 'byteStart', byteStart!, 'byteEnd', byteEnd!, 'arena', refText(options.arena));
    }
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw new Error(`✖ adding the job's batches to ${keys.batches} failed: ${err.message}`);
    return { batches: entries.length, columns };
  } finally {
    await fh.close();
  }
}

/** The column names of a CSV header line: a BOM and a final CR dropped, quoted names unquoted ("a""b" → a"b). */
export function headerColumns(line: string): string[] {
  const text = line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const out: string[] = [];
  for (let i = 0; i <= text.length; ) {
    if (text[i] === '"') {
      let name = '';
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '"' && text[j + 1] === '"') name += text[j++];
        else if (text[j] === '"') break;
        else name += text[j];
      }
      out.push(name);
      i = text.indexOf(',', j) < 0 ? text.length + 1 : text.indexOf(',', j) + 1;
    } else {
      const end = text.indexOf(',', i);
      out.push(text.slice(i, end < 0 ? text.length : end));
      i = end < 0 ? text.length + 1 : end + 1;
    }
  }
  return out;
}
