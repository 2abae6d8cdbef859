// Generated views in a browser bundle. Their Node-only `load()` imports @sabre/arena/node lazily, and a
// bundler follows even a lazy import: for a browser target that import must resolve to the package's
// "browser" stand-in (no node: modules), whose load() fails with a message that says to fetch instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { Errors } from '@sabre/arena/internal';

const dir = mkdtempSync(join(tmpdir(), 'sabre-browser-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated views bundled for a browser', () => {
  it('bundle with no node: import, build and read there, and load() says to fetch the bytes instead', async () => {
    const out = join(dir, 'bundle.mjs');
    // From this folder, as a file here would: @sabre/arena resolves through the schema package's own dependency.
    const contents = `import { ArenaError } from '@sabre/arena';
import { build } from '../src/index.js';
import { Nets } from './fixtures/__generated__/nets.js';
import { Nets as schema } from './fixtures/nets.schema.js';
const nets = Nets.open(build(schema, { nets: [{ first: 1n, last: 9n, asn: 64512, name: 'probe' }] }).buffer);
const failed = await Nets.load('nets.sabre').then(() => 'loaded', (e) => (ArenaError.is(e) ? e.code + ' ' + e.message : String(e)));
console.log(JSON.stringify([nets.nets.find(5n)?.name, failed]));
`;
    const here = fileURLToPath(new URL('.', import.meta.url));
    await bundle({ stdin: { contents, resolveDir: here, loader: 'ts' }, bundle: true, format: 'esm', platform: 'browser', outfile: out, logLevel: 'silent', conditions: ['@sabre/source'] });
    expect(readFileSync(out, 'utf8')).not.toMatch(/["']node:/);
    const [name, failed] = JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' }));
    expect(name).toBe('probe');
    expect(failed).toBe(`ARENA_NODE_ONLY ${Errors.nodeOnly('load', 'nets.sabre').message}`);
  });
});
