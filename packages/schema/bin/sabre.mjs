#!/usr/bin/env node
// The sabre CLI. Installed, it runs the built dist/cli.js, with no TypeScript loader: tsx is loaded
// only when a schema file is TypeScript (src/schema-loader.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// In a source checkout (this file's real path is outside node_modules), the CLI runs from src/ through
// tsx, and schema files importing @sabre/* must resolve to src/, never to a possibly stale dist/: run
// again with the `@sabre/source` export condition. An installed package never re-runs.
const checkout = !fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
let main;
if (checkout) {
  if (!process.execArgv.some((a) => a.startsWith('--conditions=@sabre/source'))) {
    const again = spawnSync(process.execPath, ['--conditions=@sabre/source', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(again.status ?? 1);
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv.slice(2));
