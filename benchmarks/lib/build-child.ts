/**
 * Builds the lookup arena from parsed CSV, alone in a fresh process, and prints one JSON line: the
 * arena's size and the process's peak RSS before and after the build (build-vs-parse.bench.ts).
 */
import { build } from '@sabre/schema';
import { Lookup } from '../schemas/lookup.schema.js';
import { lookupCsv, parseLookupCsv } from './lookup-csv.js';
import { peakRssMB } from './peak-rss.js';

const p = parseLookupCsv(lookupCsv());
globalThis.gc?.();
const before = peakRssMB();
const rss = process.memoryUsage().rss / 2 ** 20;
const arena = build(Lookup, {
  blocks: Array.from(p.first, (first, i) => ({ first, last: p.last[i] as number, asn: p.asn[i] as number })),
  suffixes: p.suffix.map((suffix, i) => ({ suffix, label: p.label[i] as number })),
});
console.log(JSON.stringify({ arenaMB: arena.byteLength / 2 ** 20, rssBeforeMB: rss, peakBeforeMB: before, peakAfterMB: peakRssMB() }));
