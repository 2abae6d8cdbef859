import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOnce } from '../../../scripts/build-once.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkg, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.includes('.test') ? [join(dir, e.name)] : [],
  );
}

describe('@sabre/arena stays portable', () => {
  it('the core and build entries use nothing Node-only (browsers and workers load them)', () => {
    const offenders: string[] = [];
    for (const file of sources(join(pkg, 'src'))) {
      const rel = relative(join(pkg, 'src'), file);
      if (rel.startsWith('node')) continue;
      const text = readFileSync(file, 'utf8');
      for (const bad of [/from ['"]node:/, /\bBuffer\./, /\bprocess\./, /new TextDecoder/, /\brequire\(/]) {
        if (bad.test(text)) offenders.push(`${rel}: ${bad}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the arena entry imports only its own modules (zero runtime dependencies)', () => {
    const deps = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(deps.dependencies ?? {}).toEqual({});
  });

  it('after `tsc -b`, plain Node ESM imports the built package (no source condition, no tsx)', () => {
    buildOnce(pkg);
    const script = `
      import { Arena } from '@sabre/arena';
      import { ArenaBuilder } from '@sabre/arena/build';
      import { save, load } from '@sabre/arena/node';
      const b = new ArenaBuilder({ layoutHash: 5n });
      const w = b.section('t'); w.u32(b.intern('dist works')); w.end();
      const a = Arena.open(b.finish().buffer, { layoutHash: 5n }).verify();
      console.log(a.strings.decode(a.section('t').view.getUint32(0, true)), typeof save, typeof load);
    `;
    // examples/hello depends on @sabre/arena, so its node_modules resolves the package like a user's app.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(root, 'examples', 'hello'), encoding: 'utf8' });
    expect(out.trim()).toBe('dist works function function');
  });

  it('reads an ArrayBuffer where SharedArrayBuffer does not exist (a page without cross-origin isolation)', () => {
    buildOnce(pkg);
    const script = `
      import { Arena, HashMapView } from '@sabre/arena';
      import { ArenaBuilder, writeStringHashMap } from '@sabre/arena/build';
      const b = new ArenaBuilder();
      writeStringHashMap(b, 'm', ['a', 'b'], [1, 2]);
      const bytes = new Uint8Array(b.finish().buffer).slice(); // a plain ArrayBuffer copy
      delete globalThis.SharedArrayBuffer;
      const arena = Arena.open(bytes.buffer).verify();
      console.log(typeof SharedArrayBuffer, new HashMapView(arena.section('m')).get('b'));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(root, 'examples', 'hello'), encoding: 'utf8' });
    expect(out.trim()).toBe('undefined 2');
  });
});
