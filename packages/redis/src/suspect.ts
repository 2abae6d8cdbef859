/**
 * A suspect batch (delivered before without finishing: its host died or stalled) runs alone on its host,
 * and in a way that leaves a trail in Redis should it kill this host too, so the row to blame can be
 * named by its input line when the batch is dead-lettered.
 *
 *   probe hash   batchId → "<next> <trying>": `next`, the first line of the batch (1-based, in the batch)
 *                not known to have finished in an earlier solo attempt; `trying`, the line being run
 *                by itself right now (0: none)
 *
 * The first solo attempt runs as any batch does (most suspects lost a host to something else: a kill, a
 * scale-down). The second runs the whole batch in input order, one outcome at a time (slower than
 * `pipeTo`, but only for a batch that has now outlived two hosts), recording the contiguous prefix of
 * finished lines as `next` every few rows: a host killed mid-batch leaves where its rows stopped
 * finishing. The third and later first run the lines from `next` one at a time, each recorded as
 * `trying` before it runs, so a row that kills its host on its own is named exactly (the next host reads
 * `trying`). Naming a row so takes maxDeliveries ≥ 3. Rows may run more than once (as anywhere); only
 * the accepted output counts.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Pool, RowError, Source, Writeable } from '@sabre/pool';
import type { Task } from '@sabre/pool/task';
import type { JobKeys } from './keys.js';

/**
 * A suspect's full run reads chunks this small, so the rows in flight past the recorded prefix (at most
 * a pool's read-ahead, 3 chunks per worker by default) stay within the lines a later attempt probes.
 */
const SUSPECT_CHUNK = 16 << 10;
/** Rows between two records of the finished prefix. */
const RECORD_EVERY = 32;

/** What the trail of earlier solo attempts says (lines relative to the batch, 1-based). */
export interface Probe {
  /** The first line not known to have finished (1: nothing known). */
  next: number;
  /** The line that was running by itself when its host stopped, or 0. */
  trying: number;
}

/** The batch's trail from earlier solo attempts. */
export async function readProbe(redis: Redis, keys: JobKeys, batchId: string): Promise<Probe> {
  const [next, trying] = ((await redis.hget(keys.probe, batchId)) ?? '1 0').split(' ').map(Number);
  return { next: next ?? 1, trying: trying ?? 0 };
}

/** What a suspect's trail says of its poison row, for the dead-letter reason, with its input line. */
export function blame(probe: Probe, firstLine: number): { line: number | null; text: string } {
  if (probe.trying > 0) return { line: firstLine + probe.trying - 1, text: `line ${firstLine + probe.trying - 1} of the input killed its host when run by itself` };
  if (probe.next > 1) return { line: null, text: `its rows stopped finishing after line ${firstLine + probe.next - 2} of the input, and no line killed a host by itself` };
  return { line: null, text: 'no line of it was seen finishing' };
}

/** How a suspect is run: its pool, a source over any part of its byte range, and its bytes. */
export interface SuspectBatch {
  redis: Redis;
  keys: JobKeys;
  batchId: string;
  pool: Pool<Task<unknown, unknown, Writeable>>;
  /** A source over the bytes [start, end) of the input (whole lines), read in chunks of `chunkBytes`. */
  source(start: number, end: number, chunkBytes?: number): Source<unknown>;
  /** The batch's bytes, read once when lines must be found by offset. */
  bytes(): Readable;
  start: number;
  end: number;
}

/** Whether a suspect's solo attempt (1 = its first) leaves a trail: from its second on (see above). */
export const leavesTrail = (attempt: number): boolean => attempt >= 2;

/**
 * Runs a suspect batch alone, leaving a trail (see the module comment), writing its output to `out`;
 * `attempt` counts its solo attempts, this one included: from the third on, lines are probed first.
 */
export async function runSuspect(b: SuspectBatch, attempt: number, out: string): Promise<{ rows: number; failed: number; failures: RowError[] }> {
  const probe = await readProbe(b.redis, b.keys, b.batchId);
  if (attempt >= 3) await probeLines(b, Math.max(1, probe.trying || probe.next));
  const file = createWriteStream(out);
  const failures: RowError[] = [];
  let rows = 0;
  try {
    for await (const o of b.pool.imap(b.source(b.start, b.end, SUSPECT_CHUNK))) {
      rows++;
      if (!o.ok) failures.push(o.error);
      else if (o.value !== null && o.value !== undefined && !file.write(o.value)) await once(file, 'drain');
      // Outcomes come in input order: every line up to this one has finished.
      if (rows % RECORD_EVERY === 0 && o.line !== undefined) await b.redis.hset(b.keys.probe, b.batchId, `${o.line + 1} 0`);
    }
  } finally {
    await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
  return { rows, failed: failures.length, failures };
}

/** Runs the lines from `from` (1-based in the batch) by themselves, each recorded before it runs. */
async function probeLines(b: SuspectBatch, from: number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of b.bytes()) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  const bytes = Buffer.concat(chunks);
  let at = 0;
  for (let line = 1; line < from && at < bytes.length; line++) at = bytes.indexOf(10, at) + 1 || bytes.length;
  // Past the rows a pool held in flight beyond the prefix (its read-ahead of chunks, and one more), no row can be the one.
  const until = Math.min(bytes.length, at + (3 * b.pool.stats.workers + 2) * SUSPECT_CHUNK);
  for (let line = from; at < until; line++) {
    const end = bytes.indexOf(10, at) + 1 || bytes.length;
    await b.redis.hset(b.keys.probe, b.batchId, `${line} ${line}`);
    // The row's own failure (it threw, or crashed only a worker) is the pool's to report in the full run.
    for await (const _ of b.pool.imap(b.source(b.start + at, b.start + end)));
    at = end;
  }
  await b.redis.hset(b.keys.probe, b.batchId, `${from} 0`);
}
