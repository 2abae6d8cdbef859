/**
 * One side of the build-memory measurement (build-vs-parse.bench.ts), alone in a fresh process:
 *   parse — read the lookup CSV into typed arrays, nothing else;
 *   build — the same, then build the arena from those arrays (as columns: no object per row).
 * Prints one JSON line with the process's peak RSS and the arena's size. The build's own memory is the
 * difference of the two peaks: RSS measured inside one process moves with when V8 returns freed pages.
 */
import { build, columns } from '@sabre/schema';
import { Lookup } from '../schemas/lookup.schema.js';
import { lookupCsv, parseLookupCsv } from './lookup-csv.js';
import { peakRssMB } from './peak-rss.js';

const mode = process.argv[2] ?? 'build';
const p = parseLookupCsv(lookupCsv());
let arenaMB = 0;
if (mode === 'build') {
  const arena = build(Lookup, {
    blocks: columns({ first: p.first, last: p.last, asn: p.asn }),
    suffixes: columns({ suffix: p.suffix, label: p.label }),
  });
  arenaMB = arena.byteLength / 2 ** 20;
}
console.log(JSON.stringify({ mode, arenaMB, peakMB: peakRssMB(), rows: p.first.length + p.suffix.length }));
