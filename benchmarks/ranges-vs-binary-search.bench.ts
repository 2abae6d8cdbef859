/**
 * Question: how fast is a range lookup (IP → ASN style) in sabre's range table?
 * Baseline: binary search over sorted typed arrays of starts and ends (what one writes by hand).
 * Data: 412k non-overlapping u32 ranges (the size of an IPv4 → ASN table), twice: evenly spread with
 * random u32 queries, and clustered with Zipf-distributed sizes and traffic-weighted queries
 * (lib/realistic.ts), and in dense runs of adjacent blocks, where most directory buckets are empty and
 * the rest hold a hundred ranges or more (sub-directories split those).
 */
import { RangesView } from '@sabre/arena';
import { ArenaBuilder, writeRanges, type RangeEntry } from '@sabre/arena/build';
import { clusteredRanges, crowdedRanges } from './lib/realistic.js';
import { isMain, suite, type Row } from './lib/suite.js';

export async function run(): Promise<{ rows: Row[] }> {
  const n = 412_000;
  const entries: RangeEntry[] = [];
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  const values = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += 1 + ((i * 7919) % 9000); // gaps: about half of all addresses fall in no range
    const end = at + ((i * 104_729) % 1000);
    entries.push({ start: at, end, value: i });
    starts[i] = at;
    ends[i] = end;
    values[i] = i;
    at = end + 1;
  }
  const b = new ArenaBuilder();
  writeRanges(b, 'asn', entries);
  const table = new RangesView(b.finish().section('asn'));
  const Q = 100_000;
  const queries = new Uint32Array(Q).map((_, i) => Math.imul(i + 1, 2_654_435_761) % (at + 1));

  const binary = (x: number): number => {
    let lo = 0;
    let hi = n - 1;
    if (x < (starts[0] as number)) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return x <= (ends[lo] as number) ? (values[lo] as number) : -1;
  };
  let expected = 0;
  for (const x of queries) expected += binary(x);
  let sink = 0;
  const check = (sum: number, who: string) => {
    if (sum !== expected) throw new Error(`${who}: checksum ${sum} differs from ${expected}`);
    sink += sum;
  };
  const rows = await suite(`Range lookup, ${n.toLocaleString('en-US')} u32 ranges`, 'ranges-vs-binary-search', 'binary search over typed arrays', Q, [
    { name: 'binary search over typed arrays', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += binary(queries[q] as number); check(s, 'binary'); } },
    { name: 'sabre RangesView.find', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += table.find(queries[q] as number); check(s, 'sabre'); } },
  ]);

  // The same question on clustered, Zipf-sized ranges, and on dense runs that crowd a few buckets.
  for (const [label, file, c] of [
    ['clustered u32 ranges with Zipf sizes', 'ranges-clustered', clusteredRanges(n, Q)],
    ['u32 ranges in dense runs (~100+ per directory bucket)', 'ranges-crowded', crowdedRanges(n, Q)],
  ] as const) {
    const cb = new ArenaBuilder();
    writeRanges(cb, 'asn', Array.from(c.starts, (start, i) => ({ start, end: c.ends[i] as number, value: i })));
    const skewed = new RangesView(cb.finish().section('asn'));
    const binaryIn = (x: number): number => {
      let lo = 0;
      let hi = n - 1;
      if (x < (c.starts[0] as number)) return -1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if ((c.starts[mid] as number) <= x) lo = mid;
        else hi = mid - 1;
      }
      return x <= (c.ends[lo] as number) ? lo : -1;
    };
    let want = 0;
    for (const x of c.queries) want += binaryIn(x);
    const checkC = (sum: number, who: string) => {
      if (sum !== want) throw new Error(`${who} (${file}): checksum ${sum} differs from ${want}`);
    };
    rows.push(...(await suite(`Range lookup, ${n.toLocaleString('en-US')} ${label}`, file, 'binary search over typed arrays', Q, [
      { name: 'binary search over typed arrays', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += binaryIn(c.queries[q] as number); checkC(s, 'binary'); } },
      { name: 'sabre RangesView.find', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += skewed.find(c.queries[q] as number); checkC(s, 'sabre'); } },
    ])));
  }
  if (sink === 0.5) console.log('');
  return { rows };
}

if (isMain(import.meta.url)) await run();
