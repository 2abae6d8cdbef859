// Installs the workspace with a pinned pnpm fetched through npx, so the README's commands work on a
// machine that has only Node 20 and npm (corepack is not relied on). Fast when already installed.
import { spawnSync } from 'node:child_process';

export const PNPM = 'pnpm@10.34.9';

const args = ['-y', PNPM, 'install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'];
const result = spawnSync('npx', args, { stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  console.error(`\n✖ installing the workspace failed (npx ${args.join(' ')} exited with ${result.status}).`);
  console.error('  Check your network access to the npm registry, then run the command again.');
  process.exit(result.status ?? 1);
}
