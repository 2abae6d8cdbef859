import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SharedBuffers } from './buffers.js';
import { csv, openFile } from './files.js';
import type { FileSource } from './files.js';
import { mainEntries as entriesOf } from './main-parse.js';

const mainEntries = async function* (src: FileSource<unknown>) {
  const buffers = new SharedBuffers();
  yield* entriesOf(src, await openFile(src, buffers), buffers);
};

const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{0,5}$/),
  fc.stringMatching(/^[a-z,\n"é]{0,6}$/).map((s) => `"${s.replaceAll('"', '""')}"`),
);

describe('main-thread CSV framing', () => {
  it('records with line breaks inside quotes, split into random stream pieces, parse as csv-parse parses the whole text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }).map((f) => f.join(',')), { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        async (records, cuts) => {
          const text = `${['a,b,c', ...records].join('\n')}\n`;
          const pieces: string[] = [];
          for (let at = 0, i = 0; at < text.length; i++) {
            const n = cuts[i % cuts.length]!;
            pieces.push(text.slice(at, at + n));
            at += n;
          }
          const got = [];
          for await (const e of mainEntries(csv(Readable.from(pieces), { parseIn: 'main' }))) got.push(e);
          const want = parse(text, { columns: true, info: true }) as unknown as { record: unknown; info: { lines: number } }[];
          expect(got.map((e) => e.row)).toEqual(want.map((w) => w.record));
          expect(got.every((e) => e.malformed === null)).toBe(true);
          // Each record starts on the line after the previous one ended.
          let line = 2;
          got.forEach((e, i) => {
            expect(e.line).toBe(line);
            line = want[i]!.info.lines + 1;
          });
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('a quote never closed costs one line per maxRecordChars, not the rest of the file', async () => {
    const pieces = ['a,b\n"never closed,1\n', 'x'.repeat(3000), '\n2,3\n'];
    const got = [];
    for await (const e of mainEntries(csv(Readable.from(pieces), { parseIn: 'main', maxRecordChars: 1000 }))) got.push(e);
    expect(got[0]).toMatchObject({ line: 2, malformed: expect.stringMatching(/not closed/) });
    expect(got.at(-1)).toMatchObject({ row: { a: '2', b: '3' }, malformed: null });
  });
});
