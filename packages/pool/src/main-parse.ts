/**
 * Parsing a file in the main thread (`parseIn: 'main'`), for CSV records with line breaks inside quoted
 * fields, which worker chunks (cut at any line break) cannot hold. Bytes come from the same chunker as
 * worker parsing, so a byte order mark, '\r\n' and invalid UTF-8 are handled the same way, and NDJSON and
 * lines use the very same record reader: both modes give the same outcomes and line numbers.
 *
 * CSV records are framed by quote-aware splitting, then parsed by csv-parse in blocks. A quote that is
 * never closed swallows lines only up to `maxRecordChars`.
 */
import { countLines, decodeChunk } from './chunks.js';
import { chunkReader, lastCsvRecordEnd, parseCsvLines, splitCsvRecords } from './formats.js';
import type { SharedBuffers } from './buffers.js';
import type { FileSource, OpenedFile } from './files.js';

/** A record parsed in the main thread, or the reason its line is malformed. */
export type ParsedLine = { row: unknown; line: number; malformed: null } | { row: undefined; line: number; malformed: string };

const CHUNK = 1 << 20;

/** Entries in file order. */
export async function* mainEntries(src: FileSource<unknown>, file: OpenedFile, buffers: SharedBuffers): AsyncGenerator<ParsedLine, void, undefined> {
  try {
    yield* entries(src, file, buffers);
  } finally {
    await file.chunker.close();
  }
}

async function* entries(src: FileSource<unknown>, file: OpenedFile, buffers: SharedBuffers): AsyncGenerator<ParsedLine, void, undefined> {
  const { chunker, spec } = file;
  if (src.format !== 'csv') {
    let firstLine = file.dataLine;
    for (let chunk = await chunker.next(CHUNK); chunk !== null; chunk = await chunker.next(CHUNK)) {
      const reader = chunkReader(chunk.bytes, spec.format, null, spec.delimiter, firstLine);
      firstLine += countLines(chunk.bytes);
      const parsed: ParsedLine[] = [];
      while (reader.next()) parsed.push(reader.malformed === null ? { row: reader.row, line: reader.line, malformed: null } : { row: undefined, line: reader.line, malformed: reader.malformed });
      buffers.give(chunk.bytes.buffer);
      yield* parsed;
    }
    return;
  }
  const maxRecordChars = src.options.maxRecordChars;
  let carry = '';
  let nextLine = file.dataLine;
  const bad = new Set<number>();
  /** The file line the next chunk starts on (a record may carry over, so nextLine lags behind it). */
  let chunkLine = file.dataLine;
  function* emit(text: string): Generator<ParsedLine, void, undefined> {
    const texts: string[] = [];
    const lines: number[] = [];
    splitCsvRecords(text, nextLine, texts, lines);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nextLine++;
    const malformed = new Map<number, string>();
    if (bad.size > 0) texts.forEach((t, k) => spansBadLine(lines[k]!, t, bad) && malformed.set(k, 'the line is not valid UTF-8'));
    const records = parseCsvLines(texts, spec.columns, spec.delimiter, malformed);
    for (let k = 0; k < texts.length; k++) {
      const m = malformed.get(k);
      yield m === undefined ? { row: records[k], line: lines[k]!, malformed: null } : { row: undefined, line: lines[k]!, malformed: m };
    }
  }
  for (let chunk = await chunker.next(CHUNK); chunk !== null; chunk = await chunker.next(CHUNK)) {
    const decoded = decodeChunk(chunk.bytes);
    buffers.give(chunk.bytes.buffer);
    if (decoded.badLines !== null) for (const i of decoded.badLines) bad.add(chunkLine + i);
    chunkLine += countLines(chunk.bytes);
    carry += decoded.text;
    // The chunk ends at a line break; a record may still be open inside quotes.
    if (!carry.endsWith('\n')) carry += '\n';
    for (;;) {
      const end = lastCsvRecordEnd(carry);
      if (end > 0) {
        yield* emit(carry.slice(0, end));
        carry = carry.slice(end);
        break;
      }
      if (carry.length <= maxRecordChars) break;
      const nl = carry.indexOf('\n');
      yield { row: undefined, line: nextLine, malformed: `a quote opened on this line is not closed within ${maxRecordChars} characters (maxRecordChars); reading goes on from the next line` };
      nextLine++;
      carry = carry.slice(nl + 1);
    }
  }
  if (carry.length > 0) yield* emit(carry);
}

function spansBadLine(first: number, text: string, bad: Set<number>): boolean {
  let line = first;
  if (bad.has(line)) return true;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) if (bad.has(++line)) return true;
  return false;
}
