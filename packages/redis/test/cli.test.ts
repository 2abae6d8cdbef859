// The sabre-redis CLI as a user runs it: a real child process against a real Redis on 127.0.0.1. A job
// submitted by the CLI is served by a host process and finished by the CLI, and its output is compared
// byte for byte with the same job in one process.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { load, save } from '@sabre/arena/node';
import { createPool, csv } from '@sabre/pool';
import { jobKeys } from '@sabre/redis';
import type label from './fixtures/label.task.ts';
import { startRedis, type TestRedis } from './redis-server.js';

const LAYOUT = 0xc11_5ab7en;
const BIN = fileURLToPath(new URL('../bin/sabre-redis.mjs', import.meta.url));
const HOST = fileURLToPath(new URL('./fixtures/host.script.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sabre-redis-cli-'));
const arenaPath = join(work, 'words.arena');
const input = join(work, 'input.csv');
let redis: TestRedis;
let client: Redis;

/** Runs a command to its end: exit code, stdout, stderr. */
function run(file: string, args: string[], execArgv: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [...execArgv, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}
const cli = (...args: string[]) => run(BIN, args);

beforeAll(async () => {
  const words = Array.from({ length: 500 }, (_, i) => `w${i}`);
  const b = new ArenaBuilder({ layoutHash: LAYOUT });
  writeStringHashMap(b, 'words', words, words.map((_, i) => i % 100));
  await save(b.finish(), arenaPath);
  writeFileSync(input, `id,word\n${Array.from({ length: 20_000 }, (_, i) => `${i},w${(i * 7) % 600}`).join('\n')}\n`);
  redis = await startRedis();
  client = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await redis?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('sabre-redis submit, status and finish, as processes (real Redis on 127.0.0.1)', () => {
  it('submit splits the job into batches against the arena named by content; a host serves it; finish writes it as one process would', async () => {
    const out = join(work, 'out');
    mkdirSync(out);
    const submitted = await cli('submit', 'cli', input, '--arena', arenaPath, '--out', out, '--batch-mb', '0.03', '--redis', redis.url, '--json');
    expect(submitted.code, submitted.err).toBe(0);
    const r = JSON.parse(submitted.out) as { job: string; batches: number; columns: string[]; arena: string };
    expect(r).toMatchObject({ job: 'cli', columns: ['id', 'word'], arena: expect.stringMatching(new RegExp(`^[0-9a-f]{64}:${LAYOUT.toString(16)}$`)) });
    expect(r.batches).toBeGreaterThan(5);
    expect(await client.hget(jobKeys('cli').job, 'arena')).toBe(r.arena);
    expect(await client.xlen(jobKeys('cli').batches)).toBe(r.batches);

    const host = await run(HOST, [redis.url, 'cli', 'h1', arenaPath, LAYOUT.toString(16), join(work, 'cache')], ['--conditions=@sabre/source', '--import', 'tsx']);
    expect(host.code, host.err).toBe(0);
    const status = await cli('status', 'cli', '--redis', redis.url);
    expect(status.out).toMatch(new RegExp(`^job cli: ${r.batches}/${r.batches} batches done, 0 dead-lettered`));
    const finished = await cli('finish', 'cli', join(work, 'cli.final'), '--redis', redis.url);
    expect(finished.code, finished.err).toBe(0);

    const arena = await load(arenaPath);
    const pool = createPool<typeof label>({ task: new URL('./fixtures/label.task.ts', import.meta.url), workers: 1, shared: { words: arena.buffer as SharedArrayBuffer } });
    try {
      await pool.imap(csv(input, { columns: ['id', 'word'] })).pipeTo(join(work, 'expected.out'));
    } finally {
      await pool.close();
    }
    expect(readFileSync(join(work, 'cli.final'), 'utf8') === readFileSync(join(work, 'expected.out'), 'utf8')).toBe(true);
  }, 120_000);

  it('submit refuses what it cannot run before touching Redis: a missing option, a bad format, an arena of another schema', async () => {
    const missing = await cli('submit', 'bad', input, '--out', work, '--redis', 'redis://127.0.0.1:1');
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('✖ submit needs --arena <file> and --out <dir>')]);
    const format = await cli('submit', 'bad', input, '--arena', arenaPath, '--out', work, '--format', 'tsv', '--redis', 'redis://127.0.0.1:1');
    expect([format.code, format.err]).toEqual([2, expect.stringContaining('✖ --format is csv or lines, got "tsv"')]);
    const schema = await cli('submit', 'bad', input, '--arena', arenaPath, '--out', work, '--layout-hash', '1234', '--redis', redis.url);
    expect(schema.code).toBe(1);
    expect(schema.err).toMatch(/layout/i);
    expect(await client.exists(jobKeys('bad').job)).toBe(0);
  }, 60_000);

  it('each command explains itself with --help; no command or an unknown one prints the usage', async () => {
    const help = await cli('submit', '--help');
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('--batch-mb <n>')]);
    expect((await cli('finish', '--help')).out).toContain('--allow-dead');
    expect((await cli('status', '-h')).out).toContain('pending per host');
    const none = await cli();
    expect([none.code, none.err]).toEqual([2, expect.stringContaining('sabre-redis submit <job> <input>')]);
    const unknown = await cli('sumbit', 'x');
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('✖ no command "sumbit"')]);
  }, 60_000);
});
