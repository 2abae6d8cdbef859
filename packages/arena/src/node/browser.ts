/**
 * `@sabre/arena/node` as a browser bundler sees it (the "browser" export condition): the same names,
 * each failing with ARENA_NODE_ONLY and what to do instead. Generated views' `load()` imports
 * `@sabre/arena/node` lazily; without this stand-in a browser bundle would follow that import into
 * `node:fs` and fail to build, although the page never calls `load()`.
 */
import type { Arena } from '../arena.js';
import { Errors } from '../errors.js';

export type { LoadOptions } from './file.js';
export type { WatchOptions } from './watch.js';

/** Node's default, without the machine's memory to cap it (a page cannot load files anyway). */
export const DEFAULT_MAX_FILE_BYTES = 16 * 2 ** 30;

/** Node only: rejects with ARENA_NODE_ONLY. */
export async function save(_arena: Arena, path: string): Promise<void> {
  throw Errors.nodeOnly('save', path);
}

/** Node only: rejects with ARENA_NODE_ONLY (fetch the bytes and `Arena.open` them instead). */
export async function load(path: string, _options?: object): Promise<Arena> {
  throw Errors.nodeOnly('load', path);
}

/** Node only: throws ARENA_NODE_ONLY when iterated (a page fetches new bytes and opens them instead). */
// biome-ignore lint/correctness/useYield: a stand-in that fails on its first step, as the Node one would fail to watch
export async function* watchArena(path: string, _options?: object): AsyncGenerator<Arena, void, undefined> {
  throw Errors.nodeOnly('watchArena', path);
}
