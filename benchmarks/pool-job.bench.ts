/**
 * Question: does the real job run faster on a pool than in one thread, by close to the number of cores?
 *
 * The job is the seed job (examples/classifier): a CSV of 1M visits (58 MB), each row split into fields,
 * up to 4 keyword lookups in a 1M-key hash map, a longest-prefix match in a 20k-path trie and a range
 * lookup in 100k IP ranges, turned into one output line, written to a file in input order.
 *
 *   inline  — the baseline: the same task module over the same file in this thread, through the pool's
 *             own in-thread runner (createPool({ workers: 0 })), so parsing, batching and writing match
 *   pool    — the pool with N workers (--workers N, default 2), `imap(csv(path)).pipeTo(out)`
 *   piscina — Piscina with N workers doing the same job its best way: blocks of lines per task, the
 *             rules as Maps and typed arrays structured-cloned into each worker
 *   failing — the pool where every row fails (the file read with two columns swapped): a failure must
 *             cost no more than a success
 *   apart   — N in-thread runners in N processes at once, each over the whole file: what N threads of
 *             this job get from this machine with no pool at all (memory-bound lookups slow each
 *             other down), so pool ÷ apart is the pool's own efficiency
 *
 * Each mode runs in a fresh process (lib/job-child.ts), so CPU time and peak RSS are its own, as deployed:
 * built packages and a bundled JavaScript task, no TypeScript loader (lib/build-job.ts). Rounds
 * alternate the order, and every ratio is taken within one round, then the median and range are
 * reported. Not benny: one sample is a whole job of seconds, and RSS needs a process per sample. All
 * three outputs must be byte-identical. Run alone: `npx tsx --conditions=@sabre/source benchmarks/pool-job.bench.ts
 * [--rows N] [--workers N] [--rounds N]`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureData } from '../examples/classifier/data.js';
import { loadOrBuildRules } from '../examples/classifier/rules.js';
import { buildJob } from './lib/build-job.js';
import { FULL, RESULTS, isMain, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';

interface ChildResult {
  mode: string;
  workers: number;
  setupMs: number;
  runMs: number;
  cpuMs: number;
  elu: number;
  mainCpuMs: number | null;
  rows: number;
  failed: number;
  rowsPerSecond: number;
  peakRssMB: number;
}

const MODES = ['inline', 'pool', 'piscina'] as const;
type Mode = (typeof MODES)[number];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const x = (r: { median: number; min: number; max: number }, digits = 2) => `${r.median.toFixed(digits)}× (${r.min.toFixed(digits)}–${r.max.toFixed(digits)})`;

export async function run(argv: string[] = process.argv.slice(2)): Promise<{ rows: Row[]; facts: Fact[] }> {
  const { values } = parseArgs({ args: argv, strict: false, options: { rows: { type: 'string' }, workers: { type: 'string' }, rounds: { type: 'string' } } });
  const visits = Number(values.rows ?? 1_000_000);
  const workers = Number(values.workers ?? 2);
  const rounds = Number(values.rounds ?? (FULL ? 5 : 3));
  const dir = join(fileURLToPath(new URL('../examples/classifier/.data', import.meta.url)), `${visits}-visits-1000000-keywords`);
  ensureData(dir, { keywords: 1_000_000, paths: 20_000, ips: 100_000, visits });
  await loadOrBuildRules(dir);
  const title = `The seed job: ${(visits / 1e6).toLocaleString('en-US')}M CSV rows, lookups in a 1M-key arena, one output line each, ${workers} workers`;
  console.log(`\n${title} (machine threads: ${availableParallelism()})`);

  const { child, task, piscina } = await buildJob();
  const env = { ...process.env, JOB_TASK: task, JOB_PISCINA: piscina, NODE_OPTIONS: '' };
  const results: Record<Mode, ChildResult[]> = { inline: [], pool: [], piscina: [] };
  const ratios = { speed: [] as number[], cpu: [] as number[], rss: [] as number[], vsPiscina: [] as number[], vsApart: [] as number[], failing: [] as number[], failingRss: [] as number[] };
  const childArgs = (mode: string, out: string) => [child, mode, dir, out, String(workers)];
  let digest: string | null = null;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? MODES : [...MODES].reverse();
    const got = {} as Record<Mode, ChildResult>;
    for (const mode of order) {
      const out = join(dir, `bench-${mode}.csv`);
      const line = execFileSync(process.execPath, childArgs(mode, out), { encoding: 'utf8', env }).trim().split('\n').at(-1)!;
      got[mode] = JSON.parse(line) as ChildResult;
      results[mode].push(got[mode]);
      const hash = createHash('sha256').update(readFileSync(out)).digest('hex');
      if (digest !== null && hash !== digest) throw new Error(`${mode} wrote a different output than the other modes`);
      digest = hash;
      console.log(`  round ${round + 1}/${rounds} ${mode.padEnd(8)} ${Math.round(got[mode].rowsPerSecond).toLocaleString('en-US').padStart(9)} rows/s  cpu ${got[mode].cpuMs.toFixed(0)} ms  rss ${got[mode].peakRssMB.toFixed(0)} MB  elu ${got[mode].elu.toFixed(3)}${got[mode].mainCpuMs === null ? '' : `  main cpu ${got[mode].mainCpuMs!.toFixed(0)} ms`}`);
    }
    const apart = await Promise.all(Array.from({ length: workers }, (_, i) => promisify(execFile)(process.execPath, childArgs('inline', join(dir, `bench-apart-${i}.csv`)), { encoding: 'utf8', env })));
    const failing = JSON.parse(execFileSync(process.execPath, childArgs('failing', join(dir, 'bench-failing.csv')), { encoding: 'utf8', env }).trim().split('\n').at(-1)!) as ChildResult;
    if (failing.failed !== failing.rows) throw new Error(`the failing run should fail every row: ${failing.failed} of ${failing.rows}`);
    console.log(`  round ${round + 1}/${rounds} failing  ${Math.round(failing.rowsPerSecond).toLocaleString('en-US').padStart(9)} rows/s  rss ${failing.peakRssMB.toFixed(0)} MB  (every row fails)`);
    ratios.failing.push(failing.rowsPerSecond / got.pool.rowsPerSecond);
    ratios.failingRss.push(failing.peakRssMB / got.pool.peakRssMB);
    // Every row of every process, over the time the slowest took: what N threads did together.
    const apartRuns = apart.map((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult);
    const apartRate = (apartRuns.reduce((n, r) => n + r.rows, 0) * 1000) / Math.max(...apartRuns.map((r) => r.runMs));
    console.log(`  round ${round + 1}/${rounds} apart    ${Math.round(apartRate).toLocaleString('en-US').padStart(9)} rows/s  (${workers} one-thread processes at once: all their rows ÷ the slowest one's time)`);
    ratios.vsApart.push(got.pool.rowsPerSecond / apartRate);
    ratios.speed.push(got.pool.rowsPerSecond / got.inline.rowsPerSecond);
    ratios.cpu.push(got.pool.cpuMs / got.inline.cpuMs);
    ratios.rss.push(got.pool.peakRssMB / got.inline.peakRssMB);
    ratios.vsPiscina.push(got.pool.rowsPerSecond / got.piscina.rowsPerSecond);
  }
  const med = (mode: Mode, f: (r: ChildResult) => number) => median(results[mode].map(f));
  const speed = spread(ratios.speed);
  const cpu = spread(ratios.cpu);
  const rss = spread(ratios.rss);
  const vsPiscina = spread(ratios.vsPiscina);
  const vsApart = spread(ratios.vsApart);
  const failingSpeed = spread(ratios.failing);
  const failingRss = spread(ratios.failingRss);
  const elu = spread(results.pool.map((r) => r.elu));
  const mainShare = results.pool.every((r) => r.mainCpuMs !== null) ? spread(results.pool.map((r) => r.mainCpuMs! / r.runMs)) : null;
  console.log(`  pool ÷ in-thread: rows/s ${x(speed)}, CPU ${x(cpu)}, peak RSS ${x(rss)}; pool ÷ Piscina rows/s ${x(vsPiscina)}; pool ÷ ${workers} processes apart ${x(vsApart)}`);
  console.log(`  every row failing ÷ succeeding (pool): rows/s ${x(failingSpeed)}, peak RSS ${x(failingRss)}`);
  console.log(`  pool main thread: event-loop utilisation ${elu.median.toFixed(3)} (${elu.min.toFixed(3)}–${elu.max.toFixed(3)})${mainShare === null ? '' : `, CPU ${(100 * mainShare.median).toFixed(1)}% of the run (${(100 * mainShare.min).toFixed(1)}–${(100 * mainShare.max).toFixed(1)}%)`}`);

  const nsPerRow = (mode: Mode) => 1e9 / med(mode, (r) => r.rowsPerSecond);
  const rows: Row[] = [
    { suite: title, name: 'in-thread runner (workers: 0)', baseline: 'in-thread runner (workers: 0)', ns: nsPerRow('inline'), ratio: 1, ratioMin: 1, ratioMax: 1, rounds },
    { suite: title, name: `sabre pool, ${workers} workers, pipeTo`, baseline: 'in-thread runner (workers: 0)', ns: nsPerRow('pool'), ratio: 1 / speed.median, ratioMin: 1 / speed.max, ratioMax: 1 / speed.min, rounds },
    (() => {
      const r = ratios.speed.map((s, i) => s / ratios.vsPiscina[i]!); // piscina ÷ inline, per round
      const p = spread(r);
      return { suite: title, name: `Piscina, ${workers} workers, blocks of lines, Maps cloned`, baseline: 'in-thread runner (workers: 0)', ns: nsPerRow('piscina'), ratio: 1 / p.median, ratioMin: 1 / p.max, ratioMax: 1 / p.min, rounds };
    })(),
  ];
  const facts: Fact[] = [
    { suite: title, name: 'pool ÷ in-thread: rows per second', value: speed.median, unit: '×' },
    { suite: title, name: 'pool ÷ in-thread: CPU time', value: cpu.median, unit: '×' },
    { suite: title, name: 'pool ÷ in-thread: peak RSS', value: rss.median, unit: '×' },
    { suite: title, name: 'pool ÷ Piscina: rows per second', value: vsPiscina.median, unit: '×' },
    { suite: title, name: `pool ÷ ${workers} one-thread processes at once (this machine's ceiling): rows per second`, value: vsApart.median, unit: '×' },
    { suite: title, name: 'pool: main-thread event-loop utilisation', value: elu.median, unit: '' },
    { suite: title, name: 'pool, every row failing ÷ succeeding: rows per second', value: failingSpeed.median, unit: '×' },
    { suite: title, name: 'pool, every row failing ÷ succeeding: peak RSS', value: failingRss.median, unit: '×' },
    ...(mainShare === null ? [] : [{ suite: title, name: 'pool: main-thread CPU share of the run', value: 100 * mainShare.median, unit: '%' }]),
    ...MODES.flatMap((m) => [
      { suite: title, name: `${m}: rows per second`, value: med(m, (r) => r.rowsPerSecond), unit: 'rows/s' },
      { suite: title, name: `${m}: peak RSS`, value: med(m, (r) => r.peakRssMB), unit: 'MB' },
      { suite: title, name: `${m}: set-up (load the arena or build the Maps, start workers)`, value: med(m, (r) => r.setupMs), unit: 'ms' },
    ]),
  ];
  writeFileSync(join(RESULTS, 'pool-job.json'), `${JSON.stringify({ title, workers, visits, rounds, ratios, results }, null, 2)}\n`);
  return { rows, facts };
}

if (isMain(import.meta.url)) await run();
