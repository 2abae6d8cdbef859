/**
 * The arena demo (no schema, no pool): build one arena of keyword → label rules, save it, load and verify it, and let two
 * workers read it in place — beside the usual way of giving the same data to a worker (a Map,
 * structured-cloned by postMessage), measured in the same run.
 *
 *   npx tsx --conditions=@sabre/source examples/hello/main.ts                  # 1M rules
 *   npx tsx --conditions=@sabre/source examples/hello/main.ts --rows 3000000
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Arena } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { load, save } from '@sabre/arena/node';
import { LAYOUT } from './layout.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows < 2) {
  console.error(`✖ --rows must be an integer ≥ 2, got ${JSON.stringify(values.rows)}`);
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const LABELS = ['sports', 'news', 'finance', 'travel', 'music', 'science', 'health', 'food', 'games', 'shopping'];
const keyword = (i: number) => `kw-${i.toString(36)}`;
const label = (i: number) => LABELS[(i * 7) % LABELS.length] as string;
const weight = (i: number) => (i % 100) / 8;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

console.log(`sabre demo: ${rows.toLocaleString('en-US')} keyword → label rules, 2 workers\n`);

// 1. Build the arena (strings interned: each label is stored once, rows hold ids).
let t = performance.now();
const b = new ArenaBuilder({ layoutHash: LAYOUT });
const w = b.section('rules');
for (let i = 0; i < rows; i++) w.u32(b.intern(keyword(i))).u32(b.intern(label(i))).f64(weight(i));
w.end();
const built = b.finish();
console.log(`built the arena         ${ms(performance.now() - t).padStart(9)}   ${mb(built.byteLength)}`);

// 2. Save it, load it back (one read into a SharedArrayBuffer) and verify every byte.
const file = join(here, '.data', 'rules.sabre');
mkdirSync(dirname(file), { recursive: true });
t = performance.now();
await save(built, file);
console.log(`saved                   ${ms(performance.now() - t).padStart(9)}   ${file} (${mb(statSync(file).size)})`);
t = performance.now();
const arena: Arena = await load(file, { layoutHash: LAYOUT });
console.log(`loaded + verified       ${ms(performance.now() - t).padStart(9)}`);

// The reference answer, computed in plain JS.
const expected: Record<string, number> = {};
let expectedWeight = 0;
for (let i = 0; i < rows; i++) {
  expected[label(i)] = (expected[label(i)] ?? 0) + 1;
  expectedWeight += weight(i);
}

interface Reply { counts: Record<string, number>; weight: number; attachMs: number; scanMs: number; heapGrowth: number }

function start(): Worker {
  return new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./scan.worker.ts', import.meta.url).href },
    execArgv: ['--conditions=@sabre/source'],
  });
}
function ask<T>(worker: Worker, msg: unknown): { blockedMs: number; reply: Promise<T> } {
  const reply = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const t0 = performance.now();
  worker.postMessage(msg); // serializes synchronously: this is the main thread's blocked time
  return { blockedMs: performance.now() - t0, reply };
}
function merge(replies: Reply[]): { counts: Record<string, number>; weight: number } {
  const counts: Record<string, number> = {};
  let total = 0;
  for (const r of replies) {
    for (const [k, n] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + n;
    total += r.weight;
  }
  return { counts, weight: total };
}
function check(name: string, got: { counts: Record<string, number>; weight: number }): void {
  const ok = LABELS.every((l) => got.counts[l] === expected[l]) && Math.abs(got.weight - expectedWeight) < 1e-6 * expectedWeight;
  if (!ok) throw new Error(`${name}: the workers' counts differ from the plain-JS reference`);
}

// 3. sabre: two workers share the one arena; each scans half of the rows.
const workers = [start(), start()];
await Promise.all(workers.map((wk) => ask(wk, { kind: 'ping' }).reply));
t = performance.now();
const half = Math.floor(rows / 2);
const jobs = workers.map((wk, k) => ask<Reply>(wk, { kind: 'arena', buffer: arena.buffer, from: k * half, to: k === 0 ? half : rows }));
const sabre = await Promise.all(jobs.map((j) => j.reply));
const sabreMs = performance.now() - t;
check('sabre', merge(sabre));

// 4. The usual way: the same rules as a Map, structured-cloned into a worker.
const map = new Map<string, { label: string; weight: number }>();
for (let i = 0; i < rows; i++) map.set(keyword(i), { label: label(i), weight: weight(i) });
await ask(workers[0] as Worker, { kind: 'ping' }).reply;
t = performance.now();
const cloned = ask<Reply>(workers[0] as Worker, { kind: 'map', map });
const clone = await cloned.reply;
const cloneMs = performance.now() - t;
check('structured clone', merge([clone]));
await Promise.all(workers.map((wk) => wk.terminate()));

const attach = Math.max(...sabre.map((r) => r.attachMs));
const heap = Math.max(...sabre.map((r) => r.heapGrowth));
console.log(`
                               sabre arena (2 workers)    Map via postMessage (1 worker)
main thread blocked            ${ms(Math.max(...jobs.map((j) => j.blockedMs))).padStart(12)}               ${ms(cloned.blockedMs).padStart(12)}
post → worker can read         ${ms(attach).padStart(12)} (open)        ${ms(cloneMs - clone.scanMs).padStart(12)} (clone)
post → all counts back         ${ms(sabreMs).padStart(12)}               ${ms(cloneMs).padStart(12)}
heap growth per worker         ${mb(heap).padStart(12)}               ${mb(clone.heapGrowth).padStart(12)}

Both answers match the plain-JS reference. The arena is ${mb(arena.byteLength)} in one SharedArrayBuffer, shared by
every worker; the Map is copied into each worker that needs it, and again on every respawn.`);
