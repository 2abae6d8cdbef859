import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'sabre-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

describe('@sabre/arena in a bundle', () => {
  it('verify() walks every container kind when bundled with "sideEffects": false honoured', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { Arena } from ${JSON.stringify(src('index.ts'))};
import { ArenaBuilder, writeIntHashMap, writeRanges, writeStringHashMap, writeTrie } from ${JSON.stringify(src('build/index.ts'))};
const b = new ArenaBuilder();
writeStringHashMap(b, 'words', ['a', 'b'], [1, 2]);
writeIntHashMap(b, 'ids', [7n, 9n], [0, 1]);
writeRanges(b, 'ranges', [{ start: 1, end: 5, value: 0 }]);
writeTrie(b, 'trie', ['x', 'xy'], [0, 1]);
const arena = b.finish();
Arena.open(arena.buffer).verify();
console.log('verified', Arena.open(arena.buffer).sections.map((s) => s.kindName).join(','));
`,
    );
    const out = join(dir, 'bundle.mjs');
    const result = await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent', metafile: true });
    // The package says "sideEffects": false, and the bundler did keep only what is imported by name.
    expect(result.warnings.filter((w) => w.text.includes('side effects'))).toEqual([]);
    expect(execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim()).toBe('verified hash map,hash map,range table,trie');
  });
});
