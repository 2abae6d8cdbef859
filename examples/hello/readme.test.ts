import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** The ```ts blocks of the README, in order. */
function tsBlocks(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('README', () => {
  it('has TypeScript examples', () => {
    expect(tsBlocks().length).toBeGreaterThan(0);
  });

  it('every TypeScript block runs and prints what its comments say', () => {
    for (const [i, block] of tsBlocks().entries()) {
      // Placed under examples/hello so @sabre/* resolves as in a user's project; run from a scratch dir.
      const file = join(here, '.data', `readme-block-${i}.ts`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, block);
      const cwd = mkdtempSync(join(tmpdir(), 'sabre-readme-'));
      try {
        const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=source', file], { cwd, encoding: 'utf8' });
        // Each `console.log(...); // expected` comment in the block is the expected output line.
        const expected = [...block.matchAll(/console\.log\(.*\); \/\/ (.+?)(?::.*)?$/gm)].map((m) => m[1]?.trim());
        expect(out.trim().split('\n')).toEqual(expected);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }
  });
});
