/**
 * @sabre/arena/internal — the one door for generated code and for sabre's own packages. Not a stable
 * API for applications: import from `@sabre/arena` instead.
 *
 * @module @sabre/arena/internal
 */
export { Arena } from './arena.js';
export type { OpenOptions } from './arena.js';
export { ArenaError, Errors } from './errors.js';
export { SectionView } from './section.js';
export { StringPool, STRINGS_SECTION } from './strings.js';
export { SectionKind, isSectionKind, kindName } from './kinds.js';
export { hashChars, hashLatin1, hashUtf16, hashOut, Checksum } from './hash.js';
export { readBool, readU64, readI64, readU53, readU128 } from './read.js';
export * as format from './format.js';
export { Ctx, Table, List, typedArray, list, record, jsonSafe } from './views.js';
export { NOT_FOUND } from './section.js';
export { HashMapView, HASH_MAP_KIND } from './hash-map.js';
export { HASH_MAP, KeyedTable } from './hash-map-table.js';
export { RangesView, RANGES_KIND } from './ranges.js';
export { RANGES, RangeTable } from './range-table.js';
export { TrieView, TRIE_KIND } from './trie.js';
export { TRIE, TrieTable } from './trie-table.js';
export { DirectMapView, DIRECT_MAP, DIRECT_MAP_KIND, DirectTable } from './direct-map.js';
export { CONTAINERS, containerOf, isContainer } from './containers.js';
export type { ContainerName, ContainerOptions } from './containers.js';
export { requiredField } from './container.js';
export type { ContainerKind, OptionProblem, OptionType, OptionsOf } from './container.js';
export type { View } from './views.js';
export { alignOf, canonicalLayout, encodeLayoutSection, heapSection, indexSection, layoutDocs, layoutHashOf, LAYOUT_SECTION, optionsOf, readLayoutSection, VECTOR_SLOT } from './layout.js';
export { checkScalar, isScalarType, readScalar, SCALARS, SCALAR_TYPES, writeScalar } from './scalars.js';
export type { CheckOptions, ScalarProblem, ScalarSpec } from './scalars.js';
export { showValue } from './errors.js';
export { decodeUnits, isLatin1, unitBytes, unitsEqual, writeUnits } from './units.js';
export type { ArenaLayout, ContainerLayout, FieldLayout, ScalarType, SectionBase, SectionLayout, SectionLayoutKind, Slot, StructLayout } from './layout.js';
export { decodeLayout } from './layout-decode.js';
export { checkArena } from './door.js';
export type { RootSpec } from './door.js';
