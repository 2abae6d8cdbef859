/**
 * `Arena`: a frozen buffer of named sections (format.ts), opened in O(sections) and read in place.
 *
 * - `Arena.open(buffer, { layoutHash })` checks magic, version, layout hash, header and section
 *   bounds — nothing more: no copy, no walk, so a worker attaches in microseconds whatever the size.
 * - `arena.verify()` is the explicit full check for bytes from an untrusted source: the checksum, then
 *   every section walked by its kind's verifier. After it passes, reads through views stay in bounds.
 * - Sections are viewed one at a time (`section(name)`), never the whole buffer at once, so arenas may
 *   exceed the 4 GiB a single typed array can span.
 *
 * To share with a worker, post `arena.buffer` and call `Arena.open` there: the bytes are not copied.
 */
import { Errors } from './errors.js';
import {
  H_CHECKSUM,
  LITTLE_ENDIAN_HOST,
  MAX_SECTION_BYTES,
  readHeader,
  type Header,
  type SectionEntry,
} from './format.js';
import { Checksum } from './hash.js';
import { SectionKind, isSectionKind, kindName } from './kinds.js';
import { SectionView } from './section.js';
import { STRINGS_SECTION, StringPool } from './strings.js';
import { VERIFIERS } from './verify.js';
import { LAYOUT_SECTION, readLayoutSection } from './layout.js';
import type { ArenaLayout } from './layout.js';
import { decodeLayout } from './layout-decode.js';
import { verifyRows } from './verify-rows.js';

const BRAND = Symbol.for('sabre.Arena');

/** Options of {@link Arena.open}. */
export interface OpenOptions {
  /** The layout hash the caller's views were generated for; a different one throws ARENA_LAYOUT_MISMATCH. */
  layoutHash?: bigint;
  /** Largest section accepted, in bytes. Defaults to MAX_SECTION_BYTES (4 GiB - 8, the typed-array limit). */
  maxSectionBytes?: number;
}

/** One entry of an arena's table of contents, as {@link Arena.sections} lists it. */
export interface SectionInfo {
  /** The section's name (1-128 printable ASCII characters, unique in the arena). */
  readonly name: string;
  /** Its kind number (a {@link SectionKind} value, or an unknown number from a newer writer). */
  readonly kind: number;
  /** The kind for people: 'hash map', 'trie', … or 'unknown kind N'. */
  readonly kindName: string;
  /** Absolute offset of its first byte in the arena's buffer. */
  readonly byteOffset: number;
  /** Its length in bytes. */
  readonly byteLength: number;
}

/**
 * An opened arena: named sections in one buffer, read in place. Opening is cheap (header and table of
 * contents only); {@link Arena.verify} is the explicit full check for untrusted bytes. Usually reached
 * through generated views (`Geo.open(buffer)`), which call `Arena.open` with their layout hash.
 *
 * @example
 * ```ts
 * import { Arena } from '@sabre/arena';
 *
 * const arena = Arena.open(buffer); // a SharedArrayBuffer or ArrayBuffer; nothing is copied
 * for (const s of arena.sections) console.log(s.name, s.kindName, s.byteLength);
 * worker.postMessage(arena.buffer); // the worker calls Arena.open on the same bytes
 * ```
 */
export class Arena {
  /** The buffer the arena was opened on (not copied): post it to a worker to share the arena. */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** The 64-bit hash of the layout the arena was built from (`build()` stores its schema's; an `ArenaBuilder` stores 0n unless given one). */
  readonly layoutHash: bigint;
  /** Bytes the arena occupies (the buffer may be longer: a builder's growable buffer, for one). */
  readonly byteLength: number;
  /** The format version from the header, as "major.minor" (this reader reads major 2). */
  readonly formatVersion: string;
  private readonly header: Header;
  private readonly entries = new Map<string, SectionEntry>();
  private readonly views = new Map<string, SectionView>();
  private pool: StringPool | undefined;
  private verified = false;
  private stored: { layout: ArenaLayout; canonical: string } | null | undefined;

  private constructor(buffer: SharedArrayBuffer | ArrayBuffer, header: Header) {
    this.buffer = buffer;
    this.header = header;
    this.layoutHash = header.layoutHash;
    this.byteLength = header.totalLength;
    this.formatVersion = `${header.major}.${header.minor}`;
    for (const entry of header.sections) this.entries.set(entry.name, entry);
  }

  /**
   * Opens an arena on `buffer` in place, in O(sections): checks the magic, format version, layout hash,
   * header and that every section lies in bounds, and reads no section's bytes (call `verify()` for
   * bytes from an untrusted source).
   *
   * @param buffer - The arena's bytes: `arena.buffer` of a built arena, what a worker received, or a
   *   loaded file. A typed array or a copy is refused.
   * @returns The arena; its sections are viewed on first use.
   * @throws {@link ArenaError} ARENA_NOT_A_BUFFER (not an ArrayBuffer or SharedArrayBuffer),
   *   ARENA_TOO_SMALL, ARENA_BAD_MAGIC, ARENA_VERSION_UNSUPPORTED, ARENA_LAYOUT_MISMATCH (with
   *   `options.layoutHash`), ARENA_TRUNCATED, ARENA_BAD_HEADER, and for a damaged table of contents
   *   ARENA_BAD_TOC, ARENA_DUPLICATE_SECTION and the ARENA_SECTION_* codes.
   *
   * @example
   * ```ts
   * const arena = Arena.open(buffer, { layoutHash: 0x1234abcdn }); // refuses an arena of another schema
   * const untrusted = Arena.open(await (await fetch(url)).arrayBuffer()).verify();
   * ```
   */
  static open(buffer: SharedArrayBuffer | ArrayBuffer, options: OpenOptions = {}): Arena {
    if (!isBuffer(buffer)) throw Errors.notABuffer(describeValue(buffer));
    if (!LITTLE_ENDIAN_HOST) {
      throw Errors.badHeader('host byte order', 'little-endian (sabre arenas are little-endian and read in place)', 'big-endian');
    }
    const header = readHeader(buffer, { maxSectionBytes: options.maxSectionBytes ?? MAX_SECTION_BYTES });
    if (options.layoutHash !== undefined && BigInt.asUintN(64, options.layoutHash) !== header.layoutHash) {
      throw Errors.layoutMismatch(BigInt.asUintN(64, options.layoutHash), header.layoutHash);
    }
    return new Arena(buffer, header);
  }

  /** True for arenas from any copy of this package (branded with `Symbol.for`, not `instanceof`). */
  static isArena(value: unknown): value is Arena {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true;
  }

  /** The sections in this arena, in table-of-contents order. */
  get sections(): readonly SectionInfo[] {
    return this.header.sections.map((e) => ({ name: e.name, kind: e.kind, kindName: kindName(e.kind), byteOffset: e.offset, byteLength: e.length }));
  }

  /** True if the arena has a section named `name`. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The named section, viewed on its own. Throws ARENA_SECTION_NOT_FOUND (listing what exists). */
  section(name: string, kind?: number): SectionView {
    let view = this.views.get(name);
    if (view === undefined) {
      const entry = this.entries.get(name);
      if (entry === undefined) throw Errors.sectionNotFound(name, [...this.entries.keys()]);
      view = new SectionView(this.buffer, entry);
      this.views.set(name, view);
    }
    if (kind !== undefined && view.kind !== kind) throw Errors.sectionKind(name, kindName(kind), kindName(view.kind));
    return view;
  }

  /** The interned strings of this arena (empty if none were interned). */
  get strings(): StringPool {
    if (this.pool === undefined) {
      this.pool = new StringPool(this.has(STRINGS_SECTION) ? this.section(STRINGS_SECTION, SectionKind.Strings) : undefined);
    }
    return this.pool;
  }

  /**
   * The layout the arena carries (its structs, fields and sections), or null for an arena built without
   * a schema. Read and checked on first use: its structure, and its hash against the header's.
   */
  get layout(): ArenaLayout | null {
    return this.storedLayout()?.layout ?? null;
  }

  private storedLayout(): { layout: ArenaLayout; canonical: string } | null {
    if (this.stored === undefined) {
      if (!this.has(LAYOUT_SECTION)) this.stored = null;
      else {
        const { canonical, docs } = readLayoutSection(this.section(LAYOUT_SECTION, SectionKind.Layout));
        const layout = decodeLayout(canonical, docs);
        if (layout.hash !== this.layoutHash) throw Errors.storedLayoutMismatch(layout.hash, this.layoutHash);
        this.stored = { layout, canonical };
      }
    }
    return this.stored;
  }

  /**
   * Full check for bytes from an untrusted source: the checksum over every byte, each section walked by
   * its kind's verifier, then — when the arena carries its layout — every row of every typed section,
   * field by field (verify-rows.ts). O(size). Throws an ArenaError with a code and a path; returns the
   * arena so `Arena.open(buf).verify()` reads naturally. Repeated calls are free.
   *
   * `layout`: the canonical layout the caller's views were generated from (generated code passes its
   * own): the stored one must be exactly it, not merely hash alike.
   */
  verify(options: { layout?: string; name?: string } = {}): this {
    if (!this.verified) {
      const got = new Checksum().update(this.buffer, 0, H_CHECKSUM).update(this.buffer, H_CHECKSUM + 8, this.byteLength - H_CHECKSUM - 8).digest();
      if (got !== this.header.checksum) throw Errors.checksumMismatch(this.header.checksum, got);
      for (const entry of this.header.sections) {
        if (!isSectionKind(entry.kind)) {
          throw Errors.corrupt(`sections.${entry.name}`, `section kind ${entry.kind} is unknown to this reader, so its bytes cannot be verified; upgrade @sabre/arena`);
        }
        VERIFIERS[entry.kind](this.section(entry.name), (name) => (this.has(name) ? this.section(name) : undefined));
      }
      const layout = this.layout;
      if (layout !== null) verifyRows(this, layout);
      this.verified = true;
    }
    if (options.layout !== undefined) {
      const stored = this.storedLayout();
      if (stored === null) throw Errors.noLayout(options.name ?? 'expected');
      if (stored.canonical !== options.layout) throw Errors.layoutDiffers(options.name ?? 'these views');
    }
    return this;
  }
}
Object.defineProperty(Arena.prototype, BRAND, { value: true });

/**
 * An ArrayBuffer or SharedArrayBuffer, by its tag: `instanceof SharedArrayBuffer` throws a
 * ReferenceError in a browser page that is not cross-origin isolated (no SharedArrayBuffer global),
 * where an ArrayBuffer is still a fine arena; and tags also hold for buffers from another realm.
 */
function isBuffer(value: unknown): value is SharedArrayBuffer | ArrayBuffer {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ?? 'an object';
}
