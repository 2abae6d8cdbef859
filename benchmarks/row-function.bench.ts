/**
 * Question: what does a user's row function cost with sabre's public API, on realistic data?
 * Data (lib/realistic.ts): 412k clustered IPv4 blocks with Zipf sizes (→ ASN), 200k hostname rules over
 * a public-suffix mix (→ label); queries weighted like traffic.
 *
 * Three suites, each against the plainest fast code on typed arrays and Maps, in the same run:
 * 1. find-then-field: the ASN of an IP. Baseline: binary search over typed arrays, then asn[j].
 * 2. suffix match: the label of a hostname's longest rule, by whole labels. Baselines: an object trie
 *    walking labels from the right, and a Map of rules probed with each shorter suffix.
 * 3. the row function: both lookups and one output line per row. Baseline: the same code with (1)'s
 *    binary search and (2)'s Map probing.
 * sabre runs each twice: the obvious form (`find(ip)?.asn`, a view per hit) and with a cursor the
 * function owns (`find(ip, block)?.asn`, nothing allocated).
 */
import { build } from '@sabre/schema';
import { clusteredRanges, hostnameRules, hostnames } from './lib/realistic.js';
import { isMain, suite, type Row } from './lib/suite.js';
import type { Fact } from './open-vs-structured-clone.bench.js';
import { Lookup as LookupView } from './schemas/__generated__/lookup.js';
import { Lookup } from './schemas/lookup.schema.js';

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const N = 412_000;
  const Q = 100_000;
  const { starts, ends, queries } = clusteredRanges(N, Q);
  const asn = new Uint32Array(N).map((_, i) => 1000 + (Math.imul(i, 2_654_435_761) >>> 16));
  const rules = hostnameRules(200_000);
  const labelOf = (i: number) => 1 + (i % 60_000);
  const hosts = hostnames(rules, Q);
  const arena = build(Lookup, {
    blocks: Array.from(starts, (first, i) => ({ first, last: ends[i] as number, asn: asn[i] as number })),
    suffixes: rules.map((suffix, i) => ({ suffix, label: labelOf(i) })),
  });
  const view = LookupView.open(arena.buffer);
  // Memory per range, keys included: the rows (first, last, asn) and the index over them, against the
  // three typed arrays of the baseline (12 B).
  const bytesOf = (name: string) => arena.sections.find((s) => s.name === name)!.byteLength;
  const facts: Fact[] = [
    { suite: 'range table (schema), 412k clustered blocks', name: 'bytes per range: rows + index', value: (bytesOf('blocks') + bytesOf('blocks.index')) / N, unit: 'B' },
    { suite: 'range table (schema), 412k clustered blocks', name: 'bytes per range: the index alone', value: bytesOf('blocks.index') / N, unit: 'B' },
  ];

  // Baselines: typed arrays and Maps, written the plain fast way.
  const binaryAsn = (x: number): number => {
    if (x < (starts[0] as number)) return 0;
    let lo = 0;
    let hi = N - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return x <= (ends[lo] as number) ? (asn[lo] as number) : 0;
  };
  const ruleMap = new Map(rules.map((r, i) => [r, labelOf(i)]));
  const mapLabel = (host: string): number => {
    for (let at = 0; at >= 0; ) {
      const hit = ruleMap.get(at === 0 ? host : host.slice(at));
      if (hit !== undefined) return hit;
      const dot = host.indexOf('.', at);
      at = dot < 0 ? -1 : dot + 1;
    }
    return 0;
  };
  interface LabelNode { label: number; next: Map<string, LabelNode> | undefined }
  const root: LabelNode = { label: 0, next: undefined };
  rules.forEach((r, i) => {
    let node = root;
    for (const part of r.split('.').reverse()) {
      node.next ??= new Map();
      let child = node.next.get(part);
      if (child === undefined) node.next.set(part, (child = { label: 0, next: undefined }));
      node = child;
    }
    node.label = labelOf(i);
  });
  const trieLabel = (host: string): number => {
    let node = root;
    let best = 0;
    let end = host.length;
    while (node.next !== undefined && end > 0) {
      const dot = host.lastIndexOf('.', end - 1);
      const child = node.next.get(host.slice(dot + 1, end));
      if (child === undefined) break;
      node = child;
      if (node.label !== 0) best = node.label;
      end = dot;
    }
    return best;
  };

  // sabre: the obvious form, and with cursors.
  const block = view.blocks.cursor();
  const rule = view.suffixes.cursor();
  const sabreAsn = (x: number): number => view.blocks.find(x)?.asn ?? 0;
  const cursorAsn = (x: number): number => view.blocks.find(x, block)?.asn ?? 0;
  const sabreLabel = (host: string): number => view.suffixes.longestSuffix(host)?.label ?? 0;
  const cursorLabel = (host: string): number => view.suffixes.longestSuffix(host, rule)?.label ?? 0;

  let asnSum = 0;
  let labelSum = 0;
  for (let q = 0; q < Q; q++) {
    asnSum += binaryAsn(queries[q] as number);
    labelSum += mapLabel(hosts[q] as string);
  }
  const sumOf = (f: (q: number) => number): number => {
    let s = 0;
    for (let q = 0; q < Q; q++) s += f(q);
    return s;
  };
  for (const [who, a, l] of [['sabre', sabreAsn, sabreLabel], ['cursor', cursorAsn, cursorLabel]] as const) {
    if (sumOf((q) => a(queries[q] as number)) !== asnSum) throw new Error(`${who}: ASNs differ from binary search`);
    if (sumOf((q) => l(hosts[q] as string)) !== labelSum) throw new Error(`${who}: labels differ from the Map`);
  }
  if (sumOf((q) => trieLabel(hosts[q] as string)) !== labelSum) throw new Error('object trie: labels differ from the Map');
  const check = (got: number, want: number, who: string) => {
    if (got !== want) throw new Error(`${who}: checksum ${got}, expected ${want}`);
  };

  const rows: Row[] = [];
  rows.push(...(await suite(`IP → ASN, ${N.toLocaleString('en-US')} clustered blocks with Zipf sizes`, 'find-then-field', 'binary search + asn[j]', Q, [
    { name: 'binary search + asn[j]', fn: () => check(sumOf((q) => binaryAsn(queries[q] as number)), asnSum, 'binary') },
    { name: 'sabre find(ip)?.asn (a view per hit)', fn: () => check(sumOf((q) => sabreAsn(queries[q] as number)), asnSum, 'sabre') },
    { name: 'sabre find(ip, cursor)?.asn', fn: () => check(sumOf((q) => cursorAsn(queries[q] as number)), asnSum, 'cursor') },
  ])));
  rows.push(...(await suite(`Hostname → longest rule by labels, ${rules.length.toLocaleString('en-US')} rules`, 'suffix-match', 'object trie walking labels', Q, [
    { name: 'object trie walking labels', fn: () => check(sumOf((q) => trieLabel(hosts[q] as string)), labelSum, 'object trie') },
    { name: 'Map probed with each shorter suffix', fn: () => check(sumOf((q) => mapLabel(hosts[q] as string)), labelSum, 'Map') },
    { name: "sabre longestSuffix(host) (boundary '.')", fn: () => check(sumOf((q) => sabreLabel(hosts[q] as string)), labelSum, 'sabre') },
    { name: 'sabre longestSuffix(host, cursor)', fn: () => check(sumOf((q) => cursorLabel(hosts[q] as string)), labelSum, 'cursor') },
  ])));
  // The row function: both lookups, one output line, written into a reused byte buffer as the pool's
  // pipeTo writes each row's line into its output slab (one native write per row).
  const out = Buffer.alloc(16 << 20);
  const job = (a: (x: number) => number, l: (h: string) => number) => () => {
    let at = 0;
    for (let q = 0; q < Q; q++) {
      const ip = queries[q] as number;
      const host = hosts[q] as string;
      if (at > out.length - 1024) at = 0;
      at += out.write(`${ip},${a(ip)},${host},${l(host)}\n`, at);
    }
    if (at === 0) throw new Error('no output');
  };
  rows.push(...(await suite('Row function: IP → ASN + hostname → rule + one output line', 'row-function', 'typed arrays + Map', Q, [
    { name: 'typed arrays + Map', fn: job(binaryAsn, mapLabel) },
    { name: 'sabre, a view per hit', fn: job(sabreAsn, sabreLabel) },
    { name: 'sabre, cursors', fn: job(cursorAsn, cursorLabel) },
  ])));
  return { rows, facts };
}

if (isMain(import.meta.url)) await run();
