/**
 * `pnpm bench`: runs every benchmark in this folder, one after another in this process, and writes
 * results/summary.json and results/summary.md (a table of ratios against each baseline, measured in
 * the same run). `--full` uses the large sizes.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { run as giveToWorker, type Fact } from './open-vs-structured-clone.bench.js';
import { ratioChart } from './lib/chart.js';
import { FULL, RESULTS, fmtNs, fmtRatio, type Row } from './lib/suite.js';
import { run as hashMap } from './hash-map-vs-map.bench.js';
import { run as ranges } from './ranges-vs-binary-search.bench.js';
import { run as trieBench } from './trie-vs-object-trie.bench.js';
import { run as scan } from './scan-vs-objects.bench.js';
import { run as strings } from './string-hash-equals-vs-encode.bench.js';
import { run as poolOverhead } from './pool-vs-piscina.bench.js';
import { run as poolLookup } from './pool-lookup.bench.js';
import { run as poolJob } from './pool-job.bench.js';
import { run as rowFunction } from './row-function.bench.js';
import { run as buildVsParse } from './build-vs-parse.bench.js';
import { run as poolUpdate } from './pool-update.bench.js';

const rows: Row[] = [];
const facts: Fact[] = [];
// In this order; suites without facts report only rows.
type Suite = () => Promise<{ rows: Row[]; facts?: Fact[] }>;
const suites: Suite[] = [giveToWorker, strings, scan, ranges, rowFunction, buildVsParse, trieBench, hashMap, poolJob, poolOverhead, poolLookup, poolUpdate];
for (const bench of suites) {
  const r = await bench();
  rows.push(...r.rows);
  facts.push(...(r.facts ?? []));
}

const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${FULL ? ' (--full)' : ''}.`,
  'Ratio = time per item ÷ the baseline\'s, same process, same run: below 1× is faster than the baseline.',
  '',
  `Each suite runs ${rows[0]?.rounds ?? 0} rounds in alternating order; times and ratios are medians, with the per-round range.`,
  '',
  '| question | case | time per item | ratio (range) | baseline |',
  '|---|---|---:|---:|---|',
  ...rows.map((r) => `| ${r.suite} | ${r.name} | ${fmtNs(r.ns)} | ${r.name === r.baseline ? '1×' : `${fmtRatio(r.ratio)} (${fmtRatio(r.ratioMin)}–${fmtRatio(r.ratioMax)})`} | ${r.baseline} |`),
  '',
  '| measured outside benny | value |',
  '|---|---:|',
  ...facts.map((f) => `| ${f.suite}: ${f.name} | ${f.value.toLocaleString('en-US', { maximumFractionDigits: f.unit === 'ms' || f.unit === '×' ? 3 : f.unit === 'rows/s' ? 0 : 1 })} ${f.unit} |`),
  '',
];
writeFileSync(join(RESULTS, 'summary.md'), lines.join('\n'));
writeFileSync(join(RESULTS, 'ratios.svg'), ratioChart(rows, lines[0]!));
writeFileSync(join(RESULTS, 'summary.json'), `${JSON.stringify({ machine, full: FULL, rows, facts }, null, 2)}\n`);
console.log(`\n${lines.join('\n')}\nWritten to ${join(RESULTS, 'summary.md')}`);
