// Builds where there is no SharedArrayBuffer: a browser page without cross-origin isolation. The builder
// falls back to a resizable ArrayBuffer (one thread reads it; a worker would get a copy), and only
// `shared: true` refuses, naming the two headers that isolate a page. The real browser runs this in
// examples/browser (npm run test:browser); here Node plays the page, its global deleted before any code loads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ArenaBuilder } from '@sabre/arena/build';
import { Errors } from '@sabre/arena/internal';

const dir = mkdtempSync(join(tmpdir(), 'sabre-no-sab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tag = (v: unknown) => Object.prototype.toString.call(v);

describe('building without SharedArrayBuffer (a page that is not cross-origin isolated)', () => {
  it('build() and ArenaBuilder make a resizable ArrayBuffer that reads back; shared: true names COOP/COEP', async () => {
    const probe = join(dir, 'probe.mjs');
    await bundle({
      entryPoints: [fileURLToPath(new URL('./fixtures/no-shared-memory.probe.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      outfile: probe,
      logLevel: 'silent',
      conditions: ['@sabre/source'],
      // Runs before any bundled module: nothing of ours ever sees the global.
      banner: { js: 'delete globalThis.SharedArrayBuffer;' },
    });
    const out = JSON.parse(execFileSync(process.execPath, [probe], { encoding: 'utf8' }));
    expect(out).toMatchObject({
      sharedArrayBuffer: 'undefined',
      tag: '[object ArrayBuffer]',
      w4321: { word: 'w4321', rank: 4321, forms: ['w4321s', 'w4321ed'] },
      meta: { source: 'probe' },
      rawTag: '[object ArrayBuffer]',
      rawLast: 49_999,
      refused: { code: 'ARENA_NO_SHARED_MEMORY', message: Errors.noSharedMemory().message },
    });
    expect(out.bytes).toBeGreaterThan(1 << 16); // the buffer grew past the builder's first 64 KiB
    expect(out.refused.message).toContain('Cross-Origin-Opener-Policy: same-origin');
    expect(out.refused.message).toContain('Cross-Origin-Embedder-Policy: require-corp');
  });

  it('where SharedArrayBuffer exists, builds share by default and `shared: false` opts out', () => {
    const make = (shared?: boolean) => {
      const b = new ArenaBuilder({ initialBytes: 64, ...(shared === undefined ? {} : { shared }) });
      const w = b.section('n');
      for (let i = 0; i < 40_000; i++) w.u32(i);
      w.end();
      return b.finish().verify();
    };
    expect(tag(make().buffer)).toBe('[object SharedArrayBuffer]');
    expect(tag(make(true).buffer)).toBe('[object SharedArrayBuffer]');
    const plain = make(false);
    expect(tag(plain.buffer)).toBe('[object ArrayBuffer]');
    expect(plain.section('n').view.getUint32(4 * 39_999, true)).toBe(39_999);
  });
});
