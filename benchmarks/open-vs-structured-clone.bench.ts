/**
 * Question: what does it cost to give a big read-only structure to a worker?
 * Baseline: structured-cloning an equivalent `Map` (what `workerData` / `postMessage` do).
 * sabre: post the arena's SharedArrayBuffer; the worker runs `Arena.open` (O(1)) and reads one row.
 * Also measured outside benny: main-thread time blocked in postMessage, and per-worker heap growth.
 */
import type { Arena } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { FULL, isMain, suite, type Row } from './lib/suite.js';
import { ask, tsWorker } from './lib/workers.js';

export interface Fact { suite: string; name: string; value: number; unit: string }

const WORKER = new URL('./lib/give.worker.ts', import.meta.url);
interface Reply { value: number; ms: number; heapGrowth: number }

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const n = FULL ? 3_000_000 : 1_000_000;
  const title = `Give a ${n / 1e6}M-entry structure to a worker`;
  console.log(`\n${title}`);
  const key = (i: number) => `user-${i.toString(36)}/${i % 1000}`;
  const map = new Map<string, { id: number; score: number }>();
  for (let i = 0; i < n; i++) map.set(key(i), { id: i, score: i / 7 });

  const t0 = performance.now();
  const b = new ArenaBuilder();
  const rows = b.section('rows');
  for (let i = 0; i < n; i++) rows.u32(b.intern(key(i))).u32(i).f64(i / 7);
  rows.end();
  const arena: Arena = b.finish();
  const buildMs = performance.now() - t0;

  const probe = n >>> 1;
  const worker = tsWorker(WORKER);
  try {
    const facts: Fact[] = [];
    const result = await suite(title, 'open-vs-structured-clone', 'structured clone of a Map', 1, [
      { name: 'structured clone of a Map', fn: () => ask<Reply>(worker, { kind: 'map', map, probe: key(probe) }), minSamples: 2, maxTime: 1 },
      { name: 'share the SharedArrayBuffer + Arena.open', fn: () => ask<Reply>(worker, { kind: 'arena', buffer: arena.buffer, row: probe }) },
    ]);

    // Outside benny: fresh workers, so each heap reading starts from an empty isolate.
    for (const kind of ['map', 'arena'] as const) {
      const fresh = tsWorker(WORKER);
      try {
        await ask(fresh, { kind: 'ping' }); // the worker is up and idle before measuring
        const m0 = performance.now();
        const reply = ask<Reply>(fresh, kind === 'map' ? { kind, map, probe: key(probe) } : { kind, buffer: arena.buffer, row: probe });
        const blocked = performance.now() - m0; // postMessage serializes synchronously
        const r = await reply;
        const roundTrip = performance.now() - m0;
        if (r.value !== probe) throw new Error(`worker read ${r.value}, expected ${probe}`);
        const label = kind === 'map' ? 'structured clone of a Map' : 'SharedArrayBuffer + Arena.open';
        facts.push(
          { suite: title, name: `${label}: main thread blocked`, value: blocked, unit: 'ms' },
          { suite: title, name: `${label}: post → worker has read one entry → reply`, value: roundTrip, unit: 'ms' },
          { suite: title, name: `${label}: worker heap growth`, value: r.heapGrowth / 2 ** 20, unit: 'MB' },
        );
        // A cloned Map is deserialized before the worker's handler runs, so only the arena's is meaningful.
        if (kind === 'arena') facts.push({ suite: title, name: `${label}: in the worker, Arena.open + first read`, value: r.ms, unit: 'ms' });
      } finally {
        await fresh.terminate();
      }
    }
    facts.push(
      { suite: title, name: 'arena size', value: arena.byteLength / 2 ** 20, unit: 'MB' },
      { suite: title, name: 'arena build time', value: buildMs, unit: 'ms' },
    );
    for (const f of facts) console.log(`  ${f.name.padEnd(60)} ${f.value.toFixed(f.unit === 'ms' ? 3 : 1)} ${f.unit}`);
    return { rows: result, facts };
  } finally {
    await worker.terminate();
  }
}

if (isMain(import.meta.url)) await run();
