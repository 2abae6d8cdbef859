import { afterAll, describe, expect, it } from 'vitest';
import { ArenaBuilder } from '@sabre/arena/build';
import type { Arena } from '@sabre/arena';
import { nextMessage, tsWorker } from './workers.js';

interface Report { sum: number; strings: string[]; attachMs: number; heapGrowth: number }

const LAYOUT = 0x5ab7e_0001n;

function build(rows: number): { arena: Arena; sum: number; probe: number[]; probeText: string[] } {
  const b = new ArenaBuilder({ layoutHash: LAYOUT });
  const probeText = ['Zürich', '東京', 'a\uD800b', `city-${rows - 1}`];
  const probe = probeText.map((s) => b.intern(s));
  const w = b.section('rows');
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = Math.imul(i, 2654435761) >>> 0;
    w.u32(v);
    sum = (sum + v) | 0;
  }
  w.end();
  return { arena: b.finish(), sum, probe, probeText };
}

describe('a worker opens the arena the main thread built', () => {
  const worker = tsWorker(new URL('./fixtures/reader.worker.ts', import.meta.url));
  afterAll(() => worker.terminate());

  it('reads the same values from the same memory, and its heap does not grow with the arena', async () => {
    const reports: Report[] = [];
    for (const rows of [1_000, 16_000_000]) {
      const { arena, sum, probe, probeText } = build(rows);
      worker.postMessage({ buffer: arena.buffer, layoutHash: LAYOUT, probe });
      const r = await nextMessage<Report>(worker);
      expect(r.sum).toBe(sum);
      expect(r.strings).toEqual(probeText);
      reports.push(r);
    }
    const [small, large] = reports as [Report, Report];
    // 16M rows = 64 MB of arena; a copy would grow the worker's heap by at least that much. What does
    // grow (JIT-compiling the read loop, a few small objects) stays within ~1-2 MB, so allow 4 MB:
    // a sixteenth of the arena, far from any copy, and loose enough not to trip on GC timing.
    const MB = 1024 * 1024;
    expect(large.heapGrowth).toBeLessThan(4 * MB);
    expect(large.heapGrowth - small.heapGrowth).toBeLessThan(4 * MB);
  });

  it('reads the main thread\'s memory in place, not a copy', async () => {
    const { arena } = build(1_000);
    worker.postMessage({ buffer: arena.buffer, layoutHash: LAYOUT, probe: [] });
    await nextMessage<Report>(worker);
    const rows = arena.section('rows');
    // Only a test writes into a frozen arena: it proves the worker sees these very bytes.
    rows.view.setUint32(40, 0xcafe_f00d, true);
    worker.postMessage({ peek: 40 });
    expect(await nextMessage<number>(worker)).toBe(0xcafe_f00d);
  });

  it('a layout mismatch in the worker is an ArenaError with expected and got', async () => {
    const { arena } = build(10);
    worker.postMessage({ buffer: arena.buffer, layoutHash: 1n, probe: [] });
    await expect(nextMessage(worker)).rejects.toMatchObject({ code: 'ARENA_LAYOUT_MISMATCH', expected: '0x0000000000000001' });
  });
});

describe('browser conditions', () => {
  it('builds and decodes strings with no Buffer and a TextDecoder that refuses shared memory', async () => {
    const input = ['plain', 'Zürich', '東京', '🦀 crab', 'lone \uDC00 surrogate', 'x'.repeat(50_000), ''];
    const worker = tsWorker(new URL('./fixtures/browser.worker.ts', import.meta.url), input);
    try {
      const r = await nextMessage<{ out: string[]; hadBuffer: boolean }>(worker);
      expect(r.hadBuffer).toBe(false);
      expect(r.out).toEqual(input);
    } finally {
      await worker.terminate();
    }
  });
});
