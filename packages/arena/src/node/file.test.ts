import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, truncateSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catchErrAsync } from '../../test/helpers.js';
import { ArenaBuilder } from '../build/index.js';
import { H_MAJOR, H_TOC_OFFSET, H_TOTAL_LENGTH } from '../format.js';
import { load, save } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'sabre-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function saved(name: string): Promise<string> {
  const b = new ArenaBuilder({ layoutHash: 77n });
  const w = b.section('rows');
  for (let i = 0; i < 1000; i++) w.u32(b.intern(`row-${i % 100}`)).f64(i / 3);
  w.end();
  const path = join(dir, name);
  await save(b.finish(), path);
  return path;
}

describe('save and load', () => {
  it('round-trips the exact bytes into a SharedArrayBuffer', async () => {
    const path = await saved('a.sabre');
    const arena = await load(path, { layoutHash: 77n });
    expect(arena.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(arena.buffer.byteLength).toBe(statSync(path).size);
    expect(Buffer.from(new Uint8Array(arena.buffer)).equals(readFileSync(path))).toBe(true);
    const rows = arena.section('rows').view;
    expect(arena.strings.decode(rows.getUint32(12 * 345, true))).toBe('row-45');
    expect(rows.getFloat64(12 * 345 + 4, true)).toBe(345 / 3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a truncated file', async () => {
    const path = await saved('trunc.sabre');
    truncateSync(path, statSync(path).size - 8);
    const err = await catchErrAsync(() => load(path));
    expect(err.code).toBe('ARENA_TRUNCATED');
    expect(err.path).toBe(path);
    truncateSync(path, 20);
    expect((await catchErrAsync(() => load(path))).code).toBe('ARENA_TOO_SMALL');
  });

  it('refuses a file with bytes appended', async () => {
    const path = await saved('long.sabre');
    appendFileSync(path, Buffer.alloc(8));
    expect((await catchErrAsync(() => load(path))).code).toBe('ARENA_FILE_SIZE_MISMATCH');
  });

  it('refuses a wrong magic, a newer format and a different layout', async () => {
    const path = await saved('m.sabre');
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([Buffer.from('PK\u0003\u0004'), bytes.subarray(4)]));
    const magic = await catchErrAsync(() => load(path));
    expect(magic.code).toBe('ARENA_BAD_MAGIC');
    expect(magic.message).toContain('got "PK\\x03\\x04"');
    const newer = Buffer.from(bytes);
    newer.writeUInt16LE(9, H_MAJOR);
    writeFileSync(path, newer);
    const version = await catchErrAsync(() => load(path));
    expect(version.code).toBe('ARENA_VERSION_UNSUPPORTED');
    expect(version.message).toContain('Upgrade @sabre/arena');
    writeFileSync(path, bytes);
    const layout = await catchErrAsync(() => load(path, { layoutHash: 78n }));
    expect(layout.code).toBe('ARENA_LAYOUT_MISMATCH');
    expect(layout.path).toBe(path);
  });

  it('verifies by default: a flipped bit anywhere is caught on load', async () => {
    const path = await saved('flip.sabre');
    const bytes = readFileSync(path);
    bytes[bytes.length >>> 1] ^= 0x10;
    writeFileSync(path, bytes);
    expect((await catchErrAsync(() => load(path))).code).toBe('ARENA_CHECKSUM_MISMATCH');
    await expect(load(path, { verify: false })).resolves.toBeDefined();
  });

  it('refuses files over maxBytes before allocating, and reports missing files', async () => {
    const path = await saved('big.sabre');
    const err = await catchErrAsync(() => load(path, { maxBytes: 100 }));
    expect(err.code).toBe('ARENA_FILE_TOO_LARGE');
    expect(err.message).toContain('nothing was allocated');
    expect((await catchErrAsync(() => load(join(dir, 'nope.sabre')))).code).toBe('ARENA_IO');
  });

  it('checks the header and TOC of a sparse file claiming 64 GiB before allocating or reading its body', async () => {
    const path = await saved('sparse.sabre');
    const small = readFileSync(path);
    const claimed = 64 * 2 ** 30; // more than this machine can allocate: reading it first fails differently
    const forge = (tocOffset: number): void => {
      const head = Buffer.from(small.subarray(0, 64));
      head.writeBigUInt64LE(BigInt(claimed), H_TOTAL_LENGTH);
      head.writeBigUInt64LE(BigInt(tocOffset), H_TOC_OFFSET);
      writeFileSync(path, Buffer.concat([head, small.subarray(64)]));
      truncateSync(path, claimed); // sparse: the rest reads as zeros and takes no disk
    };
    forge(claimed - 4096); // the TOC would sit in the zeros at the end
    const zeros = await catchErrAsync(() => load(path, { maxBytes: claimed }));
    expect([zeros.code, zeros.path]).toEqual(['ARENA_BAD_TOC', expect.stringContaining(path)]);
    forge(small.readUInt32LE(H_TOC_OFFSET)); // the real TOC, far from the end it must reach
    const gap = await catchErrAsync(() => load(path, { maxBytes: claimed }));
    expect([gap.code, gap.message]).toEqual(['ARENA_BAD_HEADER', expect.stringContaining('the TOC ends the arena')]);
  });

  it('refuses a FIFO at once instead of waiting forever for a writer, and a directory', async () => {
    const fifo = join(dir, 'pipe.sabre');
    execFileSync('mkfifo', [fifo]);
    const err = await catchErrAsync(() => load(fifo));
    expect([err.code, err.message]).toEqual(['ARENA_IO', expect.stringContaining('not a regular file but a FIFO')]);
    expect((await catchErrAsync(() => load(dir))).message).toContain('not a regular file but a directory');
  });

  it('stops when its AbortSignal aborts', async () => {
    const path = await saved('abort.sabre');
    const reason = new Error('stopped by the caller');
    await expect(load(path, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect((await load(path, { signal: new AbortController().signal })).byteLength).toBeGreaterThan(0);
  });

  it('save reports an unwritable path and leaves no temporary file', async () => {
    const b = new ArenaBuilder();
    const err = await catchErrAsync(() => save(b.finish(), join(dir, 'missing-dir', 'x.sabre')));
    expect(err.code).toBe('ARENA_IO');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
