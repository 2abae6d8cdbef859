import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createPool, csv } from '@sabre/pool';
import type { RowError } from '@sabre/pool';
import { afterAll, describe, expect, it } from 'vitest';
import type line from './fixtures/line.task.ts';
import { fixture, squarePool } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-pool-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 5,000 records; some throw, some are malformed, one writes nothing, one returns a number. */
const N = 5000;
const csvLines = ['id,name'];
for (let i = 0; i < N; i++) {
  const name = i % 997 === 5 ? 'throw' : i === 1234 ? 'skip' : i === 4321 ? 'number' : `n${i}`;
  csvLines.push(i % 1499 === 7 ? `${i}` : `${i},${name}`);
}
const input = join(dir, 'in.csv');
writeFileSync(input, `${csvLines.join('\n')}\n`);

/** What the task writes, computed here: the output file a correct run must produce. */
function expected(): { text: string; failed: number[] } {
  let text = '';
  const failed: number[] = [];
  for (let i = 0; i < N; i++) {
    const name = i % 997 === 5 ? 'throw' : i === 1234 ? 'skip' : i === 4321 ? 'number' : `n${i}`;
    if (i % 1499 === 7 || name === 'throw' || name === 'number') failed.push(i);
    else if (name !== 'skip') text += `${i}:${name.toUpperCase()}\n`;
  }
  return { text, failed };
}

const linePool = (workers: number) => createPool<typeof line>({ task: fixture('line.task.ts'), workers, counters: ['seen'] });

describe('pipeTo: a run written straight to a file', () => {
  it('writes every row in input order, with the same bytes from 2 workers as from the in-thread runner', async () => {
    const want = expected();
    for (const workers of [2, 0]) {
      await using pool = linePool(workers);
      const out = join(dir, `out-${workers}.csv`);
      const summary = await pool.imap(csv(input, { columns: ['id', 'name'], chunkBytes: 4096 })).pipeTo(out, { header: 'id:NAME\n' });
      expect(readFileSync(out, 'utf8')).toBe(`id:NAME\n${want.text}`);
      expect(summary).toMatchObject({ rows: N, failed: want.failed.length, ok: N - want.failed.length });
      expect(summary.failures.map((e) => e.index)).toEqual(want.failed);
      const byCode = (code: string) => summary.failures.filter((e) => e.code === code).map((e) => e.index);
      expect(byCode('ROW_MALFORMED')).toEqual(want.failed.filter((i) => i % 1499 === 7));
      expect(byCode('ROW_BAD_OUTPUT')).toEqual([4321]);
      expect(summary.failures.find((e) => e.index === 4321)!.message).toBe('✖ the task returned a number for row 4321 (line 4323), but pipeTo writes text: return a string (or a Uint8Array), or null to write nothing for the row.');
      expect(summary.failures.find((e) => e.code === 'ROW_FAILED')).toMatchObject({ index: 5, line: 7 });
      expect(pool.counters().seen).toBe(N - want.failed.filter((i) => i % 1499 === 7).length);
      expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    }
  });

  it('imapUnordered writes the same lines, in any order', async () => {
    await using pool = linePool(2);
    const out = join(dir, 'unordered.csv');
    await pool.imapUnordered(csv(input, { columns: ['id', 'name'], chunkBytes: 2048 })).pipeTo(out);
    const sorted = (t: string) => t.split('\n').sort().join('\n');
    expect(sorted(readFileSync(out, 'utf8'))).toBe(sorted(expected().text));
  });

  it('writes to a Writable and ends it; keepFailures bounds the failures kept, not the count', async () => {
    await using pool = linePool(2);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const summary = await pool.imap(csv(input, { columns: ['id', 'name'] })).pipeTo(sink, { keepFailures: 2 });
    expect(sink.writableEnded).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected().text);
    expect(summary.failures.length).toBe(2);
    expect(summary.failed).toBe(expected().failed.length);
  });

  it('a run that fails leaves nothing at the destination path, and no temporary file', async () => {
    await using pool = linePool(2);
    const out = join(dir, 'never.csv');
    await expect(pool.imap(csv(input, { columns: ['id', 'name'] }), { maxFailures: 3 }).pipeTo(out)).rejects.toMatchObject({
      code: 'POOL_TOO_MANY_FAILURES',
      message: expect.stringMatching(/^✖ more than 3 rows failed \(maxFailures: 3\), so the run stopped\. The first: ✖ the task threw for row 5 \(line 7\)/),
    });
    expect(existsSync(out)).toBe(false);
    const controller = new AbortController();
    const run = pool.imap(csv(input, { columns: ['id', 'name'], chunkBytes: 1024 }), { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run.pipeTo(out)).rejects.toMatchObject({ code: 'POOL_ABORTED' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('stopOnError rejects with the first failure in input order', async () => {
    await using pool = linePool(2);
    await expect(pool.imap(csv(input, { columns: ['id', 'name'] }), { stopOnError: true }).pipeTo(join(dir, 'stop.csv'))).rejects.toMatchObject({ code: 'ROW_FAILED', index: 5 });
  });

  it('a CSV header without the columns the run needs is one error, before any row runs', async () => {
    const typo = join(dir, 'typo.csv');
    writeFileSync(typo, 'id,nmae,extra\n1,a,x\n2,b,y\n');
    await using pool = linePool(2);
    await expect(pool.imap(csv(typo, { columns: ['id', 'name'] })).pipeTo(join(dir, 'typo-out.csv'))).rejects.toMatchObject({
      code: 'POOL_BAD_COLUMNS',
      message: '✖ the CSV header (line 1) lacks the column "name" that the run needs; it has "nmae", "extra", which the run does not name (a typo?). The header is: id,nmae,extra. Fix the file or the columns option; no row ran.',
    });
    expect(pool.counters().seen).toBe(0);
    // Without a header, the columns name the fields.
    const bare = join(dir, 'bare.csv');
    writeFileSync(bare, '1,a\n2,b\n');
    expect(await pool.map(csv(bare, { header: false, columns: ['id', 'name'] }))).toEqual(['1:A\n', '2:B\n']);
  });

  it('when every row fails, the run still finishes with every failure counted and named', async () => {
    const allBad = join(dir, 'all-bad.csv');
    writeFileSync(allBad, `id,name\n${Array.from({ length: 50_000 }, (_, i) => `${i},throw`).join('\n')}`);
    await using pool = linePool(2);
    const summary = await pool.imap(csv(allBad, { columns: ['id', 'name'] })).pipeTo(join(dir, 'all-bad-out.csv'));
    expect(summary).toMatchObject({ rows: 50_000, failed: 50_000, ok: 0, bytesWritten: 0 });
    expect(summary.failures.length).toBe(1000);
    expect(summary.failures[999]).toMatchObject({ index: 999, line: 1001, code: 'ROW_FAILED' });
  });
});

describe('batches(): one result per batch, no object per row', () => {
  it('numbers come back packed, failures sparse, outcomes only on request', async () => {
    await using pool = squarePool();
    const rows = Array.from({ length: 20_000 }, (_, n) => (n % 5000 === 17 ? { n, fault: 'throw' as const } : { n }));
    let seen = 0;
    let packed = 0;
    const failures: RowError[] = [];
    for await (const b of pool.imap(rows).batches()) {
      if (b.values instanceof Float64Array) packed++;
      for (let k = 0; k < b.length; k++) {
        const index = b.indexOf(k);
        expect(index).toBe(seen + k);
        if (b.failedCount === 0 || !b.failures.some((f) => f.index === index)) expect(b.values![k]).toBe(index * index);
      }
      failures.push(...b.failures);
      const outcomes = b.outcomes();
      expect(outcomes.filter((o) => !o.ok).map((o) => o.index)).toEqual(b.failures.map((f) => f.index));
      seen += b.length;
    }
    expect(seen).toBe(20_000);
    expect(packed).toBeGreaterThan(0);
    expect(failures.map((f) => f.index)).toEqual([17, 5017, 10_017, 15_017]);
  });

  it('the in-thread runner gives the same outcomes as a pool of workers', async () => {
    const rows = Array.from({ length: 3000 }, (_, n) => (n % 700 === 3 ? { n, fault: 'throw' as const } : { n }));
    const collect = async (workers: number) => {
      await using pool = squarePool({ workers });
      const out: unknown[] = [];
      for await (const o of pool.imap(rows)) out.push(o.ok ? [o.index, o.value] : [o.index, o.error.code, o.error.message]);
      return out;
    };
    expect(await collect(0)).toEqual(await collect(2));
  });
});
