/**
 * One way of running the lookup-heavy job, alone in a fresh process so its peak RSS is its own:
 *   sabre      — arena built from the keywords, shared with a 2-worker sabre pool
 *   piscina    — a Map cloned into each of 2 Piscina workers (workerData), 1,000-row batches
 *   one-thread — a Map, classified in the main thread
 * Prints one JSON line: setup and run times, rows/s and peak RSS.
 */
import { Piscina } from 'piscina';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { createPool } from '@sabre/pool';
import { KEYWORDS, classify, textRows } from './classify.js';
import type task from './classify.task.ts';
import { peakRssMB } from './peak-rss.js';

const [mode = 'sabre', keysArg = '1000000', rowsArg = '400000'] = process.argv.slice(2);
const keywords = KEYWORDS(Number(keysArg));
const rows = textRows(Number(rowsArg), keywords.length);
const t0 = performance.now();
let checksum = 0;
let setupMs = 0;
let runMs = 0;
if (mode === 'sabre') {
  const b = new ArenaBuilder();
  writeStringHashMap(b, 'keywords', keywords, keywords.map((_, i) => i));
  const arena = b.finish();
  const pool = createPool<typeof task>({ task: new URL('./classify.task.ts', import.meta.url), workers: 2, shared: { keywords: arena } });
  await pool.ready();
  setupMs = performance.now() - t0;
  const t1 = performance.now();
  for await (const g of pool.imapUnordered(rows).batches()) for (let k = 0; k < g.length; k++) checksum = (checksum + g.values![k]!) % 1e9;
  runMs = performance.now() - t1;
  await pool.close();
} else {
  const map = new Map<string, number>();
  keywords.forEach((k, i) => map.set(k, i));
  if (mode === 'piscina') {
    const piscina = new Piscina({ filename: new URL('./classify.piscina.mjs', import.meta.url).href, minThreads: 2, maxThreads: 2, workerData: { map } });
    await Promise.all([piscina.run(['']), piscina.run([''])]); // both workers up, with their copies
    setupMs = performance.now() - t0;
    const t1 = performance.now();
    const batches: string[][] = [];
    for (let i = 0; i < rows.length; i += 1000) batches.push(rows.slice(i, i + 1000));
    for (const out of await Promise.all(batches.map((b) => piscina.run(b) as Promise<number[]>))) for (const v of out) checksum = (checksum + v) % 1e9;
    runMs = performance.now() - t1;
    await piscina.destroy();
  } else {
    setupMs = performance.now() - t0;
    const t1 = performance.now();
    const get = (w: string) => map.get(w) ?? -1;
    for (const r of rows) checksum = (checksum + classify(r, get)) % 1e9;
    runMs = performance.now() - t1;
  }
}
console.log(JSON.stringify({ mode, setupMs, runMs, rowsPerSecond: (rows.length * 1000) / runMs, peakRssMB: peakRssMB(), checksum }));
