/**
 * `ArenaBuilder` writes an arena front to back into one growable SharedArrayBuffer (a resizable
 * ArrayBuffer where there is none: reserve.ts): sections one at a
 * time through a `SectionWriter` (section-writer.ts), strings interned on the side, then `finish()` writes the string pool,
 * the table of contents and the header, and returns a frozen `Arena` opened through the same checks
 * every reader uses.
 *
 * Memory: the buffer is a growable SharedArrayBuffer, which grows in place inside the address space it
 * reserved. It reserves a window in proportion to the arena (reserve.ts: 64 MiB, then 4× what is
 * needed) and moves to a larger window, one copy, when that fills — so a small build reserves 64 MiB,
 * not 4 GiB, and a large one is copied at most a few times. Node 20 caps growable SharedArrayBuffers at
 * 4 GiB, which is this builder's limit.
 *
 * States: writers work only while their section is open and the builder unfinished; the header (and its
 * magic) is written only in `finish()`, so an unfinished buffer never opens as an arena.
 */
import { Arena } from '../arena.js';
import { Errors } from '../errors.js';
import {
  FORMAT_MAJOR,
  FORMAT_MINOR,
  H_CHECKSUM,
  H_LAYOUT_HASH,
  H_MAGIC,
  H_MAJOR,
  H_MINOR,
  H_SECTION_COUNT,
  H_TOC_LENGTH,
  H_TOC_OFFSET,
  H_TOTAL_LENGTH,
  HEADER_SIZE,
  MAGIC,
  MAX_ALIGN_LOG2,
  MAX_SECTION_BYTES,
  MIN_ALIGN_LOG2,
  T_ALIGN_LOG2,
  T_KIND,
  T_LENGTH,
  T_NAME_LENGTH,
  T_NAME_OFFSET,
  T_OFFSET,
  TOC_ENTRY_SIZE,
  checkSectionName,
  writeU64,
  type SectionEntry,
} from '../format.js';
import { Checksum } from '../hash.js';
import { SectionKind } from '../kinds.js';
import { LAYOUT_SECTION } from '../layout.js';
import { STRINGS_SECTION } from '../strings.js';
import { allocating, growableBuffer, growInPlace, windowFor } from './reserve.js';
import { SectionWriter } from './section-writer.js';
import { StringPoolBuilder } from './strings.js';

/** The largest growable SharedArrayBuffer Node 20 will make. */
export const MAX_BUILDER_BYTES = 2 ** 32;
const GROW_STEP_MAX = 1 << 30;

/** Options of `new ArenaBuilder()`. Sizes are in bytes. */
export interface BuilderOptions {
  /** Stored in the header; `Arena.open(buf, { layoutHash })` rejects arenas with another. Default 0. */
  layoutHash?: bigint;
  /** Bytes to start with (default 64 KiB); the buffer grows as needed. */
  initialBytes?: number;
  /** Upper bound on the arena's size (default and maximum: 4 GiB). */
  maxBytes?: number;
  /** Largest section allowed (default MAX_SECTION_BYTES). Lower it to test the per-section mechanism. */
  maxSectionBytes?: number;
  /** Default: a SharedArrayBuffer where one exists, else an ArrayBuffer (one thread). `true` insists on
   *  sharing (ARENA_NO_SHARED_MEMORY on a page that is not cross-origin isolated); `false` never shares. */
  shared?: boolean;
}

/** Options of {@link ArenaBuilder.section}. */
export interface SectionOptions {
  /** Section kind (kinds.ts); default raw bytes. */
  kind?: number;
  /** Alignment of the section's first byte: a power of two from 8 to 4096 (default 8). */
  align?: number;
}

/**
 * Writes an arena by hand, section by section (`build()` from `@sabre/schema` drives one for you).
 * Throws ARENA_BUILDER_STATE for calls out of order, ARENA_TOO_LARGE past `maxBytes`, ARENA_OUT_OF_MEMORY.
 *
 * @example
 * ```ts
 * const b = new ArenaBuilder();
 * b.section('counts').u32(3).u32(b.intern('Zürich')).end();
 * const arena = b.finish(); // frozen: arena.section('counts').view.getUint32(0, true) === 3
 * ```
 */
export class ArenaBuilder {
  /** The string pool: `strings.intern(s)` returns the id to store in a field. */
  readonly strings = new StringPoolBuilder();
  private readonly layoutHash: bigint;
  private readonly maxBytes: number;
  private readonly maxSectionBytes: number;
  private readonly shared: boolean | undefined;
  private buffer: SharedArrayBuffer | ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private end = HEADER_SIZE;
  /** Every byte at or past this offset is still zero: no writer was ever given room there. */
  private clean = 0;
  private readonly entries: SectionEntry[] = [];
  private readonly names = new Set<string>();
  private open: SectionWriter | undefined;
  private finished = false;

  /** Allocates the first buffer: ARENA_OUT_OF_MEMORY if it cannot, ARENA_NO_SHARED_MEMORY for `shared: true` without SharedArrayBuffer. */
  constructor(options: BuilderOptions = {}) {
    this.layoutHash = BigInt.asUintN(64, options.layoutHash ?? 0n);
    this.maxBytes = Math.min(options.maxBytes ?? MAX_BUILDER_BYTES, MAX_BUILDER_BYTES);
    this.maxSectionBytes = Math.min(options.maxSectionBytes ?? MAX_SECTION_BYTES, MAX_SECTION_BYTES);
    this.shared = options.shared;
    const initial = Math.min(this.maxBytes, Math.max(HEADER_SIZE, options.initialBytes ?? 1 << 16));
    this.buffer = this.allocate(initial);
    this.u8 = new Uint8Array(0);
    this.dv = new DataView(new ArrayBuffer(0));
    this.refreshViews();
  }

  private allocate(bytes: number): SharedArrayBuffer | ArrayBuffer {
    const window = windowFor(bytes, this.maxBytes);
    return allocating(window, 'the arena being built (address space reserved for it to grow into)', () => growableBuffer(bytes, window, this.shared));
  }

  /** Bytes written so far (header and sections; strings and TOC are added by finish). */
  get byteLength(): number {
    return this.end;
  }

  /** Shorthand for `strings.intern(s)`. */
  intern(s: string): number {
    this.assertActive('intern a string');
    return this.strings.intern(s);
  }

  /**
   * Stores the arena's compiled layout (`encodeLayoutSection`, from @sabre/schema's compiler) in its
   * reserved `$layout` section, so the arena can be verified field by field and read without its
   * generated code. The builder's `layoutHash` must be that layout's hash.
   */
  writeLayout(bytes: Uint8Array): void {
    this.assertActive('write the layout');
    if (this.open !== undefined) throw Errors.builderState(`section "${this.open.name}" is still open; call its end() before writing the layout`);
    const w = this.beginSection(LAYOUT_SECTION, SectionKind.Layout, 8);
    w.bytes(bytes);
    w.end();
  }

  /**
   * Starts a section; write through the returned writer, then call `end()` before the next one. Throws
   * ARENA_BUILDER_STATE, ARENA_BAD_SECTION_NAME (`$` is reserved), ARENA_DUPLICATE_SECTION, VALUE_OUT_OF_RANGE.
   */
  section(name: string, options: SectionOptions = {}): SectionWriter {
    this.assertActive(`start section "${name}"`);
    if (this.open !== undefined) throw Errors.builderState(`section "${this.open.name}" is still open; call its end() before starting "${name}"`);
    checkSectionName(name);
    if (name.startsWith('$')) throw Errors.badSectionName(name, 'starts with "$", which is reserved for sections sabre writes itself');
    return this.beginSection(name, options.kind ?? SectionKind.Raw, options.align ?? 8);
  }

  private beginSection(name: string, kind: number, align: number): SectionWriter {
    if (this.names.has(name)) throw Errors.duplicateSection(name);
    const alignLog2 = Math.log2(align);
    if (!Number.isInteger(alignLog2) || alignLog2 < MIN_ALIGN_LOG2 || alignLog2 > MAX_ALIGN_LOG2) {
      throw Errors.valueOutOfRange(`an alignment that is a power of two from ${2 ** MIN_ALIGN_LOG2} to ${2 ** MAX_ALIGN_LOG2}`, align, `sections.${name}`);
    }
    if (!Number.isInteger(kind) || kind < 1 || kind > 0xffff) throw Errors.valueOutOfRange('a section kind in 1..65535', kind, `sections.${name}`);
    this.padTo(align);
    this.names.add(name);
    this.open = new SectionWriter(this, name, kind, align, this.end);
    return this.open;
  }

  /** @internal Called by SectionWriter.end(). */
  closeSection(writer: SectionWriter, length: number): void {
    this.assertActive(`end section "${writer.name}"`);
    if (this.open !== writer) throw Errors.builderState(`section "${writer.name}" was already ended`);
    this.entries.push({ name: writer.name, kind: writer.kind, offset: writer.base, length, align: writer.alignment });
    this.end = writer.base + length;
    this.open = undefined;
  }

  /** @internal Makes room for bytes up to absolute offset `end` of the open section. */
  reserve(end: number, section: SectionWriter): void {
    this.assertActive(`write to section "${section.name}"`);
    if (this.open !== section) throw Errors.builderState(`section "${section.name}" was already ended; its writer can no longer write`);
    if (end - section.base > this.maxSectionBytes) throw Errors.sectionTooLarge(section.name, end - section.base, this.maxSectionBytes);
    this.ensure(end);
  }

  /** @internal Whether the open section `section` may grow to `length` bytes under this builder's limits. */
  fits(section: SectionWriter, length: number): boolean {
    return length <= this.maxSectionBytes && section.base + length <= this.maxBytes;
  }

  /** @internal */
  get bytes(): Uint8Array {
    return this.u8;
  }
  /** @internal */
  get view(): DataView {
    return this.dv;
  }

  /**
   * @internal Where the bytes no writer was ever given room for start: they are zero (fresh memory, or
   * copied zeros), so a writer claiming them need not zero them — which would fault in pages that the
   * section may never use (a trie reserves room for its largest possible node count).
   */
  get cleanFrom(): number {
    return this.clean;
  }

  private ensure(end: number): void {
    if (end > this.clean) this.clean = end;
    const have = this.buffer.byteLength;
    if (end <= have) return;
    if (end > this.maxBytes) throw Errors.tooLarge(end, this.maxBytes);
    let next = Math.min(this.maxBytes, Math.max(end, have + Math.min(have, GROW_STEP_MAX)));
    // Doubling past the reserved window while `end` still fits in it would move (copy) the whole arena
    // for nothing: grow to the window's edge instead.
    if (end <= this.buffer.maxByteLength) next = Math.min(next, this.buffer.maxByteLength);
    if (next <= this.buffer.maxByteLength) {
      allocating(next, 'the arena being built', () => growInPlace(this.buffer, next));
      this.refreshViews();
      return;
    }
    // The reserved window is full: move everything to a larger one. Writers read `bytes` and `view`
    // after making room (SectionWriter.room), so none holds the old buffer.
    const bigger = this.allocate(next);
    new Uint8Array(bigger).set(new Uint8Array(this.buffer, 0, have));
    this.buffer = bigger;
    this.refreshViews();
  }

  /**
   * Fixed-length views over the buffer as it is now, made again after each grow. Length-tracking views
   * (no length given) would follow grow() by themselves, but Node 20 writes through them ~20× slower
   * per element (a DataView ~3×): a build spent most of its time there.
   */
  private refreshViews(): void {
    const length = this.buffer.byteLength;
    this.u8 = new Uint8Array(this.buffer, 0, length);
    this.dv = new DataView(this.buffer, 0, length);
  }

  private padTo(align: number): void {
    const at = Math.ceil(this.end / align) * align;
    this.ensure(at);
    this.u8.fill(0, this.end, at);
    this.end = at;
  }

  private assertActive(what: string): void {
    if (this.finished) throw Errors.builderState(`cannot ${what}: this builder already finished its arena, which is frozen. Start a new ArenaBuilder.`);
  }

  /**
   * Writes the string pool, the table of contents and the header, and returns the frozen arena.
   * The builder cannot be used afterwards.
   */
  finish(): Arena {
    this.assertActive('finish');
    if (this.open !== undefined) throw Errors.builderState(`section "${this.open.name}" is still open; call its end() before finish()`);
    if (this.strings.size > 0) {
      const length = this.strings.byteLength;
      if (length > this.maxSectionBytes) throw Errors.sectionTooLarge(STRINGS_SECTION, length, this.maxSectionBytes);
      const w = this.beginSection(STRINGS_SECTION, SectionKind.Strings, 8);
      this.ensure(w.base + length);
      this.strings.writeTo(this.dv, w.base);
      this.closeSection(w, length);
    } else {
      this.strings.seal();
    }

    this.padTo(8);
    const tocOffset = this.end;
    const count = this.entries.length;
    const namesStart = count * TOC_ENTRY_SIZE;
    let namesLength = 0;
    for (const e of this.entries) namesLength += e.name.length;
    const tocLength = Math.ceil((namesStart + namesLength) / 8) * 8;
    const total = tocOffset + tocLength;
    this.ensure(total);
    this.u8.fill(0, tocOffset, total);
    let nameAt = 0;
    this.entries.forEach((e, i) => {
      const at = tocOffset + i * TOC_ENTRY_SIZE;
      writeU64(this.dv, at + T_OFFSET, e.offset);
      writeU64(this.dv, at + T_LENGTH, e.length);
      this.dv.setUint16(at + T_KIND, e.kind, true);
      this.dv.setUint8(at + T_ALIGN_LOG2, Math.log2(e.align));
      this.dv.setUint32(at + T_NAME_OFFSET, nameAt, true);
      this.dv.setUint32(at + T_NAME_LENGTH, e.name.length, true);
      for (let j = 0; j < e.name.length; j++) this.u8[tocOffset + namesStart + nameAt + j] = e.name.charCodeAt(j);
      nameAt += e.name.length;
    });

    const dv = this.dv;
    this.u8.fill(0, 0, HEADER_SIZE);
    dv.setUint32(H_MAGIC, MAGIC, true);
    dv.setUint16(H_MAJOR, FORMAT_MAJOR, true);
    dv.setUint16(H_MINOR, FORMAT_MINOR, true);
    dv.setBigUint64(H_LAYOUT_HASH, this.layoutHash, true);
    writeU64(dv, H_TOTAL_LENGTH, total);
    writeU64(dv, H_TOC_OFFSET, tocOffset);
    dv.setUint32(H_SECTION_COUNT, count, true);
    dv.setUint32(H_TOC_LENGTH, tocLength, true);
    const sum = new Checksum().update(this.buffer, 0, H_CHECKSUM).update(this.buffer, H_CHECKSUM + 8, total - H_CHECKSUM - 8).digest();
    dv.setBigUint64(H_CHECKSUM, sum, true);

    this.finished = true;
    const arena = Arena.open(this.buffer, { layoutHash: this.layoutHash, maxSectionBytes: this.maxSectionBytes });
    // Release the builder's views: writers never see the frozen arena.
    this.u8 = new Uint8Array(0);
    this.dv = new DataView(new ArrayBuffer(0));
    return arena;
  }
}
