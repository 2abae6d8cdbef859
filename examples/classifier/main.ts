/**
 * The seed job, end to end: build a classifier (1M keywords, path-prefix rules, IP ranges) from CSV
 * files into one arena, then classify a CSV of visits on a pool of workers that share it, writing
 * results.csv — and run the same job the usual way (one thread, csv-parse and Maps) to compare.
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
import type { RowError } from '@sabre/pool';
import { ensureData } from './data.js';
import { buildRules } from './rules.js';
import type classifyTask from './classify.task.ts';
import type { Visit } from './classify.task.ts';

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

// 2. Build the arena from the spec files.
t = performance.now();
const rules = await buildRules(join(dir, 'spec'));
const buildMs = performance.now() - t;
console.log(`Built the classifier arena: ${mb(rules.byteLength)} in ${ms(buildMs)}`);

// 3. Workers attach to it (a handle, not a copy).
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

// 4. Classify, in input order, with a progress bar.
const resultsPath = join(dir, 'results.csv');
const tty = process.stdout.isTTY === true;
const bar = new cliProgress.SingleBar({ format: 'classify |{bar}| {percentage}% | {rows} rows | {speed}', hideCursor: true }, cliProgress.Presets.shades_classic);
const total = statSync(visitsPath).size;
if (tty) bar.start(total, 0, { rows: 0, speed: '' });
let nextReport = 0.25;
t = performance.now();
const run = pool.imap(csv(visitsPath, { columns: ['id', 'ip', 'url', 'text'] }), {
  onProgress: (p) => {
    if (tty) bar.update(p.bytesRead, { rows: (p.rowsDone + p.rowsFailed).toLocaleString('en-US'), speed: `${Math.round(p.rowsPerSecond).toLocaleString('en-US')} rows/s` });
    else if (p.bytesRead / total >= nextReport) {
      console.log(`  ${Math.round((100 * p.bytesRead) / total)}%: ${(p.rowsDone + p.rowsFailed).toLocaleString('en-US')} rows`);
      nextReport += 0.25;
    }
  },
});
const summary0 = await run.pipeTo(resultsPath, { header: 'id,topic,section,network\n' });
const rows = summary0.rows;
const failures: RowError[] = summary0.failures;
const classifyMs = performance.now() - t;
if (tty) bar.stop();
const peakRss = process.resourceUsage().maxRSS * 1024;

console.log(`\nClassified ${rows.toLocaleString('en-US')} visits in ${ms(classifyMs)} (${rate(rows, classifyMs)}) → ${resultsPath}`);
console.log(`  matched nothing: ${pool.counters()['unmatched']?.toLocaleString('en-US')}; failed: ${failures.length}`);
for (const e of failures.slice(0, 5)) console.log(`  ${e.message}`);
if (failures.length > 5) console.log(`  … and ${failures.length - 5} more`);

// 5. The usual way, in its own process, for comparison.
const summary = [
  ['', 'sabre (pool of ' + workers + ')', 'one thread, csv-parse + Maps'],
  ['set-up (read rules, build, attach)', ms(buildMs + attachMs), ''],
  ['classify', `${ms(classifyMs)} (${rate(rows, classifyMs)})`, ''],
  ['peak RSS', mb(peakRss), ''],
];
if (!args['no-baseline']) {
  console.log('\nRunning the same job in one thread with csv-parse and Maps…');
  const baselinePath = join(dir, 'baseline-results.csv');
  const line = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'baseline.ts'), dir, baselinePath], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const base = JSON.parse(line) as { setupMs: number; classifyMs: number; rows: number; failed: number; peakRssMB: number };
  summary[1]![2] = ms(base.setupMs);
  summary[2]![2] = `${ms(base.classifyMs)} (${rate(base.rows, base.classifyMs)})`;
  summary[3]![2] = `${base.peakRssMB.toFixed(0)} MB`;
  summary.push(['classify speed, sabre ÷ one thread', `${(base.classifyMs / classifyMs).toFixed(2)}×`, '1×']);
  const same = readFileSync(baselinePath).equals(readFileSync(resultsPath).subarray('id,topic,section,network\n'.length));
  summary.push(['results', same ? 'identical ✔' : 'DIFFERENT ✖', `${base.failed} failed rows`]);
  if (!same || base.rows !== rows || base.failed !== failures.length) {
    console.error(`✖ the two runs disagree: sabre ${rows} rows / ${failures.length} failed, baseline ${base.rows} / ${base.failed}`);
    process.exitCode = 1;
  }
}
const widths = [0, 1, 2].map((c) => Math.max(...summary.map((r) => r[c]!.length)));
console.log('');
for (const r of summary) console.log(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`);
if (!args.full) console.log(`\nFull size (6M visits, ~350 MB): npm run demo -- --full`);
