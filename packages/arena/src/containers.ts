/**
 * Every container kind, once. The layout's section kinds, the layout encoder and decoder, `verify()`,
 * the generic reader and `sabre inspect` all read this table; a kind missing from it does not exist.
 * To add one, see "Adding a container kind" in CONTRIBUTING.md.
 */
import type { ContainerKind, OptionsOf } from './container.js';
import { DIRECT_MAP } from './direct-map.js';
import { HASH_MAP } from './hash-map-table.js';
import { RANGES } from './range-table.js';
import { TRIE } from './trie-table.js';

export const CONTAINERS = {
  hashMap: HASH_MAP,
  ranges: RANGES,
  trie: TRIE,
  directMap: DIRECT_MAP,
} as const satisfies Record<string, ContainerKind>;

/** The layout name of a container kind: 'hashMap', 'ranges', 'trie', 'directMap'. */
export type ContainerName = keyof typeof CONTAINERS;
/** A container kind's options as they stand in its section layout ({ key: string }, …). */
export type ContainerOptions<K extends ContainerName> = OptionsOf<(typeof CONTAINERS)[K]['options']>;

export function isContainer(kind: string): kind is ContainerName {
  return  Object.hasOwn(CONTAINERS, kind);
}

/** A kind as the generic code sees it: an index of unknown shape, queried through the kind. */
export const containerOf = (kind: ContainerName): ContainerKind => CONTAINERS[kind];
