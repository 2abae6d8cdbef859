/**
 * `watchArena`: each new arena file at a path, loaded and verified, as an async iterable — the input of
 * a hot swap (`for await (const a of watchArena(path, opts)) await pool.update({ rules: a })`).
 *
 * It watches the file's directory, not the file: `save()` replaces a file by renaming a new one into
 * place, and a watch on the old file would never see that. Events are debounced (editors and copy tools
 * write in several steps), then the file is loaded with every check `load()` makes. A file that does
 * not load — still being written, truncated, forged, of another layout — is reported to `onError` and
 * skipped: the last good arena stays the one in force, and the next change is tried again. The same
 * file (device, inode, size and modification time unchanged) is never yielded twice.
 */
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Arena } from '../arena.js';
import { ArenaError, Errors } from '../errors.js';
import { type LoadOptions, load } from './file.js';

/** Options of {@link watchArena}: those of `load()` (a `layoutHash` is strongly advised), and more. */
export interface WatchOptions extends LoadOptions {
  /** Yield the file as it is now first (when it loads), then each change. Default false: changes only. */
  initial?: boolean;
  /** Quiet time after the last change before loading, in ms. Default 100. */
  debounceMs?: number;
  /** Called with the error of each file that did not load (the previous arena stays in force). */
  onError?: (error: ArenaError) => void;
}

/**
 * Each new arena file that appears at `path` (typically renamed into place by `save()`), loaded and
 * verified like `load(path, options)`. Ends when `options.signal` aborts or the loop stops early
 * (`break`); the directory watch is closed either way.
 *
 * @example
 * ```ts
 * for await (const rules of watchArena('rules.arena', { layoutHash: Rules.layoutHash, signal, onError: console.error })) {
 *   const version = await pool.update({ rules });
 *   console.log(`rules version ${version} in force`);
 * }
 * ```
 */
export async function* watchArena(path: string, options: WatchOptions = {}): AsyncGenerator<Arena, void, undefined> {
  const { initial = false, debounceMs = 100, onError, signal, ...loadOptions } = options;
  signal?.throwIfAborted();
  const name = basename(path);
  let wake: (() => void) | null = null;
  let changed = initial;
  let timer: NodeJS.Timeout | undefined;
  const poke = () => {
    changed = true;
    const w = wake;
    wake = null;
    w?.();
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(poke, debounceMs);
    });
  } catch (err) {
    throw Errors.io(path, err);
  }
  const onAbort = () => poke();
  signal?.addEventListener('abort', onAbort, { once: true });
  let last = initial ? '' : await identity(path);
  try {
    while (!signal?.aborted) {
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      changed = false;
      if (signal?.aborted) break;
      const before = await identity(path);
      if (before === '' || before === last) continue; // gone for a moment (mid-rename), or no change
      let arena: Arena;
      try {
        arena = await load(path, { ...loadOptions, ...(signal === undefined ? {} : { signal }) });
      } catch (err) {
        if (signal?.aborted) break;
        if (ArenaError.is(err)) onError?.(err);
        else throw err;
        continue;
      }
      // Changed while it was read: the next event loads it again.
      if ((await identity(path)) !== before) continue;
      last = before;
      yield arena;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    watcher.close();
  }
}

/** What tells one file from another at a path: device, inode, size, modification time ('' if absent). */
async function identity(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return '';
  }
}
