/**
 * A thin layer over benny: every suite names its baseline, every case processes `items` things per
 * call, and the result is reported as time per item and as a ratio against the baseline measured in
 * the same process and the same run (ratios are what carry across machines; bare times do not).
 */
import b from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
export const FULL = process.argv.includes('--full');

export interface Case {
  name: string;
  /** Called once per sample iteration; processes `items` things. May be async. */
  fn: () => unknown;
  /** Smallest number of samples (slow cases lower it). */
  minSamples?: number;
  maxTime?: number;
}

export interface Row {
  suite: string;
  name: string;
  baseline: string;
  /** Nanoseconds per item: the median over rounds. */
  ns: number;
  /** Time per item ÷ the baseline's, in the same round; the median over rounds. < 1 is faster. */
  ratio: number;
  /** Smallest and largest per-round ratio: the spread a reader should allow for. */
  ratioMin: number;
  ratioMax: number;
  rounds: number;
}

/** Rounds per suite. This VM's speed drifts by up to 3× over seconds, so one pass of A then B can
 * mislead; alternating the order over several rounds and taking medians of per-round ratios does not. */
export const ROUNDS = FULL ? 5 : 3;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export async function suite(title: string, file: string, baseline: string, items: number, cases: Case[]): Promise<Row[]> {
  mkdirSync(RESULTS, { recursive: true });
  if (!cases.some((c) => c.name === baseline)) throw new Error(`suite "${title}" has no baseline case named "${baseline}"`);
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const rounds: unknown[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ordered = round % 2 === 0 ? cases : [...cases].reverse();
    const summary = await b.suite(
      `${title} — round ${round + 1}/${ROUNDS}`,
      ...ordered.map((c) => b.add(c.name, c.fn, { minSamples: c.minSamples ?? 5, maxTime: c.maxTime ?? (FULL ? 3 : 1) })),
      b.cycle(),
      b.complete(),
    );
    // benny rounds `ops` to whole numbers; the mean time per sample (seconds) keeps the precision.
    const ns = new Map(summary.results.map((r) => [r.name, (r.details.mean * 1e9) / items]));
    const base = ns.get(baseline) as number;
    for (const [name, t] of ns) {
      times.get(name)?.push(t);
      ratios.get(name)?.push(t / base);
    }
    rounds.push(summary.results.map((r) => ({ name: r.name, ns: ns.get(r.name), rme: r.margin, samples: r.samples })));
  }
  const rows: Row[] = cases.map((c) => {
    const rs = ratios.get(c.name) as number[];
    return { suite: title, name: c.name, baseline, ns: median(times.get(c.name) as number[]), ratio: median(rs), ratioMin: Math.min(...rs), ratioMax: Math.max(...rs), rounds: ROUNDS };
  });
  for (const r of rows) console.log(`  ${r.name.padEnd(48)} ${fmtNs(r.ns).padStart(10)} per item   ${fmtRatio(r.ratio)} ${baseline} (rounds: ${fmtRatio(r.ratioMin)}–${fmtRatio(r.ratioMax)})`);
  writeFileSync(join(RESULTS, `${file}.json`), `${JSON.stringify({ title, baseline, items, rows, rounds }, null, 2)}\n`);
  return rows;
}

/** "0.43×", or "1/19,000×" for ratios too small to read as decimals. */
export function fmtRatio(ratio: number): string {
  if (ratio >= 0.01) return `${ratio.toFixed(ratio >= 10 ? 1 : 3)}×`;
  return `1/${Math.round(1 / ratio).toLocaleString('en-US')}×`;
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** True when the module is the process's entry point (so each bench file also runs on its own). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];
}
