// @sabre/redis end to end, with a real Redis on loopback and hosts as real processes. Every scenario's
// final output is compared byte for byte with the same job run in one process by a local pool.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
import { save } from '@sabre/arena/node';
import { createPool, csv } from '@sabre/pool';
import { arenaRefOf, finishJob, jobKeys, jobStatus, submitJob } from '@sabre/redis';
import type label from './fixtures/label.task.ts';
import { startRedis, type TestRedis } from './redis-server.js';

const LAYOUT = 0x5ab7e_4ed15n;
const HOST = fileURLToPath(new URL('./fixtures/host.script.ts', import.meta.url));
const ROWS = 120_000;
const work = mkdtempSync(join(tmpdir(), 'sabre-scale-out-'));
const arenaPath = join(work, 'words.arena');
const otherArenaPath = join(work, 'other.arena');
const input = join(work, 'input.csv');
const poisoned = join(work, 'poisoned.csv');
let expected = '';
let redis: TestRedis;
let client: Redis;

function wordsArena(salt: number) {
  const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
  const b = new ArenaBuilder({ layoutHash: LAYOUT });
  writeStringHashMap(b, 'words', words, words.map((_, i) => (i * 7 + salt) % 1000));
  return b.finish();
}

beforeAll(async () => {
  await save(wordsArena(0), arenaPath);
  await save(wordsArena(1), otherArenaPath);
  const rows = Array.from({ length: ROWS }, (_, i) => `${i},w${(i * 31) % 6000}`); // some words miss
  writeFileSync(input, `id,word\n${rows.join('\n')}\n`);
  writeFileSync(poisoned, `id,word\n${rows.map((r, i) => (i === 70_000 ? `${i},poison` : r)).join('\n')}\n`);
  // The same job in one process: the local pool over the whole file.
  const pool = createPool<typeof label>({ task: new URL('./fixtures/label.task.ts', import.meta.url), workers: 1, shared: { words: wordsArena(0).buffer as SharedArrayBuffer } });
  try {
    await pool.imap(csv(input, { columns: ['id', 'word'] })).pipeTo(join(work, 'expected.out'));
  } finally {
    await pool.close();
  }
  expected = readFileSync(join(work, 'expected.out'), 'utf8');
  redis = await startRedis();
  client = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await redis?.dispose();
  rmSync(work, { recursive: true, force: true });
});

interface Host {
  child: ChildProcess;
  events: { event: string; outcome?: string; message?: string }[];
  exited: Promise<number | null>;
  stderr: () => string;
}

/** A host process; a `gated` one waits after 'ready' until `release(host)` (see host.script.ts). */
function startHost(url: string, job: string, consumer: string, arena = arenaPath, claimIdleMs = 1500, gated = false): Host {
  const args = ['--conditions=@sabre/source', '--import', 'tsx', HOST, url, job, consumer, arena, LAYOUT.toString(16), join(work, `cache-${consumer}`), String(claimIdleMs)];
  const env = gated ? { ...process.env, HOST_GATE: '1' } : process.env;
  const child = spawn(process.execPath, args, { stdio: [gated ? 'pipe' : 'ignore', 'pipe', 'pipe'], env });
  const events: Host['events'] = [];
  let err = '';
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) if (l.startsWith('{')) events.push(JSON.parse(l) as Host['events'][number]);
  });
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, events, exited, stderr: () => err };
}

async function until(ok: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  for (const start = Date.now(); !(await ok()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() - start > ms) throw new Error(`${what} did not happen within ${ms / 1000} s`);
  }
}

async function submit(job: string, file = input): Promise<{ outDir: string; batches: number }> {
  const outDir = join(work, `out-${job}`);
  mkdirSync(outDir, { recursive: true });
  const { batches } = await submitJob(client, { job, input: file, arena: await arenaRefOf(arenaPath, LAYOUT), outputDir: outDir, batchBytes: 32 << 10 });
  return { outDir, batches };
}

/** Finishes the job and checks it: every batch accepted once, the output equal to the one-process run. */
async function finishAndCompare(job: string, outDir: string, batches: number, want = expected): Promise<void> {
  const status = await jobStatus(client, job);
  expect([status.done, status.dead, status.total]).toEqual([batches, 0, batches]); // batches lost: 0
  // One accepted output per batch (a late host's own file is never read): duplicated 0.
  const accepted = await client.hgetall(jobKeys(job).done);
  expect(Object.keys(accepted).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: batches }, (_, i) => String(i)));
  for (const [batch, record] of Object.entries(accepted)) expect(readdirSync(outDir)).toContain(`${job}.${batch.padStart(8, '0')}.${record.split(' ')[0]}.out`);
  await finishJob(client, job, join(work, `${job}.final`));
  expect(readFileSync(join(work, `${job}.final`), 'utf8') === want).toBe(true);
}

describe('@sabre/redis: one job across host processes (real Redis on 127.0.0.1)', () => {
  it('three hosts share a job: every batch accepted once, output byte for byte as one process', async () => {
    const { outDir, batches } = await submit('three');
    expect(batches).toBeGreaterThan(20);
    // Released together once all three are ready: on a busy machine the first host to start used to run
    // every batch before the others had compiled, and the job was not shared at all.
    const hosts = ['a', 'b', 'c'].map((c) => startHost(redis.url, 'three', c, arenaPath, 1500, true));
    try {
      await until(() => hosts.every((h) => h.events.some((e) => e.event === 'ready')), 'all three hosts ready');
    } catch (e) {
      for (const h of hosts) h.child.kill('SIGKILL'); // gated hosts would wait on stdin for ever
      throw new Error(`${(e as Error).message}\n${hosts.map((h) => h.stderr()).join('\n')}`);
    }
    for (const h of hosts) h.child.stdin!.end('go\n');
    const codes = await Promise.all(hosts.map((h) => h.exited));
    expect(codes, hosts.map((h) => h.stderr()).join('\n')).toEqual([0, 0, 0]);
    await finishAndCompare('three', outDir, batches);
    // The CLI reads the same status, and finishes the job the same way.
    const cli = (args: string[]) => spawnSync(process.execPath, [fileURLToPath(new URL('../bin/sabre-redis.mjs', import.meta.url)), ...args, '--redis', redis.url], { encoding: 'utf8' });
    const status = cli(['status', 'three', '--json']);
    expect([status.status, JSON.parse(status.stdout)]).toEqual([0, expect.objectContaining({ job: 'three', total: batches, done: batches, dead: 0, rows: ROWS })]);
    expect(cli(['status', 'three']).stdout).toMatch(new RegExp(`^job three: ${batches}/${batches} batches done, 0 dead-lettered, pending per host: none; 120,000 rows`));
    const finished = cli(['finish', 'three', join(work, 'three.cli.final')]);
    expect([finished.status, readFileSync(join(work, 'three.cli.final'), 'utf8') === expected]).toEqual([0, true]);
    expect(cli(['status', 'nope']).stderr).toContain('✖ no job named nope');
    expect(hosts.filter((h) => h.events.some((e) => e.outcome === 'accepted')).length).toBeGreaterThan(1); // the work was shared
  }, 120_000);

  it('a host killed with SIGKILL mid-job: its batches are claimed by the others, none lost or doubled', async () => {
    const { outDir, batches } = await submit('killed');
    const victim = startHost(redis.url, 'killed', 'victim');
    await until(() => victim.events.some((e) => e.outcome === 'accepted'), 'the victim accepting a batch');
    const others = ['x', 'y'].map((c) => startHost(redis.url, 'killed', c));
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe(null);
    const codes = await Promise.all(others.map((h) => h.exited));
    expect(codes, others.map((h) => h.stderr()).join('\n')).toEqual([0, 0]);
    await finishAndCompare('killed', outDir, batches);
  }, 120_000);

  it('a host frozen with SIGSTOP past claimIdleMs, then resumed: its late acknowledgements are refused, outputs not doubled', async () => {
    // Slow rows (20 ms each, one in 500) keep every batch running for tens of milliseconds, so the host is
    // frozen with batches in flight, not in the instant between two.
    const slow = join(work, 'slow.csv');
    const rows = readFileSync(input, 'utf8').split('\n');
    for (let i = 0; i < ROWS; i += 500) rows[i + 1] = `${i},slow`;
    writeFileSync(slow, rows.join('\n'));
    const want = expected.split('\n').map((l, i) => (i % 500 === 0 && i < ROWS ? `${i},-1` : l)).join('\n');
    const { outDir, batches } = await submit('frozen', slow);
    const frozen = startHost(redis.url, 'frozen', 'frozen');
    await until(() => frozen.events.some((e) => e.outcome === 'accepted'), 'the host accepting a batch');
    frozen.child.kill('SIGSTOP');
    const other = startHost(redis.url, 'frozen', 'other');
    await until(async () => (await jobStatus(client, 'frozen')).done === batches, 'the other host finishing the job');
    frozen.child.kill('SIGCONT');
    expect(await frozen.exited).toBe(0);
    expect(await other.exited).toBe(0);
    expect(frozen.events.filter((e) => e.outcome === 'late').length).toBeGreaterThanOrEqual(1);
    await finishAndCompare('frozen', outDir, batches, want);
  }, 120_000);

  it('a batch that kills every host that takes it reaches the dead-letter stream with its reason and the line to blame; the rest finish', async () => {
    const { outDir, batches } = await submit('poison', poisoned);
    // Hosts die on the poison row; start another each time one dies, until the job is over.
    let started = 0;
    for (;;) {
      const h = startHost(redis.url, 'poison', `p${started++}`, arenaPath, 800);
      const code = await h.exited;
      if (code === 0) break;
      expect(started).toBeLessThan(8);
    }
    const status = await jobStatus(client, 'poison');
    expect([status.done, status.dead]).toEqual([batches - 1, 1]);
    const [[, fields]] = (await client.xrange(jobKeys('poison').dead, '-', '+')) as [string, string[]][];
    expect(fields).toEqual(expect.arrayContaining(['reason', expect.stringMatching(/run alone 3 times \(maxDeliveries\), it never finished/)]));
    // Data row 70,000 is line 70,002 of the file: named, from the trail the hosts it killed left.
    expect(fields).toEqual(expect.arrayContaining(['line', '70002', 'reason', expect.stringMatching(/line 70002 of the input killed its host when run by itself/)]));
    await expect(finishJob(client, 'poison', join(work, 'poison.final'))).rejects.toThrow(/1 dead-lettered \(pass allowDead/);
    expect(await client.hlen(jobKeys('poison').done)).toBe(batches - 1);
    expect(readdirSync(outDir).length).toBeGreaterThan(0);
  }, 180_000);

  it('a row that crashes workers is failed alone by the pool and named by its input line; the job finishes', async () => {
    const crashing = join(work, 'crashing.csv');
    const lines = readFileSync(input, 'utf8').split('\n');
    lines[50_001] = '50000,crash'; // data row 50,000 is line 50,002 of the file
    writeFileSync(crashing, lines.join('\n'));
    const { batches } = await submit('crash', crashing);
    const hosts = ['c1', 'c2'].map((c) => startHost(redis.url, 'crash', c));
    expect(await Promise.all(hosts.map((h) => h.exited))).toEqual([0, 0]);
    const final = join(work, 'crash.final');
    const r = await finishJob(client, 'crash', final);
    expect([r.batches, r.dead, r.failedRows]).toEqual([batches, 0, 1]);
    const failures = readFileSync(`${final}.failures.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; code: string });
    expect(failures).toEqual([expect.objectContaining({ line: 50_002, code: 'ROW_CRASHED' })]);
    // Every other row's output is the one-process run's.
    expect(readFileSync(final, 'utf8')).toBe(expected.split('\n').filter((l) => !l.startsWith('50000,')).join('\n'));
  }, 120_000);

  it('a host started with another arena than the job names is refused before running anything', async () => {
    await submit('wrong');
    const h = startHost(redis.url, 'wrong', 'wrong', otherArenaPath);
    expect(await h.exited).not.toBe(0);
    expect(h.stderr()).toMatch(/this host holds arena [0-9a-f]+:[0-9a-f]+, but job wrong runs against [0-9a-f]+:[0-9a-f]+/);
    expect((await jobStatus(client, 'wrong')).done).toBe(0);
  }, 60_000);

  it('Redis restarted mid-job with AOF on: hosts reconnect, and the job finishes with every batch once', async () => {
    const aof = await startRedis({ appendonly: true });
    const own = new Redis(aof.url);
    try {
      const outDir = join(work, 'out-restart');
      mkdirSync(outDir, { recursive: true });
      const { batches } = await submitJob(own, { job: 'restart', input, arena: await arenaRefOf(arenaPath, LAYOUT), outputDir: outDir, batchBytes: 32 << 10 });
      const hosts = ['r1', 'r2'].map((c) => startHost(aof.url, 'restart', c));
      await until(() => hosts.some((h) => h.events.filter((e) => e.outcome === 'accepted').length >= 2), 'some batches accepted');
      await aof.stop();
      await new Promise((r) => setTimeout(r, 300));
      await aof.start();
      const codes = await Promise.all(hosts.map((h) => h.exited));
      expect(codes, hosts.map((h) => h.stderr()).join('\n')).toEqual([0, 0]);
      const done = await own.hlen(jobKeys('restart').done);
      expect(done).toBe(batches);
      await finishJob(own, 'restart', join(work, 'restart.final'));
      expect(readFileSync(join(work, 'restart.final'), 'utf8') === expected).toBe(true);
    } finally {
      own.disconnect();
      await aof.dispose();
    }
  }, 180_000);
});
