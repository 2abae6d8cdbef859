// One worker of scripts/fuzz-unverified.ts: runs cases [from, to) and, before each, writes its number
// and start time into shared memory so the runner can tell a hang from slow progress.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { SEEDS, corrupt, fuzzCase } from '../packages/schema/test/fuzz.js';
import { judgeUnverified, reads } from '../packages/schema/test/fuzz-unverified.js';

const { from, to, seed, state } = workerData as { from: number; to: number; seed: number; state: Float64Array };
const REPORT_EVERY = 500;
let accepted = 0;
let codes: Record<string, number> = {};
for (let i = from; i < to; i++) {
  const [c] = fc.sample(fuzzCase, { seed: (Math.imul(seed, 0x9e37_79b1) + i) | 0, numRuns: 1 });
  state[0] = i;
  state[1] = performance.timeOrigin + performance.now();
  try {
    const v = judgeUnverified(corrupt(SEEDS[c!.seed]!, c!.mutations, c!.reseal));
    if (v.accepted) accepted++;
    else codes[v.code] = (codes[v.code] ?? 0) + 1;
  } catch (e) {
    parentPort!.postMessage({ escape: i, message: e instanceof Error ? (e.cause instanceof Error ? `${e.message}\n${e.cause.stack}` : e.message) : String(e) });
  }
  if ((i + 1 - from) % REPORT_EVERY === 0 || i + 1 === to) {
    parentPort!.postMessage({ done: i + 1, accepted, codes, returned: reads.returned, refused: reads.refused });
    accepted = 0;
    codes = {};
    reads.returned = 0;
    reads.refused = 0;
  }
}
state[1] = 0;
