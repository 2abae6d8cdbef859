/**
 * Question: what does the pool cost per row when the work per row is trivial?
 * Baseline: Piscina with 1,000-row batches (every batch submitted at once), the best a user gets from it.
 * Also: one thread (the plain loop), and Piscina with one row per task (measured outside benny on fewer
 * rows: it is 100× slower). The task hashes a ~30-character string (FNV-1a, about 0.1 µs).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { createPool } from '@sabre/pool';
import { fnv1a, trivialRow } from './lib/fnv.js';
import type task from './lib/fnv.task.ts';
import { FULL, isMain, suite, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';

const WORKERS = 2;

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const n = FULL ? 1_000_000 : 200_000;
  const title = `Pool overhead: ${n / 1e3}k trivial rows, ${WORKERS} workers`;
  console.log(`\n${title} (machine threads: ${availableParallelism()})`);
  const rows = Array.from({ length: n }, (_, i) => trivialRow(i));
  const batches: string[][] = [];
  for (let i = 0; i < n; i += 1000) batches.push(rows.slice(i, i + 1000));
  let expected = 0;
  for (const r of rows) expected = (expected + fnv1a(r)) >>> 0;

  const piscina = new Piscina({ filename: new URL('./lib/fnv.piscina.mjs', import.meta.url).href, minThreads: WORKERS, maxThreads: WORKERS });
  const pool = createPool<typeof task>({ task: new URL('./lib/fnv.task.ts', import.meta.url), workers: WORKERS });
  await pool.ready();
  const check = (sum: number, who: string) => {
    if (sum !== expected) throw new Error(`${who} computed a different checksum`);
  };
  try {
    const result = await suite(title, 'pool-vs-piscina', 'Piscina, 1,000-row batches', n, [
      {
        name: 'Piscina, 1,000-row batches',
        fn: async () => {
          let sum = 0;
          for (const out of await Promise.all(batches.map((b) => piscina.run(b) as Promise<number[]>))) for (const h of out) sum = (sum + h) >>> 0;
          check(sum, 'Piscina');
        },
        minSamples: 3,
      },
      {
        name: 'one thread, plain loop',
        fn: () => {
          let sum = 0;
          for (const r of rows) sum = (sum + fnv1a(r)) >>> 0;
          check(sum, 'the loop');
        },
        minSamples: 3,
      },
      {
        name: 'sabre pool, imapUnordered(rows).batches()',
        fn: async () => {
          let sum = 0;
          for await (const g of pool.imapUnordered(rows).batches()) for (let k = 0; k < g.length; k++) sum = (sum + g.values![k]!) >>> 0;
          check(sum, 'the pool');
        },
        minSamples: 3,
      },
      {
        name: 'sabre pool, for await (const o of imapUnordered(rows))',
        fn: async () => {
          let sum = 0;
          for await (const o of pool.imapUnordered(rows)) if (o.ok) sum = (sum + o.value) >>> 0;
          check(sum, 'the pool');
        },
        minSamples: 3,
      },
    ]);

    // One row per task: fewer rows, or it takes minutes.
    const few = rows.slice(0, 20_000);
    const t0 = performance.now();
    await Promise.all(few.map((r) => piscina.run(r)));
    const oneRowNs = ((performance.now() - t0) * 1e6) / few.length;
    const base = result.find((r) => r.name === 'Piscina, 1,000-row batches')!.ns;
    const facts: Fact[] = [
      { suite: title, name: 'Piscina, 1 row per task (20k rows): time per row', value: oneRowNs / 1e3, unit: 'µs' },
      { suite: title, name: 'Piscina, 1 row per task ÷ Piscina batched', value: oneRowNs / base, unit: '×' },
    ];
    for (const f of facts) console.log(`  ${f.name.padEnd(60)} ${f.value.toFixed(3)} ${f.unit}`);
    return { rows: result, facts };
  } finally {
    await Promise.all([piscina.destroy(), pool.close()]);
  }
}

if (isMain(import.meta.url)) await run();
