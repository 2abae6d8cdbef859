import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOnce } from '../../../scripts/build-once.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));

describe('the built package', () => {
  it('after `tsc -b`, plain Node runs a .js task module (no tsx, no source condition)', () => {
    buildOnce(pkg);
    const script = `
      import { createPool } from '@sabre/pool';
      const pool = createPool({ task: new URL('./test/fixtures/cube.task.mjs', 'file://${pkg}'), workers: 2 });
      const out = await pool.map([1, 2, 3]);
      await pool.close();
      console.log(JSON.stringify(out));`;
    let out: string;
    try {
      out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '' } });
    } catch (e) {
      throw new Error(`the built package failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
    }
    expect(out.trim()).toBe('[1,8,27]');
  });
});
