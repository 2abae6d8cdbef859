// `tsc -b` for tests that check the built packages. Test files run in parallel, and two `tsc -b` runs
// writing the same dist/ at once let one of them import half-written files: a lock directory makes
// them take turns (a stale lock, from a process killed mid-build, is taken over after a minute).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lock = `${root}node_modules/.sabre-build-lock`;

/** Builds the given tsconfig project paths (and their references), one build at a time across processes. */
export function buildOnce(...projects) {
  for (const start = Date.now(); ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() - start > 240_000) throw new Error(`waited 4 minutes for ${lock}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', ...projects], { stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
