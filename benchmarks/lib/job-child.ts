/**
 * One way of running the seed job (examples/classifier), alone in a fresh process so its CPU time and
 * peak RSS are its own:
 *
 *   inline   — the task in this thread: createPool({ workers: 0 }), the in-thread runner (the baseline)
 *   pool     — the same task on a pool of N workers sharing the arena
 *   piscina  — Piscina with N workers, the rules as Maps cloned into each, blocks of lines per task
 *   failing  — the pool, with the file read as if its ip and url columns were swapped: every row fails
 *
 *   node job-child.mjs <mode> <data dir> <out file> [workers]     (bundled by build-job.ts; JOB_TASK=task.mjs)
 *   tsx job-child.ts <mode> <data dir> <out file> [workers]       (on source, the task in TypeScript)
 *
 * Prints one JSON line: set-up and run times, rows, CPU time and main-thread event-loop utilisation
 * during the run, and peak RSS.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { Piscina } from 'piscina';
import { load } from '@sabre/arena/node';
import { createPool, csv } from '@sabre/pool';
import { Classifier } from '../../examples/classifier/__generated__/classifier.js';
import type classifyTask from '../../examples/classifier/classify.task.ts';
import { parseIpv4 } from '../../examples/classifier/ip.js';
import { rulesPath } from '../../examples/classifier/rules.js';
import { peakRssMB } from './peak-rss.js';

const [mode = 'pool', dir = '', out = '', workersArg = '2'] = process.argv.slice(2);
const workers = Number(workersArg);
const visits = join(dir, 'visits.csv');
const HEADER = 'id,topic,section,network\n';

const t0 = performance.now();
let setupMs = 0;
let rows = 0;
let failed = 0;
interface Measured {
  runMs: number;
  cpuMs: number;
  elu: number;
  mainCpuMs: number | null;
}
let measured: Measured | null = null;

/** CPU time of this process's main thread alone (Linux: its schedstat, in ns), or null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * Times `work` with the CPU time of every thread, the main thread's event-loop utilisation, and the main
 * thread's own CPU time. On a machine with as many cores as workers, the utilisation also counts the time
 * the main thread waits for a core in the middle of a callback; its CPU time does not.
 */
async function measure(work: () => Promise<void>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const main0 = mainThreadCpuMs();
  const t1 = performance.now();
  await work();
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  measured = {
    runMs: performance.now() - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    elu: performance.eventLoopUtilization(elu0).utilization,
    mainCpuMs: main0 === null || main1 === null ? null : main1 - main0,
  };
}

/** Resident memory at each stage, in MB: where the peak comes from. */
const stages: Record<string, number> = { start: process.memoryUsage.rss() / 2 ** 20 };
let bufferMB = 0;

if (mode === 'inline' || mode === 'pool' || mode === 'failing') {
  const rules = await load(rulesPath(dir), { layoutHash: Classifier.layoutHash, verify: false });
  stages['arena loaded'] = process.memoryUsage.rss() / 2 ** 20;
  const pool = createPool<typeof classifyTask>({
    task: process.env['JOB_TASK'] ?? new URL('../../examples/classifier/classify.task.ts', import.meta.url),
    workers: mode === 'inline' || process.env['INLINE'] ? 0 : workers,
    counters: ['unmatched'],
    shared: { rules },
  });
  await pool.ready();
  stages['workers ready'] = process.memoryUsage.rss() / 2 ** 20;
  setupMs = performance.now() - t0;
  await measure(async () => {
    // 'failing': the header line is read as a row too, and every row's "ip" is a URL, so every row throws.
    const source = mode === 'failing' ? csv(visits, { header: false, columns: ['id', 'url', 'ip', 'text'] }) : csv(visits, { columns: ['id', 'ip', 'url', 'text'] });
    const summary = await pool.imap(source).pipeTo(out, { header: HEADER });
    rows = summary.rows;
    failed = summary.failed;
  });
  bufferMB = pool.stats.bufferBytes / 2 ** 20;
  await pool.close();
} else if (mode === 'piscina') {
  const readCsv = async (path: string, each: (r: Record<string, string>) => void) => {
    for await (const r of createReadStream(path).pipe(parse({ columns: true }))) each(r as Record<string, string>);
  };
  const keywords = new Map<string, string>();
  await readCsv(join(dir, 'spec', 'keywords.csv'), (r) => keywords.set(r['word']!, r['label']!));
  const paths = new Map<string, string>();
  await readCsv(join(dir, 'spec', 'paths.csv'), (r) => paths.set(r['prefix']!, r['label']!));
  const ranges: [number, number, string][] = [];
  await readCsv(join(dir, 'spec', 'ips.csv'), (r) => ranges.push([parseIpv4(r['first']!), parseIpv4(r['last']!), r['label']!]));
  ranges.sort((a, b) => a[0] - b[0]);
  const workerData = { keywords, paths, firsts: Uint32Array.from(ranges, (r) => r[0]), lasts: Uint32Array.from(ranges, (r) => r[1]), nets: ranges.map((r) => r[2]) };
  const filename = process.env['JOB_PISCINA'];
  if (filename === undefined) throw new Error('piscina mode needs JOB_PISCINA: the bundled worker that pool-job.bench.ts builds (lib/build-job.ts)');
  const piscina = new Piscina({ filename, minThreads: workers, maxThreads: workers, workerData });
  await Promise.all(Array.from({ length: workers }, () => piscina.run(''))); // every worker up, with its copy
  setupMs = performance.now() - t0;
  await measure(async () => {
    const dest = createWriteStream(out);
    dest.write(HEADER);
    const pending: Promise<{ text: string; failed: number }>[] = [];
    const drainOne = async () => {
      const r = await pending.shift()!;
      failed += r.failed;
      if (!dest.write(r.text)) await once(dest, 'drain');
    };
    let carry = '';
    let header = true;
    for await (const piece of createReadStream(visits, { encoding: 'utf8', highWaterMark: 256 << 10 })) {
      let text = carry + (piece as string);
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      text = text.slice(0, cut);
      if (header) {
        text = text.slice(text.indexOf('\n') + 1);
        header = false;
      }
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
      pending.push(piscina.run(text) as Promise<{ text: string; failed: number }>);
      if (pending.length >= workers * 4) await drainOne();
    }
    if (carry.length > 0) {
      rows++;
      pending.push(piscina.run(carry) as Promise<{ text: string; failed: number }>);
    }
    while (pending.length > 0) await drainOne();
    dest.end();
    await once(dest, 'finish');
  });
  await piscina.destroy();
} else throw new Error(`unknown mode ${mode}`);

const m = measured as Measured | null;
if (m === null) throw new Error('nothing measured');
console.log(JSON.stringify({ mode, workers: mode === 'inline' ? 0 : workers, setupMs, ...m, rows, failed, rowsPerSecond: (rows * 1000) / m.runMs, peakRssMB: peakRssMB(), stages, bufferMB }));
