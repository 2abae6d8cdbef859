/**
 * @sabre/arena/build — the write side. Workers never load it: readers import `@sabre/arena`.
 *
 * @module @sabre/arena/build
 */
export { ArenaBuilder, MAX_BUILDER_BYTES } from './builder.js';
export { SectionWriter } from './section-writer.js';
export type { BuilderOptions, SectionOptions } from './builder.js';
export { StringPoolBuilder } from './strings.js';
export { allocating } from './reserve.js';
export { writeStringHashMap, writeIntHashMap } from './hash-map.js';
export type { HashMapOptions } from './hash-map.js';
export { writeRangeColumns, writeRanges } from './ranges.js';
export type { RangeColumns, RangeEntry, RangesOptions } from './ranges.js';
export { writeTrie } from './trie.js';
export { writeDirectMap } from './direct-map.js';
export type { DirectMapOptions } from './direct-map.js';
export type { TrieOptions } from './trie.js';
