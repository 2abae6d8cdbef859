/**
 * Running one batch through a task's row function: the loop shared by pool workers (worker.ts) and the
 * in-thread runner (inline.ts), so both give the same outcomes for the same rows.
 *
 * Rows are produced one at a time (a chunk's records are parsed as they are reached), the shared cursor
 * names the running row, and results are gathered for the whole batch: values in one array (all-number
 * results in one Float64Array), or, in bytes mode, every row's string or bytes joined into one buffer.
 * Failures are a sparse list beside them.
 */
import { countLines } from './chunks.js';
import { chunkReader } from './formats.js';
import type { RecordReader } from './formats.js';
import { packedLength, packedRow } from './pack.js';
import type { PackedRows } from './pack.js';
import type { PendingCounts } from './counters.js';
import { addFailure, FAIL_BAD_OUTPUT, FAIL_MALFORMED, FAIL_THREW, noFailures } from './failures.js';
import { CURSOR_ALL_RAN, CURSOR_BATCH, CURSOR_PREPARING, CURSOR_ROW } from './protocol.js';
import type { BatchMessage, DoneMessage } from './protocol.js';
import type { RowFunction, TaskOptions } from './task.js';

/** The task as the executing thread holds it: its row function and options, and the shared data's version. */
export interface Runner {
  fn: RowFunction<unknown, unknown>;
  options: TaskOptions;
  version: number;
}

export async function runBatch(runner: Runner, m: BatchMessage, cursor: Int32Array, counts: PendingCounts): Promise<DoneMessage> {
  const fn = runner.fn;
  // The batch id first, with the row unknown: a death while decoding blames no row.
  Atomics.store(cursor, CURSOR_ROW, CURSOR_PREPARING);
  Atomics.store(cursor, CURSOR_BATCH, m.id);
  const t0 = process.hrtime.bigint();
  if (m.t === 'chunk' && Atomics.load(m.lineCount, 0) < 0) Atomics.store(m.lineCount, 0, countLines(m.bytes));
  const reader = m.t === 'rows' ? packedReader(m.rows) : chunkReader(m.bytes, m.format, m.columns, m.delimiter, 1, runner.options.reuseRows === true);
  let limit = Infinity;
  if (m.t === 'chunk') {
    for (let skipped = 0; skipped < m.from && reader.next(); skipped++);
    if (m.to >= 0) limit = m.to - m.from;
  }
  const out = m.output === 'bytes' ? new BytesOut(m.out) : new ValuesOut(m.t === 'chunk');
  const failures = noFailures();
  let k = 0;
  for (; k < limit && reader.next(); k++) {
    Atomics.store(cursor, CURSOR_ROW, k);
    const line = reader.line;
    if (reader.malformed !== null) {
      addFailure(failures, k, line, FAIL_MALFORMED, reader.malformed);
      out.skip(line);
      continue;
    }
    let v: unknown;
    try {
      v = fn(reader.row);
      if (typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function') v = await v;
    } catch (e) {
      addFailure(failures, k, line, FAIL_THREW, e);
      out.skip(line);
      continue;
    }
    const bad = out.add(v, line);
    if (bad !== null) addFailure(failures, k, line, FAIL_BAD_OUTPUT, bad);
  }
  Atomics.store(cursor, CURSOR_ROW, CURSOR_ALL_RAN);
  const done: DoneMessage = { t: 'done', id: m.id, n: k, values: null, bytes: null, lines: null, failures, nanos: Number(process.hrtime.bigint() - t0), version: runner.version, counts: counts.take() };
  out.finish(done);
  return done;
}

function packedReader(rows: PackedRows): RecordReader {
  const n = packedLength(rows);
  let i = -1;
  const reader: RecordReader = {
    row: undefined,
    line: 0,
    malformed: null,
    next() {
      if (++i >= n) return false;
      reader.row = packedRow(rows, i);
      return true;
    },
  };
  return reader;
}

/** The ArrayBuffers a finished batch's message should transfer rather than copy. */
export function transferables(done: DoneMessage): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (done.bytes !== null && !(done.bytes.buffer instanceof SharedArrayBuffer)) out.push(done.bytes.buffer as ArrayBuffer);
  if (done.values instanceof Float64Array) out.push(done.values.buffer as ArrayBuffer);
  if (done.lines !== null) out.push(done.lines.buffer as ArrayBuffer);
  return out;
}

interface Output {
  /** Records a row's result; returns why it cannot be output, or null. */
  add(v: unknown, line: number): string | null;
  /** A row without a result (it failed). */
  skip(line: number): void;
  finish(done: DoneMessage): void;
}

class ValuesOut implements Output {
  private readonly values: unknown[] = [];
  private allNumbers = true;
  private readonly lines: GrowableInts | null;

  constructor(withLines: boolean) {
    this.lines = withLines ? new GrowableInts() : null;
  }

  add(v: unknown, line: number): null {
    this.values.push(v);
    if (typeof v !== 'number') this.allNumbers = false;
    this.lines?.push(line);
    return null;
  }

  skip(line: number): void {
    this.values.push(undefined);
    this.allNumbers = false;
    this.lines?.push(line);
  }

  finish(done: DoneMessage): void {
    done.values = this.allNumbers && this.values.length > 0 ? Float64Array.from(this.values as number[]) : this.values;
    done.lines = this.lines?.take() ?? null;
  }
}

/**
 * Each row's string is written straight into the batch's output slab (a shared buffer the pool reuses),
 * one native write per row: 0.46 ms per 400 KB here, against 2.5 ms to join the strings and encode the
 * whole (a large string, and a new buffer, every batch). Past the slab's end, the rest goes into a
 * buffer of this thread's own, which is transferred.
 */
class BytesOut implements Output {
  private buf: Buffer;
  private at = 0;
  private own = false;

  constructor(slab: SharedArrayBuffer | null) {
    this.buf = slab === null ? Buffer.allocUnsafeSlow(64 << 10) : Buffer.from(slab);
    this.own = slab === null;
  }

  add(v: unknown, _line: number): string | null {
    if (typeof v === 'string') {
      // A UTF-16 unit takes at most 3 bytes of UTF-8: measure exactly only when it might not fit.
      if (this.at + 3 * v.length > this.buf.length) this.room(Buffer.byteLength(v));
      this.at += this.buf.write(v, this.at);
    } else if (v instanceof Uint8Array) {
      this.room(v.byteLength);
      this.buf.set(v, this.at);
      this.at += v.byteLength;
    } else if (v !== null && v !== undefined) return describeValue(v);
    return null;
  }

  skip(_line: number): void {}

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    this.own = true;
  }

  finish(done: DoneMessage): void {
    const b = this.buf;
    // A buffer of our own is copied to an exact-size one only when it is mostly empty.
    done.bytes = this.own && this.at < b.length / 2 ? new Uint8Array(b.subarray(0, this.at)) : new Uint8Array(b.buffer, b.byteOffset, this.at);
  }
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** An Int32Array that grows by doubling (a row's file line, per row, without a JS array of numbers). */
class GrowableInts {
  private a = new Int32Array(1024);
  private n = 0;

  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }

  take(): Int32Array {
    return this.a.slice(0, this.n);
  }
}
