// 128-bit range keys: IPv6 address ranges. Real IPv6 tables share their high words (allocations are
// /32 to /64 prefixes inside 2000::/3), so many ranges fall in one directory bucket: the property tests
// draw keys that way as well as uniformly, and check every lookup form against a linear scan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaBuilder, writeRanges, type RangeEntry } from './build/index.js';
import { Arena, NOT_FOUND, RangesView, parseIPv6 } from './index.js';

const MAX = (1n << 128n) - 1n;

function table(entries: RangeEntry[], options: { overlaps?: 'error' | 'split' } = {}): RangesView {
  const b = new ArenaBuilder();
  writeRanges(b, 'r', entries, { bits: 128, ...options });
  return new RangesView(Arena.open(b.finish().buffer).verify().section('r'));
}

/** The four words of a u128, most significant first (as parseIPv6 writes them). */
function words(x: bigint): Uint32Array {
  return Uint32Array.from([96n, 64n, 32n, 0n], (s) => Number((x >> s) & 0xffff_ffffn));
}

function naive(entries: RangeEntry[], x: bigint): number {
  const hit = entries.find((e) => BigInt(e.start) <= x && x <= BigInt(e.end));
  return hit === undefined ? NOT_FOUND : hit.value;
}

/** Keys as IPv6 tables have them: a few shared high words (2001:db8::/32-like), random low bits. */
const ipv6ish = fc.tuple(fc.constantFrom(0x2001_0db8n, 0x2a00_1450n, 0x2600_0000n, 0n), fc.bigInt({ min: 0n, max: (1n << 96n) - 1n })).map(([hi, lo]) => (hi << 96n) | lo);
const key128 = fc.oneof(ipv6ish, fc.bigInt({ min: 0n, max: MAX }), fc.bigInt({ min: 0n, max: 2n ** 53n }));

const disjoint = fc.uniqueArray(key128, { maxLength: 160 }).chain((cuts) => {
  const c = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs: [bigint, bigint][] = [];
  for (let i = 0; i + 1 < c.length; i += 2) pairs.push([c[i]!, c[i + 1]!]);
  return fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length });
});

describe('range table with 128-bit keys', () => {
  it('find, find128 and findWords agree with a linear scan (IPv6-like and uniform keys)', () => {
    fc.assert(
      fc.property(disjoint, fc.array(key128, { maxLength: 30 }), (pairs, probes) => {
        const entries = pairs.map(([start, end], i) => ({ start, end, value: i * 7 }));
        const t = table(entries);
        expect(t.words).toBe(4);
        for (const x of [...probes, ...pairs.flatMap(([s, e]) => [s, e, s - 1n, e + 1n])].filter((p) => p >= 0n && p <= MAX)) {
          const want = naive(entries, x);
          expect(t.find(x)).toBe(want);
          expect(t.find128(words(x))).toBe(want);
          if (x < 1n << 64n) expect(t.findWords(Number(x >> 32n), Number(x & 0xffff_ffffn))).toBe(want);
          if (x <= BigInt(Number.MAX_SAFE_INTEGER)) expect(t.find(Number(x))).toBe(want);
        }
        for (let i = 0; i < entries.length; i++) expect(t.at(i).value % 7).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it("overlaps: 'split' gives each point its shortest containing range", () => {
    const outer = { start: 0x2001_0db8n << 96n, end: ((0x2001_0db8n + 1n) << 96n) - 1n, value: 1 };
    const inner = { start: (0x2001_0db8n << 96n) + (5n << 64n), end: (0x2001_0db8n << 96n) + (6n << 64n) - 1n, value: 2 };
    const t = table([outer, inner], { overlaps: 'split' });
    expect([t.find(outer.start), t.find(inner.start), t.find(inner.end), t.find(inner.end + 1n), t.find(outer.end + 1n)]).toEqual([1, 2, 2, 1, NOT_FOUND]);
  });

  it('looks up parsed IPv6 addresses, and IPv4 held as IPv4-mapped ranges (::ffff:0:0/96)', () => {
    const at = new Uint32Array(4);
    const key = (s: string): bigint => {
      expect(parseIPv6(s, at)).toBe(true);
      return (BigInt(at[0]!) << 96n) | (BigInt(at[1]!) << 64n) | (BigInt(at[2]!) << 32n) | BigInt(at[3]!);
    };
    const t = table([
      { start: key('2001:db8::'), end: key('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), value: 32 },
      { start: key('2001:db8:1::'), end: key('2001:db8:1::') - 1n + (1n << 80n), value: 48 },
      { start: key('::ffff:10.0.0.0'), end: key('::ffff:10.255.255.255'), value: 8 },
    ].sort((a, b) => (a.start < b.start ? -1 : 1)).filter((e, i, all) => i === 0 || e.start > all[i - 1]!.end));
    const find = (s: string): number => (parseIPv6(s, at) ? t.find128(at) : NaN);
    expect(find('2001:db8::1')).toBe(32);
    expect(find('2001:db9::1')).toBe(NOT_FOUND);
    expect(find('::ffff:10.1.2.3')).toBe(8);
    expect(find('::ffff:11.0.0.0')).toBe(NOT_FOUND);
  });

  it('u32 and u64 tables answer find128 for keys whose upper words are zero', () => {
    const b = new ArenaBuilder();
    writeRanges(b, 'a', [{ start: 10, end: 20, value: 1 }]);
    writeRanges(b, 'b', [{ start: 2n ** 40n, end: 2n ** 40n + 5n, value: 2 }], { bits: 64 });
    const arena = b.finish().verify();
    const a = new RangesView(arena.section('a'));
    const c = new RangesView(arena.section('b'));
    expect([a.find128(words(15n)), a.find128(words(15n + (1n << 96n))), c.find128(words(2n ** 40n + 3n)), c.find128(words(2n ** 40n + 3n + (1n << 64n)))]).toEqual([1, NOT_FOUND, 2, NOT_FOUND]);
  });
});
