import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

describe('examples/geo', () => {
  it('builds an arena from the schema and reads it in a worker, printing what main.ts says it prints', () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=@sabre/source', join(here, 'main.ts')], { encoding: 'utf8' });
    const promised = /console\.log\(answer\); \/\/ (.+)$/m.exec(readFileSync(join(here, 'main.ts'), 'utf8'))?.[1];
    expect(promised).toBeDefined();
    expect(out.trim()).toBe(promised);
  });
});
