#!/usr/bin/env node
// The sabre-redis CLI: the built dist/cli.js when installed; in a source checkout, src/ through tsx with
// the @sabre/source condition (so @sabre/* resolve to src/ as in the tests).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

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
