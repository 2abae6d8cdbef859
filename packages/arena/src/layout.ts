/**
 * An arena's compiled layout — its structs (fields, types, offsets) and its sections (kind, row struct,
 * key fields) — as data the runtime can read: the schema compiler produces it, the builder stores it in
 * the arena, and `verify()`, the generic reader and `sabre inspect` work from it without generated code.
 *
 * Stored in the `$layout` section (kind Layout):
 *
 * ```
 *  off   size  field
 *    0      4  n: byte length of the canonical layout (u32)
 *    4      n  canonical layout: JSON with every non-ASCII character escaped (so ASCII bytes), no doc
 *              strings; the layout hash is hashChars() of this text
 *  4+n   rest  doc strings, the same way: { arena?, sections: {name: doc}, structs: {name: {doc?, fields: {name: doc}}} }
 * ```
 *
 * The canonical text has one encoding for one layout (keys in a fixed order, no whitespace), so the
 * layout hash in the header covers it: an arena whose stored layout and hash disagree is refused, and
 * a changed schema (a field added, moved or retyped) changes the hash. Doc strings are outside the hash:
 * rewording a description does not invalidate arenas.
 */
import { Errors } from './errors.js';
import { hashChars, hashOut } from './hash.js';
import type { SectionView } from './section.js';
import { decodeUnits, writeUnits } from './units.js';
import type { ScalarType } from './scalars.js';
import { containerOf, isContainer, type ContainerName, type ContainerOptions } from './containers.js';

export const LAYOUT_SECTION = '$layout';

export type { ScalarType };
export const VECTOR_SLOT = 8;

/** What a field or vector element holds, with everything reading and writing it needs. */
// `size` is always the slot's bytes in its row (or in the heap, for a vector's elements).
export type Slot =
  | {
      /** A number, bigint or boolean stored in place. */
      kind: 'scalar';
      /** Which scalar. */
      type: ScalarType;
      /** Bytes in the row. */
      size: number;
    }
  | {
      /** One of a fixed list of strings, stored as its index. */
      kind: 'enum';
      /** The enum's strings, in index order. */
      values: readonly string[];
      /** Bytes of the index: 1 for up to 256 values, else 2. */
      size: 1 | 2;
    }
  | {
      /** An interned string, stored as its u32 id in the arena's string pool. */
      kind: 'str';
      /** Bytes of the id. */
      size: 4;
    }
  | {
      /** A row of another section, stored as its u32 row index. */
      kind: 'ref';
      /** The section referred to. */
      section: string;
      /** The struct of that section's rows. */
      row: string;
      /** Bytes of the row index. */
      size: 4;
    }
  | {
      /** A struct embedded in place. */
      kind: 'struct';
      /** The struct's name (a key of {@link ArenaLayout.structs}). */
      name: string;
      /** Its bytes. */
      size: number;
      /** Its alignment. */
      align: number;
    }
  | {
      /** A variable-length list: a u32 heap offset and a u32 count, its elements in the heap section. */
      kind: 'vector';
      /** The slot of one element. */
      element: Slot;
      /** Bytes of the (offset, count) pair. */
      size: typeof VECTOR_SLOT;
    };

/** One field of a struct: where it lies in the row and what it holds. */
export interface FieldLayout {
  /** The field's name. */
  name: string;
  /** Its description from the schema (`.describe()`), if any. */
  doc: string | undefined;
  /** What it holds. */
  slot: Slot;
  /** Byte offset in the row. */
  offset: number;
  /** Bit index in the presence bytes, for optional fields. */
  presenceBit: number | undefined;
}

/** A struct's compiled layout: its fields at their offsets, stride and alignment. */
export interface StructLayout {
  /** The struct's name. */
  name: string;
  /** Its description from the schema, if any. */
  doc: string | undefined;
  /** Row stride in bytes (a multiple of `align`). */
  size: number;
  /** Alignment in bytes (the largest of its fields'). */
  align: number;
  /** The fields, in declaration order. */
  fields: FieldLayout[];
  /** Offset of the presence bytes (one bit per optional field), if any. */
  presenceOffset: number;
  /** Number of presence bytes (0 without optional fields). */
  presenceBytes: number;
}

export interface SectionBase {
  name: string;
  doc: string | undefined;
  /** The struct of its rows (or of its single record). */
  struct: string;
  /** True if any field (however deeply nested) is a vector: the section then has a heap section. */
  hasHeap: boolean;
}

/** A container section: rows plus an index, with the options of its kind (CONTAINERS). */
export type ContainerLayout = { [K in ContainerName]: SectionBase & { kind: K } & ContainerOptions<K> }[ContainerName];

/** A section: a table of rows, rows with an index (a container), or a single struct record. */
export type SectionLayout =
  | (SectionBase & {
      /** Rows, read by index. */
      kind: 'table';
    })
  | (SectionBase & {
      /** One struct. */
      kind: 'record';
    })
  | ContainerLayout;

export type SectionLayoutKind = SectionLayout['kind'];

/** An arena's compiled layout: what `compile()` in `@sabre/schema` produces and {@link Arena.layout} reads back. */
export interface ArenaLayout {
  /** The arena's name in the schema (`s.arena('Geo', …)`). */
  name: string;
  /** Its description from the schema, if any. */
  doc: string | undefined;
  /** Its sections, in schema order. */
  sections: SectionLayout[];
  /** Every struct, by name, in the order they were first met. */
  structs: Map<string, StructLayout>;
  /** The layout hash (64 bits) stored in the arena's header and checked by `Arena.open(buf, { layoutHash })`. */
  hash: bigint;
}

/** Name of the section that holds a section's vector elements. */
export const heapSection = (section: string): string => `${section}.heap`;
/** Name of the section that holds a hash map's, range table's or trie's index. */
export const indexSection = (section: string): string => `${section}.index`;

/** Alignment of a slot inside a struct or a vector's heap. */
// A u128 aligns like a u64: readers use DataView (no alignment needed), and structs stay ≤ 8-aligned.
export const alignOf = (slot: Slot): number => (slot.kind === 'struct' ? slot.align : slot.kind === 'vector' ? 4 : Math.min(slot.size, 8));

// ---- encoding --------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function slotJson(slot: Slot): Json {
  switch (slot.kind) {
    case 'scalar':
      return { kind: 'scalar', type: slot.type };
    case 'enum':
      return { kind: 'enum', values: [...slot.values] };
    case 'str':
      return { kind: 'str' };
    case 'ref':
      return { kind: 'ref', section: slot.section };
    case 'struct':
      return { kind: 'struct', name: slot.name };
    case 'vector':
      return { kind: 'vector', element: slotJson(slot.element) };
  }
}

function sectionJson(s: SectionLayout): Json {
  const out: { [k: string]: Json } = { name: s.name, kind: s.kind, struct: s.struct, heap: s.hasHeap };
  // A container's options follow, in the order its kind lists them.
  if (isContainer(s.kind)) for (const option of Object.keys(containerOf(s.kind).options)) out[option] = (s as unknown as Record<string, Json>)[option] as Json;
  return out;
}

/** A container section's options, by name, in their canonical order (for tools that print them). */
export function optionsOf(s: SectionLayout): [string, string | boolean][] {
  if (!isContainer(s.kind)) return [];
  return Object.keys(containerOf(s.kind).options).map((o) => [o, (s as unknown as Record<string, string | boolean>)[o] as string | boolean]);
}

/** JSON with non-ASCII characters escaped: one byte per character, readable without a TextDecoder. */
const asciiJson = (value: Json): string => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The canonical text of a layout: what the hash covers and what `$layout` stores. */
export function canonicalLayout(layout: Omit<ArenaLayout, 'hash'>): string {
  const structs = [...layout.structs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return asciiJson({
    format: 'sabre-layout/1',
    name: layout.name,
    sections: layout.sections.map(sectionJson),
    structs: structs.map((s) => ({
      name: s.name,
      size: s.size,
      align: s.align,
      presence: [s.presenceOffset, s.presenceBytes],
      fields: s.fields.map((f) => ({ name: f.name, offset: f.offset, slot: slotJson(f.slot), bit: f.presenceBit ?? null })),
    })),
  });
}

/** The 64-bit layout hash of a canonical layout text. */
export function layoutHashOf(canonical: string): bigint {
  hashChars(canonical);
  return (BigInt(hashOut[1] as number) << 32n) | BigInt(hashOut[0] as number);
}

/** The doc strings of a layout, as stored after the canonical text. */
export function layoutDocs(layout: Omit<ArenaLayout, 'hash'>): string {
  const structs: Record<string, { doc?: string; fields: Record<string, string> }> = {};
  for (const s of layout.structs.values()) {
    const fields: Record<string, string> = {};
    for (const f of s.fields) if (f.doc !== undefined) fields[f.name] = f.doc;
    structs[s.name] = { ...(s.doc === undefined ? {} : { doc: s.doc }), fields };
  }
  const sections: Record<string, string> = {};
  for (const s of layout.sections) if (s.doc !== undefined) sections[s.name] = s.doc;
  return asciiJson({ ...(layout.doc === undefined ? {} : { arena: layout.doc }), sections, structs });
}

/** The bytes of a `$layout` section. */
export function encodeLayoutSection(layout: Omit<ArenaLayout, 'hash'>): Uint8Array {
  const canonical = canonicalLayout(layout);
  const docs = layoutDocs(layout);
  const out = new Uint8Array(4 + canonical.length + docs.length);
  new DataView(out.buffer).setUint32(0, canonical.length, true);
  writeUnits(out, writeUnits(out, 4, canonical, false), docs, false); // ASCII: one byte per unit
  return out;
}

// ---- decoding: from bytes that may come from anywhere ------------------------------------------------

/** The canonical text and doc strings of a `$layout` section (their structure is checked by decodeLayout). */
export function readLayoutSection(section: SectionView): { canonical: string; docs: string } {
  const where = `sections.${LAYOUT_SECTION}`;
  if (section.byteLength < 4) throw Errors.corrupt(where, 'too short for its length field', 'at least 4 bytes', section.byteLength);
  const n = section.view.getUint32(0, true);
  if (4 + n > section.byteLength) throw Errors.corrupt(where, 'the canonical layout runs past the section end', section.byteLength, 4 + n);
  return { canonical: ascii(section.bytes, 4, 4 + n, where), docs: ascii(section.bytes, 4 + n, section.byteLength, where) };
}

function ascii(bytes: Uint8Array, from: number, to: number, where: string): string {
  for (let at = from; at < to; at++) {
    const b = bytes[at] as number;
    if (b > 0x7e || (b < 0x20 && b !== 0x0a)) throw Errors.corrupt(where, 'the layout holds a byte that is not printable ASCII', 'JSON with non-ASCII escaped', b);
  }
  return decodeUnits(bytes, from, to - from, false);
}
