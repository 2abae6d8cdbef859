/**
 * A `SectionView` is one section's bytes, viewed on their own: `bytes` (Uint8Array) and `view`
 * (DataView) both start at the section's first byte, so generated getters read `view.getUint32(o, true)`
 * with section-relative offsets. Viewing per section is what lets an arena exceed the 4 GiB a single
 * typed array may span in Node: no view of the whole arena is ever made.
 */
import type { SectionEntry } from './format.js';
import { kindName } from './kinds.js';

/** What an index query returns when no row matches: never a row number. */
export const NOT_FOUND = -1;

/**
 * One section's bytes, viewed on their own; what {@link Arena.section} returns. Offsets into `bytes` and
 * `view` are section-relative.
 */
export class SectionView {
  /** The section's name in the arena's table of contents. */
  readonly name: string;
  /** Its kind number (a {@link SectionKind} value for the kinds this reader knows). */
  readonly kind: number;
  /** Absolute offset of the section in the arena's buffer. */
  readonly byteOffset: number;
  /** Length of the section in bytes. */
  readonly byteLength: number;
  /** The section's bytes (no copy: a view on the arena's buffer). */
  readonly bytes: Uint8Array;
  /** The same bytes as a DataView, for little-endian reads: `view.getUint32(offset, true)`. */
  readonly view: DataView;

  /** Views the bytes `entry` names in `buffer`; `Arena.section` makes these (and caches them). */

  constructor(buffer: ArrayBufferLike, entry: SectionEntry) {
    this.name = entry.name;
    this.kind = entry.kind;
    this.byteOffset = entry.offset;
    this.byteLength = entry.length;
    this.bytes = new Uint8Array(buffer, entry.offset, entry.length);
    this.view = new DataView(buffer, entry.offset, entry.length);
  }

  /** The kind for people: 'hash map', 'trie', … or 'unknown kind N'. */
  get kindName(): string {
    return kindName(this.kind);
  }
}
