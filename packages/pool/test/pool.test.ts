import { Readable } from 'node:stream';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { createPool, PoolError, RowError } from '@sabre/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, squarePool, threadCount, threadsAfterSettling } from './helpers.js';

describe('a pool of real workers', () => {
  const pool = squarePool({ shared: { offset: 1 } });
  afterAll(() => pool.close());

  it('map returns every result in input order', async () => {
    const rows = Array.from({ length: 20_000 }, (_, n) => ({ n }));
    expect(await pool.map(rows)).toEqual(rows.map(({ n }) => n * n + 1));
  });

  it('imapUnordered yields every row exactly once, with its index', async () => {
    const n = 50_000;
    const got = new Map<number, number>();
    for await (const o of pool.imapUnordered(Array.from({ length: n }, (_, i) => ({ n: i })))) {
      if (!o.ok) throw o.error;
      expect(got.has(o.index)).toBe(false);
      got.set(o.index, o.value);
    }
    expect(got.size).toBe(n);
    for (const [i, v] of got) expect(v).toBe(i * i + 1);
  });

  it('imap keeps input order while rows take random times', async () => {
    const delays = Array.from({ length: 300 }, (_, i) => (i * 7919) % 5);
    const indices: number[] = [];
    for await (const o of pool.imap(delays.map((delay, n) => ({ n, delay })), {})) {
      expect(o.ok && o.value).toBe(o.index * o.index + 1);
      indices.push(o.index);
    }
    expect(indices).toEqual(delays.map((_, i) => i));
  });

  it('takes async iterables and Node readable streams', async () => {
    async function* gen() {
      for (let n = 0; n < 1000; n++) yield { n };
    }
    expect((await pool.map(gen())).length).toBe(1000);
    const stream = Readable.from(Array.from({ length: 999 }, (_, n) => ({ n })));
    const values = await pool.map(stream);
    expect(values[998]).toBe(998 * 998 + 1);
  });

  it('a row that throws fails alone, named by its index; the run goes on', async () => {
    const rows = Array.from({ length: 5000 }, (_, n) => (n % 1000 === 3 ? { n, fault: 'throw' as const } : { n }));
    const failed: RowError[] = [];
    let ok = 0;
    for await (const o of pool.imapUnordered(rows)) {
      if (o.ok) ok++;
      else failed.push(o.error);
    }
    expect(ok).toBe(4995);
    expect(failed.map((e) => e.index).sort((a, b) => a - b)).toEqual([3, 1003, 2003, 3003, 4003]);
    expect(failed[0]).toBeInstanceOf(RowError);
    expect(failed[0]!.code).toBe('ROW_FAILED');
    expect(failed[0]!.message).toMatch(/^✖ the task threw for row \d+: Error: bad row \d+$/);
    expect((failed[0]!.cause as Error).message).toMatch(/^bad row/);
  });

  it('map and stopOnError reject with the first failure', async () => {
    const rows = Array.from({ length: 3000 }, (_, n) => (n === 2500 ? { n, fault: 'throw' as const } : { n }));
    await expect(pool.map(rows)).rejects.toMatchObject({ code: 'ROW_FAILED', index: 2500 });
    const seen: number[] = [];
    const run = pool.imap(rows, { stopOnError: true });
    await expect(
      (async () => {
        for await (const o of run) seen.push(o.index);
      })(),
    ).rejects.toMatchObject({ index: 2500 });
    expect(seen).toEqual(rows.slice(0, 2500).map((r) => r.n));
  });

  it('a result that cannot be cloned fails that row only', async () => {
    const rows = Array.from({ length: 100 }, (_, n) => (n === 42 ? { n, fault: 'unsendable' as const } : { n }));
    const failed: RowError[] = [];
    for await (const o of pool.imapUnordered(rows)) if (!o.ok) failed.push(o.error);
    expect(failed.map((e) => [e.index, e.code])).toEqual([[42, 'ROW_UNSENDABLE']]);
  });

  it('a row that cannot be sent to a worker fails alone', async () => {
    const rows: { n: number; f?: () => void }[] = Array.from({ length: 100 }, (_, n) => ({ n }));
    rows[10] = { n: 10, f: () => {} };
    const out = [];
    for await (const o of pool.imap(rows as { n: number }[])) out.push(o);
    expect(out.map((o) => o.index)).toEqual(rows.map((_, i) => i));
    expect(out.filter((o) => !o.ok).map((o) => [o.index, !o.ok && o.error.code])).toEqual([[10, 'ROW_UNSENDABLE']]);
  });

  it('batches() hands over one array per finished batch', async () => {
    let rows = 0;
    let groups = 0;
    for await (const g of pool.imapUnordered(Array.from({ length: 10_000 }, (_, n) => ({ n }))).batches()) {
      groups++;
      rows += g.length;
    }
    expect(rows).toBe(10_000);
    expect(groups).toBeGreaterThan(1);
    expect(groups).toBeLessThan(10_000);
  });

  it('reports progress per batch and at the end', async () => {
    const seen: number[] = [];
    const run = pool.imapUnordered(Array.from({ length: 5000 }, (_, n) => ({ n })), { onProgress: (p) => seen.push(p.rowsDone) });
    for await (const _ of run);
    const p = run.progress;
    expect(p).toMatchObject({ rowsRead: 5000, rowsDone: 5000, rowsFailed: 0, rowsInFlight: 0 });
    expect(p.rowsPerSecond).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(5000);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('the consumer stopping early ends the run cleanly, and the pool serves the next one', async () => {
    let taken = 0;
    for await (const _ of pool.imapUnordered(Array.from({ length: 100_000 }, (_, n) => ({ n })))) if (++taken === 10) break;
    expect(await pool.map([{ n: 3 }])).toEqual([10]);
  });

  it('runs side by side share the workers', async () => {
    const [a, b] = await Promise.all([pool.map(Array.from({ length: 3000 }, (_, n) => ({ n }))), pool.map(Array.from({ length: 3000 }, (_, n) => ({ n: -n })))]);
    expect(a[2999]).toBe(2999 * 2999 + 1);
    expect(b[2999]).toBe(2999 * 2999 + 1);
  });
});

describe('shared arenas and counters', () => {
  it('workers read one arena in place and count hits exactly once per row', async () => {
    const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
    const b = new ArenaBuilder();
    writeStringHashMap(b, 'words', words, words.map((_, i) => i * 3));
    const arena = b.finish();
    await using pool = createPool<typeof import('./fixtures/lookup.task.ts').default>({
      task: fixture('lookup.task.ts'),
      workers: 2,
      shared: { words: arena },
      counters: ['hits', 'misses'],
    });
    const queries = Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? `nope${i}` : `w${i % 10_000}`));
    const values = await pool.map(queries);
    expect(values).toEqual(queries.map((q) => (q.startsWith('nope') ? -1 : Number(q.slice(1)) * 3)));
    expect(pool.counters()).toEqual({ hits: 20_000, misses: 10_000 });
  });

  it('an arena over a plain ArrayBuffer is refused with a fix', () => {
    expect(() => createPool({ task: fixture('lookup.task.ts'), shared: { words: { buffer: new ArrayBuffer(8) } } })).toThrow(/SharedArrayBuffer/);
  });
});

describe('a task that cannot start', () => {
  it('init throwing rejects ready() and every run, naming the task', async () => {
    const pool = createPool<typeof import('./fixtures/broken-init.task.ts').default>({ task: fixture('broken-init.task.ts'), workers: 2 });
    await expect(pool.ready()).rejects.toMatchObject({ code: 'POOL_TASK_INIT_FAILED', message: expect.stringMatching(/the classifier file is missing/) });
    await expect(pool.map([1, 2, 3])).rejects.toBeInstanceOf(PoolError);
    await pool.close();
  });

  it('a module without a task default export is named', async () => {
    const pool = createPool({ task: fixture('not-a-task.task.ts'), workers: 1 });
    await expect(pool.ready()).rejects.toMatchObject({ code: 'POOL_NOT_A_TASK', message: expect.stringMatching(/defineTask/) });
    await pool.close();
  });

  it('a task URL that does not exist is named', async () => {
    const pool = createPool({ task: fixture('missing.task.ts'), workers: 1 });
    await expect(pool.ready()).rejects.toMatchObject({ code: 'POOL_TASK_LOAD_FAILED', message: expect.stringMatching(/missing\.task\.ts/) });
    await pool.close();
  });

  it('bad options and sources get clear errors', async () => {
    expect(() => squarePool({ workers: -1 })).toThrow(/option workers: expected a whole number ≥ 0 \(0 runs in this thread\), got -1/);
    expect(() => squarePool({ workers: 0, timeout: 100 })).toThrow(/option timeout: .*use workers ≥ 1/);
    expect(() => squarePool({ batchRows: 100_000 })).toThrow(/option batchRows: expected an integer from 1 to 65536/);
    expect(() => squarePool({ timeout: -1 })).toThrow(/option timeout/);
    const pool = squarePool({ workers: 1 });
    await expect(pool.map(42 as never)).rejects.toMatchObject({ code: 'POOL_BAD_SOURCE' });
    await pool.close();
    await expect(pool.map([])).rejects.toThrow(/pool is closed/);
    expect(() => pool.imap([])).toThrow(/pool is closed/);
  });

  it('destroy() ends runs still going with POOL_CLOSED and leaves no thread behind', async () => {
    const before = threadCount();
    const pool = squarePool();
    const run = pool.imapUnordered(Array.from({ length: 1000 }, (_, n) => ({ n, delay: 5 })));
    const consumed = (async () => {
      for await (const _ of run);
    })();
    const ended = expect(consumed).rejects.toMatchObject({ code: 'POOL_CLOSED' });
    await pool.ready();
    expect(threadCount()).toBeGreaterThanOrEqual(before + 2);
    await pool.destroy();
    await ended;
    expect(await threadsAfterSettling(before)).toBeLessThanOrEqual(before);
  });
});
