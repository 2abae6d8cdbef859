/**
 * @sabre/schema — define an arena's schema in TypeScript, build arenas from plain data with checked
 * input, and generate typed views with `sabre gen`.
 *
 * @module @sabre/schema
 */
export { s, refTarget } from './dsl.js';
export type {
  ArenaNode, ContainerArgs, ContainerNode, DirectMapNode, ElementNode, EnumNode, FieldNode, Fields, HashMapNode, Infer, RangesNode, TrieNode, OptionalNode, RefNode, ScalarNode, ScalarType,
  SectionNode, Sections, StrNode, StructNode, TableInput, TableNode, VectorNode,
} from './dsl.js';
export { compile, describeSlot, heapSection, indexSection } from './layout.js';
export type { ArenaLayout, FieldLayout, SectionLayout, Slot, StructLayout } from './layout.js';
export { emit } from './emit.js';
export type { EmitHeader } from './emit.js';
export { build, buildAsync, layoutOf } from './build.js';
export { columns } from './columns.js';
export type { Columns } from './columns.js';
export type { BuildOptions } from './build.js';
export { SchemaError, SchemaErrors } from './errors.js';
export type { SchemaErrorCode } from './errors.js';
