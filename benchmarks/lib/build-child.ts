/**
 * Builds the lookup arena from parsed CSV, alone in a fresh process, and prints one JSON line: the
 * arena's size and the process's peak RSS before and after the build (build-vs-parse.bench.ts).
 */
import { writeFileSync } from 'node:fs';
import { build } from '@sabre/schema';
import { Lookup } from '../schemas/lookup.schema.js';
import { lookupCsv, parseLookupCsv } from './lookup-csv.js';
import { peakRssMB } from './peak-rss.js';

const p = parseLookupCsv(lookupCsv());
globalThis.gc?.();
// Reset the high-water mark to the current RSS (Linux: "5" to clear_refs), so the peak below is the
// build's own, not the CSV parse's before it.
try {
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  // Not Linux: the peak then includes the parse, and over-states the build.
}
const before = peakRssMB();
const rss = process.memoryUsage().rss / 2 ** 20;
const arena = build(Lookup, {
  blocks: Array.from(p.first, (first, i) => ({ first, last: p.last[i] as number, asn: p.asn[i] as number })),
  suffixes: p.suffix.map((suffix, i) => ({ suffix, label: p.label[i] as number })),
});
console.log(JSON.stringify({ arenaMB: arena.byteLength / 2 ** 20, rssBeforeMB: rss, peakBeforeMB: before, peakAfterMB: peakRssMB() }));
