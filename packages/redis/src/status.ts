/** A job's progress, from Redis alone: what `sabre-redis status <job>` prints. */
import type { Redis } from 'ioredis';
import { GROUP, jobKeys } from './keys.js';

/** A job's progress (see {@link jobStatus}). */
export interface JobStatus {
  /** The job's name. */
  job: string;
  /** Batches in the job. */
  total: number;
  /** Batches whose output was accepted. */
  done: number;
  /** Batches in the dead-letter stream. */
  dead: number;
  /** Batches delivered to a host and not yet acknowledged, per host. */
  pending: Record<string, number>;
  /** Rows accepted so far. */
  rows: number;
  /** Rows accepted per second since the job was submitted. */
  rowsPerSecond: number;
}

/** Reads a job's progress from Redis; throws for a job it does not know. */
export async function jobStatus(redis: Redis, job: string): Promise<JobStatus> {
  const keys = jobKeys(job);
  const meta = await redis.hgetall(keys.job);
  if (meta['total'] === undefined) throw new Error(`✖ no job named ${job} in this Redis`);
  const done = await redis.hgetall(keys.done);
  const summary = (await redis.xpending(keys.batches, GROUP)) as [number, string | null, string | null, [string, string][] | null];
  const pending: Record<string, number> = {};
  for (const [consumer, n] of summary[3] ?? []) pending[consumer] = Number(n);
  const rows = Object.values(done).reduce((s, r) => s + Number(r.split(' ')[1]), 0);
  const seconds = Math.max(0.001, (Date.now() - Number(meta['submittedAt'])) / 1000);
  return { job, total: Number(meta['total']), done: Object.keys(done).length, dead: await redis.xlen(keys.dead), pending, rows, rowsPerSecond: rows / seconds };
}

/** One line for a person: what `sabre-redis status` prints. */
export function statusText(s: JobStatus): string {
  const hosts = Object.entries(s.pending).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
  return `job ${s.job}: ${s.done}/${s.total} batches done, ${s.dead} dead-lettered, pending per host: ${hosts}; ${s.rows.toLocaleString('en-US')} rows, ${Math.round(s.rowsPerSecond).toLocaleString('en-US')} rows/s`;
}
