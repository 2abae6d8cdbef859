/**
 * Question: how does sabre's trie compare with the trie people write in JS?
 * Baseline: an object trie — a Map of children per node, one node per code unit, value on the node.
 * Cases: exact lookup, longest-prefix match (key + a suffix), counting the keys under a prefix.
 * Also: bytes per key for both, and longest-prefix match against a sabre hash hit (target ≤ 2×).
 */
import { HashMapView, TrieView } from '@sabre/arena';
import { ArenaBuilder, writeStringHashMap, writeTrie } from '@sabre/arena/build';
import { FULL, isMain, suite, type Row } from './lib/suite.js';

export interface Fact { suite: string; name: string; value: number; unit: string }

class ObjNode {
  children = new Map<number, ObjNode>();
  value = -1;
  count = 0; // keys in the subtree, for prefix counting without a walk
}

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const n = FULL ? 1_000_000 : 200_000;
  const label = `${n / 1000}k keys`;
  const keys = Array.from({ length: n }, (_, i) => `user-${(i % 997).toString(36)}/${i.toString(36)}`);
  const facts: Fact[] = [];
  const fact = (name: string, value: number, unit: string) => facts.push({ suite: `trie, ${label}`, name, value, unit });

  const h0 = heap();
  let t = performance.now();
  const root = new ObjNode();
  keys.forEach((k, v) => {
    let node = root;
    node.count++;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      let next = node.children.get(c);
      if (next === undefined) {
        next = new ObjNode();
        node.children.set(c, next);
      }
      node = next;
      node.count++;
    }
    node.value = v;
  });
  const objBuild = performance.now() - t;
  const objBytes = heap() - h0;
  t = performance.now();
  const b = new ArenaBuilder();
  writeTrie(b, 't', keys, keys.map((_, i) => i));
  writeStringHashMap(b, 'h', keys, keys.map((_, i) => i));
  const arena = b.finish();
  const trie = new TrieView(arena.section('t'));
  const trieBuild = performance.now() - t; // includes the hash map, reported below
  const hm = new HashMapView(arena.section('h'));
  fact('object trie', objBytes / n, 'B/key');
  fact('sabre trie (keys and values included)', arena.section('t').byteLength / n, 'B/key');
  fact('object trie build', (objBuild * 1000) / n, 'µs/key');
  fact('sabre trie + hash map build', (trieBuild * 1000) / n, 'µs/key');

  const objGet = (s: string): ObjNode | undefined => {
    let node: ObjNode | undefined = root;
    for (let i = 0; i < s.length && node !== undefined; i++) node = node.children.get(s.charCodeAt(i));
    return node;
  };
  const objLpm = (s: string): number => {
    let node: ObjNode | undefined = root;
    let best = root.value;
    for (let i = 0; i < s.length; i++) {
      node = node.children.get(s.charCodeAt(i));
      if (node === undefined) break;
      if (node.value >= 0) best = node.value;
    }
    return best;
  };

  const Q = 20_000;
  const idx = Array.from({ length: Q }, (_, i) => (Math.imul(i + 1, 2_654_435_761) >>> 0) % n);
  const exact = idx.map((i) => `${keys[i]}`);
  const lpm = idx.map((i) => `${keys[i]}/page/${i % 97}`);
  const prefixes = idx.map((i) => `user-${(i % 997).toString(36)}/`);
  let sink = 0;
  const expectSum = (sum: number, want: number, who: string) => {
    if (sum !== want) throw new Error(`${who}: ${sum} ≠ ${want}`);
    sink += sum;
  };
  const want = idx.reduce((a, i) => a + i, 0);
  const wantCount = prefixes.reduce((a, p) => a + (objGet(p)?.count ?? 0), 0);

  const rows: Row[] = [];
  rows.push(...(await suite(`Trie exact lookup (${label})`, 'trie-exact', 'object trie', Q, [
    { name: 'object trie', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += objGet(exact[q] as string)?.value ?? 0; expectSum(s, want, 'object'); } },
    { name: 'sabre TrieView.get', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += trie.get(exact[q] as string); expectSum(s, want, 'sabre'); } },
  ])));
  const lpmRows = await suite(`Trie longest-prefix match (${label})`, 'trie-lpm', 'object trie', Q, [
    { name: 'object trie', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += objLpm(lpm[q] as string); expectSum(s, want, 'object'); } },
    { name: 'sabre TrieView.longestPrefix', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += trie.longestPrefix(lpm[q] as string); expectSum(s, want, 'sabre'); } },
    { name: 'sabre HashMapView.get on the key (for scale)', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += hm.get(exact[q] as string); expectSum(s, want, 'hash'); } },
  ]);
  rows.push(...lpmRows);
  fact('longest-prefix match ÷ a hash hit', (lpmRows[1] as Row).ns / (lpmRows[2] as Row).ns, '×');
  rows.push(...(await suite(`Count keys under a prefix (${label}, ~${Math.round(wantCount / Q)} each)`, 'trie-prefix', 'object trie (counts kept in nodes)', Q, [
    { name: 'object trie (counts kept in nodes)', fn: () => { let s = 0; for (let q = 0; q < Q; q++) s += objGet(prefixes[q] as string)?.count ?? 0; expectSum(s, wantCount, 'object'); } },
    { name: 'sabre TrieView.prefixRange', fn: () => { let s = 0; for (let q = 0; q < Q; q++) { const [lo, hi] = trie.prefixRange(prefixes[q] as string); s += hi - lo; } expectSum(s, wantCount, 'sabre'); } },
  ])));
  for (const f of facts) console.log(`  ${`${f.suite}: ${f.name}`.padEnd(70)} ${f.value.toFixed(2)} ${f.unit}`);
  if (sink === 0.5) console.log('');
  return { rows, facts };
}

if (isMain(import.meta.url)) await run();
