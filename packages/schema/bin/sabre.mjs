#!/usr/bin/env node
// The sabre CLI. tsx is registered first so schema files may be TypeScript.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// In a source checkout (this file's real path is outside node_modules), schema files importing
// @sabre/* must resolve to src/, never to a possibly stale dist/: run again with the `source` export
// condition. An installed package resolves to its dist/ and never re-runs.
const checkout = !fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
if (checkout && !process.execArgv.some((a) => a.startsWith('--conditions=@sabre/source') || a === '-C')) {
  const again = spawnSync(process.execPath, ['--conditions=@sabre/source', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
