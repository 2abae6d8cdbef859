// The label index of a trie with a boundary (trie-labels.ts): longest matches by hashing a segment at a
// time must answer exactly as the naive scan does on key sets built to stress it, and a forged table
// must either be refused by verify() or still answer exactly (a candidate is checked against its key).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr, reseal } from '../test/helpers.js';
import { ArenaBuilder, writeTrie } from './build/index.js';
import { LABEL_TUNING } from './build/trie-labels.js';
import { Arena, NOT_FOUND, TrieView } from './index.js';
import { trieLayout } from './trie-format.js';
import { LEAF_KEY, lightFingerprint as fingerprint, lightHome as home, mix1, mix2, start1, start2 } from './trie-labels.js';

/** A trie over `keys` (values 1000 + i); `labelHash: 'fmix'` writes the label index as format 2.2 did. */
function build(keys: readonly string[], reversed: boolean, boundary: string, labelHash: 'light' | 'fmix' = 'light'): ArrayBufferLike {
  const b = new ArenaBuilder();
  writeTrie(b, 't', keys, keys.map((_, i) => 1000 + i), { reversed, boundary, labelHash });
  return b.finish().buffer;
}

function open(buffer: ArrayBufferLike, verify = true): TrieView {
  const arena = Arena.open(buffer);
  return new TrieView((verify ? arena.verify() : arena).section('t'));
}

/** The reference: the value of the longest key that is a whole-segment prefix (suffix) of q. */
function naive(keys: readonly string[], q: string, reversed: boolean, b: string): [number, number] {
  let best: [number, number] = [NOT_FOUND, 0];
  keys.forEach((k, i) => {
    if (!(reversed ? q.endsWith(k) : q.startsWith(k))) return;
    const next = reversed ? q[q.length - k.length - 1] : q[k.length];
    const edge = reversed ? k[0] : k[k.length - 1];
    if ((k === '' || k.length === q.length || next === b || edge === b) && (best[0] === NOT_FOUND || k.length > best[1])) best = [1000 + i, k.length];
  });
  return best;
}

/** Where the label table of section 't' is, and its slot count. */
function labelTable(buffer: ArrayBufferLike): { dv: DataView; at: number; slots: number } {
  const arena = Arena.open(buffer);
  const s = arena.section('t');
  const dv = new DataView(buffer as ArrayBuffer);
  const base = s.bytes.byteOffset;
  const l = trieLayout(dv.getUint32(base, true), dv.getUint32(base + 4, true), dv.getUint32(base + 16, true), dv.getUint32(base + 20, true));
  return { dv, at: base + l.labels, slots: dv.getUint32(base + 20, true) };
}

/** Clears every LEAF_KEY bit, as a format 2.1 builder wrote the table; returns how many were set. */
function clearLeaves(buffer: ArrayBufferLike): number {
  const { dv, at, slots } = labelTable(buffer);
  let cleared = 0;
  for (let p = 0; p < slots; p++) {
    const word = dv.getUint32(at + 16 * p + 4, true);
    if (dv.getUint32(at + 16 * p, true) === 0 || (word & LEAF_KEY) === 0) continue;
    dv.setUint32(at + 16 * p + 4, (word & ~LEAF_KEY) >>> 0, true);
    cleared++;
  }
  reseal(buffer as ArrayBuffer);
  return cleared;
}

// Segments whose units sort below the boundary ('-', '!', ' ' < '.'), so keys sharing a prefix do not
// start their sorted block with a boundary: the builder's entry count falls short and must grow the table.
const segment = fc.constantFrom('a', 'b', 'ab', 'a-', '-a', '!', ' x', 'é', '東', '');
const keyOf = (b: string) => fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(b));
const edgy = (b: string) => fc.oneof(keyOf(b), keyOf(b).map((k) => `${b}${k}`), keyOf(b).map((k) => `${k}${b}`), fc.constant(''), fc.constant(b), fc.constant(b + b));

describe('trie label index', () => {
  for (const [reversed, b] of [[true, '.'], [false, '/'], [true, '東']] as const) {
    it(`${reversed ? 'longestSuffix' : 'longestPrefix'} over "${b}" agrees with a naive scan, on keys made to stress the index`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(edgy(b), { maxLength: 60 }), fc.array(keyOf(b), { maxLength: 20 }), (keys, extra) => {
          const t = open(build(keys, reversed, b));
          // Older readers' tables must give the same answers: hashed as format 2.2 did, and also
          // without LEAF_KEY bits, as 2.1 wrote them.
          const t22 = open(build(keys, reversed, b, 'fmix'));
          const old = build(keys, reversed, b, 'fmix');
          clearLeaves(old);
          const t21 = open(old);
          const queries = [...extra, ...keys, ...keys.map((k) => (reversed ? `x${b}${k}` : `${k}${b}x`)), ...keys.map((k) => (reversed ? `-${k}` : `${k}-`)), ''];
          for (const q of queries) {
            const [value, length] = naive(keys, q, reversed, b);
            expect(t.longestPrefix(q)).toBe(value);
            expect(t.matchedLength).toBe(length);
            expect(t22.longestPrefix(q)).toBe(value);
            expect(t22.matchedLength).toBe(length);
            expect(t21.longestPrefix(q)).toBe(value);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('many prefixes whose sorted block starts below the boundary: the table grows and still answers', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => [`k${i}-`, `k${i}.a`, `k${i}.b.c`]).flat();
    const t = open(build(keys, false, '.'));
    for (let i = 0; i < 3000; i += 7) {
      expect(t.longestPrefix(`k${i}.b.c.d`)).toBe(1000 + 3 * i + 2);
      expect(t.longestPrefix(`k${i}.b`)).toBe(NOT_FOUND);
      expect(t.longestPrefix(`k${i}-`)).toBe(1000 + 3 * i);
    }
  });

  it('a terminal entry pointed at another key: unverified reads still answer exactly (the trie walks instead)', () => {
    const keys = ['uk', 'co.uk', 'example.co.uk', 'example.com', 'com'];
    const buffer = build(keys, true, '.');
    const { dv, at, slots } = labelTable(buffer);
    const places: number[] = [];
    for (let p = 0; p < slots; p++) if (dv.getUint32(at + 16 * p + 4, true) >>> 31 === 1) places.push(at + 16 * p + 8);
    // Rotate every terminal entry's key place: each now names a key other than its own.
    const words = places.map((w) => dv.getUint32(w, true));
    places.forEach((w, k) => dv.setUint32(w, words[(k + 1) % words.length] as number, true));
    reseal(buffer as ArrayBuffer);
    const t = open(buffer, false);
    for (const q of ['www.example.co.uk', 'bbc.co.uk', 'uk', 'x.example.com', 'com', 'org']) {
      expect(t.longestSuffix(q)).toBe(naive(keys, q, true, '.')[0]);
    }
    expect(catchErr(() => open(buffer)).message).toMatch(/not in the label index with its length, place and value/);
  });

  it('verify() refuses a table missing an interior prefix, or with a value that is not the key\'s', () => {
    const keys = ['co.uk', 'example.co.uk'];
    for (const forge of ['drop an entry', 'change a value'] as const) {
      const buffer = build(keys, true, '.');
      const { dv, at, slots } = labelTable(buffer);
      let done = false;
      for (let p = 0; p < slots && !done; p++) {
        const word = dv.getUint32(at + 16 * p + 4, true);
        if (dv.getUint32(at + 16 * p, true) === 0) continue;
        if (forge === 'drop an entry' && word === 0) {
          dv.setUint32(at + 16 * p, 0, true); // "uk": a prefix before a boundary, in no key of its own
          done = true;
        } else if (forge === 'change a value' && word >>> 31 === 1) {
          dv.setUint32(at + 16 * p + 12, 7, true);
          done = true;
        }
      }
      expect(done).toBe(true);
      reseal(buffer as ArrayBuffer);
      const err = catchErr(() => open(buffer));
      expect(err.code).toBe('ARENA_CORRUPT');
      expect(err.message).toMatch(forge === 'drop an entry' ? /missing from the label index/ : /with its length, place and value/);
    }
  });

  it('a query piece that shares a shorter key\'s hash does not take its answer (collisions found by meet-in-the-middle on the fixed seed)', () => {
    // Lane 1 is FNV-1a, which runs backwards; a review found these plain-ASCII queries whose pieces meet
    // the entry of "com" with another length. A candidate now counts only at the length it was probed at.
    const keys = ['com', 'b.com'];
    const t = open(build(keys, true, '.'));
    for (const q of ['vzc4tfwcom', 'g4334dw.b.com', 'www.b.com', 'x.com', 'com']) {
      const [value, length] = naive(keys, q, true, '.');
      expect(t.longestSuffix(q)).toBe(value);
      expect(t.matchedLength).toBe(length);
    }
  });

  it('verify() refuses an interior entry forged into a key (it would answer queries no key matches)', () => {
    const buffer = build(['a.b'], false, '.');
    const { dv, at, slots } = labelTable(buffer);
    const base = Arena.open(buffer).section('t').bytes.byteOffset;
    const seed = dv.getUint32(base + 24, true);
    const h1 = mix1(start1(seed), 'a'.charCodeAt(0));
    let p = home(mix2(start2(seed), 'a'.charCodeAt(0)), slots);
    while (dv.getUint32(at + 16 * p, true) !== fingerprint(h1)) p = (p + 1) % slots;
    dv.setUint32(at + 16 * p + 4, (0x8000_0000 | 1) >>> 0, true); // terminal, length 1
    dv.setUint32(at + 16 * p + 8, 0, true); // its key: the blob's first unit, "a" of "a.b"
    dv.setUint32(at + 16 * p + 12, 0xdead, true);
    reseal(buffer as ArrayBuffer);
    const err = catchErr(() => open(buffer));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/terminal entries in the label index differ from the keys/);
  });

  it('open() refuses a longest probe past the cap (a forged header cannot make one probe scan the table)', () => {
    const buffer = build(['a.b', 'b'], false, '.');
    const arena = Arena.open(buffer);
    const s = arena.section('t');
    new DataView(buffer as ArrayBuffer).setUint32(s.bytes.byteOffset + 28, 1 << 20, true);
    const err = catchErr(() => new TrieView(Arena.open(buffer).section('t')));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/longest probe/);
  });

  it('a table without the empty prefix (forged) still answers exactly through the trie walk, and verify() refuses it', () => {
    // The reader looks the empty prefix up once, at open; a table that lacks it cannot start a walk.
    const keys = ['uk', 'co.uk', 'example.co.uk', 'com', 'example.com'];
    const buffer = build(keys, true, '.');
    const { dv, at, slots } = labelTable(buffer);
    const seed = dv.getUint32(Arena.open(buffer).section('t').bytes.byteOffset + 24, true);
    let p = home(start2(seed), slots);
    while (dv.getUint32(at + 16 * p, true) !== fingerprint(start1(seed))) p = (p + 1) % slots;
    dv.setUint32(at + 16 * p, 0x1234_5678, true); // another fingerprint: the empty prefix is gone
    reseal(buffer as ArrayBuffer);
    const trie = open(buffer, false);
    for (const q of ['www.example.co.uk', 'example.com', 'a.uk', 'co.uk', 'nowhere.org', '']) {
      expect([trie.longestSuffix(q), trie.matchedLength]).toEqual(naive(keys, q, true, '.'));
    }
    const err = catchErr(() => open(buffer));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/empty prefix is missing/);
  });

  it('tables hashed as format 2.2 wrote them still verify; the light-hash flag without a label index is refused', () => {
    const keys = ['uk', 'co.uk', 'example.co.uk', 'com', 'example.com'];
    const old = open(build(keys, true, '.', 'fmix'));
    expect(old.longestSuffix('www.example.co.uk')).toBe(1002);
    const buffer = build(keys, true, '.');
    const base = Arena.open(buffer).section('t').bytes.byteOffset;
    const dv = new DataView(buffer as ArrayBuffer);
    dv.setUint32(base + 12, (dv.getUint32(base + 12, true) & ~4) >>> 0, true); // bit 3 stays, bit 2 (a label index) goes
    reseal(buffer as ArrayBuffer);
    const err = catchErr(() => new TrieView(Arena.open(buffer).section('t')));
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.message).toMatch(/trie flags/);
    // A misspelt hash is refused, not taken for the default.
    const typo = catchErr(() => writeTrie(new ArenaBuilder(), 't', keys, keys.map((_, i) => i), { boundary: '.', labelHash: 'fmx' as 'fmix' }));
    expect(typo.code).toBe('VALUE_OUT_OF_RANGE');
    expect(typo.message).toMatch(/'light' \(the default\) or 'fmix'/);
  });

  it('a trie written where the arena moves to a larger window mid-section (nodes, then a growing label table, in place) has the bytes it has alone', () => {
    // The first window is 64 MiB: a raw section ends short of it by `gap`, so the move falls while room
    // is claimed for the nodes (200 KiB), for the label table (700 KiB), or not at all (2 MiB).
    // (Measured for these keys: the nodes' claim ends ~590 KiB into the section, the table ~900 KiB.)
    const keys = Array.from({ length: 3000 }, (_, i) => [`k${i}-`, `k${i}.a`, `k${i}.b.c`]).flat();
    const alone = Buffer.from(Arena.open(build(keys, false, '.')).section('t').bytes);
    for (const gap of [200 << 10, 700 << 10, 2 << 20]) {
      const b = new ArenaBuilder();
      const raw = b.section('raw');
      raw.reserve((64 << 20) - gap);
      raw.end();
      writeTrie(b, 't', keys, keys.map((_, i) => 1000 + i), { boundary: '.' });
      const arena = b.finish();
      expect(Buffer.from(arena.section('t').bytes).equals(alone), `gap ${gap}`).toBe(true);
      expect(new TrieView(arena.verify().section('t')).longestPrefix('k2999.b.c.d')).toBe(1000 + 3 * 2999 + 2);
    }
  });

  it('a table started too small grows in the same place: attempts before it leave nothing behind', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `h${i % 50}.k${i}.example${i % 7}.co.uk`);
    const saved = LABEL_TUNING.slotsPerEntry;
    LABEL_TUNING.slotsPerEntry = 0.3; // every build now fills its first tables and tries again larger
    try {
      const b = new ArenaBuilder();
      const dirty = b.section('dirty'); // bytes written then dropped just where the trie will go
      dirty.bytes(new Uint8Array(1 << 20).fill(0xa5));
      dirty.setLength(8);
      dirty.end();
      writeTrie(b, 't', keys, keys.map((_, i) => 1000 + i), { reversed: true, boundary: '.' });
      const arena = b.finish().verify();
      const { slots } = labelTable(arena.buffer);
      expect(slots).toBeGreaterThan(Math.ceil(0.3 * 2 * keys.length)); // grown past where it started
      const t = new TrieView(arena.section('t'));
      for (const q of ['x.h3.k3.example3.co.uk', 'k3.example3.co.uk', 'a.example3.co.uk', 'h49.k2999.example3.co.uk']) {
        expect(t.longestSuffix(q)).toBe(naive(keys, q, true, '.')[0]);
      }
    } finally {
      LABEL_TUNING.slotsPerEntry = saved;
    }
  });

  it('the same keys give the same bytes (seeds are fixed)', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `h${i}.example.co.uk`);
    expect(Buffer.from(build(keys, true, '.') as ArrayBuffer).equals(Buffer.from(build(keys, true, '.') as ArrayBuffer))).toBe(true);
  });

  it('keys no other key goes on from are marked LEAF_KEY, and a forged mark is refused by verify()', () => {
    const keys = ['uk', 'co.uk', 'example.co.uk', 'com', 'example.com'];
    const leaves = clearLeaves(build(keys, true, '.'));
    expect(leaves).toBe(2); // "example.co.uk" and "example.com": every other entry has a longer key past a boundary
    for (const forge of ['an entry a key goes on from', 'the empty prefix'] as const) {
      const buffer = build(keys, true, '.');
      const { dv, at, slots } = labelTable(buffer);
      const base = Arena.open(buffer).section('t').bytes.byteOffset;
      const seed = dv.getUint32(base + 24, true);
      let h1 = start1(seed);
      let h2 = start2(seed);
      if (forge === 'an entry a key goes on from') for (const c of 'ku') [h1, h2] = [mix1(h1, c.charCodeAt(0)), mix2(h2, c.charCodeAt(0))];
      let p = home(h2, slots);
      while (dv.getUint32(at + 16 * p, true) !== fingerprint(h1)) p = (p + 1) % slots;
      dv.setUint32(at + 16 * p + 4, (dv.getUint32(at + 16 * p + 4, true) | LEAF_KEY) >>> 0, true);
      reseal(buffer as ArrayBuffer);
      const err = catchErr(() => open(buffer));
      expect(err.code).toBe('ARENA_CORRUPT');
      expect(err.message).toMatch(forge === 'the empty prefix' ? /empty prefix is marked/ : /marked as a prefix no key goes on from, but key/);
    }
  });
});
