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
const rg = row('Range lookup, 412,000 u32 ranges', 'sabre RangesView.find');
out.push(`| range lookup, 412k evenly spread u32 ranges | ${fmtNs(rg.ns)} | binary search over typed arrays: ${fmtNs(row('Range lookup, 412,000 u32 ranges', rg.baseline).ns)} | ${rr(rg)} |`);
const rc = row('Range lookup, 412,000 clustered', 'sabre RangesView.find');
out.push(`| range lookup, 412k clustered ranges with Zipf sizes, traffic-weighted queries | ${fmtNs(rc.ns)} | binary search over typed arrays: ${fmtNs(row('Range lookup, 412,000 clustered', rc.baseline).ns)} | ${rr(rc)} |`);
const rd = row('Range lookup, 412,000 u32 ranges in dense runs', 'sabre RangesView.find');
out.push(`| range lookup, 412k ranges in dense runs (~100+ per directory bucket) | ${fmtNs(rd.ns)} | binary search over typed arrays: ${fmtNs(row('Range lookup, 412,000 u32 ranges in dense runs', rd.baseline).ns)} | ${rr(rd)} |`);
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
for (const [label, prefix] of [
  ['string hits, reused query strings (`Map` has their hash cached)', 'String hits, reused query strings'],
  ['string misses', 'String misses'],
  ['integer hits, scrambled keys', 'Integer hits, scrambled keys'],
  ['integer hits, consecutive keys 0..n-1', 'Integer hits, consecutive keys'],
  ['integer hits, keys strided by 4096', 'Integer hits, strided by 4096 keys'],
] as const) {
  out.push(`| ${label} | ${sizes.map((n) => { const s = other(`${prefix} (${n})`); return `${fmtNs(s.ns)} / ${fmtNs(row(`${prefix} (${n})`, 'Map.get').ns)} | ${rr(s)}`; }).join(' | ')} |`);
}
const hm = (n: string, name: string) => fact(`hash map, ${n}: ${name}`);
out.push(`| string hits, fresh query strings (net of building them) | ${sizes.map((n) => `${hm(n, 'fresh hits, net of building the strings: sabre').toFixed(0)} ns / ${hm(n, 'fresh hits, net of building the strings: Map.get').toFixed(0)} ns | **${fmtRatio(hm(n, 'fresh hits, net of building the strings: sabre') / hm(n, 'fresh hits, net of building the strings: Map.get'))}**`).join(' | ')} |`);
out.push(`| memory, string keys (sabre includes the keys; \`Map\` charged for its key strings) | ${sizes.map((n) => `${hm(n, 'sabre hash map (keys included)').toFixed(1)} / ${hm(n, 'Map memory including its key strings').toFixed(1)} B/key | ${fmtRatio(hm(n, 'sabre hash map (keys included)') / hm(n, 'Map memory including its key strings'))}`).join(' | ')} |`);
const intMap = 'sabre integer hash map (keys < 2^32: 8-byte slots)';
out.push(`| memory, integer keys below 2^32 | ${sizes.map((n) => `${hm(n, intMap).toFixed(1)} / ${hm(n, 'Map<number, number> memory').toFixed(1)} B/key | ${fmtRatio(hm(n, intMap) / hm(n, 'Map<number, number> memory'))}`).join(' | ')} |`);
out.push(`| build | ${sizes.map((n) => `${hm(n, 'sabre hash map build').toFixed(1)} / ${hm(n, 'Map build').toFixed(1)} µs/key | ${fmtRatio(hm(n, 'sabre hash map build') / hm(n, 'Map build'))}`).join(' | ')} |`);

// A user's row function on realistic data (benchmarks/row-function.bench.ts).
const ff = d.rows.find((x) => x.suite.startsWith('IP → ASN'));
if (ff !== undefined) {
  const r = (suite: string, name: string) => row(suite, name);
  out.push('', `**Lookups as a row function writes them** (412k clustered IP blocks with Zipf sizes, ${d.rows.find((x) => x.suite.startsWith('Hostname'))?.suite.match(/[\d,]+ rules/)?.[0] ?? ''} over a public-suffix mix, traffic-weighted queries):`, '');
  out.push('| question | sabre, a view per hit | sabre, cursor | baseline | ratios: view / cursor |', '|---|---:|---:|---:|---:|');
  const three = (suite: string, label: string, view: string, cursor: string) => {
    const v = r(suite, view);
    const c = r(suite, cursor);
    out.push(`| ${label} | ${fmtNs(v.ns)} | ${fmtNs(c.ns)} | ${v.baseline}: ${fmtNs(r(suite, v.baseline).ns)} | ${rr(v)} / ${rr(c)} |`);
  };
  three('IP → ASN', 'the ASN of an IP (`find(ip)?.asn`)', 'sabre find(ip)?.asn (a view per hit)', 'sabre find(ip, cursor)?.asn');
  three('Hostname', "the label of a host's longest rule, whole labels (`longestSuffix(host)`, boundary '.')", "sabre longestSuffix(host) (boundary '.')", 'sabre longestSuffix(host, cursor)');
  const mp = r('Hostname', 'Map probed with each shorter suffix');
  out.push(`| … the same with a \`Map\` probed with each shorter suffix | | | ${fmtNs(mp.ns)} | ${rr(mp)} (the \`Map\`) |`);
  three('Row function', 'row function: both lookups + one output line into a buffer', 'sabre, a view per hit', 'sabre, cursors');
  const mem = (name: string) => fact(`range table (schema), 412k clustered blocks: ${name}`);
  out.push(`| memory per range, keys included (rows first, last, asn + index) | ${mem('bytes per range: rows + index').toFixed(1)} B (index alone ${mem('bytes per range: the index alone').toFixed(1)} B) | | typed arrays: 12 B | |`);
}

// Building the arena against parsing the same CSV (benchmarks/build-vs-parse.bench.ts).
const bp = d.rows.find((x) => x.suite.startsWith('Build ') && x.name.startsWith('build the arena'));
if (bp !== undefined) {
  const f = (name: string) => fact(`${bp.suite}: ${name}`);
  out.push('', `**Building the arena** (${bp.suite.replace('Build ', '')}, the row-function benchmark's data, from CSV):`, '');
  out.push('| question | sabre | baseline | ratio: median (range) |', '|---|---:|---:|---:|');
  out.push(`| build the arena from the parsed arrays as \`columns()\`, per entry | ${fmtNs(bp.ns)} | parse the CSV into typed arrays: ${fmtNs(row(bp.suite, bp.baseline).ns)} | ${rr(bp)} |`);
  const objects = d.rows.find((x) => x.suite === bp.suite && x.name.startsWith('make row objects'));
  if (objects !== undefined) out.push(`| … making row objects from those arrays and building from them | ${fmtNs(objects.ns)} | | ${rr(objects)} |`);
  // A build that allocates less than the parse's own garbage peaks inside it: the difference is then
  // noise around 0 (it came out negative), and is printed as such rather than as a ratio.
  const growth = f('peak RSS growth while building (fresh process)');
  const shown = growth < 1 ? ['≈ 0 (below run-to-run noise)', '≈ 0×'] : [`${growth.toFixed(0)} MB`, `${f('peak RSS growth ÷ arena size').toFixed(1)}×`];
  out.push(`| peak RSS growth while building: a fresh process that parses and builds (${f('peak RSS, parse and build (fresh process)').toFixed(0)} MB) minus one that only parses (${f('peak RSS, parse only (fresh process)').toFixed(0)} MB) | ${shown[0]} | the arena: ${f('arena size').toFixed(1)} MB | ${shown[1]} |`);
}

// The pool: the seed job (fresh processes per mode), then trivial and lookup-heavy rows.
const job = d.rows.find((x) => x.suite.startsWith('The seed job'));
if (job !== undefined) {
  const j = (name: string) => fact(`${job.suite}: ${name}`);
  const jr = (name: string) => row('The seed job', name);
  const pool = d.rows.find((x) => x.suite === job.suite && x.name.startsWith('sabre pool'))!;
  const pis = d.rows.find((x) => x.suite === job.suite && x.name.startsWith('Piscina'))!;
  const speed = (r: Row) => `**${(1 / r.ratio).toFixed(2)}×** (${(1 / r.ratioMax).toFixed(2)}–${(1 / r.ratioMin).toFixed(2)}×)`;
  const rate = (mode: string) => `${Math.round(j(`${mode}: rows per second`)).toLocaleString('en-US')} rows/s`;
  out.push('', `**The pool on the seed job** (${job.suite.replace('The seed job: ', '')}; each mode in a fresh process, built packages and a bundled JavaScript task; medians of ${job.rounds} rounds):`, '');
  out.push('| question | sabre pool | baseline | pool ÷ baseline: median (range) |', '|---|---:|---:|---:|');
  out.push(`| rows per second, file in, file out | ${rate('pool')} | the same task in one thread (\`workers: 0\`): ${rate('inline')} | ${speed(pool)} |`);
  out.push(`| … against Piscina, ${job.suite.match(/(\d+) workers/)?.[1] ?? 2} workers, blocks of lines, \`Map\`s cloned into each | | ${rate('piscina')} | **${j('pool ÷ Piscina: rows per second').toFixed(2)}×** |`);
  const apart = d.facts.find((x) => x.suite === job.suite && x.name.startsWith('pool ÷') && x.name.includes('one-thread processes at once'));
  if (apart !== undefined) out.push(`| … against as many one-thread processes at once (this machine's ceiling for the job) | | | **${apart.value.toFixed(2)}×** |`);
  out.push(`| CPU time (all threads) | | the same task in one thread | ${j('pool ÷ in-thread: CPU time').toFixed(2)}× |`);
  out.push(`| peak RSS | ${j('pool: peak RSS').toFixed(0)} MB | one thread: ${j('inline: peak RSS').toFixed(0)} MB; Piscina: ${j('piscina: peak RSS').toFixed(0)} MB | ${j('pool ÷ in-thread: peak RSS').toFixed(2)}× |`);
  out.push(`| main thread: event-loop utilisation / its own CPU share | ${j('pool: main-thread event-loop utilisation').toFixed(3)} / ${j('pool: main-thread CPU share of the run').toFixed(1)}% | | |`);
  out.push(`| every row failing, rows/s and peak RSS | | the same run with no failure | ${j('pool, every row failing ÷ succeeding: rows per second').toFixed(2)}× / ${j('pool, every row failing ÷ succeeding: peak RSS').toFixed(2)}× |`);
  out.push(`| set-up (load the arena or build the \`Map\`s, start workers) | ${(j('pool: set-up (load the arena or build the Maps, start workers)') / 1000).toFixed(2)} s | one thread: ${(j('inline: set-up (load the arena or build the Maps, start workers)') / 1000).toFixed(2)} s; Piscina: ${(j('piscina: set-up (load the arena or build the Maps, start workers)') / 1000).toFixed(2)} s | |`);
  void pis;
  void jr;
}
const trivialBase = row('Pool overhead', 'Piscina, 1,000-row batches');
const trivial = row('Pool overhead', 'sabre pool, imapUnordered(rows).batches()');
const single = row('Pool overhead', 'one thread, plain loop');
const perRow = row('Pool overhead', 'sabre pool, for await (const o of imapUnordered(rows))');
const po = trivialBase.suite;
out.push('', '**The pool on small cases** (2 workers, one process, medians of rounds; the RSS rows come from fresh processes, `lib/rss-child.ts`):', '');
out.push('| question | sabre | baseline | ratio: median (range) |', '|---|---:|---:|---:|');
out.push(`| trivial rows (FNV-1a of a 30-char string), 200k rows, \`imapUnordered(rows).batches()\` | ${trivial.ns.toFixed(1)} ns/row | Piscina, 1,000-row batches: ${trivialBase.ns.toFixed(1)} ns/row | ${rr(trivial)} |`);
out.push(`| … against one thread, plain loop | | ${single.ns.toFixed(1)} ns/row | ${fmtRatio(trivial.ns / single.ns)} |`);
out.push(`| … the same with \`for await\` over single outcomes | ${perRow.ns.toFixed(1)} ns/row | | ${rr(perRow)} |`);
out.push(`| … Piscina, one row per task | | ${fact(`${po}: Piscina, 1 row per task (20k rows): time per row`).toFixed(1)} µs/row | ${fact(`${po}: Piscina, 1 row per task ÷ Piscina batched`).toFixed(1)}× batched |`);
const lk = row('Lookup-heavy', 'sabre pool, 2 workers');
const ls = lk.suite;
out.push(`| lookup-heavy rows (8 lookups in 1M keywords), 2 workers | ${fmtNs(lk.ns)}/row | one thread, same arena: ${fmtNs(row('Lookup-heavy', lk.baseline).ns)}/row | ${rr(lk)} |`);
out.push(`| … rows per second, fresh process | ${Math.round(fact(`${ls}: sabre: rows per second`)).toLocaleString('en-US')} rows/s | Piscina, \`Map\` cloned into each worker: ${Math.round(fact(`${ls}: piscina: rows per second`)).toLocaleString('en-US')} | **${fact(`${ls}: sabre ÷ Piscina with cloned Maps: rows per second`).toFixed(2)}×** faster |`);
out.push(`| … peak RSS, fresh process | ${fact(`${ls}: sabre: peak RSS`).toFixed(1)} MB | Piscina with cloned \`Map\`s: ${fact(`${ls}: piscina: peak RSS`).toFixed(1)} MB | **${fmtRatio(fact(`${ls}: sabre ÷ Piscina with cloned Maps: peak RSS`))}** |`);
console.log(out.join('\n'));
