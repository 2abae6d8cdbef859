import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, emit } from '@sabre/schema';
import { buildOnce } from '../../../scripts/build-once.mjs';
import { Geo } from './fixtures/geo.schema.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const sabre = (args: string[], cwd = pkg) => spawnSync(process.execPath, ['--conditions=@sabre/source', join(pkg, 'bin', 'sabre.mjs'), ...args], { cwd, encoding: 'utf8' });

describe('sabre gen / sabre check', () => {
  it('the committed fixture output is up to date (the golden test)', () => {
    const r = sabre(['check', 'test/fixtures/geo.schema.ts']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('emit is pure and deterministic: the same layout gives the same text', () => {
    const header = { source: '../geo.schema.ts', command: 'x' };
    expect(emit(compile(Geo), header)).toBe(emit(compile(Geo), header));
    expect(readFileSync(join(here, 'fixtures/__generated__/geo.ts'), 'utf8')).toContain(`0x${compile(Geo).hash.toString(16).padStart(16, '0')}n`);
  });

  it('check fails on stale output and names the command that fixes it; gen fixes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sabre-cli-'));
    try {
      // A scratch package beside the real one, so @sabre/schema resolves from its node_modules.
      const work = join(pkg, 'test', '.scratch');
      mkdirSync(work, { recursive: true });
      const schema = join(work, 'shop.schema.ts');
      writeFileSync(schema, `import { s } from '@sabre/schema';\nexport const Shop = s.arena('Shop', { items: s.table(s.struct('Item', { sku: s.str(), price: s.f64() })) });\n`);
      const out = join(dir, 'gen');
      expect(sabre(['check', schema, '--out', out]).status).toBe(1);
      const gen = sabre(['gen', schema, '--out', out]);
      expect(gen.status).toBe(0);
      expect(gen.stdout).toContain('shop.ts');
      expect(sabre(['check', schema, '--out', out]).status).toBe(0);
      // The schema changes after generation (an edit that only reformats the file passes: cli-options.test.ts).
      writeFileSync(schema, readFileSync(schema, 'utf8').replace('price: s.f64()', 'price: s.f64(), stock: s.u32()'));
      const stale = sabre(['check', schema, '--out', out]);
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(/shop\.ts is stale: run `sabre gen .*shop\.schema\.ts --out .*` and commit the result/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(pkg, 'test', '.scratch'), { recursive: true, force: true });
    }
  });

  it('prints its version and the arena format it writes', () => {
    const r = sabre(['--version']);
    const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
    expect([r.status, r.stdout.trim()]).toEqual([0, expect.stringMatching(new RegExp(`^sabre ${version.replaceAll('.', '\\.')} \\(arena format \\d+\\.\\d+\\)$`))]);
    expect(sabre(['-v']).stdout).toBe(r.stdout);
  });

  it('a syntax error in a schema file names the file, line and column, with no stack trace', () => {
    const work = join(pkg, 'test', '.scratch3');
    mkdirSync(work, { recursive: true });
    try {
      const schema = join(work, 'broken.schema.ts');
      writeFileSync(schema, `import { s } from '@sabre/schema';\nexport const Broken = s.arena('Broken', { rows: s.table(s.struct('Row', { n: s.u32() }) });\n`);
      const r = sabre(['gen', schema, '--out', join(work, 'gen')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^✖ could not load the schema file .*broken\.schema\.ts:/);
      expect(r.stderr).toMatch(/broken\.schema\.ts:2:\d+/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a renamed package does not make its generated views stale', () => {
    const work = join(pkg, 'test', '.scratch4');
    mkdirSync(work, { recursive: true });
    try {
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'shop-before', type: 'module' }));
      const schema = join(work, 'shop.schema.ts');
      writeFileSync(schema, `import { s } from '@sabre/schema';\nexport const Shop = s.arena('Shop', { items: s.table(s.struct('Item', { sku: s.str() })) });\n`);
      expect(sabre(['gen', schema]).status).toBe(0);
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'shop-after', type: 'module' }));
      const r = sabre(['check', schema]);
      expect([r.status, r.stderr]).toEqual([0, '']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('expands a quoted glob itself, and says when it matches nothing', () => {
    const quoted = sabre(['check', 'test/fixtures/*.schema.ts']);
    expect([quoted.status, quoted.stderr]).toEqual([0, '']);
    expect(quoted.stdout).toContain('geo.ts is up to date');
    expect(quoted.stdout).toContain('nets.ts is up to date');
    const none = sabre(['check', 'test/nothing-here/*.schema.ts']);
    expect([none.status, none.stderr.trim()]).toEqual([1, '✖ no schema file matches test/nothing-here/*.schema.ts']);
  });

  it('explains usage mistakes', () => {
    expect(sabre([]).status).toBe(2);
    const unknown = sabre(['generate', 'x.ts']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "generate"');
    const missing = sabre(['gen', 'nope.schema.ts']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('schema file not found: nope.schema.ts');
  });

  it('reports schema mistakes with their path', () => {
    const work = join(pkg, 'test', '.scratch2');
    mkdirSync(work, { recursive: true });
    try {
      const schema = join(work, 'bad.schema.ts');
      writeFileSync(schema, `import { s } from '@sabre/schema';\nexport const Bad = s.arena('Bad', { rows: s.table(s.struct('Row', { n: s.u32 })) });\n`);
      const r = sabre(['gen', schema, '--out', join(work, 'gen')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Did you write s.u32 instead of s.u32()?');
      expect(r.stderr).toContain('→ at Bad.rows[].n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('the generated code type-checks under strict', () => {
    // tsconfig.check.json (strict) includes packages/*/test, so `npm test` type-checks the fixture output;
    // here we check that the generated file is really part of that program.
    const out = execFileSync(process.execPath, [join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(pkg, '..', '..', 'tsconfig.check.json'), '--listFilesOnly'], { encoding: 'utf8' });
    expect(out).toContain('packages/schema/test/fixtures/__generated__/geo.ts');
  });

  it('the generated code is erasable TypeScript: Node 22.6+ type stripping can run it as it is', () => {
    // Against the built @sabre/arena (as a user's project sees it), so only the generated files are judged.
    buildOnce(join(pkg, '..', 'arena'));
    const tsc = join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const files = ['geo.ts', 'nets.ts'].map((f) => join(here, 'fixtures', '__generated__', f));
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--erasableSyntaxOnly', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', ...files], { cwd: pkg, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
