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
