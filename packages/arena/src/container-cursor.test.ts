// Container tables move a caller's cursor in code of their own (views.ts IndexedTable.view, one copy
// per kind): every kind must land a hit on the row its index names, and refuse a row number past the
// table's rows (an unverified, forged index) and another table's cursor, with and without a cursor.
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeDirectMap, writeIntHashMap, writeRanges, writeTrie } from './build/index.js';
import { Arena, DirectMapView, HashMapView, RangesView, TrieView } from './index.js';
import { Ctx, DirectTable, KeyedTable, RangeTable, TrieTable } from './internal.js';

/** A view of one u32 per row: what generated views look like, reduced to the two fields tables use. */
class U32Row {
  constructor(readonly $c: Ctx, public $o: number) {}
  get value(): number {
    return this.$c.v.getUint32(this.$o, true);
  }
}

/** One lookup for each kind: the key that hits row `second` of its index. */
interface Kind {
  name: string;
  query: (cursor?: U32Row) => U32Row | undefined;
  miss: (cursor?: U32Row) => U32Row | undefined;
  cursor: () => U32Row;
}

/** Two rows (values 10, 20) and an index of each kind whose second entry names row `second`. */
function kinds(second: number): Kind[] {
  const b = new ArenaBuilder();
  b.section('rows').u32(10).u32(20).end();
  writeRanges(b, 'ranges', [{ start: 0, end: 9, value: 0 }, { start: 100, end: 109, value: second }]);
  writeTrie(b, 'trie', ['a.b', 'b'], [0, second], { reversed: true, boundary: '.' });
  writeIntHashMap(b, 'hash', [5_000_000, 7_000_000], [0, second]);
  writeDirectMap(b, 'direct', [3, 4], [0, second]);
  const a = Arena.open(b.finish().buffer);
  const ctx = Ctx.of(a.section('rows'), undefined, a.strings, undefined);
  const make = (o: number) => new U32Row(ctx, o);
  const ranges = new RangeTable('rows', 8, 4, make, new RangesView(a.section('ranges')));
  const trie = new TrieTable('rows', 8, 4, make, new TrieView(a.section('trie')));
  const hash = new KeyedTable<U32Row, number>('rows', 8, 4, make, new HashMapView(a.section('hash')));
  const direct = new DirectTable<U32Row>('rows', 8, 4, make, new DirectMapView(a.section('direct')));
  return [
    { name: 'range table', query: (c) => ranges.find(105, c), miss: (c) => ranges.find(50, c), cursor: () => ranges.cursor() },
    { name: 'trie', query: (c) => trie.longestSuffix('x.b', c), miss: (c) => trie.longestSuffix('c', c), cursor: () => trie.cursor() },
    { name: 'hash map', query: (c) => hash.get(7_000_000, c), miss: (c) => hash.get(6, c), cursor: () => hash.cursor() },
    { name: 'direct map', query: (c) => direct.get(4, c), miss: (c) => direct.get(9, c), cursor: () => direct.cursor() },
  ];
}

describe('container tables and cursors', () => {
  it('a hit lands the cursor, or a new view, on the row the index names; a miss is undefined', () => {
    for (const kind of kinds(1)) {
      const c = kind.cursor();
      expect(kind.query(c), kind.name).toBe(c);
      expect([c.value, kind.query()?.value, kind.miss(c), kind.miss()], kind.name).toEqual([20, 20, undefined, undefined]);
    }
  });

  it('a row number past the rows (a forged, unverified index) is refused with and without a cursor', () => {
    for (const kind of kinds(7)) {
      for (const attempt of [() => kind.query(), () => kind.query(kind.cursor())]) {
        const err = catchErr(attempt);
        expect(err.code, kind.name).toBe('VALUE_OUT_OF_RANGE');
        expect(err.message, kind.name).toMatch(/a row index 0\.\.1/);
      }
    }
  });

  it("another table's cursor is refused by every kind", () => {
    const foreign = kinds(1)[0]!.cursor(); // another arena's table: its views' context differs
    for (const kind of kinds(1)) {
      const err = catchErr(() => kind.query(foreign));
      expect(err.code, kind.name).toBe('VALUE_OUT_OF_RANGE');
      expect(err.message, kind.name).toMatch(/a cursor made by rows\.cursor\(\)/);
    }
  });
});
