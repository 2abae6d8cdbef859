/**
 * One table of scalars (SCALARS in @sabre/arena) drives the DSL, the layout, the emitter, the schema
 * builder and the section writer. These tests hold the pieces to it: every row has a DSL constructor,
 * reads back what was built, and judges a bad value the same way through `build()` and `SectionWriter`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaError } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { readScalar, SCALARS, SCALAR_TYPES, type ScalarType } from '@sabre/arena/internal';
import { ArenaReader } from '@sabre/arena';
import { build, s, SchemaError } from '@sabre/schema';

const schemaOf = (type: ScalarType) => s.arena('One', { rows: s.table(s.struct('Row', { v: s[type]() })) });

function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (SchemaError.is(e) || ArenaError.is(e)) return `${e.code} ${String(e.expected)}`;
    throw e;
  }
}

const candidates = fc.oneof(
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.double(),
  fc.bigInt({ min: -(1n << 66n), max: 1n << 66n }),
  fc.constantFrom(-0, 0.5, 2 ** 53, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY, 3.5e38, true, false, '1', null, [], {}), // undefined is a missing field, not a value
);

describe('SCALARS', () => {
  it('every row has a DSL constructor, a layout size and a getter that reads back what was built', () => {
    for (const type of SCALAR_TYPES) {
      const spec = SCALARS[type];
      const value = spec.class === 'bool' ? true : spec.class === 'bigint' ? BigInt(spec.max) : spec.class === 'float' ? 1.5 : spec.max;
      const arena = build(schemaOf(type), { rows: [{ v: value as never }] });
      const reader = ArenaReader.of(arena);
      expect(reader.table('rows').struct.size).toBe(spec.size);
      expect(reader.table('rows').at(0)).toEqual({ v: value });
      expect(readScalar(arena.section('rows').view, 0, type)).toEqual(value);
    }
  });

  it('a value fails with the same code and text through build() and SectionWriter', () => {
    const schemas = new Map(SCALAR_TYPES.map((t) => [t, schemaOf(t)]));
    fc.assert(
      fc.property(fc.constantFrom(...SCALAR_TYPES), candidates, (type, v) => {
        // The schema builder refuses NaN and ±Infinity by default; a raw section takes them. Compare like with like.
        const viaBuild = outcome(() => build(schemas.get(type)!, { rows: [{ v: v as never }] }, { nonFinite: 'allow' }));
        const viaWriter = outcome(() => new ArenaBuilder().section('rows').scalar(type, v as never));
        expect(viaBuild).toBe(viaWriter);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the three kinds of bad value', () => {
    const codeOf = (type: ScalarType, v: unknown) => outcome(() => build(schemaOf(type), { rows: [{ v: v as never }] })).split(' ')[0];
    expect(codeOf('u32', -1)).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf('u32', '1')).toBe('VALUE_WRONG_TYPE');
    expect(codeOf('u32', Number.NaN)).toBe('VALUE_NOT_FINITE');
    expect(codeOf('f64', Number.POSITIVE_INFINITY)).toBe('VALUE_NOT_FINITE');
    expect(codeOf('u64', 2 ** 60)).toBe('VALUE_OUT_OF_RANGE'); // a number past 2^53 is not exact
  });
});
