import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the demo; a failed run throws with everything it printed (execFileSync's error hides stderr). */
function demo(args: string[]): string {
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the demo exited with ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}
const data = mkdtempSync(join(tmpdir(), 'sabre-classifier-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('the seed job (examples/classifier)', () => {
  it('classifies generated visits on 2 workers, names the planted malformed lines, and matches the same task in one thread and the csv-parse baseline', () => {
    const args = ['--conditions=@sabre/source', '--import', 'tsx', main, '--visits', '260000', '--keywords', '20000', '--workers', '2', '--data', data];
    const out = demo(args);
    expect(out).toMatch(/Generated .* of visits/);
    expect(out).toContain('4 of its lines are malformed on purpose (short rows and bad IPs, lines 1001, 1008, 251001, 251008), to show how failures are reported');
    expect(out).toMatch(/Built and saved classifier arena: .* \(.*rules-[0-9a-f]{16}\.sabre\)/);
    expect(out).toMatch(/2 workers attached in/);
    expect(out).toMatch(/Classified 260,000 visits in/);
    // Line 1001 has too few fields and line 1008 an IP that is not one (see data.ts: malformedLines).
    expect(out).toContain('malformed input at row 999 (line 1001)');
    expect(out).toContain('the task threw for row 1006 (line 1008): Error: not an IPv4 address: "300.1.2.3"');
    expect(out).toMatch(/failed: 4 \(the planted lines\)/);
    expect(out).toMatch(/speed ÷ one thread \(same task\)\s+\d+\.\d\d×\s+1×\s+\d+\.\d\d×/);
    expect(out).toMatch(/results\s+results\.csv\s+identical ✔\s+identical ✔ \(4 failed rows\)/);
    // The second run loads the saved arena instead of building it again.
    const again = demo([...args, '--no-baseline']);
    expect(again).toMatch(/Reusing .* of visits/);
    expect(again).toMatch(/Loaded the saved classifier arena/);
    expect(again).toMatch(/results\s+results\.csv\s+identical ✔/);
    const results = readFileSync(join(data, '260000-visits-20000-keywords', 'results.csv'), 'utf8').split('\n');
    expect(results[0]).toBe('id,topic,section,network');
    expect(results.length).toBe(1 + 260_000 - 4 + 1);
    // Input order, every id once.
    expect(results[1]!.split(',')[0]).toBe('0');
    expect(results.at(-2)!.split(',')[0]).toBe('259999');
    // A saved arena that is refused (here: damaged) is rebuilt, not fatal.
    const dir = join(data, '260000-visits-20000-keywords');
    const saved = join(dir, readdirSync(dir).find((f) => /^rules-[0-9a-f]{16}\.sabre$/.test(f))!);
    const bytes = readFileSync(saved);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(saved, bytes);
    const third = spawnSync(process.execPath, [...args, '--no-baseline'], { encoding: 'utf8' });
    expect(third.status).toBe(0);
    expect(third.stderr).toContain('rebuilding the rules arena: the saved one was refused (ARENA_CHECKSUM_MISMATCH)');
    expect(third.stdout).toMatch(/Built and saved classifier arena/);
    expect(third.stdout).toMatch(/results\s+results\.csv\s+identical ✔/);
    // ~12 s alone here; the timeout leaves room for a loaded machine.
  }, 300_000);

  it('rejects a bad argument with a message', () => {
    expect(() => execFileSync(process.execPath, ['--conditions=@sabre/source', '--import', 'tsx', main, '--visits', 'lots'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/--visits must be an integer ≥ 1, got "lots"/);
  });
});
