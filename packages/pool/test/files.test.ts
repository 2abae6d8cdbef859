import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, csv, lines, ndjson } from '@sabre/pool';
import type { Outcome } from '@sabre/pool';
import { afterAll, describe, expect, it } from 'vitest';
import type echo from './fixtures/echo.task.ts';
import { fixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-pool-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function collect(run: AsyncIterable<Outcome<unknown>>): Promise<Outcome<unknown>[]> {
  const out: Outcome<unknown>[] = [];
  for await (const o of run) out.push(o);
  return out.sort((a, b) => a.index - b.index);
}

describe('file sources', () => {
  const pool = createPool<typeof echo>({ task: fixture('echo.task.ts'), workers: 2 });
  afterAll(() => pool.close());

  // 2,000 records; line 501 has a bad closing quote, 1201 too many fields, 1501 is blank, 1801 kills workers.
  const csvText = ['id,name'];
  for (let i = 0; i < 2000; i++) {
    const line = i + 2;
    csvText.push(line === 501 ? '"bad"x,1' : line === 1201 ? '1,2,3' : line === 1501 ? '' : line === 1801 ? 'exit,x' : `${i},"name, ${i}"`);
  }
  const csvPath = file('rows.csv', `${csvText.join('\n')}\n`);

  for (const parseIn of ['worker', 'main'] as const) {
    for (const chunkBytes of parseIn === 'worker' ? [97, 1 << 20] : [1 << 16]) {
      it(`CSV parsed in the ${parseIn} thread (${chunkBytes}-byte chunks): each record once, bad lines named`, async () => {
        const out = await collect(pool.imapUnordered(csv(csvPath, { parseIn, chunkBytes })));
        expect(out.length).toBe(1999); // 2,000 lines, one of them blank
        expect(new Set(out.map((o) => o.line)).size).toBe(out.length);
        const bad = out.filter((o) => !o.ok).map((o) => [o.line, !o.ok && o.error.code]);
        expect(bad).toEqual([
          [501, 'ROW_MALFORMED'],
          [1201, 'ROW_MALFORMED'],
          [1801, 'ROW_CRASHED'],
        ]);
        const first = out[0]!;
        expect(first).toMatchObject({ ok: true, index: 0, line: 2, value: { id: '0', name: 'name, 0' } });
        for (const o of out) expect(o.index).toBe(o.line! - 2);
        const crashed = out.find((o) => o.line === 1801)!;
        expect(!crashed.ok && crashed.error.message).toMatch(/row 1799 \(line 1801\) killed its worker 2 times/);
      });
    }
  }

  it('main-thread CSV keeps newlines inside quoted fields and names the line a record starts on', async () => {
    const path = file('multi.csv', 'a,b\n1,"two\nlines"\n3,4\n');
    const out = await collect(pool.imap(csv(path, { parseIn: 'main' })));
    expect(out.map((o) => [o.line, o.ok && o.value])).toEqual([
      [2, { a: '1', b: 'two\nlines' }],
      [4, { a: '3', b: '4' }],
    ]);
  });

  it('CSV without a header gives string arrays; imap keeps file order', async () => {
    const path = file('plain.csv', Array.from({ length: 500 }, (_, i) => `${i},${i * 2}`).join('\r\n'));
    const values = await pool.map(csv(path, { header: false, chunkBytes: 64 }));
    expect(values).toEqual(Array.from({ length: 500 }, (_, i) => [`${i}`, `${i * 2}`]));
  });

  it('NDJSON and lines, from a path or a stream', async () => {
    const path = file('rows.ndjson', '{"a":1}\n{oops\n\n[1,2]\n');
    for (const parseIn of ['worker', 'main'] as const) {
      const out = await collect(pool.imapUnordered(ndjson(path, { parseIn })));
      expect(out.map((o) => [o.line, o.ok ? o.value : o.error.code])).toEqual([
        [1, { a: 1 }],
        [2, 'ROW_MALFORMED'],
        [4, [1, 2]],
      ]);
    }
    const { createReadStream } = await import('node:fs');
    expect(await pool.map(lines(createReadStream(path)))).toEqual(['{"a":1}', '{oops', '[1,2]']);
  });

  it('a byte range of a file: its lines only, numbered from the range, progress against the range, no BOM taken from inside', async () => {
    const text = '\uFEFFa\nb\n\uFEFFc\nd\ne';
    const path = file('ranged.txt', text);
    const at = (s: string) => Buffer.byteLength(text.slice(0, text.indexOf(s)));
    const whole = Buffer.byteLength(text);
    for (const chunkBytes of [1, 4096]) {
      expect(await pool.map(lines(path, { range: { start: 0, end: at('b') + 2 }, chunkBytes }))).toEqual(['a', 'b']);
      // A BOM inside the file is data: only a file's first bytes can be its byte order mark.
      expect(await pool.map(lines(path, { range: { start: at('b') + 2, end: whole }, chunkBytes }))).toEqual(['\uFEFFc', 'd', 'e']);
      expect(await pool.map(lines(path, { range: { start: at('d'), end: whole + 100 }, chunkBytes }))).toEqual(['d', 'e']);
    }
    const run = pool.imap(lines(path, { range: { start: at('d'), end: whole } }));
    const out = await collect(run);
    expect(out.map((o) => o.line)).toEqual([1, 2]);
    expect([run.progress.bytesRead, run.progress.bytesTotal]).toEqual([whole - at('d'), whole - at('d')]);
    expect(await pool.map(lines(path, { range: { start: 3, end: 3 } }))).toEqual([]);
    expect(() => lines(path, { range: { start: 5, end: 2 } })).toThrow(/range/);
    const { createReadStream } = await import('node:fs');
    expect(() => lines(createReadStream(path), { range: { start: 0, end: 2 } })).toThrow(/not a stream/);
  });

  it('progress counts bytes against the file size', async () => {
    const run = pool.imapUnordered(csv(csvPath, { chunkBytes: 4096 }));
    for await (const _ of run);
    expect(run.progress.bytesTotal).toBe(run.progress.bytesRead);
    expect(run.progress.rowsDone + run.progress.rowsFailed).toBe(1999);
  });

  it('a file that does not exist is one clear error, whoever parses it', async () => {
    for (const parseIn of ['worker', 'main'] as const) {
      await expect(pool.map(csv(join(dir, 'missing.csv'), { parseIn }))).rejects.toMatchObject({ code: 'POOL_BAD_SOURCE', message: expect.stringMatching(/^✖ cannot read the input file .*missing\.csv: Error: ENOENT/) });
    }
  });

  it('a CSV header with a duplicate column is refused before any row runs', async () => {
    const path = file('dup.csv', 'a,a\n1,2\n');
    await expect(pool.map(csv(path))).rejects.toMatchObject({ code: 'POOL_BAD_SOURCE', message: expect.stringMatching(/duplicate column name "a"/) });
  });
});
