/**
 * Prints the README's benchmark tables from results/summary.json, so every figure in the README comes
 * from one `npm run bench` run: `tsx benchmarks/readme-table.ts` and paste (or compare).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, fmtNs, fmtRatio, type Row } from './lib/suite.js';

interface Summary { machine: string; rows: Row[]; facts: { suite: string; name: string; value: number; unit: string }[] }
const d = JSON.parse(readFileSync(join(RESULTS, 'summary.json'), 'utf8')) as Summary;
const fact = (key: string): number => {
  const f = d.facts.find((x) => `${x.suite}: ${x.name}` === key);
  if (f === undefined) throw new Error(`no fact "${key}" in summary.json: run npm run bench first`);
  return f.value;
};
const row = (suiteStart: string, name: string): Row => {
  const r = d.rows.find((x) => x.suite.startsWith(suiteStart) && x.name === name);
  if (r === undefined) throw new Error(`no row "${suiteStart}…" / "${name}" in summary.json`);
  return r;
};
const other = (suiteStart: string): Row => {
  const r = d.rows.find((x) => x.suite.startsWith(suiteStart) && x.name !== x.baseline && !x.name.startsWith('building'));
  if (r === undefined) throw new Error(`no sabre row for "${suiteStart}…"`);
  return r;
};
const rr = (r: Row) => `**${fmtRatio(r.ratio)}** (${fmtRatio(r.ratioMin)}–${fmtRatio(r.ratioMax)})`;
const g = 'Give a 1M-entry structure to a worker: ';
const out: string[] = [];
const give = row('Give', 'share the SharedArrayBuffer + Arena.open');
out.push(`Measured on ${d.machine}, ${give.rounds} rounds per suite, all in one run (\`benchmarks/results/summary.md\`).`);
out.push(`Lower ratios are better; "${fmtRatio(give.ratio)}" means ${Math.round(1 / give.ratio).toLocaleString('en-US')} times less time.`, '');
out.push('| question (1M entries unless said) | sabre | baseline | ratio: median (range) |', '|---|---:|---:|---:|');
out.push(`| give the structure to a worker: post → worker has read an entry → reply | ${fmtNs(give.ns)} | structured clone of a \`Map\`: ${fmtNs(row('Give', 'structured clone of a Map').ns)} | ${rr(give)} |`);
out.push(`| … main thread blocked in \`postMessage\` | ${fact(`${g}SharedArrayBuffer + Arena.open: main thread blocked`).toFixed(2)} ms | ${fact(`${g}structured clone of a Map: main thread blocked`).toFixed(0)} ms | |`);
out.push(`| … worker heap growth | ${fact(`${g}SharedArrayBuffer + Arena.open: worker heap growth`).toFixed(1)} MB | ${fact(`${g}structured clone of a Map: worker heap growth`).toFixed(1)} MB | |`);
out.push(`| … \`Arena.open\` + first read, inside the worker | ${fact(`${g}SharedArrayBuffer + Arena.open: in the worker, Arena.open + first read`).toFixed(2)} ms | | |`);
const cmp = row('Compare', 'sabre hashChars + StringPool.equals');
out.push(`| compare a fresh query string with a stored key (200k keys) | \`hashChars\` + \`equals\`: ${fmtNs(cmp.ns)} | \`encodeInto\` + FNV-1a + byte compare: ${fmtNs(row('Compare', cmp.baseline).ns)} | ${rr(cmp)} |`);
const cached = row('Decode', 'StringPool.decode (cached per worker)');
const uncached = row('Decode', 'StringPool.decodeUncached');
const td = row('Decode', 'TextDecoder.decode (UTF-8, SAB view)');
out.push(`| decode a stored string, per-worker cache warm | ${fmtNs(cached.ns)} | decode every time: ${fmtNs(uncached.ns)} | ${rr(cached)} |`);
out.push(`| decode a stored string, uncached | ${fmtNs(uncached.ns)} | \`TextDecoder\` on a SAB view: ${fmtNs(td.ns)} | ${fmtRatio(1 / td.ratio)} (${fmtRatio(1 / td.ratioMax)}–${fmtRatio(1 / td.ratioMin)}) |`);
const scan = row('Scan', 'sabre table, for…of (reused cursor)');
out.push(`| scan a table reading 4 fields per row (\`for…of\`, generated getters) | ${scan.ns.toFixed(1)} ns/row | array of plain JS objects: ${row('Scan', scan.baseline).ns.toFixed(1)} ns/row | ${rr(scan)} |`);
const fe = row('Scan', 'sabre table, forEach');
out.push(`| the same scan with \`forEach\` | ${fe.ns.toFixed(1)} ns/row | | ${rr(fe)} |`);
const rg = row('Range lookup', 'sabre RangesView.find');
out.push(`| range lookup, 412k IPv4-like u32 ranges | ${fmtNs(rg.ns)} | binary search over typed arrays: ${fmtNs(row('Range lookup', rg.baseline).ns)} | ${rr(rg)} |`);
const te = other('Trie exact lookup');
const tl = row('Trie longest-prefix match', 'sabre TrieView.longestPrefix');
const tp = other('Count keys under a prefix');
const tn = (name: string) => { const f = d.facts.find((x) => x.suite.startsWith('trie, ') && x.name === name); if (f === undefined) throw new Error(`no trie fact ${name}`); return f.value; };
const trieSize = d.facts.find((x) => x.suite.startsWith('trie, '))?.suite.slice(6) ?? '';
out.push(`| trie exact lookup (${trieSize}) | ${fmtNs(te.ns)} | object trie (a \`Map\` per node): ${fmtNs(row('Trie exact lookup', te.baseline).ns)} | ${rr(te)} |`);
out.push(`| trie longest-prefix match (${trieSize}) | ${fmtNs(tl.ns)} (${tn('longest-prefix match ÷ a hash hit').toFixed(2)}× a sabre hash hit) | object trie: ${fmtNs(row('Trie longest-prefix match', tl.baseline).ns)} | ${rr(tl)} |`);
out.push(`| count keys under a prefix (${trieSize}) | ${fmtNs(tp.ns)} | object trie with counts in its nodes: ${fmtNs(row('Count keys under a prefix', tp.baseline).ns)} | ${rr(tp)} |`);
out.push(`| trie memory (${trieSize}) | ${tn('sabre trie (keys and values included)').toFixed(1)} B/key | object trie: ${tn('object trie').toFixed(1)} B/key | ${fmtRatio(tn('sabre trie (keys and values included)') / tn('object trie'))} |`, '');
out.push('**Hash map vs `Map`** (keys like `user-q/1a2b`, 50k random lookups per sample):', '');
out.push('| lookup | 100k keys: sabre / `Map` | ratio | 1M keys: sabre / `Map` | ratio |', '|---|---:|---:|---:|---:|');
const sizes = ['100k keys', '1M keys'];
for (const [label, prefix] of [['string hits, reused query strings (`Map` has their hash cached)', 'String hits, reused query strings'], ['string misses', 'String misses'], ['integer hits', 'Integer hits']] as const) {
  out.push(`| ${label} | ${sizes.map((n) => { const s = other(`${prefix} (${n})`); return `${fmtNs(s.ns)} / ${fmtNs(row(`${prefix} (${n})`, 'Map.get').ns)} | ${rr(s)}`; }).join(' | ')} |`);
}
const hm = (n: string, name: string) => fact(`hash map, ${n}: ${name}`);
out.push(`| string hits, fresh query strings (net of building them) | ${sizes.map((n) => `${hm(n, 'fresh hits, net of building the strings: sabre').toFixed(0)} ns / ${hm(n, 'fresh hits, net of building the strings: Map.get').toFixed(0)} ns | **${fmtRatio(hm(n, 'fresh hits, net of building the strings: sabre') / hm(n, 'fresh hits, net of building the strings: Map.get'))}**`).join(' | ')} |`);
out.push(`| memory, string keys (sabre includes the keys; \`Map\` charged for its key strings) | ${sizes.map((n) => `${hm(n, 'sabre hash map (keys included)').toFixed(1)} / ${hm(n, 'Map memory including its key strings').toFixed(1)} B/key | ${fmtRatio(hm(n, 'sabre hash map (keys included)') / hm(n, 'Map memory including its key strings'))}`).join(' | ')} |`);
out.push(`| memory, integer keys | ${sizes.map((n) => `${hm(n, 'sabre integer hash map').toFixed(1)} / ${hm(n, 'Map<number, number> memory').toFixed(1)} B/key | ${fmtRatio(hm(n, 'sabre integer hash map') / hm(n, 'Map<number, number> memory'))}`).join(' | ')} |`);
out.push(`| build | ${sizes.map((n) => `${hm(n, 'sabre hash map build').toFixed(1)} / ${hm(n, 'Map build').toFixed(1)} µs/key | ${fmtRatio(hm(n, 'sabre hash map build') / hm(n, 'Map build'))}`).join(' | ')} |`);
console.log(out.join('\n'));
