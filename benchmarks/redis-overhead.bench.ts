/**
 * Question: what does the distributed path (@sabre/redis) cost on one machine, and how soon is a dead
 * host's batch picked up?
 *
 * 1. Overhead: the pool-lookup job (8 lookups per row in a 1M-keyword arena, one output line per row)
 *    over a CSV file, run (a) by the local pool directly (`pool.imap(csv(file)).pipeTo`) and (b) through
 *    Redis with one host using the same pool (2 workers): submit, runHost, finishJob. Rows/s of each,
 *    alternating, after a warm-up round; median and range of the per-round ratios over ROUNDS rounds
 *    (default 5; BATCH_MB sets the batch size, default 8). The target is (b) ≥ 0.95 × (a).
 * 2. Claim latency: a consumer takes 4 batches and dies holding them (it reads them from the stream and
 *    never answers, as a host killed with SIGKILL leaves them); the time from then to another host's
 *    acceptance of the first of them, with claimIdleMs = 1000. The floor is claimIdleMs itself.
 * Needs `redis-server` (started here on 127.0.0.1, stopped by PID). Not part of `npm run bench`:
 * `node --conditions=@sabre/source --import tsx benchmarks/redis-overhead.bench.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { save } from '@sabre/arena/node';
import { createPool, lines } from '@sabre/pool';
import { arenaRefOf, finishJob, jobKeys, refText, runHost, submitJob } from '@sabre/redis';
import { startRedis } from '../packages/redis/test/redis-server.js';
import type task from './lib/classify-line.task.ts';
import { KEYWORDS, textRows } from './lib/classify.js';

const BATCH_BYTES = Number(process.env['BATCH_MB'] ?? 8) << 20;
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const work = mkdtempSync(join(tmpdir(), 'sabre-redis-bench-'));
const redis = await startRedis();
const client = new Redis(redis.url);
try {
  const keys = KEYWORDS(1_000_000);
  const b = new ArenaBuilder({ layoutHash: 0x1234n });
  writeStringHashMap(b, 'keywords', keys, keys.map((_, i) => i % 64));
  const arena = b.finish();
  const arenaPath = join(work, 'k.arena');
  await save(arena, arenaPath);
  const ref = await arenaRefOf(arenaPath, 0x1234n);
  const n = 2_000_000;
  const input = join(work, 'rows.txt');
  writeFileSync(input, `${textRows(n, keys.length).join('\n')}\n`);
  const pool = createPool<typeof task>({ task: new URL('./lib/classify-line.task.ts', import.meta.url), workers: 2, shared: { keywords: arena } });
  await pool.ready();
  const local: number[] = [];
  const viaRedis: number[] = [];
  const runLocal = async () => {
    const t = performance.now();
    await pool.imap(lines(input)).pipeTo(join(work, 'local.out'));
    return n / ((performance.now() - t) / 1000);
  };
  const runRedis = async (job: string) => {
    const t = performance.now();
    await submitJob(client, { job, input, arena: ref, outputDir: work, format: 'lines', batchBytes: BATCH_BYTES });
    await runHost(client, { job, consumer: 'h', pool, arena: refText(ref), ...(process.env['IN_FLIGHT'] === undefined ? {} : { maxInFlight: Number(process.env['IN_FLIGHT']) }) });
    await finishJob(client, job, join(work, 'redis.out'));
    return n / ((performance.now() - t) / 1000);
  };
  // Round 0 warms both paths up (JIT, page cache) and is not counted; then the order alternates, so
  // neither side always runs on a machine the other just warmed or loaded.
  for (let r = 0; r <= ROUNDS; r++) {
    let a: number;
    let b: number;
    if (r % 2 === 0) {
      a = await runLocal();
      b = await runRedis(`bench${r}`);
    } else {
      b = await runRedis(`bench${r}`);
      a = await runLocal();
    }
    if (r > 0) {
      local.push(a);
      viaRedis.push(b);
    }
    console.log(`round ${r}${r === 0 ? ' (warm-up)' : ''}: local ${Math.round(a)} rows/s, through Redis ${Math.round(b)} rows/s (${(b / a).toFixed(3)}×)`);
  }
  // Claim latency.
  const latencies: number[] = [];
  for (let r = 0; r < 3; r++) {
    const job = `claim${r}`;
    await submitJob(client, { job, input, arena: ref, outputDir: work, format: 'lines', batchBytes: 1 << 20 });
    const read = (await client.xreadgroup('GROUP', 'hosts', 'dead', 'COUNT', 4, 'STREAMS', jobKeys(job).batches, '>')) as [string, [string, string[]][]][];
    const held = new Set(read[0]![1].map(([, f]) => f[f.indexOf('batchId') + 1]!));
    const died = performance.now();
    let first = -1;
    await runHost(client, { job, consumer: 'h', pool, arena: refText(ref), claimIdleMs: 1000, onBatch: (e) => void (first < 0 && held.has(e.batchId) && e.outcome === 'accepted' && (first = performance.now() - died)) });
    latencies.push(first);
    console.log(`claim round ${r + 1}: first of the dead consumer's batches accepted ${first.toFixed(0)} ms after it died`);
  }
  console.log(`claim latency median ${median(latencies).toFixed(0)} ms (${Math.min(...latencies).toFixed(0)}–${Math.max(...latencies).toFixed(0)}), claimIdleMs 1000`);
  await pool.close();
  const ratios = viaRedis.map((v, i) => v / local[i]!);
  console.log(`median: local ${Math.round(median(local))} rows/s, through Redis ${Math.round(median(viaRedis))} rows/s, ratio ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`);
} finally {
  client.disconnect();
  await redis.dispose();
  rmSync(work, { recursive: true, force: true });
}
