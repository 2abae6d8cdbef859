// Per-key encoding: each trie key is stored one byte per unit when it is Latin-1, two when it needs
// UTF-16, so one non-Latin-1 key no longer doubles every other key's bytes. Lookups must not care
// which width a label or key has, including keys of both widths under one node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeTrie } from './build/index.js';
import { Arena, NOT_FOUND, TrieView } from './index.js';

function trie(keys: string[], reversed = false): { t: TrieView; blobBytes: number } {
  const b = new ArenaBuilder();
  writeTrie(b, 't', keys, keys.map((_, i) => i), { reversed });
  const section = Arena.open(b.finish().buffer).verify().section('t');
  return { t: new TrieView(section), blobBytes: section.view.getUint32(16, true) };
}

describe('trie keys, each in its own width', () => {
  it('one UTF-16 key costs two bytes per unit for itself only', () => {
    const latin = Array.from({ length: 1000 }, (_, i) => `host-${i}.example.com`);
    const units = latin.reduce((n, k) => n + k.length, 0);
    const { t, blobBytes } = trie([...latin, 'пример.рф']);
    expect(blobBytes).toBe(units + 2 * 'пример.рф'.length);
    expect([t.get('host-7.example.com'), t.get('пример.рф'), t.keyAt(t.size - 1)]).toEqual([7, 1000, 'пример.рф']);
  });

  it('keys of both widths sharing prefixes answer like a Map and a scan (property)', () => {
    const unit = fc.constantFrom('a', 'b', '.', 'é', 'ÿ', 'ж', '東', '\uD83D', 'z');
    const key = fc.array(unit, { maxLength: 7 }).map((u) => u.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 60 }), fc.array(key, { maxLength: 20 }), fc.boolean(), (keys, probes, reversed) => {
        const { t } = trie(keys, reversed);
        const ref = new Map(keys.map((k, i) => [k, i]));
        for (const q of [...keys, ...probes]) {
          expect(t.get(q)).toBe(ref.get(q) ?? NOT_FOUND);
          const matches = keys.filter((k) => (reversed ? q.endsWith(k) : q.startsWith(k)));
          const longest = matches.sort((a, b) => b.length - a.length)[0];
          expect(t.longestPrefix(q)).toBe(longest === undefined ? NOT_FOUND : (ref.get(longest) as number));
        }
        const sorted = keys.map((k) => (reversed ? [...k].reverse().join('') : k));
        expect(Array.from({ length: t.size }, (_, r) => t.keyAt(r)).sort()).toEqual([...keys].sort());
        expect(t.size).toBe(sorted.length);
      }),
      { numRuns: 200 },
    );
  });

  it('a trie written with one width for all keys (an older version) is refused with the fix', () => {
    const b = new ArenaBuilder();
    writeTrie(b, 't', ['a'], [0]);
    const section = b.finish().section('t');
    section.view.setUint32(8, 1, true);
    expect(catchErr(() => new TrieView(section)).message).toMatch(/older sabre.*rebuild/);
  });
});
