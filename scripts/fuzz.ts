/**
 * The large fuzz runs of issue "hostile input": `npx tsx --conditions=@sabre/source scripts/fuzz.ts [--cases N] [--seed S]`.
 * Corrupts valid arenas (packages/schema/test/fuzz.ts) N times (default 100,000) and prints how each case
 * ended. Exits non-zero if any corrupted arena escaped as anything but an ArenaError with a code.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { SEEDS, corrupt, fuzzCase, judge } from '../packages/schema/test/fuzz.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
const cases = Number(values.cases);
const seed = Number(values.seed);
const codes = new Map<string, number>();
let accepted = 0;
const t0 = performance.now();
fc.assert(
  fc.property(fuzzCase, ({ seed: s, mutations, reseal }) => {
    const v = judge(corrupt(SEEDS[s]!, mutations, reseal));
    if (v.accepted) accepted++;
    else codes.set(v.code, (codes.get(v.code) ?? 0) + 1);
  }),
  { seed, numRuns: cases },
);
console.log(`${cases.toLocaleString('en-US')} corrupted arenas (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: none escaped.`);
console.log(`  accepted and fully readable: ${accepted.toLocaleString('en-US')}`);
for (const [code, n] of [...codes].sort((a, b) => b[1] - a[1])) console.log(`  rejected ${code}: ${n.toLocaleString('en-US')}`);
