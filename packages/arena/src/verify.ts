/**
 * How `Arena.verify()` walks each section kind: one static table, complete by construction (a kind
 * without a verifier is a type error). Each verifier throws an ArenaError if the section's bytes could
 * make a reader go out of bounds or loop.
 */
import { HashMapView } from './hash-map.js';
import { decodeLayout } from './layout-decode.js';
import { readLayoutSection } from './layout.js';
import { SectionKind } from './kinds.js';
import { RangesView } from './ranges.js';
import type { SectionView } from './section.js';
import { verifyStrings } from './strings.js';
import { TrieView } from './trie.js';

export type Verifier = (section: SectionView) => void;

export const VERIFIERS = {
  [SectionKind.Raw]: () => {},
  [SectionKind.Strings]: (section) => verifyStrings(section),
  [SectionKind.HashMap]: (section) => new HashMapView(section).verify(),
  [SectionKind.Ranges]: (section) => new RangesView(section).verify(),
  [SectionKind.Trie]: (section) => new TrieView(section).verify(),
  [SectionKind.Layout]: (section) => {
    const { canonical, docs } = readLayoutSection(section);
    decodeLayout(canonical, docs);
  },
} satisfies Record<SectionKind, Verifier>;
