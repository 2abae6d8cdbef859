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

export class SectionView {
  readonly name: string;
  readonly kind: number;
  /** Absolute offset of the section in the arena's buffer. */
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(buffer: ArrayBufferLike, entry: SectionEntry) {
    this.name = entry.name;
    this.kind = entry.kind;
    this.byteOffset = entry.offset;
    this.byteLength = entry.length;
    this.bytes = new Uint8Array(buffer, entry.offset, entry.length);
    this.view = new DataView(buffer, entry.offset, entry.length);
  }

  get kindName(): string {
    return kindName(this.kind);
  }
}
