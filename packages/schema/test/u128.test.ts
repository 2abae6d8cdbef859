// 128-bit fields (`s.u128()`) and IPv6 range tables through the schema: build, generated views, cursor
// lookups with parseIPv6's words, verify(), the generic reader, and the uses a u128 cannot have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaReader, NOT_FOUND, parseIPv6 } from '@sabre/arena';
import { build, compile, s } from '@sabre/schema';
import { Nets as NetsView } from './fixtures/__generated__/nets.js';
import { Nets } from './fixtures/nets.schema.js';

const at = new Uint32Array(4);
/** An IPv6 address (or ::ffff:a.b.c.d) as a bigint, through parseIPv6. */
function ip(text: string): bigint {
  if (!parseIPv6(text, at)) throw new Error(`not an address: ${text}`);
  return (BigInt(at[0]!) << 96n) | (BigInt(at[1]!) << 64n) | (BigInt(at[2]!) << 32n) | BigInt(at[3]!);
}
/** The last address of prefix/len. */
const lastOf = (first: bigint, len: number): bigint => first + (1n << BigInt(128 - len)) - 1n;

const rows = [
  { first: ip('2001:db8::'), last: lastOf(ip('2001:db8::'), 32), asn: 64_500, name: 'documentation' },
  { first: ip('2a00:1450::'), last: lastOf(ip('2a00:1450::'), 29), asn: 15_169, name: 'big search' },
  { first: ip('::ffff:8.8.8.0'), last: lastOf(ip('::ffff:8.8.8.0'), 120), asn: 15_169, name: 'v4 resolver' },
  { first: ip('2600::'), last: lastOf(ip('2600::'), 12), asn: 1, name: 'a /12' },
];

describe('u128 fields and IPv6 range tables', () => {
  const arena = build(Nets, { nets: rows });
  const nets = NetsView.open(arena.buffer, { verify: true });

  it('u128 fields round-trip as bigints, and find / find128 (with a cursor) answer like a scan', () => {
    expect(Array.from(nets.nets, (n) => [n.first, n.last, n.asn, n.name])).toEqual( // (iteration moves one view)
      rows.map((r) => [r.first, r.last, r.asn, r.name]));
    const cursor = nets.nets.cursor();
    const find = (text: string) => (parseIPv6(text, at) ? nets.nets.find128(at, cursor)?.name : 'bad');
    expect(find('2001:db8:1234::1')).toBe('documentation');
    expect(find('2001:db9::')).toBeUndefined();
    expect(find('2a00:1457:ffff::1')).toBe('big search');
    expect(find('2a00:1458::')).toBeUndefined();
    expect(find('::ffff:8.8.8.8')).toBe('v4 resolver');
    expect(find('::ffff:8.8.9.0')).toBeUndefined();
    expect(find('260f:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('a /12');
    expect(find('2610::')).toBeUndefined();
    expect(nets.nets.find(ip('2001:db8::42'))?.asn).toBe(64_500);
    expect(nets.nets.indexOf(ip('2001:db7::'))).toBe(NOT_FOUND);
  });

  it('agrees with a linear scan over random disjoint ranges (property)', () => {
    const key = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 0x2001_0db8n << 96n, max: (0x2001_0db9n << 96n) - 1n }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 80 }), fc.array(key, { maxLength: 20 }), (cuts, probes) => {
        const c = [...cuts].sort((a, b) => (a < b ? -1 : 1));
        const input = [];
        for (let i = 0; i + 1 < c.length; i += 2) input.push({ first: c[i]!, last: c[i + 1]!, asn: i, name: `n${i}` });
        const view = NetsView.open(build(Nets, { nets: input.reverse() }).buffer, { verify: true });
        for (const x of [...probes, ...input.flatMap((r) => [r.first, r.last, r.first - 1n, r.last + 1n])]) {
          if (x < 0n || x >= 1n << 128n) continue;
          const want = input.find((r) => r.first <= x && x <= r.last)?.asn;
          expect(view.nets.find(x)?.asn).toBe(want);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the generic reader and JSON show u128 values (as decimal strings in JSON)', () => {
    const reader = ArenaReader.open(arena.buffer);
    expect(reader.table('nets').find(ip('2001:db8::1'))?.name).toBe('documentation');
    expect((reader.table('nets').at(0) as { first: bigint }).first).toBe(rows[0]!.first);
    expect(JSON.parse(JSON.stringify(nets)).nets[0].first).toBe(rows[0]!.first.toString());
  });

  it('values outside 0..2^128-1 are refused by path; a u128 cannot key a hash map or be a vector element', () => {
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(codeOf(() => build(Nets, { nets: [{ ...rows[0]!, last: 1n << 128n }] }))).toMatch(/^VALUE_OUT_OF_RANGE: .*u128.*Nets\.nets\[0\]\.last/);
    expect(codeOf(() => build(Nets, { nets: [{ ...rows[0]!, first: -1n }] }))).toMatch(/^VALUE_OUT_OF_RANGE/);
    const Key = s.struct('Key', { id: s.u128() });
    expect(codeOf(() => compile(s.arena('A', { keys: s.hashMap(Key, { key: 'id' }) })))).toMatch(/^SCHEMA_BAD_KEY: .*u64/);
    expect(codeOf(() => compile(s.arena('B', { t: s.table(s.struct('V', { ids: s.vector(s.u128()) })) })))).toMatch(/vector\(s\.u128\(\)\).*s\.struct/);
  });
});
