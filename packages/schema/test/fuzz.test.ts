import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Geo } from './fixtures/__generated__/geo.js';
import { SEEDS, corrupt, fuzzCase, judge, walk } from './fuzz.js';

// CI runs a modest, seeded count; `npx tsx --conditions=source scripts/fuzz.ts --cases 100000` runs more.
const CASES = 3000;

describe('hostile arenas through the generated views (fuzz, seeded)', () => {
  it('every seed is accepted as built and reads back', () => {
    for (const seed of SEEDS) expect(walk(Geo.open(seed.slice().buffer, { verify: true }))).not.toBe(undefined);
  });

  it(`${CASES} corruptions: rejected with an ArenaError code, or accepted and fully readable`, () => {
    const codes = new Map<string, number>();
    let accepted = 0;
    fc.assert(
      fc.property(fuzzCase, ({ seed, mutations, reseal }) => {
        const v = judge(corrupt(SEEDS[seed]!, mutations, reseal));
        if (v.accepted) accepted++;
        else codes.set(v.code, (codes.get(v.code) ?? 0) + 1);
      }),
      { seed: 20261122, numRuns: CASES },
    );
    // The fuzzer must reach deep checks, not only the checksum.
    expect(codes.get('ARENA_CHECKSUM_MISMATCH') ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()].length).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeGreaterThan(0);
  });
});
