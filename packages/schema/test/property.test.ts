/**
 * Random schemas × random values → build → generate the views → import them → read back equals the
 * input (floats normalised to what their width stores). A few cases also read in a real worker.
 */
import fc from 'fast-check';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { build, compile, emit, s, type ArenaNode, type FieldNode, type ScalarType, type TableNode } from '@sabre/schema';

const here = dirname(fileURLToPath(import.meta.url));
const GEN = join(here, '.gen');
mkdirSync(GEN, { recursive: true });
afterAll(() => rmSync(GEN, { recursive: true, force: true }));

type SlotSpec =
  | { k: 'scalar'; t: ScalarType }
  | { k: 'enum'; values: string[] }
  | { k: 'str' }
  | { k: 'ref'; table: number }
  | { k: 'struct'; fields: FieldSpec[] };
interface FieldSpec { slot: SlotSpec; optional: boolean; vector: boolean }
interface ArenaSpec { tables: FieldSpec[][]; record: FieldSpec[] | null }

const SCALARS: ScalarType[] = ['u8', 'u16', 'u32', 'i8', 'i16', 'i32', 'f32', 'f64', 'bool', 'u64', 'i64', 'u128'];

function specArb(): fc.Arbitrary<ArenaSpec> {
  return fc.integer({ min: 1, max: 3 }).chain((nTables) => {
    const slot = (depth: number): fc.Arbitrary<SlotSpec> => {
      const leaves: fc.WeightedArbitrary<SlotSpec>[] = [
        { weight: 4, arbitrary: fc.constantFrom(...SCALARS).map((t) => ({ k: 'scalar' as const, t })) },
        { weight: 1, arbitrary: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }).map((values) => ({ k: 'enum' as const, values })) },
        { weight: 2, arbitrary: fc.constant({ k: 'str' as const }) },
        { weight: 1, arbitrary: fc.nat(nTables - 1).map((table) => ({ k: 'ref' as const, table })) },
      ];
      // Built only while depth remains: arbitraries are constructed eagerly.
      if (depth > 0) leaves.push({ weight: 1, arbitrary: fc.array(field(depth - 1), { minLength: 1, maxLength: 3 }).map((fields) => ({ k: 'struct' as const, fields })) });
      return fc.oneof(...leaves);
    };
    // A u128 has no typed array, so it is never a vector element (the schema refuses that).
    const field = (depth: number): fc.Arbitrary<FieldSpec> =>
      fc.record({ slot: slot(depth), optional: fc.boolean(), vector: fc.boolean() }).map((f) => (f.slot.k === 'scalar' && f.slot.t === 'u128' ? { ...f, vector: false } : f));
    const fields = fc.array(field(2), { minLength: 1, maxLength: 5 });
    return fc.record({ tables: fc.array(fields, { minLength: nTables, maxLength: nTables }), record: fc.option(fields, { nil: null }) });
  });
}

/** The DSL nodes for a spec. */
function schemaOf(spec: ArenaSpec, name: string): ArenaNode {
  let structs = 0;
  const tables: TableNode[] = [];
  const fieldNode = (f: FieldSpec): FieldNode => {
    const sl = f.slot;
    const base =
      sl.k === 'scalar' ? s[sl.t]() : sl.k === 'enum' ? s.enum(sl.values) : sl.k === 'str' ? s.str() : sl.k === 'ref' ? s.ref((): TableNode => tables[sl.table] as TableNode) : structNode(sl.fields);
    const v = f.vector ? s.vector(base) : base;
    return f.optional ? s.optional(v) : v;
  };
  const structNode = (fields: FieldSpec[]) => s.struct(`S${structs++}`, Object.fromEntries(fields.map((f, i) => [`f${i}`, fieldNode(f)])));
  spec.tables.forEach((fields) => tables.push(s.table(structNode(fields))));
  const sections: Record<string, TableNode | ReturnType<typeof structNode>> = Object.fromEntries(tables.map((t, i) => [`t${i}`, t]));
  if (spec.record !== null) sections.rec = structNode(spec.record);
  return s.arena(name, sections);
}

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 6 }).map((u) => String.fromCharCode(...u)));

function scalarValue(t: ScalarType): fc.Arbitrary<unknown> {
  switch (t) {
    case 'u8': return fc.integer({ min: 0, max: 0xff });
    case 'i8': return fc.integer({ min: -0x80, max: 0x7f });
    case 'u16': return fc.integer({ min: 0, max: 0xffff });
    case 'i16': return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'u32': return fc.integer({ min: 0, max: 0xffff_ffff });
    case 'i32': return fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
    case 'f32': return fc.float({ noNaN: true, noDefaultInfinity: true });
    case 'f64': return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'bool': return fc.boolean();
    case 'u64': return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'i64': return fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    case 'u128': return fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
  }
}

/** Values for a spec, plus the same values as the views must read them back. */
function valuesArb(spec: ArenaSpec, lengths: number[]): fc.Arbitrary<{ input: Record<string, unknown>; expected: Record<string, unknown> }> {
  const slotValue = (sl: SlotSpec): fc.Arbitrary<[unknown, unknown]> => {
    switch (sl.k) {
      case 'scalar':
        return scalarValue(sl.t).map((v) => [v, sl.t === 'f32' ? Math.fround(v as number) : v]);
      case 'enum':
        return fc.constantFrom(...sl.values).map((v) => [v, v]);
      case 'str':
        return anyString.map((v) => [v, v]);
      case 'ref':
        return fc.nat((lengths[sl.table] as number) - 1).map((v) => [v, v]);
      case 'struct':
        return structValue(sl.fields);
    }
  };
  const fieldValue = (f: FieldSpec): fc.Arbitrary<[unknown, unknown] | undefined> => {
    const one = f.vector ? fc.array(slotValue(f.slot), { maxLength: 4 }).map((xs) => [xs.map((x) => x[0]), xs.map((x) => x[1])] as [unknown, unknown]) : slotValue(f.slot);
    return f.optional ? fc.option(one, { nil: undefined }) : one;
  };
  const structValue = (fields: FieldSpec[]): fc.Arbitrary<[unknown, unknown]> =>
    fc.tuple(...fields.map(fieldValue)).map((vals) => {
      const input: Record<string, unknown> = {};
      const expected: Record<string, unknown> = {};
      vals.forEach((v, i) => {
        if (v !== undefined) {
          input[`f${i}`] = v[0];
          expected[`f${i}`] = v[1];
        }
      });
      return [input, expected];
    });
  const tables = spec.tables.map((fields, i) => fc.array(structValue(fields), { minLength: lengths[i], maxLength: lengths[i] }));
  const record = spec.record === null ? fc.constant(null) : structValue(spec.record);
  return fc.tuple(fc.tuple(...tables), record).map(([rows, rec]) => {
    const input: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    rows.forEach((r, i) => {
      input[`t${i}`] = r.map((x) => x[0]);
      expected[`t${i}`] = r.map((x) => x[1]);
    });
    if (rec !== null) {
      input.rec = rec[0];
      expected.rec = rec[1];
    }
    return { input, expected };
  });
}

const caseArb = specArb().chain((spec) =>
  fc.array(fc.integer({ min: 1, max: 5 }), { minLength: spec.tables.length, maxLength: spec.tables.length }).chain((lengths) => valuesArb(spec, lengths).map((v) => ({ spec, ...v }))),
);

let counter = 0;
async function generated(schema: ArenaNode): Promise<{ file: string; module: Record<string, { open(b: SharedArrayBuffer): Record<string, unknown> }> }> {
  const file = join(GEN, `case${counter++}.ts`);
  writeFileSync(file, emit(compile(schema), { source: 'property.test.ts', command: 'none' }));
  return { file, module: (await import(pathToFileURL(file).href)) as Record<string, { open(b: SharedArrayBuffer): Record<string, unknown> }> };
}

function readAll(root: Record<string, unknown>, spec: ArenaSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  spec.tables.forEach((_, i) => (out[`t${i}`] = Array.from(root[`t${i}`] as Iterable<{ toJSON(): unknown }>, (r) => r.toJSON())));
  if (spec.record !== null) out.rec = (root.rec as { toJSON(): unknown }).toJSON();
  return out;
}

describe('random schemas round-trip through build and the generated views', () => {
  it('in this thread', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ spec, input, expected }) => {
        const name = `P${counter}`;
        const schema = schemaOf(spec, name);
        const arena = build(schema, input as never);
        const { module } = await generated(schema);
        const root = (module[name] as { open(b: SharedArrayBuffer): Record<string, unknown> }).open(arena.buffer as SharedArrayBuffer);
        expect(readAll(root, spec)).toEqual(expected);
        (root.arena as { verify(): unknown }).verify();
      }),
      { numRuns: 60 },
    );
  });

  it('in a real worker that received only the buffer', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ spec, input, expected }) => {
        const name = `P${counter}`;
        const schema = schemaOf(spec, name);
        const arena = build(schema, input as never);
        const { file } = await generated(schema);
        const sections = [...spec.tables.map((_, i) => ({ name: `t${i}`, kind: 'table' })), ...(spec.record === null ? [] : [{ name: 'rec', kind: 'record' }])];
        const worker = new Worker(new URL('../../../scripts/ts-worker.mjs', import.meta.url), {
          workerData: { entry: new URL('./fixtures/read-all.worker.ts', import.meta.url).href, data: { module: pathToFileURL(file).href, root: name, sections } },
          execArgv: ['--conditions=@sabre/source'],
        });
        try {
          const reply = new Promise((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          });
          worker.postMessage(arena.buffer);
          expect(await reply).toEqual(expected);
        } finally {
          await worker.terminate();
        }
      }),
      { numRuns: 6 },
    );
  });
});
