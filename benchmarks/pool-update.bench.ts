/**
 * Question: what does replacing the shared data of a running pool cost (pool.update)?
 *
 * 1. Switch time: from `update()` to every worker switched (the promise resolves), for a 1M-keyword
 *    arena, 2 workers; idle, and while a job keeps both workers busy (the update waits for the batches
 *    already sent, then each worker re-runs the task's init on the new arena).
 * 2. Throughput around an update: rows/s of a classify job (benchmarks/lib/classify.task.ts) in the
 *    second before the call and the second after it (shorter if the job was), the call made when half
 *    the job's rows are done, per round; the dip is the pause while workers finish their batches and
 *    switch.
 * Rounds alternate idle and busy; medians with ranges. Run alone:
 * `node --conditions=@sabre/source --import tsx benchmarks/pool-update.bench.ts`.
 */
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import type { Arena } from '@sabre/arena';
import { createPool } from '@sabre/pool';
import type task from './lib/classify.task.ts';
import { KEYWORDS, textRows } from './lib/classify.js';
import { FULL, isMain, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function keywordArena(keys: string[], salt: number): Arena {
  const b = new ArenaBuilder();
  writeStringHashMap(b, 'keywords', keys, keys.map((_, i) => (i + salt) % 64));
  return b.finish();
}

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const keys = KEYWORDS(1_000_000);
  const arenas = [keywordArena(keys, 0), keywordArena(keys, 1)];
  const rows = textRows(FULL ? 4_000_000 : 2_000_000, keys.length);
  const rounds = 5;
  const title = 'Hot swap: pool.update of a 1M-keyword arena, 2 workers';
  console.log(`\n${title}`);
  const pool = createPool<typeof task>({ task: new URL('./lib/classify.task.ts', import.meta.url), workers: 2, shared: { keywords: arenas[0]! }, batchMs: 50 });
  const idle: number[] = [];
  const busy: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  try {
    await pool.ready();
    let next = 1;
    const swap = async (): Promise<number> => {
      const t = performance.now();
      await pool.update({ keywords: arenas[next]! });
      next ^= 1;
      return performance.now() - t;
    };
    for (let r = 0; r < rounds; r++) {
      idle.push(await swap());
      // A job that keeps both workers busy; the update comes when half its rows are done (a fixed time
      // in broke the day the machine ran the whole job in under it).
      const done: { at: number; n: number }[] = [];
      const start = performance.now();
      let called = -1;
      let switchMs = 0;
      let rowsDone = 0;
      let swapping: Promise<void> | null = null;
      for await (const b of pool.imapUnordered(rows).batches()) {
        const now = performance.now() - start;
        done.push({ at: now, n: b.length });
        rowsDone += b.length;
        if (swapping === null && rowsDone >= rows.length / 2) {
          called = now;
          swapping = swap().then((ms) => void (switchMs = ms));
        }
      }
      await swapping;
      if (called < 0) throw new Error('the job ended before the update: make it longer');
      busy.push(switchMs);
      // Windows of up to a second on each side of the call, as long as the job lasted on both sides.
      const window = Math.min(1000, called, (done.at(-1)?.at ?? called) - called);
      const rate = (from: number, to: number) => done.filter((d) => d.at > from && d.at <= to).reduce((s, d) => s + d.n, 0) / ((to - from) / 1000);
      before.push(rate(called - window, called));
      after.push(rate(called, called + window));
      console.log(`  round ${r + 1}: switch idle ${idle[r]!.toFixed(1)} ms, busy ${switchMs.toFixed(1)} ms; rows/s ${Math.round(before[r]!)} before → ${Math.round(after[r]!)} after`);
    }
  } finally {
    await pool.close();
  }
  const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  console.log(`  medians: idle ${median(idle).toFixed(1)} ms (${range(idle, 1)}), busy ${median(busy).toFixed(1)} ms (${range(busy, 1)}), rows/s ${Math.round(median(before))} before, ${Math.round(median(after))} after`);
  const suite = title;
  const facts: Fact[] = [
    { suite, name: 'update to all switched, idle pool (median of 5)', value: median(idle), unit: 'ms' },
    { suite, name: 'update to all switched, during a job (median of 5)', value: median(busy), unit: 'ms' },
    { suite, name: 'job rows/s in the second before update()', value: median(before), unit: 'rows/s' },
    { suite, name: 'job rows/s in the second after update()', value: median(after), unit: 'rows/s' },
    { suite, name: 'after ÷ before (median of per-round ratios)', value: median(after.map((a, i) => a / before[i]!)), unit: '×' },
  ];
  return { rows: [], facts };
}

if (isMain(import.meta.url)) await run();
