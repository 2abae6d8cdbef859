import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

describe('the built package', () => {
  it('after `tsc -b`, plain Node runs a .js task module (no tsx, no source condition)', () => {
    execFileSync(process.execPath, [tsc, '-b', pkg], { stdio: 'pipe' });
    const script = `
      import { createPool } from '@sabre/pool';
      const pool = createPool({ task: new URL('./test/fixtures/cube.task.mjs', 'file://${pkg}'), workers: 2 });
      const out = await pool.map([1, 2, 3]);
      await pool.close();
      console.log(JSON.stringify(out));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(out.trim()).toBe('[1,8,27]');
  });
});
