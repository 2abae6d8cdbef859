/**
 * Section kinds: what the bytes of a section mean. Pure data: how each kind is verified lives in one
 * static table (verify.ts), imported where it is used, never registered by importing a module (a
 * bundler that trusts "sideEffects": false drops such imports, and verify() then failed in bundles).
 */

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
  /** The arena's own compiled layout (layout.ts). */
  Layout: 6,
  /** A direct map (direct-map.ts). */
  DirectMap: 7,
} as const;
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

const NAMES = {
  [SectionKind.Raw]: 'raw bytes',
  [SectionKind.Strings]: 'strings',
  [SectionKind.HashMap]: 'hash map',
  [SectionKind.Ranges]: 'range table',
  [SectionKind.Trie]: 'trie',
  [SectionKind.Layout]: 'layout',
  [SectionKind.DirectMap]: 'direct map',
} satisfies Record<SectionKind, string>;

export function isSectionKind(kind: number): kind is SectionKind {
  return  Object.hasOwn(NAMES, kind);
}

export function kindName(kind: number): string {
  return isSectionKind(kind) ? NAMES[kind] : `unknown kind ${kind}`;
}
