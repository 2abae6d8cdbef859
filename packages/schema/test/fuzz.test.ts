import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Geo } from './fixtures/__generated__/geo.js';
import { SEEDS, corrupt, fuzzCase, judge, walk } from './fuzz.js';

// CI runs a modest, seeded count; `npx tsx --conditions=@sabre/source scripts/fuzz.ts --cases 100000` runs more.
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

describe('hostile arenas read without verify() (scripts/fuzz-unverified.ts, in its own process)', () => {
  it('3,000 corruptions through every arena-level reader and the default-opened views: no hang past 2 s, no blow-up past a 256 MB heap, nothing thrown but ArenaErrors', async () => {
    const script = fileURLToPath(new URL('../../../scripts/fuzz-unverified.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', script, '--cases', '3000', '--seed', '20261202'], { encoding: 'utf8', timeout: 120_000 });
    expect(stdout).toMatch(/^3,000 corrupted arenas read without verify\(\) .*: 0 hangs, 0 blow-ups, 0 escapes\.$/m);
    // The cases reach the readers, and the readers both answer and refuse.
    const [, opened, returned, refused] = /read through every reader: ([\d,]+) \(reads that returned: ([\d,]+); that threw an ArenaError: ([\d,]+)\)/.exec(stdout)!.map((x) => Number(x.replaceAll(',', '')));
    expect([opened! > 500, returned! > 10_000, refused! > 1_000]).toEqual([true, true, true]);
  }, 180_000);
});
