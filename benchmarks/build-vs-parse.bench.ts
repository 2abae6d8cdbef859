/**
 * Question: what does building an arena cost, next to reading the same data at all?
 * Baseline: parsing the CSV (412k IP blocks, 200k hostname rules) into typed arrays, the plainest fast
 * way (lib/lookup-csv.ts). sabre: building the row-function benchmark's arena (a range table and a
 * reversed trie) from those parsed arrays, as columns (`columns()`: no object per row) and, beside it,
 * from row objects made from them (what code that has rows as objects pays). The target is a build
 * within 1.5× the parse.
 * Memory: peak RSS growth while building, in a fresh process, against the arena's size (target ≤ 3×).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build, columns } from '@sabre/schema';
import { lookupCsv, parseLookupCsv, BLOCKS, RULES } from './lib/lookup-csv.js';
import { isMain, suite, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';
import { Lookup } from './schemas/lookup.schema.js';

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const csv = lookupCsv();
  const parsed = parseLookupCsv(csv);
  const entries = BLOCKS + RULES;
  const title = `Build ${BLOCKS.toLocaleString('en-US')} IP blocks + ${RULES.toLocaleString('en-US')} hostname rules`;
  const rows = await suite(title, 'build-vs-parse', 'parse the CSV into typed arrays', entries, [
    { name: 'parse the CSV into typed arrays', fn: () => void parseLookupCsv(csv), minSamples: 5 },
    {
      name: 'build the arena from the parsed arrays (columns())',
      fn: () =>
        void build(Lookup, {
          blocks: columns({ first: parsed.first, last: parsed.last, asn: parsed.asn }),
          suffixes: columns({ suffix: parsed.suffix, label: parsed.label }),
        }),
      minSamples: 5,
    },
    {
      name: 'make row objects from the parsed arrays and build from them',
      fn: () =>
        void build(Lookup, {
          blocks: Array.from(parsed.first, (first, i) => ({ first, last: parsed.last[i] as number, asn: parsed.asn[i] as number })),
          suffixes: parsed.suffix.map((suffix, i) => ({ suffix, label: parsed.label[i] as number })),
        }),
      minSamples: 5,
    },
  ]);
  // Memory: peak RSS of a fresh process that parses and builds, minus one that only parses (medians of 3 each).
  const child = fileURLToPath(new URL('./lib/build-child.ts', import.meta.url));
  const peak = (mode: string): { peakMB: number; arenaMB: number } => JSON.parse(execFileSync(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', child, mode], { encoding: 'utf8' }).trim().split('\n').at(-1)!);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const parses: number[] = [];
  const builds: number[] = [];
  let arenaMB = 0;
  for (let k = 0; k < 3; k++) {
    parses.push(peak('parse').peakMB);
    const b = peak('build');
    builds.push(b.peakMB);
    arenaMB = b.arenaMB;
  }
  const growth = median(builds) - median(parses);
  const facts: Fact[] = [
    { suite: title, name: 'arena size', value: arenaMB, unit: 'MB' },
    { suite: title, name: 'peak RSS, parse only (fresh process)', value: median(parses), unit: 'MB' },
    { suite: title, name: 'peak RSS, parse and build (fresh process)', value: median(builds), unit: 'MB' },
    { suite: title, name: 'peak RSS growth while building (fresh process)', value: growth, unit: 'MB' },
    { suite: title, name: 'peak RSS growth ÷ arena size', value: growth / arenaMB, unit: '×' },
  ];
  console.log(facts.map((f) => `  ${f.name}: ${f.value.toFixed(2)} ${f.unit}`).join('\n'));
  return { rows, facts };
}

if (isMain(import.meta.url)) await run();
