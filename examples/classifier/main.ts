/**
 * The seed job, end to end: build a classifier (1M keywords, path-prefix rules, IP ranges) from CSV
 * files into one arena (saved, and loaded on later runs), then classify a CSV of visits on a pool of
 * workers that share it, writing results.csv — and run the same task in one thread, and the job the
 * usual way (one thread, csv-parse and Maps), to compare.
 *
 *   npm run demo                       # 1M visits (~60 MB), generated on first run
 *   npm run demo -- --full             # 6M visits (~350 MB)
 *   npm run demo -- --visits 200000 --workers 4 --no-baseline
 *
 * Data goes to examples/classifier/.data/ (git-ignored) and is reused by later runs.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createPool, csv } from '@sabre/pool';
import type { Pool, Progress, RunSummary } from '@sabre/pool';
import { ensureData, malformedLines } from './data.js';
import { loadOrBuildRules } from './rules.js';
import { VISIT_COLUMNS } from './classify.task.js';
import type classifyTask from './classify.task.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    visits: { type: 'string' },
    keywords: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: String(Math.max(2, availableParallelism())) },
    'no-baseline': { type: 'boolean', default: false },
    data: { type: 'string', default: join(here, '.data') },
  },
});

function count(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`✖ --${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}
const size = {
  keywords: count('keywords', args.keywords, 1),
  paths: 20_000,
  ips: 100_000,
  visits: count('visits', args.visits ?? (args.full ? '6000000' : '1000000'), 1),
};
const workers = count('workers', args.workers, 1);
const dir = join(args.data, `${size.visits}-visits-${size.keywords}-keywords`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ms = (t: number) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);
const rate = (rows: number, t: number) => `${Math.round((rows * 1000) / t).toLocaleString('en-US')} rows/s`;

// 1. Data (deterministic; generated once).
let t = performance.now();
const { generated } = ensureData(dir, size);
const visitsPath = join(dir, 'visits.csv');
console.log(`${generated ? 'Generated' : 'Reusing'} ${dir} (${mb(statSync(visitsPath).size)} of visits) ${generated ? `in ${ms(performance.now() - t)}` : ''}`);
const planted = malformedLines(size.visits);
console.log(`  ${planted.size} of its lines are malformed on purpose (short rows and bad IPs, lines ${[...planted.keys()].slice(0, 4).join(', ')}${planted.size > 4 ? ', …' : ''}), to show how failures are reported`);

// 2. The rules arena: built from the spec files once, saved beside them, loaded on later runs.
t = performance.now();
const { arena: rules, built, path: rulesFile } = await loadOrBuildRules(dir);
const rulesMs = performance.now() - t;
console.log(`${built ? 'Built and saved' : 'Loaded the saved'} classifier arena: ${mb(rules.byteLength)} in ${ms(rulesMs)} (${rulesFile})`);

/** The whole job is this call: parse each visit, classify it, write one line per visit, in input order. */
function classify(pool: Pool<typeof classifyTask>, out: string, onProgress?: (p: Progress) => void): Promise<RunSummary> {
  return pool.imap(csv(visitsPath, { columns: VISIT_COLUMNS }), { onProgress }).pipeTo(out, { header: 'id,topic,section,network\n' });
}

// 3. Workers attach to the arena (a handle, not a copy), then classify with a progress bar.
t = performance.now();
await using pool = createPool<typeof classifyTask>({
  task: new URL('./classify.task.ts', import.meta.url),
  workers,
  shared: { rules },
  counters: ['unmatched'],
});
await pool.ready();
const attachMs = performance.now() - t;
console.log(`${workers} workers attached in ${ms(attachMs)}`);
const resultsPath = join(dir, 'results.csv');
const progress = progressReporter(statSync(visitsPath).size);
const result = await classify(pool, resultsPath, progress.update);
progress.stop();
console.log(`\nClassified ${result.rows.toLocaleString('en-US')} visits in ${ms(result.elapsedMs)} (${rate(result.rows, result.elapsedMs)}) → ${resultsPath}`);
console.log(`  matched nothing: ${pool.counters()['unmatched']?.toLocaleString('en-US')}; failed: ${result.failed} (the planted lines)`);
for (const e of result.failures.slice(0, 4)) console.log(`  ${e.message}`);
if (result.failed > 4) console.log(`  … and ${result.failed - 4} more`);
if (result.failed !== planted.size || result.failures.some((e) => !planted.has(e.line!))) {
  console.error(`✖ expected exactly the ${planted.size} planted lines to fail`);
  process.exitCode = 1;
}
await pool.close();

// 4. The honest baseline: the same task module over the same file in this thread (the in-thread runner).
console.log('\nThe same task in one thread (createPool({ workers: 0 }))…');
const oneThreadPath = join(dir, 'results-one-thread.csv');
const oneThread = await classify(createPool<typeof classifyTask>({ task: new URL('./classify.task.ts', import.meta.url), workers: 0, shared: { rules }, counters: ['unmatched'] }), oneThreadPath);
const sameAsOneThread = readFileSync(oneThreadPath).equals(readFileSync(resultsPath));

const table = [
  ['', `sabre pool (${workers} workers)`, 'same task, one thread', 'csv-parse + Maps, one thread'],
  ['set-up', `${ms(rulesMs + attachMs)} (${built ? 'build' : 'load'} + attach)`, '', ''],
  ['classify', `${ms(result.elapsedMs)} (${rate(result.rows, result.elapsedMs)})`, `${ms(oneThread.elapsedMs)} (${rate(oneThread.rows, oneThread.elapsedMs)})`, ''],
  ['speed ÷ one thread (same task)', `${(oneThread.elapsedMs / result.elapsedMs).toFixed(2)}×`, '1×', ''],
  ['results', 'results.csv', sameAsOneThread ? 'identical ✔' : 'DIFFERENT ✖', ''],
];
if (!sameAsOneThread) process.exitCode = 1;

// 5. The usual way (csv-parse's stream parser and Maps), in its own process, as a reference.
if (!args['no-baseline']) {
  console.log('Running the job the usual way: one thread, csv-parse and Maps…');
  const baselinePath = join(dir, 'baseline-results.csv');
  const line = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'baseline.ts'), dir, baselinePath], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const base = JSON.parse(line) as { setupMs: number; classifyMs: number; rows: number; failed: number };
  const same = readFileSync(baselinePath).equals(readFileSync(resultsPath).subarray('id,topic,section,network\n'.length));
  table[1]![3] = `${ms(base.setupMs)} (read into Maps)`;
  table[2]![3] = `${ms(base.classifyMs)} (${rate(base.rows, base.classifyMs)})`;
  table[3]![3] = `${(oneThread.elapsedMs / base.classifyMs).toFixed(2)}×`;
  table[4]![3] = same ? `identical ✔ (${base.failed} failed rows)` : 'DIFFERENT ✖';
  if (!same || base.rows !== result.rows || base.failed !== result.failed) {
    console.error(`✖ the runs disagree: sabre ${result.rows} rows / ${result.failed} failed, csv-parse ${base.rows} / ${base.failed}`);
    process.exitCode = 1;
  }
}
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
console.log('');
for (const r of table) console.log(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`);
if (!args.full) console.log(`\nFull size (6M visits, ~350 MB): npm run demo -- --full`);

/** A progress bar on a terminal, quarter-way lines otherwise. */
function progressReporter(total: number): { update: (p: Progress) => void; stop: () => void } {
  const tty = process.stdout.isTTY === true;
  const bar = new cliProgress.SingleBar({ format: 'classify |{bar}| {percentage}% | {rows} rows | {speed}', hideCursor: true }, cliProgress.Presets.shades_classic);
  if (tty) bar.start(total, 0, { rows: 0, speed: '' });
  let next = 0.25;
  return {
    update: (p) => {
      const rows = (p.rowsDone + p.rowsFailed).toLocaleString('en-US');
      if (tty) bar.update(p.bytesRead, { rows, speed: `${Math.round(p.rowsPerSecond).toLocaleString('en-US')} rows/s` });
      else if (p.bytesRead / total >= next) {
        console.log(`  ${Math.round((100 * p.bytesRead) / total)}%: ${rows} rows`);
        next += 0.25;
      }
    },
    stop: () => {
      if (tty) bar.stop();
    },
  };
}
