/**
 * @sabre/arena/node — arena files, for Node only (the core stays browser-safe).
 *
 * @module @sabre/arena/node
 */
export { save, load, DEFAULT_MAX_FILE_BYTES } from './file.js';
export type { LoadOptions } from './file.js';
export { watchArena } from './watch.js';
export type { WatchOptions } from './watch.js';
