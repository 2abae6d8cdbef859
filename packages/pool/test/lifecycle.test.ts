import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, csv, lines } from '@sabre/pool';
import { afterAll, describe, expect, it } from 'vitest';
import type which from './fixtures/which.task.ts';
import { fixture, squarePool } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-pool-life-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script in a fresh Node on the sources (as the tests do), failing if it does not exit by itself. */
function script(body: string): string {
  const path = join(dir, `script-${Math.random().toString(36).slice(2)}.mts`);
  const pool = new URL('../src/index.ts', import.meta.url).href;
  writeFileSync(path, `import { createPool } from ${JSON.stringify(pool)};\nconst task = ${JSON.stringify(fixture('square.task.ts').href)};\n${body}\n`);
  return execFileSync(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', path], { encoding: 'utf8', timeout: 30_000, cwd: process.cwd() });
}

describe('lifecycle', () => {
  it('a script that forgets close() still exits once its work is done, and so does an idle pool', () => {
    expect(script(`const pool = createPool({ task, workers: 2, counters: ['seen'] });\nconsole.log(JSON.stringify(await pool.map([{ n: 2 }, { n: 3 }])));`).trim()).toBe('[4,9]');
    expect(script(`const pool = createPool({ task, workers: 2, counters: ['seen'] });\nawait pool.ready();\nconsole.log('ready');`).trim()).toBe('ready');
  });

  it('close() while workers are still starting resolves, and the process exits by itself', () => {
    // The main thread is busy while the workers start, so their 'ready' arrives after close() began.
    const out = script(`const pool = createPool({ task, workers: 2, counters: ['seen'] });\nfor (const end = Date.now() + 1500; Date.now() < end; );\nawait pool.close();\nconsole.log('closed');`);
    expect(out.trim()).toBe('closed');
  });

  it('close() does not wait for an init stuck in a system call: after initTimeout the thread is given up', async () => {
    // A timeout long enough for the worker to start and be inside its 120 s system call when it fires.
    const pool = createPool({ task: fixture('hang-init.task.ts'), workers: 1, shared: { mode: 'block' }, initTimeout: 3000 });
    await expect(pool.ready()).rejects.toMatchObject({ code: 'POOL_INIT_TIMEOUT' });
    // close() resolving at all, well within this test's timeout and the 120 s sleep, is the point.
    await pool.close();
  }, 60_000);

  it('a worker busy right after init is not taken for a row running past the timeout', async () => {
    await using pool = createPool<typeof import('./fixtures/slow-start.task.ts').default>({ task: fixture('slow-start.task.ts'), workers: 2, timeout: 150 });
    expect(await pool.map(Array.from({ length: 200 }, (_, i) => i))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(pool.stats.respawns).toBe(0);
  });

  it('close() lets a started run finish, refuses new runs, and fails runs never started', async () => {
    const pool = squarePool();
    const unstarted = pool.imap([{ n: 1 }]);
    const run = pool.imap(Array.from({ length: 400 }, (_, n) => ({ n, delay: 2 })));
    const got: number[] = [];
    const consuming = (async () => {
      for await (const o of run) if (o.ok) got.push(o.value);
    })();
    await new Promise((r) => setTimeout(r, 50));
    const closed = pool.close();
    expect(() => pool.imap([{ n: 1 }])).toThrow(/pool is closed/);
    await consuming;
    await closed;
    expect(got).toEqual(Array.from({ length: 400 }, (_, n) => n * n));
    await expect(unstarted.values()).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });

  it('a run is read once', async () => {
    await using pool = squarePool();
    const run = pool.imap([{ n: 1 }]);
    expect(await run.values()).toEqual([1]);
    await expect(run.values()).rejects.toMatchObject({ code: 'POOL_RUN_CONSUMED' });
  });

  it('an init that never finishes fails ready() after initTimeout; a worker that stops during init is named as such', async () => {
    // Only the hanging init gets a short timeout: on a loaded machine a worker can take longer than that to start.
    const start = (mode: string) => createPool({ task: fixture('hang-init.task.ts'), workers: 1, shared: { mode }, ...(mode === 'hang' ? { initTimeout: 500 } : {}) });
    const hung = start('hang');
    await expect(hung.ready()).rejects.toMatchObject({ code: 'POOL_INIT_TIMEOUT', message: expect.stringMatching(/did not finish within 500 ms/) });
    await hung.close();
    const exits = start('exit');
    await expect(exits.ready()).rejects.toMatchObject({ code: 'POOL_TASK_INIT_FAILED', message: expect.stringMatching(/the worker exited \(code 9\) before init finished/) });
    await exits.close();
    const empty = start('empty');
    await expect(empty.ready()).rejects.toMatchObject({ code: 'POOL_TASK_INIT_FAILED', message: expect.stringMatching(/its event loop emptied while init was still waiting/) });
    await empty.close();
  });
});

describe('batch sizing and memory in flight', () => {
  it('imap holds at most maxInFlight batches behind one slow row', async () => {
    await using pool = squarePool({ maxInFlight: 4, batchRows: 100 });
    let pulled = 0;
    let most = 0;
    function* source() {
      for (let n = 0; n < 100_000; n++) {
        pulled++;
        yield n === 5 ? { n, delay: 1500 } : { n };
      }
    }
    let first = true;
    for await (const _ of pool.imap(source())) {
      if (first) most = pulled; // the slow row is the head: everything pulled so far waited behind it
      first = false;
    }
    // 4 batches of 100 rows, plus the batch being read.
    expect(most).toBeLessThanOrEqual(500);
  }, 60_000);

  it('a signal shared by many runs keeps none of them once they end', async () => {
    await using pool = squarePool();
    const controller = new AbortController();
    for (let i = 0; i < 10; i++) await pool.imap([{ n: i }], { signal: controller.signal }).values();
    expect(getEventListeners(controller.signal, 'abort').length).toBe(0);
  });

  it('a small input spreads over every worker, from an array or from a file', async () => {
    await using pool = createPool<typeof which>({ task: fixture('which.task.ts'), workers: 2 });
    await pool.ready();
    const fromArray = await pool.map(Array.from({ length: 8 }, () => ({ ms: 50 })));
    expect(new Set(fromArray)).toEqual(new Set([0, 1]));
    const path = join(dir, 'small.txt');
    writeFileSync(path, Array.from({ length: 8 }, (_, i) => `row ${i}`).join('\n'));
    const fromFile = await pool.map(lines(path));
    expect(new Set(fromFile)).toEqual(new Set([0, 1]));
  });

  it('read-ahead is bounded in bytes: heavy rows are pulled only a few MB ahead of a slow consumer', async () => {
    await using pool = squarePool({ maxBytesInFlight: 4 << 20 });
    const heavy = 'x'.repeat(256 << 10);
    let pulled = 0;
    async function* source() {
      for (let n = 0; ; n++) {
        pulled++;
        yield { n, note: heavy };
      }
    }
    let consumed = 0;
    let most = 0;
    const run = pool.imapUnordered(source());
    for await (const _ of run) {
      consumed++;
      // Rows read whose batch has not finished: their input is alive.
      most = Math.max(most, run.progress.rowsInFlight);
      if (consumed % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      if (consumed === 200) break;
    }
    expect(pulled).toBeGreaterThan(200);
    // 4 MiB of rows estimated at 512 KiB each (UTF-16) is 8 rows, plus the batch being read.
    expect(most).toBeLessThanOrEqual(10);
  });

  it('CSV files are not read far ahead of the consumer either', async () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, `id,name\n${Array.from({ length: 200_000 }, (_, i) => `${i},name${i}`).join('\n')}`);
    await using pool = squarePool({ maxBytesInFlight: 256 << 10, maxInFlight: 64 });
    const run = pool.imap(csv(path) as never);
    let most = 0;
    for await (const b of run.batches()) {
      const p = run.progress;
      most = Math.max(most, p.bytesRead - (p.bytesTotal! * (p.rowsDone + p.rowsFailed)) / 200_000);
      await new Promise((r) => setTimeout(r, 2));
      void b;
    }
    expect(most).toBeLessThan(1 << 20);
  });
});
