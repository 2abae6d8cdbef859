/**
 * The layout compiler: `compile(arenaNode)` checks a schema (every error names its path) and fixes
 * the bytes — each struct's field offsets, alignment, padding and presence bits, each section's kind —
 * plus a 64-bit layout hash over everything that changes the bytes (names, types, order, offsets).
 *
 * Struct layout: fields sorted by alignment, largest first (stable, so equal alignments keep their
 * declaration order), which packs rows with no interior padding; then one presence bit per optional
 * field, in bytes at the end; the size rounded up to the struct's alignment (the row stride).
 *
 * Inline slots: scalars at their width; enum u8 (u16 past 256 values); str u32 string id; ref u32
 * row index; struct inline at its own size; vector 8 bytes [u32 byte offset into the section's heap,
 * u32 element count], elements at their own stride and aligned to it.
 */
import { alignOf, canonicalLayout, CONTAINERS, containerOf, heapSection, isContainer, indexSection, layoutHashOf, isScalarType, SCALARS, VECTOR_SLOT } from '@sabre/arena/internal';
import type { ArenaLayout, FieldLayout, SectionLayout, Slot, StructLayout } from '@sabre/arena/internal';
import {
  refTarget,
  type ArenaNode,
  type ElementNode,
  type FieldNode,
  type AnyTable,
  type StructNode,
  type TableNode,
} from './dsl.js';
import { SchemaErrors } from './errors.js';

export { VECTOR_SLOT, heapSection, indexSection };
export type { ArenaLayout, FieldLayout, SectionLayout, Slot, StructLayout };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_FIELDS = new Set(['constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'toJSON', 'at', 'length']);

function checkName(path: string, what: string, name: string, reserved: ReadonlySet<string> = new Set()): void {
  if (typeof name !== 'string' || !IDENT.test(name)) throw SchemaErrors.badName(path, what, String(name), 'is not a plain identifier (letters, digits, _; not starting with a digit)');
  if (reserved.has(name)) throw SchemaErrors.badName(path, what, name, 'is reserved by the generated classes; rename it');
}

function isNode(x: unknown): x is { kind: string } {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

/**
 * Compiles a schema to its layout: each struct's field offsets, stride, alignment and presence bits, each
 * section's kind and options, and the layout hash. Pure; `layoutOf` caches it per schema.
 * Throws a {@link SchemaError} (SCHEMA_*) naming the path of the first mistake in the schema.
 */
export function compile(arena: ArenaNode): ArenaLayout {
  if (!isNode(arena) || arena.kind !== 'arena') throw SchemaErrors.notANode('(root)', arena);
  checkName(arena.name, 'arena name', arena.name);
  const root = arena.name;
  const structs = new Map<string, StructLayout>();
  const structPaths = new Map<string, { path: string; node: StructNode }>();
  const inProgress = new Set<string>();

  // Tables by identity (describe() copies keep their id), to resolve refs.
  const tableSections = new Map<number, string[]>();
  for (const [name, node] of Object.entries(arena.sections)) {
    if (holdsRows(node)) tableSections.set((node as TableNode).id, [...(tableSections.get((node as TableNode).id) ?? []), name]);
  }

  function structLayout(node: StructNode, path: string): StructLayout {
    if (!isNode(node) || node.kind !== 'struct') throw SchemaErrors.notANode(path, node);
    checkName(path, 'struct name', node.name);
    const seen = structPaths.get(node.name);
    if (seen !== undefined && seen.node !== node && !sameStruct(seen.node, node)) throw SchemaErrors.duplicateStruct(path, node.name, seen.path);
    const done = structs.get(node.name);
    if (done !== undefined) return done;
    if (inProgress.has(node.name)) throw SchemaErrors.recursive(path, node.name);
    structPaths.set(node.name, { path, node });
    inProgress.add(node.name);

    const entries = Object.entries(node.fields);
    if (entries.length === 0) throw SchemaErrors.empty(path, `struct ${node.name}`);
    const fields = entries.map(([name, f], declared) => {
      const at = `${path}.${name}`;
      checkName(at, 'field name', name, RESERVED_FIELDS);
      if (!isNode(f)) throw SchemaErrors.notANode(at, f);
      const optional = f.kind === 'optional';
      const inner: FieldNode = optional ? (f as { inner: FieldNode }).inner : (f as FieldNode);
      if (!isNode(inner)) throw SchemaErrors.notANode(at, inner);
      if (inner.kind === 'optional') throw SchemaErrors.unsupported(at, 'optional(optional(...))', 'one optional is enough');
      const slot = fieldSlot(inner, at);
      return { name, doc: f.doc ?? inner.doc, slot, declared, optional };
    });
    inProgress.delete(node.name);

    const ordered = [...fields].sort((a, b) => alignOf(b.slot) - alignOf(a.slot) || a.declared - b.declared);
    // Presence bits in declaration order, so the diagram reads like the schema.
    const bitOf = new Map<string, number>();
    for (const f of fields) if (f.optional) bitOf.set(f.name, bitOf.size);
    const bits = bitOf.size;
    let offset = 0;
    let align = 1;
    const out: FieldLayout[] = [];
    for (const f of ordered) {
      const a = alignOf(f.slot);
      offset = Math.ceil(offset / a) * a;
      out.push({ name: f.name, doc: f.doc, slot: f.slot, offset, presenceBit: bitOf.get(f.name) });
      offset += f.slot.size;
      align = Math.max(align, a);
    }
    const presenceOffset = offset;
    const presenceBytes = Math.ceil(bits / 8);
    const size = Math.ceil((offset + presenceBytes) / align) * align;
    // Declaration order for the generated getters: easier to read against the schema.
    out.sort((a, b) => entries.findIndex(([n]) => n === a.name) - entries.findIndex(([n]) => n === b.name));
    const layout: StructLayout = { name: node.name, doc: node.doc, size, align, fields: out, presenceOffset, presenceBytes };
    structs.set(node.name, layout);
    return layout;
  }

  function elementSlot(node: ElementNode, path: string, inVector = false): Slot {
    switch (node.kind) {
      case 'scalar':
        if (!isScalarType(node.type)) throw SchemaErrors.notANode(path, node);
        if (inVector && SCALARS[node.type].array === null) throw SchemaErrors.unsupported(path, `vector(s.${node.type}())`, `store a struct with one ${node.type} field: s.vector(s.struct('Item', { value: s.${node.type}() }))`);
        return { kind: 'scalar', type: node.type, size: SCALARS[node.type].size };
      case 'enum': {
        const values = node.values;
        if (!Array.isArray(values) || values.length === 0) throw SchemaErrors.enumDefinition(path, 'needs at least one value');
        if (values.length > 65_536) throw SchemaErrors.enumDefinition(path, `has ${values.length} values; at most 65,536 fit a u16`);
        const dup = values.find((v, i) => values.indexOf(v) !== i);
        if (dup !== undefined) throw SchemaErrors.enumDefinition(path, `lists ${JSON.stringify(dup)} twice`);
        if (values.some((v) => typeof v !== 'string')) throw SchemaErrors.enumDefinition(path, 'values must be strings');
        return { kind: 'enum', values, size: values.length <= 256 ? 1 : 2 };
      }
      case 'str':
        return { kind: 'str', size: 4 };
      case 'ref': {
        const target = refTarget(node);
        if (!holdsRows(target)) throw SchemaErrors.notANode(`${path} (ref target)`, target);
        const rowName = isNode(target.row) && target.row.kind === 'struct' ? (target.row as StructNode).name : '?';
        const sections = tableSections.get(target.id) ?? [];
        if (sections.length === 0) throw SchemaErrors.refNotInArena(path, rowName);
        if (sections.length > 1) throw SchemaErrors.refAmbiguous(path, rowName, sections);
        return { kind: 'ref', section: sections[0] as string, row: rowName, size: 4 };
      }
      case 'struct': {
        const l = structLayout(node, path);
        return { kind: 'struct', name: l.name, size: l.size, align: l.align };
      }
      default:
        throw SchemaErrors.notANode(path, node as unknown);
    }
  }

  function fieldSlot(node: FieldNode, path: string): Slot {
    if (node.kind !== 'vector') return elementSlot(node as ElementNode, path);
    const element = node.element as FieldNode;
    if (!isNode(element)) throw SchemaErrors.notANode(`${path}[]`, element);
    if (element.kind === 'vector') throw SchemaErrors.unsupported(`${path}[]`, 'vector(vector(...))', 'wrap the inner vector in a struct: s.vector(s.struct("Row", { items: s.vector(...) }))');
    if (element.kind === 'optional') throw SchemaErrors.unsupported(`${path}[]`, 'vector(optional(...))', 'store a struct with an optional field, or leave missing elements out');
    return { kind: 'vector', element: elementSlot(element, `${path}[]`, true), size: VECTOR_SLOT };
  }

  const sections: SectionLayout[] = [];
  const entries = Object.entries(arena.sections);
  if (entries.length === 0) throw SchemaErrors.empty(root, `arena ${root}`);
  for (const [name, node] of entries) {
    const path = `${root}.${name}`;
    checkName(path, 'section name', name, RESERVED_FIELDS);
    if (!isNode(node)) throw SchemaErrors.notANode(path, node);
    if (node.kind === 'struct') {
      const l = structLayout(node as StructNode, path);
      sections.push({ name, doc: node.doc, kind: 'record', struct: l.name, hasHeap: false });
    } else if (node.kind === 'table') {
      const l = structLayout((node as TableNode).row, `${path}[]`);
      sections.push({ name, doc: node.doc, kind: 'table', struct: l.name, hasHeap: false });
    } else if (isContainer(node.kind)) {
      // A container: its kind (in @sabre/arena) says which options it has and which fields they may name.
      const container = containerOf(node.kind);
      const l = structLayout((node as AnyTable).row, `${path}[]`);
      const options: Record<string, string | boolean> = {};
      for (const [option, type] of Object.entries(container.options)) {
        const v = (node as unknown as Record<string, unknown>)[option];
        options[option] = type === 'boolean' ? v === true : type === 'text' ? ((v as string | undefined) ?? '') : (v as string);
      }
      const problem = container.checkOptions(options, (n) => l.fields.find((f) => f.name === n));
      if (problem !== undefined) {
        const where = `${path}.${problem.option}`;
        throw container.options[problem.option as keyof typeof container.options] === 'field' ? SchemaErrors.badKey(where, String(options[problem.option]), l.name, problem.want) : SchemaErrors.badOption(where, options[problem.option], problem.want);
      }
      sections.push({ name, doc: node.doc, kind: node.kind, struct: l.name, hasHeap: false, ...options } as SectionLayout);
    } else {
      const kinds = ['s.table', ...Object.keys(CONTAINERS).map((k) => `s.${k}`)].join(', ');
      throw SchemaErrors.unsupported(path, `s.${node.kind}(...) as an arena section`, `sections are ${kinds} or a struct`);
    }
  }
  for (const section of sections) section.hasHeap = containsVector(section.struct, structs, new Set());
  const layout = { name: root, doc: arena.doc, sections, structs };
  return { ...layout, hash: layoutHashOf(canonicalLayout(layout)) };
}

/** A node that holds rows of a struct (a table or a container), which a ref may point into. */
function holdsRows(node: unknown): node is AnyTable {
  return isNode(node) && (node.kind === 'table' || isContainer(node.kind));
}

function containsVector(struct: string, structs: Map<string, StructLayout>, seen: Set<string>): boolean {
  if (seen.has(struct)) return false;
  seen.add(struct);
  const l = structs.get(struct);
  return l?.fields.some((f) => slotHasVector(f.slot, structs, seen)) === true;
}

/** Whether writing `slot` allocates in its section's vector heap (it is, or holds, a vector). */
export function slotHasVector(slot: Slot, structs: Map<string, StructLayout>, seen = new Set<string>()): boolean {
  return slot.kind === 'vector' || (slot.kind === 'struct' && containsVector(slot.name, structs, seen));
}

function sameStruct(a: StructNode, b: StructNode): boolean {
  const ka = Object.keys(a.fields);
  const kb = Object.keys(b.fields);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.fields[k] === b.fields[k]);
}

/** A canonical text for the slot, used by the layout hash and in generated diagrams. */
export function describeSlot(slot: Slot): string {
  switch (slot.kind) {
    case 'scalar':
      return slot.type;
    case 'enum':
      return `enum(${slot.values.map((v) => JSON.stringify(v)).join(',')})`;
    case 'str':
      return 'str';
    case 'ref':
      return `ref(${slot.section})`;
    case 'struct':
      return slot.name;
    case 'vector':
      return `vector(${describeSlot(slot.element)})`;
  }
}
