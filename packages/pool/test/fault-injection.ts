/**
 * Fault injection for @sabre/pool: `npx tsx --conditions=source packages/pool/test/fault-injection.ts [--rows N] [--seed S] [--aborts K]`.
 *
 * 1. One run over N rows (default 1,000,000, from a generator) whose task, at seeded random rows, throws,
 *    calls process.exit, exhausts its heap limit, loops past the timeout, returns a value that cannot be
 *    sent, or throws outside any row. Every row index must have exactly one outcome, with the expected
 *    code for each fault.
 * 2. K runs (default 20) aborted at seeded random moments: outcomes yielded before the abort are unique,
 *    none follow it, and the pool serves the next run.
 * 3. The pool closes, no thread is left, no rejection went unhandled — and this process exits by itself
 *    (the test that runs this script fails on a hang).
 *
 * Prints one summary line per part and exits non-zero on any violation.
 */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createPool } from '@sabre/pool';
import type square from './fixtures/square.task.ts';
import type { Row } from './fixtures/square.task.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '20261122' }, aborts: { type: 'string', default: '20' } } });
const n = Number(values.rows);
const seed = Number(values.seed);
const aborts = Number(values.aborts);
const threads = () => readdirSync('/proc/self/task').length;
let unhandled = 0;
process.on('unhandledRejection', (e) => {
  unhandled++;
  console.error('unhandled rejection:', e);
});
const problems: string[] = [];
// Warm up first: Node and V8 start some helper threads lazily, once, and they must not count as left over.
{
  await using warm = createPool<typeof square>({ task: new URL('./fixtures/square.task.ts', import.meta.url), workers: 2, counters: ['seen'] });
  await warm.map([{ n: 1 }]);
}
const threadsBefore = threads();

type Fault = NonNullable<Row['fault']>;
const KINDS: Fault[] = ['throw', 'exit', 'oom', 'loop', 'unsendable', 'uncaught'];
const EXPECTED: Record<Fault, string | null> = { throw: 'ROW_FAILED', exit: 'ROW_CRASHED', oom: 'ROW_CRASHED', loop: 'ROW_CRASHED', unsendable: 'ROW_UNSENDABLE', uncaught: null };
const [faultRows] = fc.sample(fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 3 * KINDS.length, maxLength: 3 * KINDS.length }), { seed, numRuns: 1 });
const faults = new Map<number, Fault>(faultRows!.map((r, i) => [r, KINDS[i % KINDS.length]!]));

{
  await using pool = createPool<typeof square>({
    task: new URL('./fixtures/square.task.ts', import.meta.url),
    workers: 2,
    timeout: 500,
    maxRowCrashes: 2,
    resourceLimits: { maxOldGenerationSizeMb: 48 },
    counters: ['seen'],
  });
  const t0 = performance.now();
  const seen = new Uint8Array(n);
  let twice = 0;
  let wrong = 0;
  function* rows(): Generator<Row> {
    for (let i = 0; i < n; i++) {
      const fault = faults.get(i);
      yield fault === undefined ? { n: i } : { n: i, fault };
    }
  }
  for await (const batch of pool.imapUnordered(rows()).batches()) {
    for (const o of batch.outcomes()) {
      if (seen[o.index] === 1) twice++;
      seen[o.index] = 1;
      const fault = faults.get(o.index);
      const want = fault === undefined ? null : EXPECTED[fault];
      const got = o.ok ? null : o.error.code;
      if (got !== want || (o.ok && o.value !== o.index * o.index)) {
        wrong++;
        if (wrong <= 5) problems.push(`row ${o.index} (${fault ?? 'no fault'}): expected ${want ?? 'a value'}, got ${got ?? JSON.stringify(o.ok && o.value)}`);
      }
    }
  }
  const lost = seen.reduce((a, b) => a + (b === 0 ? 1 : 0), 0);
  if (lost > 0) problems.push(`${lost} rows had no outcome`);
  if (twice > 0) problems.push(`${twice} rows had two outcomes`);
  console.log(
    `${n.toLocaleString('en-US')} rows, ${faults.size} faults injected (${KINDS.join(', ')}), ${pool.stats.respawns} workers replaced, in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${lost} lost, ${twice} duplicated, ${wrong} wrong outcomes`,
  );

  // 2. Aborts at random moments.
  const points = fc.sample(fc.integer({ min: 0, max: 50_000 }), { seed: seed + 1, numRuns: aborts });
  let yielded = 0;
  for (const after of points) {
    const controller = new AbortController();
    const ids = new Set<number>();
    let afterAbort = 0;
    let code = '';
    try {
      if (after === 0) controller.abort();
      for await (const o of pool.imapUnordered(
        (function* () {
          for (let i = 0; ; i++) yield { n: i };
        })(),
        { signal: controller.signal },
      )) {
        if (controller.signal.aborted) afterAbort++;
        if (ids.has(o.index)) problems.push(`abort run: row ${o.index} yielded twice`);
        ids.add(o.index);
        if (ids.size === after) controller.abort();
      }
    } catch (e) {
      code = (e as { code?: string }).code ?? String(e);
    }
    yielded += ids.size;
    if (code !== 'POOL_ABORTED') problems.push(`abort run ended with ${code || 'no error'}`);
    if (afterAbort > 0) problems.push(`abort run: ${afterAbort} outcomes after abort()`);
    const check = await pool.map([{ n: 3 }]);
    if (check[0] !== 9) problems.push('the pool did not serve a run after an abort');
  }
  console.log(`${aborts} runs aborted at random moments (${yielded.toLocaleString('en-US')} outcomes before the aborts): every outcome once, none after abort()`);
}

// A worker's 'exit' event can come just before its OS thread is gone: give the threads a second to end.
await new Promise((r) => setTimeout(r, 1000));
const left = threads() - threadsBefore;
console.log(`after close: ${Math.max(0, left)} threads left, ${unhandled} unhandled rejections`);
if (left > 0) problems.push(`${left} threads left after close`);
if (unhandled > 0) problems.push(`${unhandled} unhandled rejections`);
for (const p of problems) console.error(`✖ ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
