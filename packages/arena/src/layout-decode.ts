/**
 * Reading a layout back from a `$layout` section, which may come from anywhere: every name, offset,
 * size and reference is checked before anything walks rows by it, so a forged layout cannot make
 * `verify()` or the generic reader read out of bounds, loop, or allocate without bound. Sizes the
 * canonical text leaves out (a slot's width, a struct slot's size) are derived here, as the compiler
 * derived them.
 */
import { Errors } from './errors.js';
import { alignOf, layoutHashOf, VECTOR_SLOT } from './layout.js';
import { CONTAINERS, containerOf, type ContainerName } from './containers.js';
import { isScalarType, SCALARS, SCALAR_TYPES } from './scalars.js';
import type { ArenaLayout, FieldLayout, SectionLayout, Slot, StructLayout } from './layout.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECTION_KINDS = new Set(['table', 'record', ...Object.keys(CONTAINERS)]);
const MAX_STRUCT_SIZE = 1 << 20;
const MAX_ENUM_VALUES = 65_536;

type Obj = Record<string, unknown>;

class Reader {
  constructor(private readonly path: string) {}
  fail(what: string, expected?: unknown, got?: unknown): never {
    throw Errors.badLayout(this.path, what, expected, got);
  }
  at(key: string | number): Reader {
    return new Reader(typeof key === 'number' ? `${this.path}[${key}]` : `${this.path}.${key}`);
  }
  obj(v: unknown): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail('is not an object', 'an object', v === null ? 'null' : typeof v);
    return v as Obj;
  }
  arr(v: unknown): unknown[] {
    if (!Array.isArray(v)) this.fail('is not a list', 'an array', typeof v);
    return v as unknown[];
  }
  ident(v: unknown): string {
    if (typeof v !== 'string' || !IDENT.test(v) || v.length > 128) this.fail('is not a name', 'an identifier', v);
    return v as string;
  }
  int(v: unknown, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail('is out of range', `an integer ${min}..${max}`, v);
    return v as number;
  }
}

/** The layout in a `$layout` section's text; throws ARENA_BAD_LAYOUT naming what is wrong and where. */
export function decodeLayout(canonical: string, docsText: string): ArenaLayout {
  const root = new Reader('$layout');
  let json: unknown;
  let docsJson: unknown;
  try {
    json = JSON.parse(canonical);
    docsJson = docsText.length === 0 ? {} : JSON.parse(docsText);
  } catch (e) {
    root.fail('is not valid JSON', 'JSON', (e as Error).message);
  }
  const top = root.obj(json);
  if (top['format'] !== 'sabre-layout/1') root.at('format').fail('is not a layout this reader knows', 'sabre-layout/1', top['format']);
  const name = root.at('name').ident(top['name']);

  // Structs: first their names and raw fields, then sizes in dependency order (a struct slot's size is
  // its struct's size), refusing cycles — an inline struct cannot contain itself.
  const rawStructs = root.at('structs').arr(top['structs']);
  const byName = new Map<string, { r: Reader; o: Obj }>();
  rawStructs.forEach((s, i) => {
    const r = root.at('structs').at(i);
    const o = r.obj(s);
    const n = r.at('name').ident(o['name']);
    if (byName.has(n)) r.at('name').fail('names a struct twice', 'unique struct names', n);
    byName.set(n, { r, o });
  });
  const structs = new Map<string, StructLayout>();
  const resolving = new Set<string>();
  const sectionNames = new Set<string>();

  // Sections first (names only), so refs can be checked against them.
  const rawSections = root.at('sections').arr(top['sections']);
  if (rawSections.length === 0) root.at('sections').fail('is empty', 'at least one section', 0);
  rawSections.forEach((s, i) => {
    const r = root.at('sections').at(i);
    const n = r.at('name').ident(r.obj(s)['name']);
    if (sectionNames.has(n)) r.at('name').fail('names a section twice', 'unique section names', n);
    sectionNames.add(n);
  });
  const sectionStruct = new Map<string, string>();
  rawSections.forEach((s, i) => sectionStruct.set((s as Obj)['name'] as string, root.at('sections').at(i).at('struct').ident((s as Obj)['struct'])));

  function slotOf(v: unknown, r: Reader, inVector: boolean): Slot {
    const o = r.obj(v);
    switch (o['kind']) {
      case 'scalar': {
        const type = o['type'];
        if (!isScalarType(type)) return r.at('type').fail('is not a scalar type', SCALAR_TYPES.join('|'), type);
        if (inVector && SCALARS[type].array === null) r.at('type').fail('cannot be a vector element', 'a scalar with a typed array', type);
        return { kind: 'scalar', type, size: SCALARS[type].size };
      }
      case 'enum': {
        const values = r.at('values').arr(o['values']);
        if (values.length === 0 || values.length > MAX_ENUM_VALUES) r.at('values').fail('has no values or too many', `1..${MAX_ENUM_VALUES} values`, values.length);
        values.forEach((x, j) => typeof x !== 'string' && r.at('values').at(j).fail('is not a string', 'a string', typeof x));
        return { kind: 'enum', values: values as string[], size: values.length <= 256 ? 1 : 2 };
      }
      case 'str':
        return { kind: 'str', size: 4 };
      case 'ref': {
        const section = r.at('section').ident(o['section']);
        const row = sectionStruct.get(section);
        if (row === undefined) return r.at('section').fail('refers to a section that does not exist', [...sectionNames].join('|'), section);
        return { kind: 'ref', section, row, size: 4 };
      }
      case 'struct': {
        const l = structOf(r.at('name').ident(o['name']), r.at('name'));
        return { kind: 'struct', name: l.name, size: l.size, align: l.align };
      }
      case 'vector':
        if (inVector) r.fail('is a vector of vectors', 'a vector of scalars, enums, strings, refs or structs', 'vector');
        return { kind: 'vector', element: slotOf(o['element'], r.at('element'), true), size: VECTOR_SLOT };
      default:
        return r.at('kind').fail('is not a slot kind', 'scalar|enum|str|ref|struct|vector', o['kind']);
    }
  }

  function structOf(n: string, from: Reader): StructLayout {
    const done = structs.get(n);
    if (done !== undefined) return done;
    const raw = byName.get(n);
    if (raw === undefined) return from.fail('refers to a struct that does not exist', [...byName.keys()].join('|'), n);
    if (resolving.has(n)) return from.fail('makes a struct contain itself', 'no inline cycle', n);
    resolving.add(n);
    const { r, o } = raw;
    const size = r.at('size').int(o['size'], 1, MAX_STRUCT_SIZE);
    const align = r.at('align').int(o['align'], 1, 8);
    if ((align & (align - 1)) !== 0 || size % align !== 0) r.at('align').fail('is not a power of two dividing the size', `a power of two dividing ${size}`, align);
    const presence = r.at('presence').arr(o['presence']);
    const presenceOffset = r.at('presence').at(0).int(presence[0], 0, size);
    const presenceBytes = r.at('presence').at(1).int(presence[1], 0, size - presenceOffset);
    const rawFields = r.at('fields').arr(o['fields']);
    if (rawFields.length === 0) r.at('fields').fail('is empty', 'at least one field', 0);
    const names = new Set<string>();
    const bits = new Set<number>();
    const fields: FieldLayout[] = rawFields.map((f, j) => {
      const fr = r.at('fields').at(j);
      const fo = fr.obj(f);
      const fname = fr.at('name').ident(fo['name']);
      if (names.has(fname)) fr.at('name').fail('names a field twice', 'unique field names', fname);
      names.add(fname);
      const slot = slotOf(fo['slot'], fr.at('slot'), false);
      const offset = fr.at('offset').int(fo['offset'], 0, presenceOffset);
      if (offset + slot.size > presenceOffset || offset % alignOf(slot) !== 0) fr.at('offset').fail('does not fit the struct aligned', `an offset aligned to ${alignOf(slot)}, ending by ${presenceOffset}`, offset);
      let presenceBit: number | undefined;
      if (fo['bit'] !== null) {
        presenceBit = fr.at('bit').int(fo['bit'], 0, presenceBytes * 8 - 1);
        if (bits.has(presenceBit)) fr.at('bit').fail('shares a presence bit', 'a bit of its own', presenceBit);
        bits.add(presenceBit);
      }
      return { name: fname, doc: undefined, slot, offset, presenceBit };
    });
    // Fields must not overlap: the views would read one field's bytes as another's.
    const spans = fields.map((f) => [f.offset, f.offset + f.slot.size] as const).sort((a, b) => a[0] - b[0]);
    for (let j = 1; j < spans.length; j++) if (spans[j]![0] < spans[j - 1]![1]) r.at('fields').fail('has overlapping fields', 'disjoint fields', `bytes ${spans[j]![0]}..${spans[j - 1]![1]}`);
    resolving.delete(n);
    const layout: StructLayout = { name: n, doc: undefined, size, align, fields, presenceOffset, presenceBytes };
    structs.set(n, layout);
    return layout;
  }

  for (const n of byName.keys()) structOf(n, root.at('structs'));
  // In the stored (canonical) order, not the order they were resolved in.
  const ordered = new Map([...byName.keys()].map((n) => [n, structs.get(n)!]));

  const sections: SectionLayout[] = rawSections.map((s, i) => {
    const r = root.at('sections').at(i);
    const o = s as Obj;
    const kind = o['kind'];
    if (typeof kind !== 'string' || !SECTION_KINDS.has(kind)) r.at('kind').fail('is not a section kind', [...SECTION_KINDS].join('|'), kind);
    const struct = structOf(sectionStruct.get(o['name'] as string)!, r.at('struct'));
    if (typeof o['heap'] !== 'boolean') r.at('heap').fail('is not true or false', 'a boolean', o['heap']);
    const base = { name: o['name'] as string, doc: undefined, struct: struct.name, hasHeap: o['heap'] as boolean };
    if (kind === 'table' || kind === 'record') return { ...base, kind } as SectionLayout;
    // A container: each option of its kind, of its type, then the kind's own check of the fields named.
    const container = containerOf(kind as ContainerName);
    const options: Record<string, string | boolean> = {};
    for (const [option, type] of Object.entries(container.options)) {
      const v = o[option];
      if (type === 'boolean' ? typeof v !== 'boolean' : typeof v !== 'string') r.at(option).fail(`is not ${type === 'boolean' ? 'true or false' : type === 'text' ? 'a text' : 'a field name'}`, type === 'boolean' ? 'a boolean' : 'a string', v);
      options[option] = v as string | boolean;
    }
    const problem = container.checkOptions(options, (n) => struct.fields.find((f) => f.name === n));
    if (problem !== undefined) r.at(problem.option).fail(`is not ${problem.want} of ${struct.name}`, problem.want, options[problem.option]);
    return { ...base, kind, ...options } as SectionLayout;
  });

  const layout: ArenaLayout = { name, doc: undefined, sections, structs: ordered, hash: layoutHashOf(canonical) };
  applyDocs(layout, docsJson);
  return layout;
}

/** Doc strings are a courtesy: anything malformed in them is ignored rather than refused. */
function applyDocs(layout: ArenaLayout, docs: unknown): void {
  if (typeof docs !== 'object' || docs === null) return;
  const d = docs as { arena?: unknown; sections?: Record<string, unknown>; structs?: Record<string, { doc?: unknown; fields?: Record<string, unknown> }> };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  layout.doc = text(d.arena);
  for (const s of layout.sections) s.doc = text(d.sections?.[s.name]);
  for (const s of layout.structs.values()) {
    const sd = d.structs?.[s.name];
    s.doc = text(sd?.doc);
    for (const f of s.fields) f.doc = text(sd?.fields?.[f.name]);
  }
}
