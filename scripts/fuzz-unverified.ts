/**
 * Unverified arenas through every reader, with a deadline per case:
 * `npx tsx --conditions=@sabre/source scripts/fuzz-unverified.ts [--cases N] [--seed S] [--workers W] [--deadline MS] [--heap MB]`.
 *
 * Each case corrupts a valid arena (packages/schema/test/fuzz.ts) and reads it without verify() through
 * the arena-level readers and the generated views (fuzz-unverified.ts). Cases run in worker threads with
 * a heap limit; a case running past the deadline is a hang (its worker is stopped and replaced), a worker
 * out of memory is a blow-up, and anything thrown but an ArenaError is an escape. Prints the counts and
 * exits non-zero if there was any hang, blow-up or escape.
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    deadline: { type: 'string', default: '2000' },
    heap: { type: 'string', default: '256' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const deadline = Number(values.deadline);
const heap = Number(values.heap);
const workers = Math.max(1, Math.min(Number(values.workers), cases));

const codes = new Map<string, number>();
let accepted = 0;
let returned = 0;
let refused = 0;
const hangs: number[] = [];
const blowups: number[] = [];
const escapes: { index: number; message: string }[] = [];
const t0 = performance.now();

/** Runs cases [from, to) in a worker; a hang or a blow-up skips that case and goes on in a new worker. */
function runRange(from: number, to: number): Promise<void> {
  return new Promise((resolve) => {
    if (from >= to) return resolve();
    const state = new Float64Array(new SharedArrayBuffer(16));
    state[0] = from;
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('./fuzz-unverified.worker.ts', import.meta.url).href, from, to, seed, state },
      execArgv: ['--conditions=@sabre/source'],
      resourceLimits: { maxOldGenerationSizeMb: heap },
    });
    let stopped: 'hang' | undefined;
    const watch = setInterval(() => {
      const started = state[1] as number;
      if (started > 0 && performance.timeOrigin + performance.now() - started > deadline) {
        stopped = 'hang';
        hangs.push(state[0] as number);
        void worker.terminate();
      }
    }, 100);
    worker.on('message', (m: { done?: number; accepted?: number; codes?: Record<string, number>; returned?: number; refused?: number; escape?: number; message?: string }) => {
      if (m.escape !== undefined) escapes.push({ index: m.escape, message: m.message ?? '' });
      if (m.done !== undefined) {
        accepted += m.accepted ?? 0;
        returned += m.returned ?? 0;
        refused += m.refused ?? 0;
        for (const [code, k] of Object.entries(m.codes ?? {})) codes.set(code, (codes.get(code) ?? 0) + k);
      }
    });
    worker.on('error', (e) => {
      if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') blowups.push(state[0] as number);
      else escapes.push({ index: state[0] as number, message: `worker error: ${String(e)}` });
    });
    worker.on('exit', () => {
      clearInterval(watch);
      const at = state[0] as number;
      const finished = (state[1] as number) === 0 && !stopped;
      resolve(finished ? undefined : runRange(at + 1, to));
    });
  });
}

const per = Math.ceil(cases / workers);
await Promise.all(Array.from({ length: workers }, (_, w) => runRange(w * per, Math.min(cases, (w + 1) * per))));
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
console.log(`${cases.toLocaleString('en-US')} corrupted arenas read without verify() (seed ${seed}, deadline ${deadline} ms, heap ${heap} MB) in ${seconds} s: ${hangs.length} hangs, ${blowups.length} blow-ups, ${escapes.length} escapes.`);
console.log(`  opened and read through every reader: ${accepted.toLocaleString('en-US')} (reads that returned: ${returned.toLocaleString('en-US')}; that threw an ArenaError: ${refused.toLocaleString('en-US')})`);
for (const [code, n] of [...codes].sort((a, b) => b[1] - a[1])) console.log(`  refused at open ${code}: ${n.toLocaleString('en-US')}`);
for (const i of hangs.slice(0, 5)) console.error(`✖ case ${i}: no answer within ${deadline} ms`);
for (const i of blowups.slice(0, 5)) console.error(`✖ case ${i}: out of memory (${heap} MB heap)`);
for (const e of escapes.slice(0, 5)) console.error(`✖ case ${e.index}: ${e.message}`);
process.exitCode = hangs.length + blowups.length + escapes.length > 0 ? 1 : 0;
