// Address space and growth. A 232-byte build used to reserve ~10.5 GB of address space (growable
// buffers sized for their 4 GiB maximum), so under `ulimit -v 8G` it failed with a raw RangeError.
// Builders now reserve in proportion to what they hold and move to a larger buffer when full; these
// tests check that nothing is lost when they move, and run real builds under a small `ulimit -v`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ArenaReader } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { build, s } from '@sabre/schema';

const dir = mkdtempSync(join(tmpdir(), 'sabre-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('builders that grow by moving', () => {
  it('vectors of structs holding vectors round-trip while the heap moves under them', () => {
    const Tag = s.struct('Tag', { name: s.str(), weights: s.vector(s.u32()) });
    const Doc = s.struct('Doc', { id: s.u32(), tags: s.vector(Tag), scores: s.vector(s.f64()) });
    const Corpus = s.arena('Corpus', { docs: s.table(Doc) });
    // Each doc's heap bytes outgrow the 4 KiB first heap many times over, mid-element.
    const docs = Array.from({ length: 300 }, (_, i) => ({
      id: i,
      tags: Array.from({ length: 1 + (i % 7) }, (_, t) => ({ name: `tag-${i}-${t}`, weights: Array.from({ length: (i * 13 + t * 29) % 200 }, (_, w) => (i * 1000 + t * 100 + w) >>> 0) })),
      scores: Array.from({ length: i % 50 }, (_, k) => k / 7),
    }));
    const reader = ArenaReader.open(build(Corpus, { docs }).buffer);
    const back = reader.table('docs').toJSON();
    expect(back).toEqual(docs);
  });

  it('an arena past the builder\'s first 64 MiB window keeps every byte, including values written as it moves', () => {
    const b = new ArenaBuilder();
    const w = b.section('big');
    const chunk = new Uint8Array(1 << 20);
    for (let i = 0; i < 63; i++) w.bytes(chunk.fill(i + 1));
    // Scalars straddling the move from the 64 MiB window to the next.
    for (let i = 0; i < 400_000; i++) w.u32(i);
    w.end();
    const arena = b.finish().verify();
    const bytes = arena.section('big').bytes;
    for (let i = 0; i < 63; i++) expect([bytes[i << 20], bytes[(i << 20) + 12345]]).toEqual([i + 1, i + 1]);
    const tail = arena.section('big').view;
    for (let i = 0; i < 400_000; i += 997) expect(tail.getUint32(63 * (1 << 20) + 4 * i, true)).toBe(i);
  });
});

describe('builds under a small address-space limit (ulimit -v, in a child process)', () => {
  const probe = join(dir, 'probe.mjs');

  it('a small schema build succeeds in 3 GB of address space, and an allocation past it names the fix', async () => {
    await bundle({ entryPoints: [fileURLToPath(new URL('./fixtures/small-build.probe.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'node', outfile: probe, logLevel: 'silent', conditions: ['@sabre/source'] });
    const out = execFileSync('bash', ['-c', `ulimit -v 3000000 && exec "${process.execPath}" "${probe}"`], { encoding: 'utf8' });
    const [built, failed] = out.trim().split('\n');
    expect(built).toMatch(/^built \d+$/);
    expect(failed).toMatch(/^ARENA_OUT_OF_MEMORY .*could not allocate \d+ bytes for the arena being built.*ulimit -v/);
  });
});
