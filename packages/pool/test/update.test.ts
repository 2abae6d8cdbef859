// Hot swap (pool.update): new shared data under running runs, with real workers. Every outcome is
// checked against the version its batch reports: the fixture answers with the number stored in the
// arena it was given, so a batch that mixed versions, or misreported one, shows.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPool, PoolError } from '@sabre/pool';
import type { BatchResult } from '@sabre/pool';
import type task from './fixtures/version.task.ts';
import type { VersionRow } from './fixtures/version.task.ts';
import { fixture, tally } from './helpers.js';
import { versionedArena } from './versioned-arena.js';

const VERSION_TASK = fixture('version.task.ts');
const versionPool = (options: { workers?: number; batchRows?: number; initTimeout?: number; maxRowCrashes?: number } = {}) =>
  createPool<typeof task>({ task: VERSION_TASK, workers: 2, shared: { data: versionedArena(1).buffer as SharedArrayBuffer }, ...options });

/** Checks one batch: every value is what its reported version's arena answers for that row. */
function checkBatch(b: BatchResult<number>, seen: number[], versions: Set<number>): void {
  versions.add(b.version);
  for (let k = 0; k < b.length; k++) {
    const index = b.indexOf(k);
    seen.push(index);
    const v = b.values?.[k];
    if (v === undefined) continue; // a failed row: checked by the caller
    if (v !== b.version * 1_000_000 + (index % 1_000_000)) throw new Error(`row ${index}: value ${v} does not come from version ${b.version}`);
  }
}

/** Seeded batch numbers at which to call update, spread over the first part of a run. */
const updateMoments = (seed: number, count: number, batches: number): Set<number> =>
  new Set(fc.sample(fc.uniqueArray(fc.integer({ min: 2, max: batches }), { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0]);

describe('pool.update: hot swap under running runs (real workers)', () => {
  it('a million rows with 20 updates at seeded moments: each batch on one version, values from that version, none lost or doubled, input order kept', async () => {
    const n = 1_000_000;
    const pool = versionPool({ batchRows: 1000 });
    try {
      await pool.ready();
      const rows: VersionRow[] = Array.from({ length: n }, (_, i) => ({ n: i }));
      const moments = updateMoments(20261202, 20, 400);
      const updates: Promise<number>[] = [];
      const seen: number[] = [];
      const versions = new Set<number>();
      let batches = 0;
      let lastVersion = 1;
      let lastIndex = -1;
      for await (const b of pool.imap(rows).batches()) {
        checkBatch(b, seen, versions);
        // Input order (imap), and versions never go back along it: batches are sent in input order and
        // every batch sent after an update runs on the new data.
        expect(b.indexOf(0)).toBe(lastIndex + 1);
        lastIndex = b.indexOf(b.length - 1);
        expect(b.version).toBeGreaterThanOrEqual(lastVersion);
        lastVersion = b.version;
        if (moments.has(++batches)) updates.push(pool.update({ data: versionedArena(updates.length + 2).buffer as SharedArrayBuffer }));
      }
      expect(await Promise.all(updates)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(pool.version).toBe(21);
      expect(tally(seen, n)).toEqual({ missing: [], twice: [] });
      expect(versions.size).toBeGreaterThan(10); // the updates really landed during the run
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('updates while rows crash their workers: one outcome per row, each value from its batch version, crashed rows named', async () => {
    const n = 100_000;
    const crashAt = new Set(fc.sample(fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 12, maxLength: 12 }), { seed: 7, numRuns: 1 })[0]);
    const pool = versionPool({ batchRows: 500, maxRowCrashes: 1 });
    try {
      const rows: VersionRow[] = Array.from({ length: n }, (_, i) => (crashAt.has(i) ? { n: i, fault: 'exit' } : { n: i }));
      const moments = updateMoments(11, 8, 150);
      const updates: Promise<number>[] = [];
      const seen: number[] = [];
      const failed: number[] = [];
      const versions = new Set<number>();
      let batches = 0;
      for await (const b of pool.imapUnordered(rows).batches()) {
        checkBatch(b, seen, versions);
        for (const f of b.failures) {
          expect(f.code).toBe('ROW_CRASHED');
          failed.push(f.index);
        }
        if (moments.has(++batches)) updates.push(pool.update({ data: versionedArena(updates.length + 2).buffer as SharedArrayBuffer }));
      }
      expect(await Promise.all(updates)).toEqual(Array.from({ length: updates.length }, (_, i) => i + 2));
      expect(updates.length).toBe(8);
      expect(tally(seen, n)).toEqual({ missing: [], twice: [] });
      expect(failed.sort((a, b) => a - b)).toEqual([...crashAt].sort((a, b) => a - b));
      expect(pool.stats.respawns).toBeGreaterThanOrEqual(crashAt.size);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('a worker that dies while an update waits for its batch: the replacement gets the update, the row is retried on one version', async () => {
    const pool = versionPool({ batchRows: 10 });
    try {
      await pool.ready();
      const rows: VersionRow[] = Array.from({ length: 40 }, (_, i) => (i === 3 ? { n: i, fault: 'slow-exit' } : { n: i }));
      const run = pool.imap(rows).batches();
      const first = run.next(); // the run starts: row 3's batch is running and will kill its worker in 300 ms
      await new Promise((r) => setTimeout(r, 50));
      const update = pool.update({ data: versionedArena(2).buffer as SharedArrayBuffer });
      const seen: number[] = [];
      const versions = new Set<number>();
      let crashed = 0;
      for (let b = await first; !b.done; b = await run.next()) {
        checkBatch(b.value, seen, versions);
        crashed += b.value.failures.filter((f) => f.code === 'ROW_CRASHED' && f.index === 3).length;
      }
      expect(await update).toBe(2);
      expect(tally(seen, rows.length)).toEqual({ missing: [], twice: [] });
      expect(crashed).toBe(1); // it killed a worker on each try (maxRowCrashes 2): one outcome, a failure
      expect(pool.stats.respawns).toBe(2);
      expect(await pool.map([{ n: 1 }])).toEqual([2_000_001]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('an update during an aborted run still lands, and the next run runs on it', async () => {
    const pool = versionPool({ batchRows: 200 });
    try {
      const controller = new AbortController();
      const rows: VersionRow[] = Array.from({ length: 200_000 }, (_, i) => ({ n: i }));
      let update: Promise<number> | undefined;
      let batches = 0;
      const run = (async () => {
        for await (const b of pool.imap(rows, { signal: controller.signal }).batches()) {
          checkBatch(b, [], new Set());
          if (++batches === 5) {
            update = pool.update({ data: versionedArena(2).buffer as SharedArrayBuffer });
            controller.abort(new Error('enough'));
          }
        }
      })();
      await expect(run).rejects.toMatchObject({ code: 'POOL_ABORTED' });
      expect(await update).toBe(2);
      const after = await pool.map([{ n: 1 }, { n: 2 }]);
      expect(after).toEqual([2_000_001, 2_000_002]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('an init that throws on the new data rolls back: the error names the worker and cause, every row stays on the old version', async () => {
    const pool = versionPool({ batchRows: 100 });
    try {
      await pool.ready();
      const rows: VersionRow[] = Array.from({ length: 50_000 }, (_, i) => ({ n: i }));
      let failure: unknown;
      const versions = new Set<number>();
      let batches = 0;
      for await (const b of pool.imap(rows).batches()) {
        checkBatch(b, [], versions);
        if (++batches === 3) pool.update({ data: versionedArena(2, { init: 1 }).buffer as SharedArrayBuffer }).catch((e: unknown) => (failure = e));
      }
      expect(PoolError.is(failure) && failure.code).toBe('POOL_UPDATE_FAILED');
      expect((failure as Error).message).toMatch(/update 2 was rolled back: the task's init threw on the new shared data in worker [01]: .*this arena is refused by init/);
      expect([...versions]).toEqual([1]);
      expect(pool.version).toBe(1);
      // The pool keeps serving, and a good update after the bad one lands.
      // A failed update's number is never used again: the next one is 3.
      expect(await pool.update({ data: versionedArena(3).buffer as SharedArrayBuffer })).toBe(3);
      expect(await pool.map([{ n: 5 }])).toEqual([3_000_005]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  // initTimeout also bounds the replacements' start, which takes seconds on a busy machine: not too short.
  it('an init that never finishes on the new data times out and rolls back; the stuck worker is replaced', async () => {
    const pool = versionPool({ initTimeout: 8000 });
    try {
      await pool.ready();
      const err = await pool.update({ data: versionedArena(2, { init: 2 }).buffer as SharedArrayBuffer }).catch((e: unknown) => e);
      expect(PoolError.is(err) && err.code).toBe('POOL_UPDATE_FAILED');
      expect((err as Error).message).toMatch(/did not finish the task's init on the new shared data within initTimeout \(8000 ms\)/);
      expect(await pool.map(Array.from({ length: 1000 }, (_, i) => ({ n: i })))).toEqual(Array.from({ length: 1000 }, (_, i) => 1_000_000 + i));
      expect(pool.version).toBe(1);
      expect(pool.stats.respawns).toBeGreaterThanOrEqual(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('the in-thread runner (workers: 0) gives up on an init that never finishes, rolls back and keeps serving', async () => {
    const pool = versionPool({ workers: 0, initTimeout: 1000 });
    try {
      await pool.ready();
      await expect(pool.update({ data: versionedArena(2, { init: 2 }).buffer as SharedArrayBuffer })).rejects.toMatchObject({ code: 'POOL_UPDATE_FAILED' });
      expect(await pool.map([{ n: 8 }])).toEqual([1_000_008]);
      // The failed update's number is not used again.
      expect(await pool.update({ data: versionedArena(3).buffer as SharedArrayBuffer })).toBe(3);
      expect(await pool.map([{ n: 8 }])).toEqual([3_000_008]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('updates queue in call order, and the in-thread runner (workers: 0) swaps the same way', async () => {
    for (const workers of [2, 0]) {
      const pool = versionPool({ workers });
      try {
        const done = await Promise.all([2, 3, 4].map((v) => pool.update({ data: versionedArena(v).buffer as SharedArrayBuffer })));
        expect(done).toEqual([2, 3, 4]);
        const outcomes = [];
        for await (const o of pool.imap([{ n: 7 }])) outcomes.push(o);
        expect(outcomes).toEqual([{ ok: true, index: 0, line: undefined, value: 4_000_007, version: 4 }]);
        await expect(pool.update(null as never)).rejects.toMatchObject({ code: 'POOL_BAD_OPTION' });
        // A value no worker can receive is refused before anything pauses; the pool goes on serving.
        await expect(pool.update({ data: versionedArena(5).buffer, fn: () => 1 } as never)).rejects.toMatchObject({ code: 'POOL_BAD_OPTION' });
        expect(await pool.map([{ n: 1 }])).toEqual([4_000_001]);
      } finally {
        await pool.close();
      }
      await expect(pool.update({ data: versionedArena(9).buffer as SharedArrayBuffer })).rejects.toMatchObject({ code: 'POOL_CLOSED' });
    }
  }, 60_000);

  it('old data is released: 100 successive updates of 50 MB of shared data leave a fresh process\'s memory flat', async () => {
    // In its own process, as a user's program runs (the test runner's own module loader keeps memory of its own).
    const probe = fileURLToPath(fixture('update-memory.probe.ts'));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', probe], { encoding: 'utf8', timeout: 200_000 });
    const { rss } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rss: number[] };
    expect(rss).toHaveLength(10);
    // Kept data would add 50 MB per update (4.5 GB from the first sample to the last); allow a few in flight.
    expect(Math.max(...rss) - rss[0]!).toBeLessThan(300);
  }, 240_000); // it takes 20-30 s here: far from both limits on a busy machine
});
