import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, csv, lines, ndjson } from '@sabre/pool';
import type { Outcome, Run } from '@sabre/pool';
import { afterAll, describe, expect, it } from 'vitest';
import type blocking from './fixtures/blocking.task.ts';
import type echo from './fixtures/echo.task.ts';
import type hostile from './fixtures/hostile.task.ts';
import type { Hostile } from './fixtures/hostile.task.ts';
import { fixture, squarePool } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-pool-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile tasks and callbacks', () => {
  it('an error whose code is a function or a symbol fails its row; the run finishes', async () => {
    await using pool = createPool<typeof hostile>({ task: fixture('hostile.task.ts'), workers: 2, counters: ['hits'] });
    const rows: Hostile[] = Array.from({ length: 1000 }, (_, n) => ({ n, ...(n === 10 ? { how: 'code-function' as const } : n === 20 ? { how: 'code-symbol' as const } : {}) }));
    const failed = [];
    for await (const o of pool.imap(rows)) if (!o.ok) failed.push([o.index, o.error.code, (o.error.cause as Error).message]);
    expect(failed).toEqual([
      [10, 'ROW_FAILED', 'with a function code'],
      [20, 'ROW_FAILED', 'with a symbol code'],
    ]);
  });

  it('counter.add(NaN) or add(Infinity) fails that row in the worker, never the main thread', async () => {
    await using pool = createPool<typeof hostile>({ task: fixture('hostile.task.ts'), workers: 2, counters: ['hits'] });
    const rows: Hostile[] = [{ n: 1 }, { n: 2, how: 'counter-nan' }, { n: 3, how: 'counter-infinity' }, { n: 4 }];
    const out = [];
    for await (const o of pool.imap(rows)) out.push(o.ok ? o.value : (o.error.cause as Error).message);
    expect(out).toEqual([1, 'counter "hits": add(n) takes a whole number, got NaN', 'counter "hits": add(n) takes a whole number, got Infinity', 4]);
    expect(pool.counters()).toEqual({ hits: 2 });
  });

  it('an onProgress that throws stops its run with a clear error; the pool serves the next run', async () => {
    await using pool = squarePool();
    const run = pool.imap(Array.from({ length: 5000 }, (_, n) => ({ n })), {
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    });
    await expect(run.values()).rejects.toMatchObject({ code: 'POOL_CALLBACK_FAILED', message: expect.stringMatching(/your onProgress callback threw: Error: progress bar broke/) });
    expect(await pool.map([{ n: 3 }])).toEqual([9]);
  });

  it('a source that throws keeps the rows it yielded before: each has its outcome, then the error', async () => {
    await using pool = squarePool({ batchRows: 100 });
    function* source() {
      for (let n = 0; n < 36; n++) yield { n };
      throw new Error('disk gone');
    }
    const indices: number[] = [];
    await expect(
      (async () => {
        for await (const o of pool.imap(source())) indices.push(o.index);
      })(),
    ).rejects.toMatchObject({ code: 'POOL_SOURCE_FAILED', message: expect.stringMatching(/after 36 rows: Error: disk gone/) });
    expect(indices).toEqual(Array.from({ length: 36 }, (_, i) => i));
  });
});

describe('sources and destinations that misbehave', () => {
  it('a destination stream destroyed mid-run fails the run with POOL_SINK_FAILED, not a hang', async () => {
    const { Writable } = await import('node:stream');
    let writes = 0;
    const dest = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, cb) {
        if (++writes === 2) {
          dest.destroy();
          return;
        }
        setTimeout(cb, 5);
      },
    });
    const texts = createPool<typeof echo>({ task: fixture('echo.task.ts'), workers: 2, batchRows: 50 });
    const run = texts.imap(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`)) as Run<string>;
    await expect(run.pipeTo(dest)).rejects.toMatchObject({ code: 'POOL_SINK_FAILED', message: expect.stringMatching(/closed or destroyed before the run finished/) });
    await texts.close();
  });

  it('a source whose close throws, sync or async, neither hangs the pool nor escapes as an unhandled rejection', async () => {
    let unhandled = 0;
    const onUnhandled = () => unhandled++;
    process.on('unhandledRejection', onUnhandled);
    try {
      const pool = squarePool();
      function* sync() {
        try {
          for (let n = 0; ; n++) yield { n };
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the hostile source under test throws from its cleanup
          throw new Error('sync finally');
        }
      }
      async function* async_() {
        try {
          for (let n = 0; ; n++) yield { n };
        } finally {
          await Promise.resolve();
          // biome-ignore lint/correctness/noUnsafeFinally: the hostile source under test throws from its cleanup
          throw new Error('async finally');
        }
      }
      for (const make of [sync, async_]) {
        // The consumer stops early (the run closes its source), then a run is aborted (the same).
        let taken = 0;
        for await (const _ of pool.imap(make())) if (++taken === 100) break;
        const controller = new AbortController();
        const run = pool.imap(make(), { signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        await expect(run.values()).rejects.toMatchObject({ code: 'POOL_ABORTED' });
      }
      await pool.close();
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the main thread stays responsive', () => {
  it('timers still fire while an async generator that never waits feeds the pool', async () => {
    await using pool = squarePool();
    let pulled = 0;
    async function* source() {
      try {
        for (let n = 0; ; n++) {
          pulled++;
          yield { n };
        }
      } finally {
        pulled += 0; // a generator that cleans up, as most do
      }
    }
    // A first run stopped early leaves its last batches running in the workers.
    let taken = 0;
    for await (const _ of pool.imap(source())) if (++taken === 100) break;
    const controller = new AbortController();
    const run = pool.imap(source(), { signal: controller.signal });
    let pulledAtAbort = -1;
    setTimeout(() => {
      pulledAtAbort = pulled;
      controller.abort();
    }, 20);
    await run.values().catch((e: { code?: string }) => expect(e.code).toBe('POOL_ABORTED'));
    // Starved, the 20 ms timer once fired only after 32M rows (22 s); responsive, after a few batches.
    expect(pulledAtAbort).toBeGreaterThan(0);
    expect(pulledAtAbort).toBeLessThan(2_000_000);
  }, 60_000);
});

describe('workers that cannot be stopped or cannot answer', () => {
  it('a row blocked in a system call past the timeout is abandoned and failed; close() does not wait for it', async () => {
    const pool = createPool<typeof blocking>({ task: fixture('blocking.task.ts'), workers: 2, timeout: 200, maxRowCrashes: 1 });
    const out = [];
    for await (const o of pool.imap(['a', 'block', 'bb', 'ccc'])) out.push(o.ok ? o.value : [o.error.code, o.error.message]);
    expect(out[0]).toBe(1);
    expect(out[1]).toEqual(['ROW_CRASHED', expect.stringMatching(/row 1 killed its worker 1 times \(last: timeout: a row ran longer than 200 ms — and the thread did not stop within 2000 ms \(blocked outside JavaScript.*\), so it was abandoned\)/)]);
    expect(out.slice(2)).toEqual([2, 3]);
    await pool.close();
  }, 60_000);

  it('a worker that dies while sending a batch (after every row ran) is narrowed down to the row, not retried forever', async () => {
    await using pool = createPool<typeof blocking>({ task: fixture('blocking.task.ts'), workers: 2, batchRows: 8 });
    const rows = Array.from({ length: 40 }, (_, i) => (i === 13 ? 'exit-while-sending' : 'x'.repeat(i % 5)));
    const out: Outcome<unknown>[] = [];
    for await (const o of pool.imap(rows)) out.push(o);
    expect(out.map((o) => o.index)).toEqual(rows.map((_, i) => i));
    expect(out.filter((o) => !o.ok).map((o) => [o.index, !o.ok && o.error.code])).toEqual([[13, 'ROW_CRASHED']]);
  }, 60_000);

  it('a result whose clone fails only inside the batch message fails rows, and the run goes on', async () => {
    await using pool = createPool<typeof blocking>({ task: fixture('blocking.task.ts'), workers: 2, batchRows: 4 });
    const rows = ['a', 'bb', 'flaky-getter', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g'];
    const out: Outcome<unknown>[] = [];
    for await (const o of pool.imap(rows)) out.push(o);
    expect(out.map((o) => o.index)).toEqual(rows.map((_, i) => i));
    expect(out.filter((o) => !o.ok).map((o) => [o.index, !o.ok && o.error.code])).toEqual([[2, 'ROW_UNSENDABLE']]);
    expect(out.filter((o) => o.ok).map((o) => o.ok && o.value)).toEqual([1, 2, 3, 4, 5, 6, 1]);
  });

  it('a timeout shorter than parsing a large quoted CSV chunk blames no row', async () => {
    const path = join(dir, 'quoted.csv');
    writeFileSync(path, `a,b\n${Array.from({ length: 60_000 }, (_, i) => `"${i}","quoted, ${i}"`).join('\n')}\n`);
    await using pool = createPool<typeof echo>({ task: fixture('echo.task.ts'), workers: 2, timeout: 100 });
    const summary = { ok: 0, failed: 0 };
    for await (const b of pool.imapUnordered(csv(path, { chunkBytes: 8 << 20 })).batches()) {
      summary.failed += b.failedCount;
      summary.ok += b.length - b.failedCount;
    }
    expect(summary).toEqual({ ok: 60_000, failed: 0 });
  });
});

describe('parsing in the main thread and in the workers agree', () => {
  it('a byte order mark, CRLF, a lone CR, blank lines and invalid UTF-8 give the same outcomes and lines either way', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      // A lone CR is JSON whitespace, not a line break: [1,<CR>2] is one record.
      Buffer.from('{"a":1}\r\n\n[1,\r2]\n'),
      Buffer.from([0x7b, 0x22, 0x63, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
      Buffer.from('not json\n  \n[3]'),
    ]);
    const path = join(dir, 'mixed.ndjson');
    writeFileSync(path, bytes);
    await using pool = createPool<typeof echo>({ task: fixture('echo.task.ts'), workers: 2 });
    const seen = async (parseIn: 'worker' | 'main', source = ndjson(path, { parseIn })) => {
      const out = [];
      for await (const o of pool.imap(source)) out.push([o.index, o.line, o.ok ? o.value : o.error.code]);
      return out;
    };
    const inWorkers = await seen('worker');
    expect(inWorkers).toEqual([
      [0, 1, { a: 1 }],
      [2, 3, [1, 2]],
      [3, 4, 'ROW_MALFORMED'],
      [4, 5, 'ROW_MALFORMED'],
      [5, 6, 'ROW_MALFORMED'],
      [6, 7, [3]],
    ]);
    expect(await seen('main')).toEqual(inWorkers);
    const text = async (parseIn: 'worker' | 'main') => {
      const out = [];
      for await (const o of pool.imap(lines(createReadStream(path), { parseIn }))) out.push([o.line, o.ok ? o.value : o.error.code]);
      return out;
    };
    expect(await text('main')).toEqual(await text('worker'));
  });

  it('a 16 MB line arriving from a stream in 16 KiB pieces is read once, whole', async () => {
    const path = join(dir, 'long.txt');
    writeFileSync(path, `short\n${'x'.repeat(16 << 20)}\nend\n`);
    await using pool = createPool<typeof echo>({ task: fixture('echo.task.ts'), workers: 1 });
    const lengths = [];
    for await (const o of pool.imap(lines(createReadStream(path, { highWaterMark: 16 << 10 })))) lengths.push(o.ok ? (o.value as string).length : -1);
    expect(lengths).toEqual([5, 16 << 20, 3]);
  });
});
