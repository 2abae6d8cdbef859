#!/usr/bin/env node
// The sabre CLI. Installed, it runs the built dist/cli.js, with no TypeScript loader: tsx is loaded
// only when a schema file is TypeScript (src/schema-loader.ts).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

// In a source checkout (this file's real path is outside node_modules), the CLI runs from src/ through
// tsx, and schema files importing @sabre/* must resolve to src/, never to a possibly stale dist/: run
// again with the `@sabre/source` export condition. An installed package never re-runs.
const checkout = !fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
let main;
if (checkout) {
  if (!process.execArgv.some((a) => a.startsWith('--conditions=@sabre/source'))) {
    // Run again as a child, passing on the signals a supervisor sends this process (a terminal's Ctrl-C
    // reaches both anyway): a `--watch` child must not outlive a `kill -INT` of its parent.
    const again = spawn(process.execPath, ['--conditions=@sabre/source', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => again.kill(signal));
    again.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0))));
    await new Promise(() => {}); // exits with the child
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv.slice(2));
