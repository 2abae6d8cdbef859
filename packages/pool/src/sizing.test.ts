import { describe, expect, it } from 'vitest';
import type { Batch } from './batch.js';
import type { DoneMessage } from './protocol.js';
import { BatchSizer, unlearned } from './sizing.js';

const limits = { workers: 2, batchMs: 50, batchRows: undefined };
const file = { chunkBytes: null, bytesTotal: undefined, bytesRead: 0 };
const chunkOf = (bytes: number) => ({ kind: 'chunk', from: 0, to: -1, chunk: { bytes: new Uint8Array(bytes) } }) as unknown as Batch;
const done = (n: number, nanos: number, out: number) => ({ n, nanos, bytes: new Uint8Array(out) }) as unknown as DoneMessage;

describe('BatchSizer: what a run learns, the next run of its pool starts from', () => {
  it('a first run starts small; a later run sharing its costs starts at the learned size and slab', () => {
    const learned = unlearned();
    const first = new BatchSizer(limits, learned);
    expect(first.next({ length: undefined, file }).bytes).toBe(64 << 10);
    // 1 MiB in 25 ms (25 ns a byte), writing a quarter of its input: 50 ms batches are 2 MiB.
    first.learn(chunkOf(1 << 20), done(10_000, 25e6, 1 << 18));
    expect(first.next({ length: undefined, file }).bytes).toBe(2 << 20);
    const later = new BatchSizer(limits, learned);
    expect(later.next({ length: undefined, file }).bytes).toBe(2 << 20);
    expect(later.slabBytes(chunkOf(2 << 20))).toBe(Math.round(0.25 * (2 << 20) * 1.5));
    // A sizer of its own (no shared costs) knows nothing.
    expect(new BatchSizer(limits).next({ length: undefined, file }).bytes).toBe(64 << 10);
  });

  it("a file's last chunks shrink so no worker idles, unless other runs of the pool are going to fill the gap", () => {
    const learned = unlearned();
    const sizer = new BatchSizer(limits, learned);
    sizer.learn(chunkOf(1 << 20), done(10_000, 25e6, 1 << 18));
    const tail = { chunkBytes: null, bytesTotal: 8 << 20, bytesRead: 7 << 20 };
    expect(sizer.next({ length: undefined, file: tail }).bytes).toBe((1 << 20) / 4);
    expect(new BatchSizer({ ...limits, activeRuns: 1 }, learned).next({ length: undefined, file: tail }).bytes).toBe((1 << 20) / 4);
    expect(new BatchSizer({ ...limits, activeRuns: 4 }, learned).next({ length: undefined, file: tail }).bytes).toBe(2 << 20);
  });
});
