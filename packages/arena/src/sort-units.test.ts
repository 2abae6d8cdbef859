// sortByUnits must order keys exactly as JS compares strings (code unit by code unit, a prefix first),
// equal keys by entry number: the trie's node walk, its duplicate check and keyAt all rely on it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByUnits } from './build/sort-units.js';

/** The keys' units in one array: one byte each when every key is Latin-1, as the trie builder does. */
function flat(keys: string[]): { units: Uint8Array | Uint16Array; at: Uint32Array } {
  const at = new Uint32Array(keys.length + 1);
  let n = 0;
  keys.forEach((k, i) => {
    at[i] = n;
    n += k.length;
  });
  at[keys.length] = n;
  const units = keys.every((k) => /^[\0-\xff]*$/.test(k)) ? new Uint8Array(n) : new Uint16Array(n);
  keys.forEach((k, i) => {
    for (let u = 0; u < k.length; u++) units[(at[i] as number) + u] = k.charCodeAt(u);
  });
  return { units, at };
}

/** The reference: a stable comparator sort over the strings. */
const reference = (keys: string[]) => keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));

const sorted = (keys: string[]) => {
  const { units, at } = flat(keys);
  return [...sortByUnits(units, at, keys.length)];
};

describe('sortByUnits', () => {
  it('orders random strings of every width, with duplicates, as a stable string sort does (property)', () => {
    const unit = fc.constantFrom('', 'a', 'b', '.', '\u0000', 'é', 'ÿ', 'ж', '東', '\uD83D', '\uDE00', '\uffff', 'z');
    const key = fc.array(unit, { maxLength: 9 }).map((u) => u.join(''));
    fc.assert(fc.property(fc.array(key, { maxLength: 200 }), (keys) => void expect(sorted(keys)).toEqual(reference(keys))), { numRuns: 400 });
  });

  it('orders keys with long shared prefixes, prefixes of each other, and many equal keys', () => {
    const prefix = 'x'.repeat(5000);
    const keys = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? prefix : prefix + String(i % 500).padStart(3, '0') + (i % 3 === 0 ? '' : '.tail')));
    keys.push('', '', 'x', prefix.slice(1));
    expect(sorted(keys)).toEqual(reference(keys));
  });

  it('orders hostname-like keys written backwards (a reversed trie)', () => {
    const tlds = ['com', 'net', 'co.uk', 'org', 'de', 'com.au'];
    const keys = Array.from({ length: 20_000 }, (_, i) => `${'host' + (i % 997)}.${'site' + (i % 113)}.${tlds[i % tlds.length]}`.split('').reverse().join(''));
    expect(flat(keys).units).toBeInstanceOf(Uint8Array);
    expect(sorted(keys)).toEqual(reference(keys));
  });

  it('orders large parts of one-byte keys, split by counting, as the reference does (property)', () => {
    const key = fc.array(fc.constantFrom('', '\u0000', 'a', 'b', '.', 'ÿ', 'é'), { maxLength: 6 }).map((u) => u.join(''));
    fc.assert(
      fc.property(fc.array(key, { minLength: 2048, maxLength: 6000 }), (keys) => {
        expect(flat(keys).units).toBeInstanceOf(Uint8Array);
        expect(sorted(keys)).toEqual(reference(keys));
      }),
      { numRuns: 15 },
    );
  });

  it('handles no keys and one key', () => {
    expect(sorted([])).toEqual([]);
    expect(sorted(['only'])).toEqual([0]);
  });
});
