/**
 * Question: how should a lookup compare a JS query string with a stored key?
 * Baseline: what most byte formats do — encode the query with TextEncoder.encodeInto, hash the bytes
 * (FNV-1a), then compare them with the stored UTF-8 bytes.
 * sabre: hash the query's char codes directly (hashChars) and compare them with the stored Latin-1 or
 * UTF-16 code units (StringPool.equals). No encoding, no allocation.
 *
 * Second question: what does the per-worker decode cache buy?
 * Baseline: decoding the stored string on every read (StringPool.decodeUncached);
 * also shown: Node's TextDecoder on a view of the same SharedArrayBuffer (UTF-8).
 */
import { hashChars, type StringPool } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { FULL, isMain, suite, type Row } from './lib/suite.js';

export async function run(): Promise<{ rows: Row[] }> {
  const n = FULL ? 1_000_000 : 200_000;
  // Mostly ASCII keys, every 10th with a non-Latin-1 character, as in real keyword lists.
  const keys = Array.from({ length: n }, (_, i) => `${i % 10 === 0 ? 'café-東' : 'keyword'}-${i.toString(36)}/${(i * 7919) % 1000}`);
  const b = new ArenaBuilder();
  const ids = keys.map((k) => b.intern(k));
  const pool: StringPool = b.finish().strings;

  // The baseline's storage: every key's UTF-8 bytes in one blob, with offsets.
  const enc = new TextEncoder();
  const utf8Offsets = new Uint32Array(n + 1);
  const parts = keys.map((k) => enc.encode(k));
  parts.forEach((p, i) => (utf8Offsets[i + 1] = (utf8Offsets[i] as number) + p.length));
  const utf8 = new Uint8Array(new SharedArrayBuffer(utf8Offsets[n] as number));
  parts.forEach((p, i) => utf8.set(p, utf8Offsets[i] as number));
  const scratch = new Uint8Array(1024);

  // Fresh query strings (built, not the interned originals), probed in a shuffled order.
  const Q = 10_000;
  const order = Array.from({ length: Q }, (_, i) => (i * 2_654_435_761) % n);
  const queries = order.map((i) => `${keys[i]?.slice(0, 3)}${keys[i]?.slice(3)}`);
  let sink = 0;

  const compareRows = await suite(`Compare ${Q.toLocaleString('en-US')} query strings with stored keys (${n.toLocaleString('en-US')} keys)`, 'string-hash-equals-vs-encode', 'TextEncoder.encodeInto + FNV-1a + byte compare', Q, [
    {
      name: 'TextEncoder.encodeInto + FNV-1a + byte compare',
      fn: () => {
        let hits = 0;
        let hx = 0;
        for (let q = 0; q < Q; q++) {
          const { written } = enc.encodeInto(queries[q] as string, scratch);
          let h = 0x811c9dc5;
          for (let i = 0; i < written; i++) h = Math.imul(h ^ (scratch[i] as number), 0x01000193);
          const id = order[q] as number;
          const start = utf8Offsets[id] as number;
          let eq = (utf8Offsets[id + 1] as number) - start === written;
          for (let i = 0; eq && i < written; i++) eq = utf8[start + i] === scratch[i];
          hits += eq ? 1 : 0;
          hx ^= h;
        }
        if (hits !== Q) throw new Error(`baseline matched ${hits} of ${Q} queries`);
        sink += hits + (hx & 1); // keeps the hash live: dead code would be deleted by the JIT
      },
    },
    {
      name: 'sabre hashChars + StringPool.equals',
      fn: () => {
        let hits = 0;
        let hx = 0;
        for (let q = 0; q < Q; q++) {
          const s = queries[q] as string;
          hx ^= hashChars(s);
          hits += pool.equals(ids[order[q] as number] as number, s) ? 1 : 0;
        }
        if (hits !== Q) throw new Error(`sabre matched ${hits} of ${Q} queries`);
        sink += hits + (hx & 1);
      },
    },
  ]);

  const dec = new TextDecoder();
  const decodeRows = await suite(`Decode ${Q.toLocaleString('en-US')} stored strings`, 'string-decode-cached', 'StringPool.decodeUncached', Q, [
    {
      name: 'StringPool.decodeUncached',
      fn: () => {
        for (let q = 0; q < Q; q++) sink += pool.decodeUncached(ids[order[q] as number] as number).length;
      },
    },
    {
      name: 'TextDecoder.decode (UTF-8, SAB view)',
      fn: () => {
        for (let q = 0; q < Q; q++) {
          const id = order[q] as number;
          sink += dec.decode(utf8.subarray(utf8Offsets[id] as number, utf8Offsets[id + 1] as number)).length;
        }
      },
    },
    {
      name: 'StringPool.decode (cached per worker)',
      fn: () => {
        for (let q = 0; q < Q; q++) sink += pool.decode(ids[order[q] as number] as number).length;
      },
    },
  ]);
  if (sink === 42) console.log('');
  return { rows: [...compareRows, ...decodeRows] };
}

if (isMain(import.meta.url)) await run();
