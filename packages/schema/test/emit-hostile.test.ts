// User text and names cannot break or inject into the generated file: `*/` in doc strings, enum values
// and file names stays inside its comment, and names that would collide with what the file imports or
// declares are refused by name before anything is written.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compile, emit, s, SchemaError } from '@sabre/schema';

const INJECT = '*/ export const injected = 1; /*';

/** The names a TypeScript module declares at its top level, and its syntax errors. */
function topLevel(code: string): { names: string[]; errors: number } {
  const file = ts.createSourceFile('g.ts', code, ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const st of file.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) names.push(d.name.getText(file));
    else if ((ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name !== undefined) names.push(st.name.text);
  }
  return { names, errors: (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length };
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (SchemaError.is(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'nothing thrown';
}

describe('the generated file under hostile schema text', () => {
  it('"*/" in doc strings, enum values and the header stays inside comments: nothing is injected', () => {
    const Row = s.struct('Row', { kind: s.enum(['plain', INJECT]).describe(INJECT), n: s.u32() }).describe(`${INJECT}\nsecond line`);
    const A = s.arena('A', { rows: s.table(Row).describe(INJECT) }).describe(INJECT);
    const code = emit(compile(A), { source: `evil${INJECT}.ts`, command: `sabre gen ${INJECT}` });
    const { names, errors } = topLevel(code);
    expect(errors).toBe(0);
    expect(names).not.toContain('injected');
    expect(names).toEqual(expect.arrayContaining(['A', 'RowView', 'RowData', 'ROW_KIND']));
    expect(code).toContain(JSON.stringify(INJECT)); // the enum value itself is kept, as a string literal
  });

  it('names that would collide with imports, globals, each other or root members are refused by name', () => {
    const Row = s.struct('Row', { n: s.u32() });
    const cases: [string, () => unknown, RegExp][] = [
      ['an arena named Arena', () => s.arena('Arena', { rows: s.table(Row) }), /arena name "Arena" would generate "Arena", which collides with the generated code's own "Arena"/],
      ['an arena named Array', () => s.arena('Array', { rows: s.table(Row) }), /collides with the generated code's own "Array"/],
      ['a struct HashMap (HashMapView is imported)', () => s.arena('A', { m: s.hashMap(s.struct('HashMap', { k: s.str() }), { key: 'k' }) }), /struct name "HashMap" would generate "HashMapView"/],
      ['two enums spelling one constant', () => s.arena('A', { x: s.table(s.struct('A_b', { c: s.enum(['p']) })), y: s.table(s.struct('A', { bC: s.enum(['q']) })) }), /would generate "A_B_C", which collides with enum field "c"/],
      ['a section named arena', () => s.arena('A', { arena: s.table(Row) }), /section name "arena" is a member of the generated A class/],
      ['an arena named arena (it checked foreign arenas against itself)', () => s.arena('arena', { rows: s.table(Row) }), /arena name "arena" is a parameter or local of the generated class's methods/],
      ['an arena named after a section context', () => s.arena('rowsCtx', { rows: s.table(Row) }), /arena name "rowsCtx" is a parameter or local/],
      ['an arena named strings', () => s.arena('strings', { rows: s.table(Row) }), /arena name "strings" is a parameter or local/],
    ];
    for (const [name, schema, message] of cases) expect([name, refusal(() => emit(compile(schema() as Parameters<typeof compile>[0]), { source: 'x', command: 'x' }))]).toEqual([name, expect.stringMatching(message)]);
  });
});
