import { describe, expectTypeOf, it } from 'vitest';
import { s, type Infer } from './dsl.js';

describe('Infer', () => {
  it('maps each node to the builder input type', () => {
    expectTypeOf<Infer<ReturnType<typeof s.u32>>>().toEqualTypeOf<number>();
    expectTypeOf<Infer<ReturnType<typeof s.u64>>>().toEqualTypeOf<bigint>();
    expectTypeOf<Infer<ReturnType<typeof s.bool>>>().toEqualTypeOf<boolean>();
    expectTypeOf<Infer<ReturnType<typeof s.str>>>().toEqualTypeOf<string>();
    const e = s.enum(['a', 'b']);
    expectTypeOf<Infer<typeof e>>().toEqualTypeOf<'a' | 'b'>();
  });

  it('structs make optional fields optional keys, vectors readonly arrays, refs numbers', () => {
    const t = s.table(s.struct('T', { x: s.u8() }));
    const R = s.struct('R', { id: s.u32(), name: s.optional(s.str()), tags: s.vector(s.str()), t: s.ref(t) });
    expectTypeOf<Infer<typeof R>>().toEqualTypeOf<{ id: number; tags: readonly string[]; t: number } & { name?: string | undefined }>();
  });

  it('an arena takes iterables or async iterables of rows, and records as objects', () => {
    const A = s.arena('A', { rows: s.table(s.struct('R', { x: s.u8() })), meta: s.struct('M', { v: s.u16() }) });
    type Input = Infer<typeof A>;
    expectTypeOf<{ rows: { x: number }[]; meta: { v: number } }>().toMatchTypeOf<Input>();
    expectTypeOf<{ rows: AsyncIterable<{ x: number }>; meta: { v: number } }>().toMatchTypeOf<Input>();
    expectTypeOf<{ rows: { x: string }[]; meta: { v: number } }>().not.toMatchTypeOf<Input>();
    expectTypeOf<{ rows: { x: number }[] }>().not.toMatchTypeOf<Input>();
  });
});

describe('containers', () => {
  const Row = s.struct('Row', { id: s.u32(), name: s.str(), lo: s.u32(), hi: s.u32() });

  it('take the field names of their row for field options, and optional flags', () => {
    const m = s.hashMap(Row, { key: 'name' });
    expectTypeOf(m.key).toEqualTypeOf<string>();
    expectTypeOf(m.kind).toEqualTypeOf<'hashMap'>();
    const t = s.trie(Row, { key: 'name', reversed: true });
    expectTypeOf(t.reversed).toEqualTypeOf<boolean>();
    s.trie(Row, { key: 'name' });
    s.ranges(Row, { start: 'lo', end: 'hi' });
    // @ts-expect-error: 'nope' is not a field of Row
    s.hashMap(Row, { key: 'nope' });
    // @ts-expect-error: a range table needs its end field
    s.ranges(Row, { start: 'lo' });
  });

  it('build from the rows of their struct', () => {
    const A = s.arena('A', { byName: s.hashMap(Row, { key: 'name' }) });
    expectTypeOf<{ byName: { id: number; name: string; lo: number; hi: number }[] }>().toMatchTypeOf<Infer<typeof A>>();
  });
});
