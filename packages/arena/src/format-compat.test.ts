// Arenas written by an older sabre must still read exactly. The fixture was built by format 2.2's
// builder (commit fdf0218, before label indexes hashed lighter and range directories grew finer), so a
// change to the reader's hashing that a writer change would mirror cannot pass unnoticed here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Arena, NOT_FOUND, RangesView, TrieView } from './index.js';

const bytes = readFileSync(new URL('../test/fixtures/format-2.2.sabre', import.meta.url));
const keys = ['uk', 'co.uk', 'example.co.uk', 'com', 'example.com', 'b.example.com', 'org', 'jp', 'co.jp', 'ne.jp'];
for (let i = 0; i < 300; i++) keys.push(`h${i}.${['com', 'co.uk', 'org', 'co.jp'][i % 4]}`);
const entries = Array.from({ length: 500 }, (_, i) => ({ start: i * 1000 + (i % 7) * 37, end: i * 1000 + (i % 7) * 37 + 300 + (i % 5) * 100, value: i }));

/** The value of the longest key that is q itself or a suffix of q starting after a '.', or -1. */
function longest(q: string): number {
  let best = NOT_FOUND;
  let length = -1;
  keys.forEach((k, i) => {
    if ((q === k || q.endsWith(`.${k}`)) && k.length > length) [best, length] = [1000 + i, k.length];
  });
  return best;
}

describe('an arena written by format 2.2', () => {
  const arena = Arena.open(new Uint8Array(bytes).buffer).verify();

  it('opens and verifies as 2.2', () => {
    expect(arena.formatVersion).toBe('2.2');
  });

  it('its trie (label index hashed with fmix) answers longest suffixes exactly', () => {
    const trie = new TrieView(arena.section('rules'));
    const queries = [...keys, ...keys.map((k) => `www.${k}`), ...keys.map((k) => `x${k}`), 'a.b.example.com', 'nowhere.net', ''];
    for (const q of queries) expect(trie.longestSuffix(q), q).toBe(longest(q));
  });

  it('its range table (coarser directory) finds every start, end and gap', () => {
    const ranges = new RangesView(arena.section('ranges'));
    for (const { start, end, value } of entries) {
      // Every gap is at least 78 wide, so the key before a start and the one after an end are in none.
      expect([ranges.find(start), ranges.find((start + end) >>> 1), ranges.find(end), ranges.find(end + 1), ranges.find(start - 1)]).toEqual([value, value, value, NOT_FOUND, NOT_FOUND]);
    }
  });
});
