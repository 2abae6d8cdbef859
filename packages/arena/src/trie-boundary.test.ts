// Tries with a boundary character: longest-suffix over hostname labels ('.') and longest-prefix over
// path segments ('/') match whole segments, with or without the boundary written into the keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeTrie } from './build/index.js';
import { Arena, NOT_FOUND, TrieView } from './index.js';

function trie(keys: readonly string[], reversed: boolean, boundary: string): TrieView {
  const b = new ArenaBuilder();
  writeTrie(b, 't', keys, keys.map((_, i) => i), { reversed, boundary });
  return new TrieView(Arena.open(b.finish().buffer).verify().section('t'));
}

/** The reference: the longest key that is a whole-segment suffix (or prefix) of q. */
function naive(keys: readonly string[], q: string, reversed: boolean, b: string): number {
  let best = NOT_FOUND;
  let bestLength = -1;
  keys.forEach((k, i) => {
    const fits = reversed ? q.endsWith(k) : q.startsWith(k);
    if (!fits) return;
    const next = reversed ? q[q.length - k.length - 1] : q[k.length];
    const edge = reversed ? k[0] : k[k.length - 1];
    const whole = k === '' || k.length === q.length || next === b || edge === b;
    if (whole && k.length > bestLength) [best, bestLength] = [i, k.length];
  });
  return best;
}

// Labels that share endings ("uk", "co.uk", "ck"), so partial-label matches are tempting.
const label = fc.constantFrom('uk', 'co', 'k', 'ck', 'www', 'example', 'xample', 'e', 'com', 'm', 'a-b', 'é', '東京');
const host = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));
const rule = fc.oneof(host, host.map((h) => `.${h}`), fc.constant(''));
const path = fc.array(fc.constantFrom('api', 'ap', 'v1', 'v', 'users', 'user', ''), { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`);

describe('trie with a boundary character', () => {
  it('reversed with ".": longestSuffix matches whole labels, as a naive scan over the rules does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(rule, { maxLength: 40 }), fc.array(host, { maxLength: 20 }), (rules, hosts) => {
        const t = trie(rules, true, '.');
        for (const q of [...hosts, ...rules, ...rules.map((r) => `www.${r}`), ...rules.map((r) => `x${r}`)]) {
          const want = naive(rules, q, true, '.');
          expect(t.longestSuffix(q)).toBe(want);
          expect(t.matchedLength).toBe(want === NOT_FOUND ? 0 : (rules[want] as string).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('forward with "/": longestPrefix matches whole path segments', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(path, path.map((p) => `${p}/`)), { maxLength: 30 }), fc.array(path, { maxLength: 20 }), (rules, paths) => {
        const t = trie(rules, false, '/');
        for (const q of [...paths, ...rules, ...rules.map((r) => `${r}/x`), ...rules.map((r) => `${r}x`)]) expect(t.longestPrefix(q)).toBe(naive(rules, q, false, '/'));
      }),
      { numRuns: 300 },
    );
  });

  it('the hostname examples: no leading dot needed on rules or queries', () => {
    const t = trie(['uk', 'co.uk', 'example.co.uk', '.ck'], true, '.');
    const match = (q: string) => (t.longestSuffix(q) === NOT_FOUND ? undefined : t.matchedLength);
    expect([match('www.example.co.uk'), match('bbc.co.uk'), match('co.uk'), match('xco.uk'), match('ck'), match('www.ck'), match('xck')]).toEqual([13, 5, 5, 2, undefined, 3, undefined]);
    expect(t.boundary).toBe('.'.charCodeAt(0));
    expect(t.get('co.uk')).toBe(1); // exact lookups are unchanged
  });

  it('a boundary of more than one character is refused at build time', () => {
    expect(catchErr(() => trie(['a'], true, '::')).code).toBe('VALUE_OUT_OF_RANGE');
  });
});
