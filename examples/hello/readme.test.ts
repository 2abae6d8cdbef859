import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

interface Block {
  /** The repository file the block quotes (```ts path), or undefined for a block run on its own. */
  file: string | undefined;
  code: string;
}

/** The ```ts blocks of the README, in order. */
function tsBlocks(): Block[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  // A fence closes only at the start of a line: generated code's doc comments hold " * ```" lines.
  return [...readme.matchAll(/^```ts( [^\n]+)?\n([\s\S]*?)^```$/gm)].map((m) => ({ file: m[1]?.trim(), code: m[2] as string }));
}

describe('README', () => {
  it('has TypeScript examples of both kinds', () => {
    expect(tsBlocks().filter((b) => b.file === undefined).length).toBeGreaterThan(0);
    expect(tsBlocks().filter((b) => b.file !== undefined).length).toBeGreaterThan(0);
  });

  it('every block that names a file is that file, word for word (files run by their own tests)', () => {
    for (const { file, code } of tsBlocks()) {
      if (file === undefined) continue;
      const [path, excerpt] = file.split(/\s+/, 2);
      const text = readFileSync(join(root, path as string), 'utf8');
      if (excerpt === '(excerpt)') expect(text, path).toContain(code);
      else expect(code, path).toBe(text);
    }
  });

  it('every other TypeScript block runs and prints what its comments say', () => {
    for (const [i, { file, code: block }] of tsBlocks().entries()) {
      if (file !== undefined) continue;
      // Placed under examples/hello so @sabre/* resolves as in a user's project; run from a scratch dir.
      const scratch = join(here, '.data', `readme-block-${i}.ts`);
      mkdirSync(dirname(scratch), { recursive: true });
      writeFileSync(scratch, block);
      const cwd = mkdtempSync(join(tmpdir(), 'sabre-readme-'));
      try {
        const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=@sabre/source', scratch], { cwd, encoding: 'utf8' });
        // Each `console.log(...); // expected` comment in the block is the expected output line.
        const expected = [...block.matchAll(/console\.log\(.*\); \/\/ (.+?)(?::.*)?$/gm)].map((m) => m[1]?.trim());
        expect(out.trim().split('\n')).toEqual(expected);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }
  });
});
