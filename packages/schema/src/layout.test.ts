import { describe, expect, it } from 'vitest';
import { s, type TableNode } from './dsl.js';
import { SchemaError } from './errors.js';
import { compile } from './layout.js';

function schemaError(f: () => unknown): SchemaError {
  try {
    f();
  } catch (e) {
    if (SchemaError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a SchemaError');
}

describe('struct layout', () => {
  it('packs fields by alignment, keeps declaration order for getters, and puts presence bits last', () => {
    const Row = s.struct('Row', { a: s.u8(), b: s.f64(), c: s.optional(s.u16()), d: s.u32(), e: s.optional(s.bool()) });
    const l = compile(s.arena('A', { rows: s.table(Row) })).structs.get('Row');
    expect(l?.fields.map((f) => [f.name, f.offset, f.presenceBit])).toEqual([
      ['a', 14, undefined], ['b', 0, undefined], ['c', 12, 0], ['d', 8, undefined], ['e', 15, 1],
    ]);
    expect([l?.presenceOffset, l?.presenceBytes, l?.size, l?.align]).toEqual([16, 1, 24, 8]);
  });

  it('sizes every slot kind', () => {
    const Inner = s.struct('Inner', { x: s.u16() });
    const t = s.table(Inner);
    const Row = s.struct('Row', { e: s.enum(['a', 'b']), big: s.enum(Array.from({ length: 300 }, (_, i) => `v${i}`)), str: s.str(), ref: s.ref(t), inner: Inner, vec: s.vector(s.u8()) });
    const sizes = compile(s.arena('A', { t, rows: s.table(Row) })).structs.get('Row')?.fields.map((f) => [f.name, f.slot.size]);
    expect(sizes).toEqual([['e', 1], ['big', 2], ['str', 4], ['ref', 4], ['inner', 2], ['vec', 8]]);
  });
});

describe('layout hash', () => {
  const make = (fields: Parameters<typeof s.struct>[1], name = 'Row', section = 'rows') => compile(s.arena('A', { [section]: s.table(s.struct(name, fields)) })).hash;

  it('is deterministic', () => {
    expect(make({ a: s.u32(), b: s.str() })).toBe(make({ a: s.u32(), b: s.str() }));
  });

  it('changes with anything that changes the bytes or their meaning', () => {
    const base = make({ a: s.u32(), b: s.str() });
    const variants = [
      make({ b: s.str(), a: s.u32() }), // order
      make({ a: s.i32(), b: s.str() }), // type
      make({ a2: s.u32(), b: s.str() }), // field name
      make({ a: s.u32(), b: s.str() }, 'Row2'), // struct name
      make({ a: s.u32(), b: s.str() }, 'Row', 'rows2'), // section name
      make({ a: s.u32(), b: s.optional(s.str()) }), // optional
      make({ a: s.u32(), b: s.vector(s.str()) }), // vector
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    expect(base).toBeLessThan(1n << 64n);
  });

  it('ignores documentation', () => {
    expect(make({ a: s.u32().describe('count'), b: s.str() })).toBe(make({ a: s.u32(), b: s.str() }));
  });
});

describe('schema mistakes name their path', () => {
  const t = () => s.table(s.struct('T', { x: s.u8() }));
  const cases: [string, () => unknown, string, string][] = [
    ['not a node', () => compile(s.arena('A', { rows: s.table(s.struct('R', { x: s.u32 as never })) })), 'SCHEMA_NOT_A_NODE', 'A.rows[].x'],
    ['bad field name', () => compile(s.arena('A', { rows: s.table(s.struct('R', { 'my-field': s.u8() })) })), 'SCHEMA_BAD_NAME', 'A.rows[].my-field'],
    ['reserved field name', () => compile(s.arena('A', { rows: s.table(s.struct('R', { toJSON: s.u8() })) })), 'SCHEMA_BAD_NAME', 'A.rows[].toJSON'],
    ['empty struct', () => compile(s.arena('A', { rows: s.table(s.struct('R', {})) })), 'SCHEMA_EMPTY', 'A.rows[]'],
    ['empty arena', () => compile(s.arena('A', {})), 'SCHEMA_EMPTY', 'A'],
    ['empty enum', () => compile(s.arena('A', { rows: s.table(s.struct('R', { e: s.enum([]) })) })), 'SCHEMA_BAD_ENUM', 'A.rows[].e'],
    ['duplicate enum value', () => compile(s.arena('A', { rows: s.table(s.struct('R', { e: s.enum(['a', 'a']) })) })), 'SCHEMA_BAD_ENUM', 'A.rows[].e'],
    ['two structs, one name', () => compile(s.arena('A', { a: s.table(s.struct('R', { x: s.u8() })), b: s.table(s.struct('R', { y: s.u8() })) })), 'SCHEMA_DUPLICATE_STRUCT', 'A.b[]'],
    ['vector of vectors', () => compile(s.arena('A', { rows: s.table(s.struct('R', { v: s.vector(s.vector(s.u8()) as never) })) })), 'SCHEMA_UNSUPPORTED', 'A.rows[].v[]'],
    ['optional of optional', () => compile(s.arena('A', { rows: s.table(s.struct('R', { o: s.optional(s.optional(s.u8()) as never) })) })), 'SCHEMA_UNSUPPORTED', 'A.rows[].o'],
    ['inline recursion', () => {
      // DSL nodes are frozen snapshots, so only a hand-built node can contain itself.
      const fields: Record<string, unknown> = { x: s.u8() };
      const R = { kind: 'struct', name: 'R', doc: undefined, fields };
      fields.self = R;
      return compile(s.arena('A', { rows: s.table(R as never) }));
    }, 'SCHEMA_RECURSIVE', 'A.rows[].self'],
    ['ref to a table outside the arena', () => compile(s.arena('A', { rows: s.table(s.struct('R', { c: s.ref(t()) })) })), 'SCHEMA_REF_NOT_IN_ARENA', 'A.rows[].c'],
    ['ambiguous ref', () => {
      const Country = s.table(s.struct('Country', { name: s.str() }));
      return compile(s.arena('Geo', { countries: Country, nations: Country, cities: s.table(s.struct('City', { country: s.ref(Country) })) }));
    }, 'SCHEMA_REF_AMBIGUOUS', 'Geo.cities[].country'],
    ['hash map on a float field', () => compile(s.arena('A', { m: s.hashMap(s.struct('R', { x: s.f64() }), { key: 'x' }) })), 'SCHEMA_BAD_KEY', 'A.m.key'],
    ['hash map on an optional field', () => compile(s.arena('A', { m: s.hashMap(s.struct('R', { x: s.optional(s.str()) }), { key: 'x' }) })), 'SCHEMA_BAD_KEY', 'A.m.key'],
    ['ranges with mixed widths', () => compile(s.arena('A', { r: s.ranges(s.struct('R', { a: s.u32(), b: s.u64() }), { start: 'a', end: 'b' }) })), 'SCHEMA_BAD_KEY', 'A.r.end'],
    ['trie on a number field', () => compile(s.arena('A', { t: s.trie(s.struct('R', { x: s.u32() }), { key: 'x' }) })), 'SCHEMA_BAD_KEY', 'A.t.key'],
    ['trie boundary of two characters', () => compile(s.arena('A', { t: s.trie(s.struct('R', { x: s.str() }), { key: 'x', reversed: true, boundary: '::' }) })), 'SCHEMA_BAD_OPTION', 'A.t.boundary'],
    ['a non-table section', () => compile(s.arena('A', { n: s.u32() as never })), 'SCHEMA_UNSUPPORTED', 'A.n'],
  ];
  for (const [name, f, code, path] of cases) {
    it(name, () => {
      const err = schemaError(f);
      expect(err.code).toBe(code);
      expect(err.path).toBe(path);
      expect(err.message).toContain(`→ at ${path}`);
    });
  }

  it('the ambiguous-ref message says what to do', () => {
    const Country = s.table(s.struct('Country', { name: s.str() }));
    const err = schemaError(() => compile(s.arena('Geo', { countries: Country, nations: Country, cities: s.table(s.struct('City', { country: s.ref(Country) })) })));
    expect(err.message).toBe('✖ ref(table of Country) is ambiguous: the same table is used by sections "countries" and "nations"; give each section its own s.table(...) → at Geo.cities[].country');
  });

  it('self-references through a thunk are fine', () => {
    const people: TableNode = s.table(s.struct('Person', { name: s.str(), friends: s.vector(s.ref((): TableNode => people)) }));
    expect(compile(s.arena('Social', { people })).structs.get('Person')?.size).toBe(12);
  });
});
