/**
 * Arena files. A saved arena is its bytes, exactly: the same file loads on any machine.
 *
 * - `save(arena, path)` writes to a temporary file beside `path` and renames it into place, so a crash
 *   or a full disk never leaves a half-written arena under the real name.
 * - `load(path)` checks the file's size against `maxBytes` before allocating anything, reads and checks
 *   the 64-byte header (magic, version, recorded length = file size) and the table of contents (every
 *   section inside the file, no overlaps), and only then reads the file once, straight into a
 *   SharedArrayBuffer of exactly that size — no JS string, no intermediate Buffer. A mostly-empty
 *   (sparse) file claiming a gigabyte is thus refused from its first and last kilobytes. By default it
 *   then runs `verify()`, because a file may come from anywhere; pass `verify: false` for files you made.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { Arena, type OpenOptions } from '../arena.js';
import { ArenaError, Errors } from '../errors.js';
import { FORMAT_MAJOR, H_MAJOR, H_MAGIC, H_MINOR, H_TOC_LENGTH, H_TOC_OFFSET, H_TOTAL_LENGTH, HEADER_SIZE, MAGIC, MAX_SECTION_BYTES, describeMagic, readHeaderParts, readU64 } from '../format.js';

/** Reads and writes move at most this many bytes per call (the OS and Node cap single I/O calls). */
const IO_CHUNK = 1 << 30;
/**
 * Default cap on a loaded file's size: 16 GiB, or the machine's memory if smaller — a file that cannot
 * fit in memory is refused by size, not by an out-of-memory crash halfway through reading it.
 */
export const DEFAULT_MAX_FILE_BYTES = Math.min(16 * 2 ** 30, totalmem());

/** Options of {@link load}: those of `Arena.open` (`layoutHash`, `maxSectionBytes`) and these. */
export interface LoadOptions extends OpenOptions {
  /** Refuse files larger than this many bytes, before allocating. Default 16 GiB or the machine's memory, whichever is smaller. */
  maxBytes?: number;
  /** Run the full `verify()` after opening (default true: the file may come from anywhere). */
  verify?: boolean;
  /** Stops a load in progress (between reads): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Writes the arena's bytes to `path`, atomically: to a temporary file beside it (flushed to disk), then
 * renamed into place, so `path` never holds a half-written arena. Rejects with ARENA_IO (the system
 * error as its cause) if anything fails; the temporary file is then removed.
 *
 * @example
 * ```ts
 * import { save, load } from '@sabre/arena/node';
 *
 * await save(arena, 'geo.arena');
 * const again = await load('geo.arena'); // verified; pass { verify: false } for files you wrote yourself
 * ```
 */
export async function save(arena: Arena, path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'w');
    for (let at = 0; at < arena.byteLength; ) {
      const n = Math.min(IO_CHUNK, arena.byteLength - at);
      const { bytesWritten } = await fh.write(new Uint8Array(arena.buffer, at, n), 0, n, at);
      at += bytesWritten;
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (err) {
    await fh?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw Errors.io(path, err);
  }
}

/**
 * Reads an arena file into a new SharedArrayBuffer and opens it. The size, header and table of contents
 * are checked before the body is allocated or read, then `verify()` runs unless `verify: false`.
 *
 * @returns The opened (and, by default, verified) arena, ready to post to workers.
 * @throws An `ArenaError` (errors in the file name it in `path`): ARENA_IO (missing, unreadable, not a
 *   regular file), ARENA_FILE_TOO_LARGE (over `maxBytes`; nothing allocated), ARENA_TOO_SMALL,
 *   ARENA_BAD_MAGIC, ARENA_VERSION_UNSUPPORTED, ARENA_TRUNCATED, ARENA_FILE_SIZE_MISMATCH, what
 *   `Arena.open` throws, and what `verify()` throws (ARENA_CHECKSUM_MISMATCH, ARENA_CORRUPT, …). An
 *   aborted `signal` rejects with the signal's reason.
 *
 * @example
 * ```ts
 * const arena = await load('geo.arena', { layoutHash: Geo.layoutHash, maxBytes: 2 ** 30 });
 * ```
 */
export async function load(path: string, options: LoadOptions = {}): Promise<Arena> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  options.signal?.throwIfAborted();
  let fh: FileHandle | undefined;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait, forever, for a writer.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw Errors.io(path, err);
  }
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw Errors.io(path, new Error(`it is not a regular file but ${kindOf(stat)}; arenas load from files (save() writes them)`));
    const { size } = stat;
    if (size > maxBytes) throw Errors.fileTooLarge(path, size, maxBytes);
    if (size < HEADER_SIZE) throw Errors.tooSmall(HEADER_SIZE, size, path);

    const head = new Uint8Array(HEADER_SIZE);
    await readFully(fh, head, 0, path);
    const dv = new DataView(head.buffer);
    if (dv.getUint32(H_MAGIC, true) !== MAGIC) throw Errors.badMagic(describeMagic(dv), path);
    if (dv.getUint16(H_MAJOR, true) !== FORMAT_MAJOR) throw Errors.versionUnsupported(dv.getUint16(H_MAJOR, true), dv.getUint16(H_MINOR, true), FORMAT_MAJOR, path);
    const total = readU64(dv, H_TOTAL_LENGTH);
    if (total > size) throw Errors.truncated(total, size, path);
    if (total !== size) throw Errors.fileSizeMismatch(total, size, path);
    // The TOC (at the end of the file) is checked before the body is read or its memory allocated.
    const tocOffset = readU64(dv, H_TOC_OFFSET);
    const tocLength = dv.getUint32(H_TOC_LENGTH, true);
    const toc = new Uint8Array(tocOffset >= HEADER_SIZE && tocOffset + tocLength <= size ? tocLength : 0);
    if (toc.length > 0) await readFully(fh, toc, tocOffset, path);
    readHeaderParts(dv, size, () => new DataView(toc.buffer), { maxSectionBytes: options.maxSectionBytes ?? MAX_SECTION_BYTES });

    const buffer = new SharedArrayBuffer(size);
    for (let at = 0; at < size; at += IO_CHUNK) {
      options.signal?.throwIfAborted();
      await readFully(fh, new Uint8Array(buffer, at, Math.min(IO_CHUNK, size - at)), at, path);
    }
    options.signal?.throwIfAborted();
    const arena = Arena.open(buffer, options);
    if (options.verify ?? true) arena.verify();
    return arena;
  } catch (err) {
    if (options.signal?.aborted === true && err === options.signal.reason) throw err;
    throw ArenaError.is(err) ? withFile(err, path) : Errors.io(path, err);
  } finally {
    await fh.close();
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

type Handle = Awaited<ReturnType<typeof open>>;

async function readFully(fh: Handle, into: Uint8Array, position: number, path: string): Promise<void> {
  for (let done = 0; done < into.length; ) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw Errors.truncated(position + into.length, position + done, path);
    done += bytesRead;
  }
}

function withFile(err: ArenaError, path: string): ArenaError {
  if (err.path?.startsWith(path)) return err;
  const where = err.path === undefined ? path : `${path} → ${err.path}`;
  const message = err.message.includes(path) ? err.message : `${err.message} (file: ${path})`;
  return new ArenaError(err.code, message, { expected: err.expected, got: err.got, path: where, cause: err });
}
