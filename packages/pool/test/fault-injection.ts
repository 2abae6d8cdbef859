/**
 * Fault injection for @sabre/pool: `npx tsx --conditions=@sabre/source packages/pool/test/fault-injection.ts [--rows N] [--seed S] [--aborts K]`.
 *
 * 1. One run over N rows (default 1,000,000, from a generator) whose task, at seeded random rows, throws,
 *    calls process.exit, exhausts its heap limit, loops past the timeout, returns a value that cannot be
 *    sent, throws outside any row, throws an error whose `code` is a function or a symbol, gives a
 *    counter NaN, blocks in a system call past the timeout (the thread is abandoned), dies while its
 *    batch is being sent, or returns a value whose clone fails only inside the batch message. Every row
 *    index must have exactly one outcome, with the expected code for each fault.
 * 2. K runs (default 20) aborted at seeded random moments: outcomes yielded before the abort are unique,
 *    none follow it, and the pool serves the next run.
 * 3. Sources that throw after a seeded random number of rows: each row they yielded has one outcome,
 *    then the run fails with POOL_SOURCE_FAILED; and runs whose onProgress throws fail with
 *    POOL_CALLBACK_FAILED. The pool serves the next run after each.
 * 4. A 1M-row quoted CSV file read in 8 MiB chunks under a 100 ms timeout (parsing a chunk takes
 *    longer): no row is blamed for the parse.
 * 5. The pools close, no thread is left, no rejection went unhandled — and this process exits by itself
 *    (the test that runs this script fails on a hang).
 *
 * Prints one summary line per part and exits non-zero on any violation.
 */
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createPool, csv } from '@sabre/pool';
import type echo from './fixtures/echo.task.ts';
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
/** Each kind, the code its row must end with (null: the row succeeds), and how many rows get it. */
const FAULTS: [Fault, string | null, number][] = [
  ['throw', 'ROW_FAILED', 3],
  ['exit', 'ROW_CRASHED', 3],
  ['oom', 'ROW_CRASHED', 3],
  ['loop', 'ROW_CRASHED', 3],
  ['unsendable', 'ROW_UNSENDABLE', 3],
  ['uncaught', null, 3],
  ['code-function', 'ROW_FAILED', 3],
  ['code-symbol', 'ROW_FAILED', 3],
  ['counter-nan', 'ROW_FAILED', 3],
  ['block', 'ROW_CRASHED', 2], // each costs 2 × 2.5 s of one worker slot
  ['exit-while-sending', 'ROW_CRASHED', 3],
  ['flaky-getter', 'ROW_UNSENDABLE', 3],
];
const KINDS = FAULTS.map(([kind]) => kind);
const EXPECTED = Object.fromEntries(FAULTS.map(([kind, code]) => [kind, code])) as Record<Fault, string | null>;
const plan = FAULTS.flatMap(([kind, , count]) => Array.from({ length: count }, () => kind));
const [faultRows] = fc.sample(fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: plan.length, maxLength: plan.length }), { seed, numRuns: 1 });
const faults = new Map<number, Fault>(faultRows!.map((r, i) => [r, plan[i]!]));

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

  // 3. Sources that throw halfway, and progress callbacks that throw.
  const cuts = fc.sample(fc.integer({ min: 0, max: 100_000 }), { seed: seed + 2, numRuns: 10 });
  let kept = 0;
  for (const cut of cuts) {
    function* source(): Generator<Row> {
      for (let i = 0; i < cut; i++) yield { n: i };
      throw new Error('disk gone');
    }
    const seenHere = new Uint8Array(cut);
    let extra = 0;
    let code = '';
    try {
      for await (const o of pool.imapUnordered(source())) {
        if (o.index >= cut || seenHere[o.index] === 1) extra++;
        else seenHere[o.index] = 1;
      }
    } catch (e) {
      code = (e as { code?: string; message?: string }).code === 'POOL_SOURCE_FAILED' && (e as Error).message.includes(`after ${cut} rows`) ? 'POOL_SOURCE_FAILED' : String(e);
    }
    const missing = seenHere.reduce((a, b) => a + (b === 0 ? 1 : 0), 0);
    kept += cut - missing;
    if (code !== 'POOL_SOURCE_FAILED') problems.push(`source cut after ${cut} rows ended with ${code || 'no error'}`);
    if (missing > 0 || extra > 0) problems.push(`source cut after ${cut} rows: ${missing} rows without an outcome, ${extra} extra`);
  }
  let callbackFailures = 0;
  for (let k = 0; k < 5; k++) {
    try {
      await pool.imap(Array.from({ length: 20_000 }, (_, i) => ({ n: i })), {
        onProgress: () => {
          throw new Error('progress bar broke');
        },
      }).values();
    } catch (e) {
      if ((e as { code?: string }).code === 'POOL_CALLBACK_FAILED') callbackFailures++;
    }
    if ((await pool.map([{ n: 4 }]))[0] !== 16) problems.push('the pool did not serve a run after a throwing onProgress');
  }
  if (callbackFailures !== 5) problems.push(`${5 - callbackFailures} of 5 runs with a throwing onProgress did not fail with POOL_CALLBACK_FAILED`);
  console.log(`${cuts.length} sources that threw after up to 100,000 rows (${kept.toLocaleString('en-US')} rows kept, each with one outcome) and ${callbackFailures} runs whose onProgress threw: every run failed with its own code, the pool served the next`);
}

// 4. Parse-time timeouts: parsing an 8 MiB chunk of quoted CSV takes longer than the 100 ms timeout.
{
  const dir = mkdtempSync(join(tmpdir(), 'sabre-faults-'));
  const path = join(dir, 'quoted.csv');
  const out = createWriteStream(path);
  out.write('a,b\n');
  for (let i = 0; i < 1_000_000; i += 10_000) {
    let block = '';
    for (let j = i; j < i + 10_000; j++) block += `"${j}","quoted, ""field"" ${j}"\n`;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  await using pool = createPool<typeof echo>({ task: new URL('./fixtures/echo.task.ts', import.meta.url), workers: 2, timeout: 100 });
  const summary = { ok: 0, failed: 0 };
  for await (const b of pool.imapUnordered(csv(path, { chunkBytes: 8 << 20 })).batches()) {
    summary.failed += b.failedCount;
    summary.ok += b.length - b.failedCount;
  }
  rmSync(dir, { recursive: true, force: true });
  if (summary.ok !== 1_000_000 || summary.failed !== 0) problems.push(`quoted CSV under a 100 ms timeout: ${summary.ok} ok, ${summary.failed} failed`);
  console.log(`${summary.ok.toLocaleString('en-US')} quoted CSV rows in 8 MiB chunks under a 100 ms timeout: ${summary.failed} rows blamed for parse time`);
}

// A worker's 'exit' event can come just before its OS thread is gone, and an abandoned thread ends when
// its system call returns (at most 3 s): give them 5 s to end.
for (let waited = 0; waited < 5000 && threads() > threadsBefore; waited += 100) await new Promise((r) => setTimeout(r, 100));
const left = threads() - threadsBefore;
console.log(`after close: ${Math.max(0, left)} threads left, ${unhandled} unhandled rejections`);
if (left > 0) problems.push(`${left} threads left after close`);
if (unhandled > 0) problems.push(`${unhandled} unhandled rejections`);
for (const p of problems) console.error(`✖ ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
