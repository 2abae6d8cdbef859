import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fault-injection.ts', import.meta.url));

describe('fault injection over 1M rows (fault-injection.ts, in its own process)', () => {
  it('every row accounted for once under 12 fault kinds, aborts, throwing sources and callbacks, parse-time timeouts clean, no thread or rejection left, and the process exits by itself', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', script, '--rows', '1000000', '--aborts', '10'], { encoding: 'utf8', timeout: 240_000 });
    expect(stdout).toMatch(/^1,000,000 rows, 35 faults injected \(throw, exit, oom, loop, unsendable, uncaught, code-function, code-symbol, counter-nan, block, exit-while-sending, flaky-getter\), \d+ workers replaced, in [\d.]+ s: 0 lost, 0 duplicated, 0 wrong outcomes$/m);
    expect(stdout).toMatch(/^10 runs aborted at random moments .*: every outcome once, none after abort\(\)$/m);
    expect(stdout).toMatch(/^10 sources that threw after up to 100,000 rows \([\d,]+ rows kept, each with one outcome\) and 5 runs whose onProgress threw: every run failed with its own code, the pool served the next$/m);
    expect(stdout).toMatch(/^1,000,000 quoted CSV rows in 8 MiB chunks under a 100 ms timeout: 0 rows blamed for parse time$/m);
    expect(stdout).toMatch(/^after close: 0 threads left, 0 unhandled rejections$/m);
  }, 300_000);
});
