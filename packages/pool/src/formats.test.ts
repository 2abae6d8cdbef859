import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseChunk } from './formats.js';

const enc = new TextEncoder();

/** A CSV field: plain, or quoted with commas and doubled quotes inside (never a line break). */
const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
  fc.stringMatching(/^[a-z, "é😀]{0,6}$/u).map((s) => `"${s.replaceAll('"', '""')}"`),
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

describe('chunks larger than a decoding window', () => {
  it('lines and line numbers stay exact across 64 KiB windows: CRLF, empty and very long lines, invalid UTF-8, non-ASCII text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: fc.stringMatching(/^[a-z0-9 ,]{0,120}$/) },
            { weight: 1, arbitrary: fc.constant('') },
            { weight: 1, arbitrary: fc.stringMatching(/^[é😀ü a]{1,30}$/u) },
            { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 140_000 }).map((n) => 'L'.repeat(n)) },
            { weight: 1, arbitrary: fc.constant('\u0000bad') },
          ),
          { minLength: 300, maxLength: 1500 },
        ),
        fc.constantFrom('\n', '\r\n'),
        (texts, eol) => {
          // '\u0000bad' stands for a line holding an invalid UTF-8 byte.
          const parts = texts.map((t) => (t === '\u0000bad' ? new Uint8Array([0x62, 0xff, 0x61, 0x64]) : enc.encode(t)));
          const eolBytes = enc.encode(eol);
          const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + eolBytes.length, 0));
          let at = 0;
          for (const p of parts) {
            bytes.set(p, at);
            bytes.set(eolBytes, at + p.length);
            at += p.length + eolBytes.length;
          }
          const got = parseChunk(bytes, 'lines', null, ',', 3);
          const want: { line: number; text: string | null }[] = [];
          texts.forEach((t, i) => {
            if (t !== '') want.push({ line: 3 + i, text: t === '\u0000bad' ? null : t });
          });
          expect(got.records.length).toBe(want.length);
          want.forEach((w, k) => {
            expect(got.lines[k]).toBe(w.line);
            if (w.text === null) expect(got.malformed.get(k)).toBe('the line is not valid UTF-8');
            else expect(got.records[k]).toBe(w.text);
          });
        },
      ),
      { seed: 17, numRuns: 10 },
    );
  });
});
