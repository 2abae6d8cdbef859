/**
 * A host of a distributed job: one per machine, in front of that machine's pool.
 *
 * Loop: while the local pool has room (`maxInFlight` batches), claim entries abandoned by other hosts
 * first (XAUTOCLAIM, idle past `claimIdleMs`), then read new ones (XREADGROUP … BLOCK, on a connection of
 * its own). Each batch: its delivery count past `maxDeliveries` sends it to the dead-letter stream; its
 * arena must be the one this host holds; its byte range of the input runs through the pool (local crash
 * recovery applies: a row that kills workers fails alone; a batch that killed or stalled its host before
 * runs alone, leaving a trail in Redis that names the row to blame (suspect.ts), and one that does so
 * `maxDeliveries` times is dead-lettered) into a temporary file, renamed to the batch's
 * deterministic output name; then the fenced acknowledgement (fence.ts) accepts it, or finds that another
 * host claimed it meanwhile. The host returns once every batch of the job is done or dead.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { csv, lines, type Pool, type Source, type Writeable } from '@sabre/pool';
import type { Task } from '@sabre/pool/task';
import { accept, bury, heartbeat } from './fence.js';
import { GROUP, jobKeys, outputBase } from './keys.js';
import { linesAt } from './lines.js';
import { type ByteRangeReader, readFileRange } from './reader.js';
import { blame, leavesTrail, readProbe, runSuspect } from './suspect.js';

/** Options of {@link runHost}. */
export interface HostOptions {
  /** The job to serve (as submitted). */
  job: string;
  /** This host's name in the consumer group (unique per host process). */
  consumer: string;
  /** The local pool, created with the job's arena as its shared data. */
  pool: Pool<Task<never, never, Writeable>> | Pool<Task<never, never, string>>;
  /** The arena reference (`sha256:layoutHash`) the pool's arena was fetched by (arena-ref.ts). */
  arena: string;
  /** Claim another host's batch once it has been pending this long. Default 30,000 ms. */
  claimIdleMs?: number;
  /**
   * A batch that was delivered before without finishing (its host died or stalled) is a suspect: it runs
   * alone, with nothing else in flight on its host, so an innocent batch that shared a host with a
   * poison one is not blamed. A suspect that has been run alone this many times without finishing goes
   * to the dead-letter stream. Default 3.
   */
  maxDeliveries?: number;
  /** Batches this host runs at once. Default 2 per pool worker. */
  maxInFlight?: number;
  /** How long one blocking read waits for new entries, ms. Default 1000. */
  blockMs?: number;
  /**
   * How batches' input bytes are read, for storage that is not a file system (object storage: a ranged
   * GET). Default: the file on shared storage, its range read in place by the pool.
   */
  read?: ByteRangeReader;
  /** Stops taking batches; the ones in flight finish first. */
  signal?: AbortSignal;
  /** Called after each batch this host accepted, refused (claimed by another) or buried. */
  onBatch?: (e: { batchId: string; outcome: 'accepted' | 'late' | 'dead'; rows: number; failed: number }) => void;
}

/** What one host did for a job. */
export interface HostSummary {
  /** Batches whose output this host's acknowledgement accepted. */
  accepted: number;
  /** Batches it finished after another host had taken them over (its acknowledgement refused). */
  late: number;
  /** Batches it moved to the dead-letter stream. */
  dead: number;
}

type Entry = [id: string, fields: string[]];

/**
 * Serves a job on this host until every batch is done or dead-lettered (or `signal` aborts): claims
 * abandoned batches, reads new ones while the pool has room, runs them, writes and accepts their outputs.
 * Throws when this host's arena is not the job's, or when Redis fails (batches in flight stay pending and
 * are claimed again: call it again to go on).
 */
export async function runHost(redis: Redis, options: HostOptions): Promise<HostSummary> {
  const keys = jobKeys(options.job);
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(options.consumer)) throw new Error(`✖ a consumer name is 1 to 100 letters, digits, '_', '.' or '-' (it names the host's output files), got ${JSON.stringify(options.consumer)}`);
  const job = await redis.hgetall(keys.job);
  if (job['total'] === undefined) throw new Error(`✖ no job named ${options.job} in this Redis: submit it first (submitJob)`);
  if (job['arena'] !== options.arena) throw new Error(`✖ this host holds arena ${options.arena}, but job ${options.job} runs against ${job['arena']}: fetch the job's arena (fetchArena) and start the host with it`);
  const total = Number(job['total']);
  const columns = job['columns'] ? (JSON.parse(job['columns']) as string[]) : null;
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const maxDeliveries = options.maxDeliveries ?? 3;
  const maxInFlight = options.maxInFlight ?? 2 * Math.max(1, options.pool.stats.workers);
  const reader = redis.duplicate(); // blocking reads wait on a connection of their own
  reader.on('error', () => {}); // a lost connection fails the read in progress, which is where it is handled
  const summary: HostSummary = { accepted: 0, late: 0, dead: 0 };
  const inFlight = new Set<Promise<void>>();
  const running = new Set<string>();

  const runBatch = async ([id, flat]: Entry): Promise<void> => {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
    const batchId = f['batchId']!;
    // The entry names its arena; a host runs it only against that one (another host may take it).
    if (f['arena'] !== options.arena) return;
    const pending = (await redis.xpending(keys.batches, GROUP, id, id, 1)) as [string, string, number, number][];
    const deliveries = pending[0]?.[3] ?? 1;
    let attempts = 0; // solo attempts, this one included (0: not a suspect)
    if (deliveries > 1) {
      // A suspect: wait until it is alone on this host, then count this solo attempt before running it.
      soloWaiting++;
      try {
        // Waiting suspects are in flight themselves: wait until only they are, and no suspect runs.
        while (inFlight.size > soloWaiting || soloBatch !== null) await new Promise((r) => setTimeout(r, 50));
        soloBatch = id;
      } finally {
        soloWaiting--;
      }
      attempts = await redis.hincrby(keys.solo, batchId, 1);
      if (attempts > maxDeliveries) {
        soloBatch = null;
        // The trail its solo attempts left (suspect.ts) names the row, when one killed a host by itself.
        const firstLine = (await linesAt(options.read ?? readFileRange, f['uri']!, [Number(f['byteStart'])])).get(Number(f['byteStart']))!;
        const { line, text } = blame(await readProbe(redis, keys, batchId), firstLine);
        const reason = `run alone ${maxDeliveries} times (maxDeliveries), it never finished: each host that took it died or stalled (${deliveries} deliveries in all); ${text}`;
        const buried = await bury(redis, keys, id, options.consumer, batchId, reason, deliveries, line);
        if (buried) summary.dead++;
        else summary.late++; // another host claimed it meanwhile: it is that host's to finish or bury
        options.onBatch?.({ batchId, outcome: buried ? 'dead' : 'late', rows: 0, failed: 0 });
        return;
      }
    }
    const base = join(job['outputDir']!, outputBase(options.job, batchId, options.consumer));
    const final = `${base}.out`;
    const tmp = `${final}.tmp`;
    const [start, end] = [Number(f['byteStart']), Number(f['byteEnd'])];
    const sourceOf = (a: number, b: number, chunkBytes?: number): Source<unknown> => {
      // Without a reader of its own, the pool reads the range in place: a stream would cost a copy per
      // 64 KiB piece in the main thread, ~0.4 s per 139 MiB (benchmarks/redis-overhead.bench.ts).
      const input = options.read === undefined ? f['uri']! : options.read(f['uri']!, a, b);
      const o = { ...(options.read === undefined ? { range: { start: a, end: b } } : {}), ...(chunkBytes === undefined ? {} : { chunkBytes }) };
      return (job['format'] === 'lines' ? lines(input, o) : csv(input, { header: false, ...o, ...(columns === null ? {} : { columns }) })) as Source<unknown>;
    };
    const t0 = performance.now();
    // The task's row type is the job's (its CSV columns or lines): the pool's checks (columns against the
    // header, each row's result) apply at run time.
    const pool = options.pool as unknown as Pool<Task<unknown, unknown, Writeable>>;
    const result = leavesTrail(attempts)
      ? await runSuspect({ redis, keys, batchId, pool, source: sourceOf, bytes: () => (options.read ?? readFileRange)(f['uri']!, start, end), start, end }, attempts, tmp)
      : await pool.imap(sourceOf(start, end)).pipeTo(tmp, { keepFailures: Number.MAX_SAFE_INTEGER });
    // The rows that failed, named by their line in the batch (the finisher makes it the input's, lines.ts):
    // a row that kills workers (the pool's row isolation) is named here, with ROW_CRASHED. Written before
    // the output, so an accepted batch always has both.
    const failures = result.failures.map((e) => `${JSON.stringify({ batch: Number(batchId), batchLine: e.line ?? null, code: e.code, message: e.message })}\n`).join('');
    await writeFile(`${base}.failures.ndjson.tmp`, failures);
    await rename(`${base}.failures.ndjson.tmp`, `${base}.failures.ndjson`);
    await rename(tmp, final);
    const record = `${options.consumer} ${result.rows} ${result.failed} ${Math.round(performance.now() - t0)} ${Date.now()}`;
    const ok = await accept(redis, keys, id, options.consumer, batchId, record);
    if (ok) summary.accepted++;
    else summary.late++;
    options.onBatch?.({ batchId, outcome: ok ? 'accepted' : 'late', rows: result.rows, failed: result.failed });
  };
  let soloBatch: string | null = null; // the entry of a suspect running alone: start nothing else
  let soloWaiting = 0;
  let failure: unknown = null;

  const start = (e: Entry): void => {
    if (running.has(e[0])) return;
    running.add(e[0]);
    // A batch that fails (Redis went away, the output cannot be written) stays pending: claimed again later.
    const p: Promise<void> = runBatch(e)
      .catch((err: unknown) => void (failure ??= err))
      .finally(() => {
        inFlight.delete(p);
        running.delete(e[0]);
        if (soloBatch === e[0]) soloBatch = null;
      });
    inFlight.add(p);
  };

  // A batch running longer than claimIdleMs must not look abandoned: every third of it, reset the idle
  // time of the entries still ours (fence.ts: never one another host claimed). A frozen host stops.
  const beating = setInterval(() => {
    if (running.size > 0) void heartbeat(redis, keys, options.consumer, [...running]).catch(() => {});
  }, Math.max(50, claimIdleMs / 3));
  beating.unref();
  let cursor = '0-0';
  const finished = async () => (await redis.hlen(keys.done)) + (await redis.xlen(keys.dead)) >= total;
  try {
    while (!options.signal?.aborted && !(await finished())) {
      if (failure !== null) throw failure;
      const room = soloBatch !== null || soloWaiting > 0 ? 0 : maxInFlight - inFlight.size;
      if (room <= 0) {
        await Promise.race(inFlight);
        continue;
      }
      // The cursor carries over between calls: each call scans a bounded part of the pending list.
      const [next, claimed] = (await redis.xautoclaim(keys.batches, GROUP, options.consumer, claimIdleMs, cursor, 'COUNT', room)) as [string, Entry[]];
      cursor = next;
      const mine = claimed.filter((e) => e !== null && !running.has(e[0]));
      if (mine.length > 0) {
        for (const e of mine) start(e);
        continue;
      }
      // Block for new entries only when idle: with batches in flight, a blocking read would hold the loop
      // (up to blockMs) past their end, and the job's last batches would wait for nothing.
      const read = (inFlight.size > 0
        ? await reader.xreadgroup('GROUP', GROUP, options.consumer, 'COUNT', room, 'STREAMS', keys.batches, '>')
        : await reader.xreadgroup('GROUP', GROUP, options.consumer, 'COUNT', room, 'BLOCK', options.blockMs ?? 1000, 'STREAMS', keys.batches, '>')) as [string, Entry[]][] | null;
      const entries = read?.[0]?.[1] ?? [];
      for (const e of entries) start(e);
      // Nothing new: wait for a batch to finish, or for abandoned ones to become claimable.
      if (entries.length === 0 && inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([...inFlight, new Promise((r) => (timer = setTimeout(r, Math.min(options.blockMs ?? 1000, claimIdleMs / 2))))]);
        clearTimeout(timer);
      }
    }
    await Promise.allSettled(inFlight);
    if (failure !== null) throw failure;
  } finally {
    await Promise.allSettled(inFlight);
    clearInterval(beating);
    reader.disconnect();
  }
  return summary;
}
