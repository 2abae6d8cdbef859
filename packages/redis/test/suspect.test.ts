// A suspect batch's trail-leaving run (suspect.ts), in this process against a real Redis on 127.0.0.1:
// its output is the one pipeTo writes, its failures are the pool's, and the trail it leaves is what a
// later attempt starts probing from. (A host killed by a row, and that row named, is scale-out.test.ts.)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { createPool, csv, type Pool, type Writeable } from '@sabre/pool';
import type { Task } from '@sabre/pool/task';
import { jobKeys, readFileRange } from '@sabre/redis';
import { blame, readProbe, runSuspect } from '../src/suspect.js';
import { startRedis, type TestRedis } from './redis-server.js';

const work = mkdtempSync(join(tmpdir(), 'sabre-suspect-'));
const input = join(work, 'input.csv');
let redis: TestRedis;
let client: Redis;
let pool: Pool<Task<unknown, unknown, Writeable>>;

beforeAll(async () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
  const b = new ArenaBuilder({ layoutHash: 1n });
  writeStringHashMap(b, 'words', words, words.map((_, i) => i));
  // No header: a batch's byte range as a host reads it. Line 3,001 crashes only its worker.
  writeFileSync(input, `${Array.from({ length: 5000 }, (_, i) => (i === 3000 ? `${i},crash` : `${i},w${i % 150}`)).join('\n')}\n`);
  pool = createPool({ task: new URL('./fixtures/label.task.ts', import.meta.url), workers: 2, shared: { words: b.finish().buffer as SharedArrayBuffer } }) as never;
  redis = await startRedis();
  client = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  client?.disconnect();
  await redis?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('a suspect run alone, leaving a trail in Redis', () => {
  it('writes what pipeTo writes, fails what the pool fails, and records every finished line; a later attempt probes and clears what it tried', async () => {
    const keys = jobKeys('suspect');
    const end = statSync(input).size;
    const source = (a: number, b: number, chunkBytes?: number) => csv(input, { header: false, columns: ['id', 'word'], range: { start: a, end: b }, ...(chunkBytes === undefined ? {} : { chunkBytes }) });
    const batch = { redis: client, keys, batchId: '0', pool, source, bytes: () => readFileRange(input, 0, end), start: 0, end };
    const want = await pool.imap(source(0, end)).pipeTo(join(work, 'want.out'), { keepFailures: 10 });
    for (const attempt of [2, 3]) {
      const got = await runSuspect(batch, attempt, join(work, `got${attempt}.out`));
      expect(readFileSync(join(work, `got${attempt}.out`), 'utf8') === readFileSync(join(work, 'want.out'), 'utf8')).toBe(true);
      expect([got.rows, got.failed, got.failures.map((e) => [e.line, e.code])]).toEqual([want.rows, 1, [[3001, 'ROW_CRASHED']]]);
      // The trail: the prefix recorded last (every 32 rows), and nothing being tried.
      expect(await readProbe(client, keys, '0')).toEqual({ next: 4993, trying: 0 });
    }
    expect(blame({ next: 4993, trying: 0 }, 10).text).toBe('its rows stopped finishing after line 5001 of the input, and no line killed a host by itself');
    expect(blame({ next: 4993, trying: 17 }, 10)).toEqual({ line: 26, text: 'line 26 of the input killed its host when run by itself' });
  }, 120_000);
});
