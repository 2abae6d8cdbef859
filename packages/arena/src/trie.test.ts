import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeTrie } from './build/index.js';
import { H_CHECKSUM, H_TOTAL_LENGTH } from './format.js';
import { Checksum } from './hash.js';
import { Arena, ArenaError, NOT_FOUND, TrieView } from './index.js';

function trie(keys: string[], reversed = false): TrieView {
  const b = new ArenaBuilder();
  writeTrie(b, 't', keys, keys.map((_, i) => i * 10), { reversed });
  return new TrieView(Arena.open(b.finish().buffer).verify().section('t'));
}

const small = fc.constantFrom('a', 'b', 'ab', 'é', '東', '\uD800', 'x');
const key = fc.oneof(fc.array(small, { maxLength: 6 }).map((p) => p.join('')), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('trie', () => {
  it('exact, longest-prefix and prefix-range queries agree with a naive reference', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 60 }), fc.array(key, { maxLength: 30 }), (keys, probes) => {
        const t = trie(keys);
        const value = new Map(keys.map((k, i) => [k, i * 10]));
        const sorted = [...keys].sort(cmp);
        expect(t.size).toBe(keys.length);
        for (let r = 0; r < sorted.length; r++) expect([t.keyAt(r), t.valueAt(r)]).toEqual([sorted[r], value.get(sorted[r] as string)]);
        for (const q of [...probes, ...keys, ...keys.map((k) => `${k}a`), ...keys.map((k) => k.slice(0, -1))]) {
          expect(t.get(q)).toBe(value.get(q) ?? NOT_FOUND);
          const prefixes = keys.filter((k) => q.startsWith(k)).sort((a, b) => b.length - a.length);
          expect(t.longestPrefix(q)).toBe(prefixes.length === 0 ? NOT_FOUND : (value.get(prefixes[0] as string) as number));
          if (prefixes.length > 0) expect(t.matchedLength).toBe((prefixes[0] as string).length);
          const withPrefix = sorted.filter((k) => k.startsWith(q));
          const [lo, hi] = t.prefixRange(q);
          expect(hi - lo).toBe(withPrefix.length);
          expect([...t.withPrefix(q)]).toEqual(withPrefix.map((k) => [k, value.get(k)]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a reversed trie answers longest-suffix queries: hostname rules', () => {
    const rules = ['.com', '.co.uk', '.uk', '.example.co.uk', '.東京.jp', '.jp'];
    const t = trie(rules, true);
    const longest = (host: string) => {
      const v = t.longestSuffix(`.${host}`);
      return v === NOT_FOUND ? undefined : rules[v / 10];
    };
    expect(longest('www.example.co.uk')).toBe('.example.co.uk');
    expect(longest('shop.co.uk')).toBe('.co.uk');
    expect(longest('news.bbc.uk')).toBe('.uk');
    expect(longest('a.b.東京.jp')).toBe('.東京.jp');
    expect(longest('example.org')).toBeUndefined();
    expect(longest('notcom')).toBeUndefined(); // a leading dot keeps matches on label boundaries
    expect([...t.withPrefix('.uk')].map(([k]) => k).sort()).toEqual(['.co.uk', '.example.co.uk', '.uk']);
    expect(catchErr(() => trie(rules).longestSuffix('x')).code).toBe('ARENA_SECTION_KIND');
  });

  it('reversed tries agree with a naive longest-suffix reference', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 40 }), fc.array(key, { maxLength: 20 }), (keys, probes) => {
        const t = trie(keys, true);
        for (const q of [...probes, ...keys.map((k) => `z${k}`)]) {
          const suffixes = keys.filter((k) => q.endsWith(k)).sort((a, b) => b.length - a.length);
          expect(t.longestSuffix(q)).toBe(suffixes.length === 0 ? NOT_FOUND : keys.indexOf(suffixes[0] as string) * 10);
        }
        for (let r = 0; r < t.size; r++) expect(keys).toContain(t.keyAt(r));
      }),
      { numRuns: 150 },
    );
  });

  it('handles the empty trie, one key, the empty key and long shared prefixes', () => {
    const empty = trie([]);
    expect([empty.get(''), empty.longestPrefix('abc'), empty.prefixRange('')]).toEqual([NOT_FOUND, NOT_FOUND, [0, 0]]);
    const one = trie(['only']);
    expect([one.get('only'), one.get('onl'), one.longestPrefix('onlyx'), one.prefixRange('on')]).toEqual([0, NOT_FOUND, 0, [0, 1]]);
    const withEmpty = trie(['', 'a']);
    expect([withEmpty.get(''), withEmpty.longestPrefix('b'), withEmpty.longestPrefix('ab')]).toEqual([0, 0, 10]);
    const long = Array.from({ length: 2000 }, (_, i) => `a/very/long/shared/prefix/${i.toString(36)}`);
    const t = trie(long);
    expect(t.get(long[1234] as string)).toBe(12340);
    expect(t.prefixRange('a/very/long/shared/prefix/1')[1] - t.prefixRange('a/very/long/shared/prefix/1')[0]).toBe(long.filter((k) => k.startsWith('a/very/long/shared/prefix/1')).length);
  });

  it('a trie that fits a section limit builds under it, though room for its largest node count would not fit', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `host${i}.example.com`);
    const bytesUnder = (maxSectionBytes?: number) => {
      const b = new ArenaBuilder({ maxSectionBytes });
      writeTrie(b, 't', keys, keys.map((_, i) => i), { reversed: true });
      return Buffer.from(Arena.open(b.finish().buffer).verify().section('t').bytes);
    };
    const free = bytesUnder();
    // 2n nodes would take ~26 B per key more than these keys' ~1.x n nodes: a limit at the trie's own size
    // leaves no room for them, and the nodes are then built aside and copied in.
    expect(bytesUnder(free.length).equals(free)).toBe(true);
    expect(catchErr(() => bytesUnder(free.length - 8)).code).toBe('ARENA_SECTION_TOO_LARGE');
  });

  it('reports duplicate keys naming both entries', () => {
    const err = catchErr(() => writeTrie(new ArenaBuilder(), 'rules', ['a', 'b', 'a'], [1, 2, 3]));
    expect(err.code).toBe('ARENA_DUPLICATE_KEY');
    expect(err.message).toContain('entries 0 and 2');
  });

  it('forged bytes (checksum recomputed) are caught by verify or throw ArenaError; walks never hang', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `key/${i % 7}/${i}`);
    const b = new ArenaBuilder();
    writeTrie(b, 't', keys, keys.map((_, i) => i));
    const built = b.finish();
    const sec = built.section('t');
    fc.assert(
      fc.property(fc.nat(sec.byteLength - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.boolean(), (at, bytes, verify) => {
        const copy = built.buffer.slice(0) as ArrayBuffer;
        new Uint8Array(copy).set(bytes.subarray(0, sec.byteLength - at), sec.byteOffset + at);
        const total = new DataView(copy).getUint32(H_TOTAL_LENGTH, true);
        new DataView(copy).setBigUint64(H_CHECKSUM, new Checksum().update(copy, 0, H_CHECKSUM).update(copy, H_CHECKSUM + 8, total - H_CHECKSUM - 8).digest(), true);
        try {
          const arena = Arena.open(copy);
          if (verify) arena.verify();
          const t = new TrieView(arena.section('t'));
          for (const k of keys.slice(0, 30)) {
            t.get(k);
            t.longestPrefix(`${k}/x`);
            const [lo, hi] = t.prefixRange(k.slice(0, 5));
            if (verify) for (let r = lo; r < Math.min(hi, lo + 5); r++) t.keyAt(r);
          }
        } catch (e) {
          if (!ArenaError.is(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('trie on unverified bytes', () => {
  it('a forged first-child index near 2^32 gives garbage or an ArenaError, never an endless search', () => {
    // 30 children under the root, searched by first unit: the shape in which the old search looped.
    const keys = Array.from({ length: 300 }, (_, i) => `${String.fromCharCode(65 + (i % 30))}key/${i}`);
    const b = new ArenaBuilder();
    writeTrie(b, 't', keys, keys.map((_, i) => i));
    const arena = b.finish();
    const section = arena.section('t');
    for (const forged of [2 ** 32 - 7, 2 ** 32 - 14, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff]) {
      section.view.setUint32(32 + 8, forged, true); // the root's first child (node 0, word 2)
      const t = new TrieView(section);
      for (const q of ['Akey/1', 'zzz', '~', '\u00ff', '', 'Bkey/31']) {
        try {
          t.get(q);
          t.longestPrefix(q);
          t.prefixRange(q);
        } catch (e) {
          if (!ArenaError.is(e)) throw e;
        }
      }
    }
    expect(() => Arena.open(arena.buffer).verify()).toThrow(ArenaError);
  });
});
