/**
 * Section kinds: what the bytes of a section mean, and how `Arena.verify()` walks them. Containers
 * added later register their kind and verifier here, so verification grows with the format.
 */
import type { Arena } from './arena.js';
import type { SectionView } from './section.js';

export const SectionKind = {
  /** Bytes whose meaning the generated views define (struct tables, vectors). Nothing to walk. */
  Raw: 1,
  /** The interned string pool (strings.ts). */
  Strings: 2,
  /** A frozen hash map (hash-map.ts). */
  HashMap: 3,
  /** A range table (ranges.ts). */
  Ranges: 4,
  /** A trie (trie.ts). */
  Trie: 5,
} as const;
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

export interface KindSpec {
  readonly name: string;
  /** Throws an ArenaError if the section's bytes could make a reader go out of bounds or loop. */
  readonly verify: (section: SectionView, arena: Arena) => void;
}

const kinds = new Map<number, KindSpec>();

export function registerKind(kind: number, spec: KindSpec): void {
  const existing = kinds.get(kind);
  if (existing !== undefined && existing.name !== spec.name) {
    throw new Error(`section kind ${kind} is already registered as "${existing.name}"; pick another number for "${spec.name}"`);
  }
  kinds.set(kind, spec);
}

export function kindSpec(kind: number): KindSpec | undefined {
  return kinds.get(kind);
}

export function kindName(kind: number): string {
  return kinds.get(kind)?.name ?? `unknown kind ${kind}`;
}

registerKind(SectionKind.Raw, { name: 'raw bytes', verify: () => {} });
