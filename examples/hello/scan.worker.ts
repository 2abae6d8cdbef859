// Counts rows per label over [from, to) of the "rules" section, reading the arena in place, or does
// the same over a structured-cloned Map (the way people share data with workers today).
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { Arena } from '@sabre/arena';
import { LAYOUT, ROW_BYTES } from './layout.js';

type Job =
  | { kind: 'arena'; buffer: SharedArrayBuffer; from: number; to: number }
  | { kind: 'map'; map: Map<string, { label: string; weight: number }> }
  | { kind: 'ping' };

const port = parentPort;
if (port === null) throw new Error('scan.worker.ts must run in a worker thread');
let idleHeap = 0;
let keep: unknown;

port.on('message', (job: Job) => {
  if (job.kind === 'ping') {
    idleHeap = getHeapStatistics().used_heap_size;
    port.postMessage('pong');
    return;
  }
  const t0 = performance.now();
  const counts: Record<string, number> = {};
  let weight = 0;
  let attachMs = 0;
  if (job.kind === 'arena') {
    const arena = Arena.open(job.buffer, { layoutHash: LAYOUT });
    const rules = arena.section('rules').view;
    attachMs = performance.now() - t0;
    const byLabel = new Float64Array(arena.strings.count);
    for (let r = job.from; r < job.to; r++) {
      byLabel[rules.getUint32(r * ROW_BYTES + 4, true)]++;
      weight += rules.getFloat64(r * ROW_BYTES + 8, true);
    }
    byLabel.forEach((n, id) => n > 0 && (counts[arena.strings.decode(id)] = n));
    keep = arena;
  } else {
    for (const { label, weight: w } of job.map.values()) {
      counts[label] = (counts[label] ?? 0) + 1;
      weight += w;
    }
    keep = job.map;
  }
  const heapGrowth = getHeapStatistics().used_heap_size - idleHeap;
  port.postMessage({ counts, weight, attachMs, scanMs: performance.now() - t0, heapGrowth, kept: keep !== undefined });
});
