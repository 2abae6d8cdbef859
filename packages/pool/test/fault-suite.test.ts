import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fault-injection.ts', import.meta.url));

describe('fault injection over 1M rows (fault-injection.ts, in its own process)', () => {
  it('every row accounted for once, aborts clean, no thread or rejection left, and the process exits by itself', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', script, '--rows', '1000000', '--aborts', '10'], { encoding: 'utf8', timeout: 240_000 });
    expect(stdout).toMatch(/^1,000,000 rows, 18 faults injected \(throw, exit, oom, loop, unsendable, uncaught\), \d+ workers replaced, in [\d.]+ s: 0 lost, 0 duplicated, 0 wrong outcomes$/m);
    expect(stdout).toMatch(/^10 runs aborted at random moments .*: every outcome once, none after abort\(\)$/m);
    expect(stdout).toMatch(/^after close: 0 threads left, 0 unhandled rejections$/m);
  }, 300_000);
});
