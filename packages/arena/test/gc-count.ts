// Counting garbage collections, for tests that claim a loop allocates nothing.
import { PerformanceObserver } from 'node:perf_hooks';

const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 50));

/**
 * The fewest garbage collections V8 ran during any of `rounds` runs of `work`. Garbage left by
 * earlier tests in the same worker may be collected inside any one window (it happened in CI), so
 * one round proves nothing; code that allocates per call collects in every round (a million calls
 * × even 16 bytes is several scavenges), so the best round is the honest count.
 */
export async function fewestCollections(work: () => void, rounds = 3): Promise<number> {
  let fewest = Infinity;
  for (let round = 0; round < rounds; round++) {
    await settle();
    let count = 0;
    const observer = new PerformanceObserver((list) => void (count += list.getEntries().length));
    observer.observe({ entryTypes: ['gc'] });
    work();
    await settle(); // entries arrive after the work
    observer.disconnect();
    fewest = Math.min(fewest, count);
  }
  return fewest;
}
