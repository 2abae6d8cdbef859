// Builds the example into a folder a static server can serve: the two pages, their scripts and the
// worker bundled by esbuild for the browser, and atlas.sabre, an arena file built here in Node for the
// page without isolation to fetch.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { save } from '@sabre/arena/node';
import { build } from '@sabre/schema';
import { Atlas } from './atlas.schema.js';
import { atlasInput } from './data.js';

const web = (file: string) => fileURLToPath(new URL(`./web/${file}`, import.meta.url));

export async function bundleExample(outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await bundle({
    entryPoints: [web('page.ts'), web('worker.ts'), web('plain.ts')],
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Inside this repository @sabre/* is bundled from source; an app using the published packages drops this.
    conditions: ['@sabre/source'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const page of ['index.html', 'plain.html']) copyFileSync(web(page), join(outdir, page));
  await save(build(Atlas, atlasInput), join(outdir, 'atlas.sabre'));
}
