import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('examples/classifier/hot-swap.ts', () => {
  it('a rule file replaced during a run: later batches run on the new rules, and every visit matches the version its batch reports', async () => {
    const script = fileURLToPath(new URL('./hot-swap.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', script, '600000'], { encoding: 'utf8', timeout: 60_000 });
    expect(stdout).toMatch(/new rule file saved after [\d,]+ visits\nrules version 2 in force\n/);
    const counts = [...stdout.matchAll(/version (\d): ([\d,]+) visits, ([\d,]+) classified by the new rule/g)].map((m) => [Number(m[1]), Number(m[2]!.replaceAll(',', '')), Number(m[3]!.replaceAll(',', ''))]);
    expect(counts.map(([v]) => v)).toEqual([1, 2]);
    expect(counts[0]![2]).toBe(0);
    expect(counts[1]![2]).toBeGreaterThan(0);
    expect(counts[0]![1] + counts[1]![1]).toBe(600_000);
    expect(stdout).toContain('every visit was classified by the rules its batch reports');
  }, 120_000);
});
