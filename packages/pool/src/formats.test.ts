import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseChunk } from './formats.js';

const enc = new TextEncoder();

/** A CSV field: plain, or quoted with commas and doubled quotes inside (never a line break). */
const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
  fc.stringMatching(/^[a-z, "é😀]{0,6}$/).map((s) => `"${s.replaceAll('"', '""')}"`),
);
const broken = fc.constantFrom('"open', 'a"b"c', '"x"y', '"');

describe('parseChunk', () => {
  it('CSV: one record per non-empty line, malformed lines alone, against csv-parse line by line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 6, arbitrary: fc.array(field, { minLength: 2, maxLength: 2 }).map((f) => f.join(',')) }, { weight: 1, arbitrary: broken }, { weight: 1, arbitrary: fc.constant('') }), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 1000 }),
        (lines, eol, firstLine) => {
          const got = parseChunk(enc.encode(lines.join(eol) + eol), 'csv', ['a', 'b'], ',', firstLine);
          let k = 0;
          lines.forEach((text, i) => {
            if (text === '') return;
            expect(got.lines[k]).toBe(firstLine + i);
            let want: unknown;
            try {
              const rows = parse(text, { columns: ['a', 'b'] }) as unknown[];
              want = rows.length === 1 ? rows[0] : undefined;
            } catch {
              want = undefined;
            }
            if (want === undefined) expect(got.malformed.has(k)).toBe(true);
            else {
              expect(got.malformed.has(k)).toBe(false);
              expect(got.records[k]).toEqual(want);
            }
            k++;
          });
          expect(got.records.length).toBe(k);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('NDJSON and lines: each non-empty line is a record; bad JSON and bad UTF-8 name their line', () => {
    const bytes = new Uint8Array([...enc.encode('{"a":1}\n\nnot json\n'), 0xff, 0xfe, 10, ...enc.encode('[2]')]);
    const nd = parseChunk(bytes, 'ndjson', null, ',', 10);
    expect([...nd.lines]).toEqual([10, 12, 13, 14]);
    expect(nd.records).toEqual([{ a: 1 }, undefined, undefined, [2]]);
    expect(nd.malformed.get(1)).toMatch(/^not JSON/);
    expect(nd.malformed.get(2)).toBe('the line is not valid UTF-8');
    const ls = parseChunk(enc.encode('x\r\ny\n'), 'lines', null, ',', 1);
    expect(ls.records).toEqual(['x', 'y']);
  });
});
