import { readdirSync } from 'node:fs';
import { createPool } from '@sabre/pool';
import type { PoolOptions } from '@sabre/pool';
import type square from './fixtures/square.task.ts';

export const SQUARE = new URL('./fixtures/square.task.ts', import.meta.url);
export const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** A pool of the squaring fixture; `seen` counts rows the task ran. */
export function squarePool(options: Partial<PoolOptions<typeof square>> = {}) {
  return createPool<typeof square>({ task: SQUARE, workers: 2, counters: ['seen'], ...options });
}

/** Asserts nothing: collects each index's outcome count, for exactly-once checks. */
export function tally(indices: Iterable<number>, n: number): { missing: number[]; twice: number[] } {
  const seen = new Uint8Array(n);
  const twice: number[] = [];
  for (const i of indices) {
    if (seen[i] === 1) twice.push(i);
    seen[i] = 1;
  }
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (seen[i] === 0) missing.push(i);
  return { missing, twice };
}

/** OS threads in this process (Linux): a pool that closed cleanly leaves this where it was. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** The thread count once it has fallen to `target` or 2 s have passed: an exited worker's OS thread can lag its 'exit' event. */
export async function threadsAfterSettling(target: number): Promise<number> {
  for (let waited = 0; threadCount() > target && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return threadCount();
}
