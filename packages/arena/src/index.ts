/**
 * @sabre/arena — the read side: open an arena in O(1), verify untrusted bytes, read sections and
 * interned strings in place. Zero dependencies; runs in Node workers and in browsers.
 * Build with `@sabre/arena/build`; save and load files with `@sabre/arena/node`.
 *
 * @module @sabre/arena
 */
export { Arena } from './arena.js';
export type { OpenOptions, SectionInfo } from './arena.js';
export { ArenaError, Errors } from './errors.js';
export type { ArenaErrorCode, ArenaErrorDetails } from './errors.js';
export { SectionView } from './section.js';
export { StringPool } from './strings.js';
export { SectionKind } from './kinds.js';
export { NOT_FOUND } from './section.js';
export { HashMapView } from './hash-map.js';
export { RangesView } from './ranges.js';
export { TrieView } from './trie.js';
export { DirectMapView } from './direct-map.js';
export { parseIPv4, parseIPv6 } from './ip.js';
export { hashChars, hashOut } from './hash.js';
export { FORMAT_MAJOR, FORMAT_MINOR, HEADER_SIZE, MAX_SECTION_BYTES } from './format.js';
export { ArenaReader, TableReader } from './reader.js';
export type { Row } from './reader.js';
export type { ArenaLayout, FieldLayout, ScalarType, SectionLayout, Slot, StructLayout } from './layout.js';
