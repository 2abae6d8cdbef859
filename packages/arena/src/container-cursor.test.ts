// Container tables move a caller's cursor in code of their own (views.ts IndexedTable.view): a row
// number an unverified index gives past the table's rows must still be refused, with and without a
// cursor, and a hit must land the cursor (or a new view) on the row the index names.
import { describe, expect, it } from 'vitest';
import { catchErr } from '../test/helpers.js';
import { ArenaBuilder, writeRanges, writeTrie } from './build/index.js';
import { Arena, RangesView, TrieView } from './index.js';
import { Ctx, RangeTable, TrieTable } from './internal.js';

/** A view of one u32 per row: what generated views look like, reduced to the two fields tables use. */
class U32Row {
  constructor(readonly $c: Ctx, public $o: number) {}
  get value(): number {
    return this.$c.v.getUint32(this.$o, true);
  }
}

/** Two rows (values 10, 20) and a range index and a trie whose second entry names row `second`. */
function arena(second: number): Arena {
  const b = new ArenaBuilder();
  b.section('rows').u32(10).u32(20).end();
  writeRanges(b, 'ranges', [{ start: 0, end: 9, value: 0 }, { start: 100, end: 109, value: second }]);
  writeTrie(b, 'trie', ['a.b', 'b'], [0, second], { reversed: true, boundary: '.' });
  return Arena.open(b.finish().buffer);
}

function tables(a: Arena): { ranges: RangeTable<U32Row>; trie: TrieTable<U32Row> } {
  const ctx = Ctx.of(a.section('rows'), undefined, a.strings, undefined);
  const make = (o: number) => new U32Row(ctx, o);
  return { ranges: new RangeTable('rows', 8, 4, make, new RangesView(a.section('ranges'))), trie: new TrieTable('rows', 8, 4, make, new TrieView(a.section('trie'))) };
}

describe('container tables and cursors', () => {
  it('a hit lands the cursor, or a new view, on the row the index names', () => {
    const { ranges, trie } = tables(arena(1));
    const c = ranges.cursor();
    expect(ranges.find(105, c)).toBe(c);
    expect([c.value, ranges.find(105)?.value, ranges.find(5)?.value, ranges.find(50, c)]).toEqual([20, 20, 10, undefined]);
    const t = trie.cursor();
    expect(trie.longestSuffix('x.b', t)).toBe(t);
    expect([t.value, trie.longestSuffix('x.a.b')?.value, trie.longestSuffix('c')]).toEqual([20, 10, undefined]);
  });

  it('a row number past the rows (an unverified, forged index) is refused with and without a cursor', () => {
    const { ranges, trie } = tables(arena(7));
    for (const attempt of [() => ranges.find(105), () => ranges.find(105, ranges.cursor()), () => trie.longestSuffix('x.b'), () => trie.longestSuffix('x.b', trie.cursor()), () => trie.get('b', trie.cursor())]) {
      const err = catchErr(attempt);
      expect(err.code).toBe('VALUE_OUT_OF_RANGE');
      expect(err.message).toMatch(/a row index 0\.\.1/);
    }
  });
});
