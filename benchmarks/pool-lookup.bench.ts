/**
 * Question: does a pool of 2 workers sharing one arena double the throughput of a lookup-heavy job, and
 * what does it cost in memory against the usual way (a Map cloned into each Piscina worker)?
 * Baseline (benny): one thread classifying with the same arena. Rows are 8 words, each looked up in a
 * 1M-keyword hash map. Peak RSS and setup times come from fresh child processes (lib/rss-child.ts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Arena, HashMapView, SectionKind } from '@sabre/arena';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { createPool } from '@sabre/pool';
import { KEYWORDS, classify, textRows } from './lib/classify.js';
import type task from './lib/classify.task.ts';
import { FULL, isMain, suite, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const keys = 1_000_000;
  const n = FULL ? 1_000_000 : 200_000;
  const title = `Lookup-heavy rows (8 lookups each, ${keys / 1e6}M keywords), ${n / 1e3}k rows`;
  console.log(`\n${title}`);
  const keywords = KEYWORDS(keys);
  const b = new ArenaBuilder();
  writeStringHashMap(b, 'keywords', keywords, keywords.map((_, i) => i));
  const arena = b.finish();
  const map = new HashMapView(Arena.open(arena.buffer).section('keywords', SectionKind.HashMap));
  const get = (w: string) => map.get(w);
  const rows = textRows(n, keys);
  let expected = 0;
  for (const r of rows) expected = (expected + classify(r, get)) % 1e9;
  const pool = createPool<typeof task>({ task: new URL('./lib/classify.task.ts', import.meta.url), workers: 2, shared: { keywords: arena } });
  await pool.ready();
  try {
    const result = await suite(title, 'pool-lookup', 'one thread, same arena', n, [
      {
        name: 'one thread, same arena',
        fn: () => {
          let sum = 0;
          for (const r of rows) sum = (sum + classify(r, get)) % 1e9;
          if (sum !== expected) throw new Error('one thread: wrong checksum');
        },
        minSamples: 3,
      },
      {
        name: 'sabre pool, 2 workers',
        fn: async () => {
          let sum = 0;
          for await (const g of pool.imapUnordered(rows).batches()) for (let k = 0; k < g.length; k++) sum = (sum + g.values![k]!) % 1e9;
          if (sum !== expected) throw new Error('pool: wrong checksum');
        },
        minSamples: 3,
      },
    ]);
    const facts: Fact[] = [];
    const child = fileURLToPath(new URL('./lib/rss-child.ts', import.meta.url));
    const runs: Record<string, { setupMs: number; rowsPerSecond: number; peakRssMB: number; checksum: number }> = {};
    for (const mode of ['one-thread', 'piscina', 'sabre']) {
      const out = execFileSync(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', child, mode, String(keys), String(FULL ? 1_000_000 : 400_000)], { encoding: 'utf8' });
      runs[mode] = JSON.parse(out.trim().split('\n').at(-1)!);
      const r = runs[mode]!;
      facts.push(
        { suite: title, name: `${mode}: setup (build the structure, start workers)`, value: r.setupMs, unit: 'ms' },
        { suite: title, name: `${mode}: rows per second`, value: r.rowsPerSecond, unit: 'rows/s' },
        { suite: title, name: `${mode}: peak RSS`, value: r.peakRssMB, unit: 'MB' },
      );
    }
    if (new Set(Object.values(runs).map((r) => r.checksum)).size !== 1) throw new Error('child processes disagree on the checksum');
    facts.push(
      { suite: title, name: 'sabre ÷ Piscina with cloned Maps: peak RSS', value: runs['sabre']!.peakRssMB / runs['piscina']!.peakRssMB, unit: '×' },
      { suite: title, name: 'sabre ÷ Piscina with cloned Maps: rows per second', value: runs['sabre']!.rowsPerSecond / runs['piscina']!.rowsPerSecond, unit: '×' },
      { suite: title, name: 'sabre ÷ one thread with a Map: peak RSS', value: runs['sabre']!.peakRssMB / runs['one-thread']!.peakRssMB, unit: '×' },
    );
    for (const f of facts) console.log(`  ${f.name.padEnd(60)} ${f.value.toFixed(f.unit === 'rows/s' ? 0 : 2)} ${f.unit}`);
    return { rows: result, facts };
  } finally {
    await pool.close();
  }
}

if (isMain(import.meta.url)) await run();
