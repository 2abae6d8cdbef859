/**
 * The finisher: once every batch of a job is done, concatenates the batches' outputs in input order
 * into one file (written beside it, then renamed into place), and their failed rows into
 * `<out>.failures.ndjson` (one JSON line per row: batch, input line, code, message). A job with dead-lettered batches is not
 * finished unless `allowDead` says their rows may be missing.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { jobKeys, outputBase } from './keys.js';

/**
 * Concatenates a finished job's batch outputs in input order into `outPath` (atomically). Throws when a
 * batch is neither done nor dead, or when one is dead and `allowDead` is not set.
 */
export async function finishJob(
  redis: Redis,
  job: string,
  outPath: string,
  options: { allowDead?: boolean } = {},
): Promise<{
  /** Batches written. */
  batches: number;
  /** Batches left out (dead-lettered). */
  dead: number;
  /** Rows that failed in the batches written (listed in `<out>.failures.ndjson`). */
  failedRows: number;
}> {
  const keys = jobKeys(job);
  const meta = await redis.hgetall(keys.job);
  const total = Number(meta['total']);
  if (meta['total'] === undefined) throw new Error(`✖ no job named ${job} in this Redis`);
  const done = await redis.hgetall(keys.done);
  const dead = await redis.xlen(keys.dead);
  const missing = Array.from({ length: total }, (_, i) => String(i)).filter((b) => done[b] === undefined);
  if (missing.length > dead || (dead > 0 && options.allowDead !== true)) {
    throw new Error(`✖ job ${job} is not finished: ${Object.keys(done).length}/${total} batches done, ${dead} dead-lettered${dead > 0 ? ' (pass allowDead to finish without them)' : ''}`);
  }
  // The accepted record names the host whose output was accepted: read that file, and only that one.
  const base = (b: number) => join(meta['outputDir']!, outputBase(job, String(b), done[String(b)]!.split(' ')[0]!));
  const kept = Array.from({ length: total }, (_, b) => b).filter((b) => done[String(b)] !== undefined); // dead-lettered ones left out
  await concatenate(kept.map((b) => `${base(b)}.out`), outPath);
  await concatenate(kept.map((b) => `${base(b)}.failures.ndjson`), `${outPath}.failures.ndjson`);
  const failedRows = Object.values(done).reduce((s, r) => s + Number(r.split(' ')[2]), 0);
  return { batches: total - missing.length, dead, failedRows };
}

async function concatenate(files: string[], outPath: string): Promise<void> {
  const tmp = `${outPath}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  for (const file of files) {
    for await (const chunk of createReadStream(file)) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await rename(tmp, outPath);
}
