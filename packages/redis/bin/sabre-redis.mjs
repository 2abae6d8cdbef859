#!/usr/bin/env node
// The sabre-redis CLI: the built dist/cli.js when installed; in a source checkout, src/ through tsx with
// the @sabre/source condition (so @sabre/* resolve to src/ as in the tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
