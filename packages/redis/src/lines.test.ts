import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { linesAt } from './lines.js';

describe('linesAt: the input line of byte offsets, counted in one pass', () => {
  it('numbers line starts from 1, across pieces of any size, reading only up to the last offset', async () => {
    const text = Buffer.from('id,word\n0,a\n\n1,b\r\n2,c\n');
    const starts = [0, 8, 12, 13, 18]; // lines 1, 2, 3 (empty), 4, 5
    for (const piece of [1, 3, 64]) {
      let readTo = -1;
      const read = (_uri: string, start: number, end: number) => {
        readTo = end;
        const bytes = text.subarray(start, end);
        return Readable.from(Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece)));
      };
      const got = await linesAt(read, 'x', [18, 8, 0, 13, 12, 8]);
      expect(starts.map((o) => got.get(o))).toEqual([1, 2, 3, 4, 5]);
      expect(readTo).toBe(18);
    }
    expect((await linesAt(() => Readable.from([]), 'x', [])).size).toBe(0);
  });
});
