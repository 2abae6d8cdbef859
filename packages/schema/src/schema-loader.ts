/**
 * Importing a schema file. Plain `.js`/`.mjs` schemas import as they are. A TypeScript schema needs a
 * loader: tsx, an optional peer dependency, registered on first need — so an app that only builds or
 * reads arenas never installs a bundler, and only whoever runs `sabre gen` on `.ts` schemas does.
 */
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** True when this module itself runs as TypeScript: a loader (tsx, or Node's type stripping) is active. */
const RUNNING_AS_TYPESCRIPT = import.meta.url.endsWith('.ts');

let registered: Promise<void> | undefined;

export async function importSchema(file: string, shown: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.test(file) && !RUNNING_AS_TYPESCRIPT) await (registered ??= registerTsx(shown));
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

async function registerTsx(shown: string): Promise<void> {
  let api: { register(): unknown };
  try {
    api = (await import('tsx/esm/api')) as { register(): unknown };
  } catch (err) {
    // Node 23.6+ strips types itself (22.6+ with --experimental-strip-types): try without tsx there.
    if ((process.features as { typescript?: unknown }).typescript) return;
    registered = undefined; // a later file may be tried again once tsx is installed
    throw new Error(
      `✖ ${shown} is TypeScript, and loading it needs tsx: npm install --save-dev tsx\n  (or write the schema as .js/.mjs, which needs nothing)`,
      { cause: err },
    );
  }
  api.register();
}
