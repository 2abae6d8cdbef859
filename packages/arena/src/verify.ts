/**
 * How `Arena.verify()` walks each section kind: one static table, complete by construction (a kind
 * without a verifier is a type error). Each verifier throws an ArenaError if the section's bytes could
 * make a reader go out of bounds or loop.
 */
import { DIRECT_MAP } from './direct-map.js';
import { HASH_MAP } from './hash-map-table.js';
import { decodeLayout } from './layout-decode.js';
import { readLayoutSection } from './layout.js';
import { SectionKind } from './kinds.js';
import { RANGES } from './range-table.js';
import type { SectionView } from './section.js';
import { verifyStrings } from './strings.js';
import { TRIE } from './trie-table.js';

/** `sectionNamed` finds another section of the arena (a range index may keep its ends in its rows). */
export type Verifier = (section: SectionView, sectionNamed: (name: string) => SectionView | undefined) => void;

/** The rows section of index section `<rows>.index` (layout.ts indexSection), if the arena has it. */
const rowsOf = (index: SectionView, sectionNamed: (name: string) => SectionView | undefined): SectionView | undefined =>
  index.name.endsWith('.index') ? sectionNamed(index.name.slice(0, -'.index'.length)) : undefined;

export const VERIFIERS = {
  [SectionKind.Raw]: () => {},
  [SectionKind.Strings]: (section) => verifyStrings(section),
  [SectionKind.HashMap]: (section) => HASH_MAP.verify(HASH_MAP.open(section)),
  [SectionKind.Ranges]: (section, sectionNamed) => RANGES.verify(RANGES.open(section, rowsOf(section, sectionNamed))),
  [SectionKind.Trie]: (section) => TRIE.verify(TRIE.open(section)),
  [SectionKind.DirectMap]: (section) => DIRECT_MAP.verify(DIRECT_MAP.open(section)),
  [SectionKind.Layout]: (section) => {
    const { canonical, docs } = readLayoutSection(section);
    decodeLayout(canonical, docs);
  },
} satisfies Record<SectionKind, Verifier>;
