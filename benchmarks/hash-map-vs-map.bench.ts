/**
 * Question: how does sabre's frozen hash map compare with `Map` for exact lookups?
 * Baseline: `Map<string, number>.get` / `Map<number, number>.get`, built from the same keys.
 * Cases per size: hits with reused query strings (V8 caches a string's hash inside it, which helps
 * Map), hits with fresh strings (built in the loop; the cost of building them alone is measured and
 * subtracted from both), misses; integer keys. Also: bytes per key and build time per key.
 */
import { type Arena, HashMapView, SectionKind } from '@sabre/arena';
import { ArenaBuilder, writeIntHashMap, writeStringHashMap } from '@sabre/arena/build';
import { FULL, isMain, suite, type Row } from './lib/suite.js';

export interface Fact { suite: string; name: string; value: number; unit: string }

const gc = (globalThis as { gc?: () => void }).gc;
function heapMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export async function run(): Promise<{ rows: Row[]; facts: Fact[] }> {
  const rows: Row[] = [];
  const facts: Fact[] = [];
  const Q = 50_000;
  for (const n of FULL ? [100_000, 1_000_000, 10_000_000] : [100_000, 1_000_000]) {
    const label = `${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`} keys`;
    const prefix = (i: number) => `user-${(i % 997).toString(36)}/`;
    const keys = Array.from({ length: n }, (_, i) => `${prefix(i)}${i.toString(36)}`);
    const fact = (name: string, value: number, unit: string) => facts.push({ suite: `hash map, ${label}`, name, value, unit });

    let t = performance.now();
    const h0 = heapMB();
    const map = new Map<string, number>();
    for (let i = 0; i < n; i++) map.set(keys[i] as string, i);
    const mapBuild = performance.now() - t;
    const mapBytes = (heapMB() - h0) * 2 ** 20;
    let keyBytes = 0;
    for (const k of keys) keyBytes += 16 + k.length; // V8 one-byte string: ~16 B header + 1 B per char
    t = performance.now();
    const b = new ArenaBuilder();
    writeStringHashMap(b, 'm', keys, Array.from({ length: n }, (_, i) => i));
    const arena: Arena = b.finish();
    const sabreBuild = performance.now() - t;
    const hm = new HashMapView(arena.section('m', SectionKind.HashMap));
    fact('Map build', (mapBuild * 1000) / n, 'µs/key');
    fact('sabre hash map build', (sabreBuild * 1000) / n, 'µs/key');
    fact('Map memory (entries only; the key strings are shared)', mapBytes / n, 'B/key');
    fact('Map memory including its key strings', (mapBytes + keyBytes) / n, 'B/key');
    fact('sabre hash map (keys included)', arena.section('m').byteLength / n, 'B/key');

    const idx = Array.from({ length: Q }, (_, i) => (Math.imul(i + 1, 2_654_435_761) >>> 0) % n);
    const reused = idx.map((i) => `${prefix(i)}${i.toString(36)}`);
    const misses = idx.map((i) => `${prefix(i)}${i.toString(36)}\u0001`);
    for (const q of reused) map.get(q); // let Map cache the hashes of the reused strings
    let sink = 0;
    const expectHits = (hits: number, what: string) => {
      if (hits !== Q) throw new Error(`${what}: ${hits} of ${Q} hits`);
      sink += hits;
    };

    rows.push(...(await suite(`String hits, reused query strings (${label})`, `hash-map-reused-${n}`, 'Map.get', Q, [
      { name: 'Map.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += map.get(reused[q] as string) === idx[q] ? 1 : 0; expectHits(h, 'Map'); } },
      { name: 'sabre HashMapView.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += hm.get(reused[q] as string) === idx[q] ? 1 : 0; expectHits(h, 'sabre'); } },
    ])));

    const fresh = await suite(`String hits, fresh query strings (${label})`, `hash-map-fresh-${n}`, 'Map.get', Q, [
      { name: 'Map.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) { const i = idx[q] as number; h += map.get(`${prefix(i)}${i.toString(36)}`) === i ? 1 : 0; } expectHits(h, 'Map'); } },
      { name: 'sabre HashMapView.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) { const i = idx[q] as number; h += hm.get(`${prefix(i)}${i.toString(36)}`) === i ? 1 : 0; } expectHits(h, 'sabre'); } },
      { name: 'building the query strings only', fn: () => { let h = 0; for (let q = 0; q < Q; q++) { const i = idx[q] as number; h += `${prefix(i)}${i.toString(36)}`.charCodeAt(0) > 0 ? 1 : 0; } expectHits(h, 'strings'); } },
    ]);
    rows.push(...fresh);
    const [mapFresh, sabreFresh, build] = fresh.map((r) => r.ns) as [number, number, number];
    fact('fresh hits, net of building the strings: Map.get', mapFresh - build, 'ns');
    fact('fresh hits, net of building the strings: sabre', sabreFresh - build, 'ns');
    fact('fresh hits, net: sabre ÷ Map', (sabreFresh - build) / (mapFresh - build), '×');

    rows.push(...(await suite(`String misses (${label})`, `hash-map-miss-${n}`, 'Map.get', Q, [
      { name: 'Map.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += map.get(misses[q] as string) === undefined ? 1 : 0; expectHits(h, 'Map'); } },
      { name: 'sabre HashMapView.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += hm.get(misses[q] as string) === -1 ? 1 : 0; expectHits(h, 'sabre'); } },
    ])));

    // Integer keys, in the shapes ids have: scrambled, consecutive (0..n-1), strided by 2^12.
    for (const [shape, keyOf] of [
      ['scrambled', (i: number) => Math.imul(i + 1, 0x9e37_79b1) >>> 1],
      ['consecutive', (i: number) => i],
      ['strided by 4096', (i: number) => i * 4096],
    ] as const) {
      const ints = Array.from({ length: n }, (_, i) => keyOf(i));
      const h1 = heapMB();
      const imap = new Map<number, number>();
      for (let i = 0; i < n; i++) imap.set(ints[i] as number, i);
      const imapBytes = (heapMB() - h1) * 2 ** 20;
      const ib = new ArenaBuilder();
      writeIntHashMap(ib, 'ids', ints, Array.from({ length: n }, (_, i) => i));
      const ihm = new HashMapView(ib.finish().section('ids'));
      if (shape === 'scrambled') {
        fact('Map<number, number> memory', imapBytes / n, 'B/key');
        fact('sabre integer hash map (keys < 2^32: 8-byte slots)', ihm.section.byteLength / n, 'B/key');
      }
      const iq = idx.map((i) => ints[i] as number);
      rows.push(...(await suite(`Integer hits, ${shape} keys (${label})`, `hash-map-int-${shape.split(' ')[0]}-${n}`, 'Map.get', Q, [
        { name: 'Map.get', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += imap.get(iq[q] as number) === idx[q] ? 1 : 0; expectHits(h, 'Map'); } },
        { name: 'sabre HashMapView.getInt', fn: () => { let h = 0; for (let q = 0; q < Q; q++) h += ihm.getInt(iq[q] as number) === idx[q] ? 1 : 0; expectHits(h, 'sabre'); } },
      ])));
    }
    if (sink === 0.5) console.log('');
  }
  for (const f of facts) console.log(`  ${`${f.suite}: ${f.name}`.padEnd(76)} ${f.value.toFixed(f.unit === '×' ? 3 : 2)} ${f.unit}`);
  if (gc === undefined) console.log('  (memory figures need --expose-gc; run through `npm run bench`)');
  return { rows, facts };
}

if (isMain(import.meta.url)) await run();
