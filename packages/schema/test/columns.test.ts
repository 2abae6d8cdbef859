// columns(): rows given as typed arrays must build exactly the arena their row objects build, byte for
// byte, through every container kind; bad columns and bad values fail naming the column or the row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaError, build, buildAsync, columns, s } from '@sabre/schema';
import { Geo } from './fixtures/geo.schema.js';
import { geoInput } from './geo-data.js';

const Block = s.struct('Block', { first: s.u32(), last: s.u32(), asn: s.u32() });
const Wide = s.struct('Wide', { lo: s.u64(), hi: s.u64(), tag: s.u16() });
const Rule = s.struct('Rule', { suffix: s.str(), label: s.u16() });
const Lookup = s.arena('Lookup', {
  blocks: s.ranges(Block, { start: 'first', end: 'last' }),
  wide: s.ranges(Wide, { start: 'lo', end: 'hi' }),
  rules: s.trie(Rule, { key: 'suffix', reversed: true, boundary: '.' }),
  byLabel: s.hashMap(Rule, { key: 'suffix' }),
});

interface Data {
  first: Uint32Array;
  last: Uint32Array;
  asn: Uint32Array;
  lo: bigint[];
  hi: bigint[];
  tag: Uint16Array;
  suffix: string[];
  label: Uint16Array;
}

/** Disjoint ranges from sorted distinct cut points, given in a shuffled order (the build sorts them). */
function data(cuts: number[], bigCuts: bigint[], names: string[], seed: number): Data {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const n = sorted.length >> 1;
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
  const big = [...new Set(bigCuts)].sort((a, b) => (a < b ? -1 : 1));
  const m = big.length >> 1;
  return {
    first: Uint32Array.from(perm, (i) => sorted[2 * i] as number),
    last: Uint32Array.from(perm, (i) => sorted[2 * i + 1] as number),
    asn: Uint32Array.from(perm, (i) => i * 3),
    lo: Array.from({ length: m }, (_, i) => big[2 * i] as bigint),
    hi: Array.from({ length: m }, (_, i) => big[2 * i + 1] as bigint),
    tag: Uint16Array.from({ length: m }, (_, i) => i),
    suffix: names,
    label: Uint16Array.from(names, (_, i) => i % 65_536),
  };
}

const byColumns = (d: Data) => ({
  blocks: columns({ first: d.first, last: d.last, asn: d.asn }),
  wide: columns({ lo: d.lo, hi: d.hi, tag: d.tag }),
  rules: columns({ suffix: d.suffix, label: d.label }),
  byLabel: columns({ suffix: d.suffix, label: d.label }),
});
const byObjects = (d: Data) => ({
  blocks: Array.from(d.first, (first, i) => ({ first, last: d.last[i] as number, asn: d.asn[i] as number })),
  wide: d.lo.map((lo, i) => ({ lo, hi: d.hi[i] as bigint, tag: d.tag[i] as number })),
  rules: d.suffix.map((suffix, i) => ({ suffix, label: d.label[i] as number })),
  byLabel: d.suffix.map((suffix, i) => ({ suffix, label: d.label[i] as number })),
});
const bytes = (buffer: ArrayBufferLike) => Buffer.from(new Uint8Array(buffer));

function catchSchema(f: () => unknown): SchemaError {
  try {
    f();
  } catch (e) {
    if (SchemaError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a SchemaError, but nothing was thrown');
}

describe('columns()', () => {
  it('builds the same bytes as row objects, for ranges (u32 and u64 past 2^53), tries and hash maps (property)', () => {
    const host = fc.array(fc.constantFrom('a', 'b', 'co', 'uk', 'é', 'ж'), { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 0xffff_ffff }), { maxLength: 80 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 40 }),
        fc.uniqueArray(host, { maxLength: 40 }),
        fc.nat(100),
        (cuts, bigCuts, names, seed) => {
          const d = data(cuts, bigCuts, names, seed);
          expect(bytes(build(Lookup, byColumns(d)).buffer).equals(bytes(build(Lookup, byObjects(d)).buffer))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('builds the same bytes through buildAsync, and on consecutive and strided keys', async () => {
    const n = 5000;
    const d = data(
      Array.from({ length: 2 * n }, (_, i) => i * 4096),
      [0n, 5n, 2n ** 60n, 2n ** 61n],
      Array.from({ length: 300 }, (_, i) => `host${i}.example.co.uk`),
      1,
    );
    const sync = bytes(build(Lookup, byObjects(d)).buffer);
    expect(bytes((await buildAsync(Lookup, byColumns(d))).buffer).equals(sync)).toBe(true);
  });

  it('builds the Geo fixture (strings, enums, optional fields, vectors, refs, nested structs, u64) as its rows do', () => {
    const input = geoInput(300) as unknown as Record<string, unknown>;
    const asColumns = (rows: Record<string, unknown>[]) => {
      const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return columns(Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n])])));
    };
    const byCols = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? asColumns(v) : v]));
    const want = bytes(build(Geo, input as never).buffer);
    expect(bytes(build(Geo, byCols as never).buffer).equals(want)).toBe(true);
    // A bad value deep in a column is named by its row and field, as in a row.
    const cities = input['cities'] as Record<string, unknown>[];
    const badRows = cities.map((c, i) => (i === 123 ? { ...c, location: { lat: 1, lon: 'east' } } : c));
    const err = catchSchema(() => build(Geo, { ...byCols, cities: asColumns(badRows) } as never));
    expect(err.message).toMatch(/Geo\.cities\[123\]\.location\.lon/);
  });

  it('refuses a column the struct lacks, and a missing required column at its first row', () => {
    const d = data([1, 2, 3, 4], [], [], 0);
    const extra = { ...byColumns(d), blocks: columns({ first: d.first, last: d.last, asn: d.asn, owner: ['x', 'y'] }) };
    expect(catchSchema(() => build(Lookup, extra)).code).toBe('BUILD_UNKNOWN_FIELD');
    const missing = { ...byColumns(d), blocks: columns({ first: d.first, last: d.last }) };
    const err = catchSchema(() => build(Lookup, missing as never));
    expect([err.code, err.message.includes('Lookup.blocks[0]')]).toEqual(['BUILD_MISSING_FIELD', true]);
  });

  it('fails as row objects do: the first bad row first, whichever check finds it (an inverted range before a later bad value)', () => {
    const rows = [
      { first: 10, last: 5, asn: 1 },
      { first: 20, last: 30, asn: -1 },
    ];
    const d = data([], [], [], 0);
    const asObjects = catchSchema(() => build(Lookup, { ...byObjects(d), blocks: rows }));
    const asColumns = catchSchema(() => build(Lookup, { ...byColumns(d), blocks: columns({ first: [10, 20], last: [5, 30], asn: [1, -1] }) }));
    expect([asColumns.code, asColumns.message]).toEqual([asObjects.code, asObjects.message]);
    expect(asColumns.message).toMatch(/Lookup\.blocks\[0\]\.last/);
  });

  it('reads each cell once, and a cell that throws fails as BUILD_SOURCE_FAILED naming its row', () => {
    const d = data([], [], [], 0);
    let reads = 0;
    const counted = new Proxy([3, 1, 2], {
      get: (t, k) => {
        if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
        return Reflect.get(t, k);
      },
    });
    const names = ['a.co', 'b.co', 'c.co'];
    build(Lookup, { ...byColumns(d), rules: columns({ suffix: names, label: counted as unknown as number[] }) });
    expect(reads).toBe(3);
    const throwing = new Proxy(['a.co', 'b.co'], { get: (t, k) => (k === '1' ? (() => { throw new Error('boom'); })() : Reflect.get(t, k)) });
    const err = catchSchema(() => build(Lookup, { ...byColumns(d), rules: columns({ suffix: throwing as string[], label: [1, 2] }) }));
    expect([err.code, err.message.includes('Lookup.rules[1]'), err.message.includes('boom')]).toEqual(['BUILD_SOURCE_FAILED', true, true]);
  });

  it('takes zero rows with any columns, as an empty array', () => {
    const d = data([], [], [], 0);
    const empty = build(Lookup, { ...byColumns(d), blocks: columns({ first: [], last: [], asn: [], note: [] }) });
    expect(bytes(empty.buffer).equals(bytes(build(Lookup, { ...byColumns(d), blocks: [] }).buffer))).toBe(true);
  });

  it('refuses columns of different lengths, naming the column', () => {
    const err = catchSchema(() => columns({ first: new Uint32Array(3), last: new Uint32Array(4) }));
    expect(err.code).toBe('VALUE_OUT_OF_RANGE');
    expect(err.message).toMatch(/columns\.last/);
    expect(catchSchema(() => columns({ first: 7 as unknown as Uint32Array })).message).toMatch(/columns\.first/);
    // A length that is not a whole number would write part of a row.
    const fractional = Object.assign({ length: 2.5 }, [1, 2, 3]) as unknown as Uint32Array;
    expect(catchSchema(() => columns({ first: fractional, last: fractional })).message).toMatch(/whole-number length.*→ at columns\.first/);
  });

  it('names the row and field of a bad value in a column, and an end before its start', () => {
    const d = data([1, 2, 3, 4, 5, 6], [], [], 0);
    const bad = { ...byColumns(d), blocks: columns({ first: d.first, last: d.last, asn: Float64Array.from([1, 2.5, 3]) }) };
    const err = catchSchema(() => build(Lookup, bad));
    expect(err.message).toMatch(/Lookup\.blocks\[1\]\.asn/);
    const inverted = { ...byColumns(d), blocks: columns({ first: Uint32Array.from([10, 20]), last: Uint32Array.from([12, 19]), asn: new Uint32Array(2) }) };
    expect(catchSchema(() => build(Lookup, inverted)).message).toMatch(/Lookup\.blocks\[1\]\.last/);
    // The index reads its keys from the columns themselves, yet the first bad row still fails first:
    // an end before its start in row 0 before a bad value in row 1, and the other way round.
    const invertedFirst = { ...byColumns(d), blocks: columns({ first: Uint32Array.from([10, 20]), last: Uint32Array.from([9, 21]), asn: Float64Array.from([0, -1]) }) };
    expect(catchSchema(() => build(Lookup, invertedFirst)).message).toMatch(/Lookup\.blocks\[0\]\.last/);
    const badFirst = { ...byColumns(d), blocks: columns({ first: Float64Array.from([10, 20]), last: Float64Array.from([11, 19]), asn: Float64Array.from([-1, 0]) }) };
    expect(catchSchema(() => build(Lookup, badFirst)).message).toMatch(/Lookup\.blocks\[0\]\.asn/);
    // Overlaps found in adopted columns name both rows and their keys.
    const overlapping = { ...byColumns(d), blocks: columns({ first: Uint32Array.from([10, 30, 15]), last: Uint32Array.from([20, 40, 25]), asn: new Uint32Array(3) }) };
    expect(catchSchema(() => build(Lookup, overlapping)).message).toMatch(/rows 0 \[10, 20\] and 2 \[15, 25\] overlap/);
  });

  it('a key column that changed length after columns() (a resizable buffer) builds only the rows columns() saw', () => {
    const d = data(Array.from({ length: 40 }, (_, i) => i * 1000), [], ['a.b'], 0);
    const n = d.first.length;
    const grown = (a: Uint32Array) => {
      const buffer = new ArrayBuffer(4 * n, { maxByteLength: 8 * n });
      const out = new Uint32Array(buffer); // length-tracking: grows with its buffer
      out.set(a);
      return out;
    };
    const [first, last] = [grown(d.first), grown(d.last)];
    const given = { ...byColumns(d), blocks: columns({ first, last, asn: d.asn }) };
    (first.buffer as ArrayBuffer).resize(8 * n); // n more keys the rows never saw
    (last.buffer as ArrayBuffer).resize(8 * n);
    for (let i = n; i < 2 * n; i++) [first[i], last[i]] = [0xf000_0000 + 2 * i, 0xf000_0000 + 2 * i];
    const arena = build(Lookup, given);
    expect(bytes(arena.buffer).equals(bytes(build(Lookup, byObjects(d)).buffer))).toBe(true);
    expect(() => arena.verify()).not.toThrow();
  });

  it('trie and hash-map keys build the same from an array, an array pushed to after columns() and an array-like object', () => {
    const names = Array.from({ length: 300 }, (_, i) => `h${i}.example${i % 9}.co.uk`);
    const d = data([1, 2], [], names, 0);
    const want = bytes(build(Lookup, byObjects(d)).buffer);
    const pushed = [...names];
    const rules = columns({ suffix: pushed, label: d.label });
    pushed.push('late.example.com'); // a row the table never got
    const arrayLike = { length: names.length, ...Object.fromEntries(names.map((n, i) => [i, n])) } as ArrayLike<string>;
    for (const given of [byColumns(d), { ...byColumns(d), rules }, { ...byColumns(d), rules: columns({ suffix: arrayLike, label: d.label }), byLabel: columns({ suffix: arrayLike, label: d.label }) }]) {
      const arena = build(Lookup, given);
      expect(bytes(arena.buffer).equals(want)).toBe(true);
      expect(() => arena.verify()).not.toThrow();
    }
  });

  it('builds the same bytes from Float64Array range keys, plain arrays of numbers and Uint32Arrays', () => {
    const d = data(Array.from({ length: 400 }, (_, i) => (i * 2_654_435_761) % 2 ** 32), [], ['a.b', 'b', 'c.b'], 3);
    const want = bytes(build(Lookup, byObjects(d)).buffer);
    const shared = (a: Uint32Array) => {
      const out = new Uint32Array(new SharedArrayBuffer(4 * a.length)); // another thread could write it: copied, not kept
      out.set(a);
      return out;
    };
    for (const as of [(a: Uint32Array) => Float64Array.from(a), (a: Uint32Array) => Array.from(a), (a: Uint32Array) => a, shared]) {
      const given = { ...byColumns(d), blocks: columns({ first: as(d.first), last: as(d.last), asn: d.asn }) };
      expect(bytes(build(Lookup, given).buffer).equals(want)).toBe(true);
    }
  });
});
