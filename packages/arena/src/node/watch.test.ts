// watchArena: new files at a path, loaded and verified; anything that does not load is reported and
// skipped, and the last good arena stays in force. Real files in a temporary directory.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Arena } from '../arena.js';
import { ArenaBuilder } from '../build/index.js';
import type { ArenaError } from '../errors.js';
import { save } from './file.js';
import { watchArena } from './watch.js';

const LAYOUT = 0x5ab7e5_0001n;
const dir = mkdtempSync(join(tmpdir(), 'sabre-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An arena holding `version` in section "version", built for layout `layoutHash`. */
function arenaOf(version: number, layoutHash = LAYOUT): Arena {
  const b = new ArenaBuilder({ layoutHash });
  b.section('version').scalar('u32', version).end();
  return b.finish();
}
const versionOf = (a: Arena) => a.section('version').view.getUint32(0, true);
const bytesOf = (a: Arena) => new Uint8Array(a.buffer, 0, a.byteLength).slice();

/** Runs a watch in the background, collecting what it yields and reports. */
function watching(path: string) {
  const controller = new AbortController();
  const got: number[] = [];
  const errors: ArenaError[] = [];
  const done = (async () => {
    for await (const a of watchArena(path, { layoutHash: LAYOUT, debounceMs: 50, signal: controller.signal, onError: (e) => errors.push(e) })) got.push(versionOf(a));
  })();
  return { got, errors, stop: () => controller.abort(), done };
}

async function until(ok: () => boolean, what: string): Promise<void> {
  for (const start = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - start > 10_000) throw new Error(`${what} did not happen within 10 s`);
  }
}
const settle = () => new Promise((r) => setTimeout(r, 400)); // several debounce periods

describe('watchArena', () => {
  it('yields each arena renamed into place by save(), once each, and stops when aborted', async () => {
    const path = join(dir, 'atomic.arena');
    await save(arenaOf(1), path);
    const w = watching(path);
    await settle();
    expect(w.got).toEqual([]); // changes only, by default
    await save(arenaOf(2), path);
    await until(() => w.got.length === 1, 'the first replacement');
    await save(arenaOf(3), path);
    await until(() => w.got.length === 2, 'the second replacement');
    await settle();
    expect([w.got, w.errors]).toEqual([[2, 3], []]);
    w.stop();
    await w.done; // the loop ends, and its directory watch is closed
  });

  it('ignores a file while it is being written in place, and yields it once complete', async () => {
    const path = join(dir, 'partial.arena');
    await save(arenaOf(1), path);
    const w = watching(path);
    await settle();
    const bytes = bytesOf(arenaOf(2));
    writeFileSync(path, bytes.subarray(0, 40)); // a writer that stops halfway for a while
    await until(() => w.errors.length > 0, 'the truncated file being reported');
    expect(w.got).toEqual([]);
    expect(w.errors.every((e) => e.code === 'ARENA_TRUNCATED' || e.code === 'ARENA_TOO_SMALL' || e.code === 'ARENA_FILE_SIZE_MISMATCH')).toBe(true);
    appendFileSync(path, bytes.subarray(40));
    await until(() => w.got.length === 1, 'the completed file');
    expect(w.got).toEqual([2]);
    w.stop();
    await w.done;
  });

  it('refuses a hostile file and an arena of another layout with their ArenaErrors; the next good file is yielded', async () => {
    const path = join(dir, 'hostile.arena');
    await save(arenaOf(1), path);
    const w = watching(path);
    await settle();
    const forged = bytesOf(arenaOf(2));
    forged[forged.length - 1]! ^= 0xff; // one flipped bit in the body: the checksum no longer matches
    writeFileSync(join(dir, 'hostile.tmp'), forged);
    writeFileSync(path, readFileSync(join(dir, 'hostile.tmp')));
    await until(() => w.errors.length === 1, 'the forged file being reported');
    await save(arenaOf(3, 0x0bad_1a70n), path);
    await until(() => w.errors.length === 2, 'the other layout being reported');
    expect(w.errors.map((e) => e.code)).toEqual([expect.stringMatching(/^ARENA_(CHECKSUM_MISMATCH|CORRUPT|BAD_TOC)$/), 'ARENA_LAYOUT_MISMATCH']);
    expect(w.got).toEqual([]);
    await save(arenaOf(4), path);
    await until(() => w.got.length === 1, 'the good file after the bad ones');
    expect(w.got).toEqual([4]);
    w.stop();
    await w.done;
  });

  it('with initial: true, yields the file as it is first', async () => {
    const path = join(dir, 'initial.arena');
    await save(arenaOf(7), path);
    const controller = new AbortController();
    for await (const a of watchArena(path, { layoutHash: LAYOUT, initial: true, signal: controller.signal })) {
      expect(versionOf(a)).toBe(7);
      break; // leaving the loop closes the watch
    }
  });
});
