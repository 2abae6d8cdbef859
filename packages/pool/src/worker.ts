/**
 * The worker runtime: loads the task module, runs `init` once with the shared data, then runs batches.
 * Per row it only stores its position in the shared cursor (so a crash names the row); the outcomes of
 * a batch go back in one message, with all-number results packed into one transferred Float64Array.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PoolErrors, toSent } from './errors.js';
import type { SentError } from './errors.js';
import { parseChunk } from './formats.js';
import { CURSOR_ALL_RAN, CURSOR_BATCH, CURSOR_ROW, FAIL_MALFORMED, FAIL_THREW, FAIL_UNSENDABLE } from './protocol.js';
import type { ChunkMessage, DoneMessage, FromWorker, RowsMessage, ToWorker, WorkerInit } from './protocol.js';
import { isTask } from './task.js';
import type { Counter, RowFunction, TaskContext } from './task.js';

const port = parentPort;
if (port === null) throw new Error('@sabre/pool: worker.ts runs only inside a pool worker');
const init = workerData as WorkerInit;
const cursor = new Int32Array(init.cursor);
const totals = new BigInt64Array(init.counters);
const pending = new Float64Array(init.counterNames.length);
let pendingUsed = false;

const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

function counter(name: string): Counter {
  const i = init.counterNames.indexOf(name);
  if (i < 0) throw PoolErrors.unknownCounter(name, init.counterNames);
  return {
    add(n = 1) {
      pending[i] += n;
      pendingUsed = true;
    },
    read: () => Number(Atomics.load(totals, i)) + pending[i]!,
  };
}

async function start(): Promise<RowFunction<unknown, unknown> | null> {
  let mod: { default?: unknown };
  try {
    mod = (await import(init.task)) as { default?: unknown };
  } catch (e) {
    post({ t: 'init-failed', stage: 'load', error: toSent(e) });
    return null;
  }
  const task = mod.default;
  if (!isTask(task)) {
    post({ t: 'init-failed', stage: 'not-task', error: toSent(new Error('not a task')), got: task === null ? 'null' : typeof task });
    return null;
  }
  const ctx: TaskContext = { workerIndex: init.workerIndex, counter };
  try {
    const fn = await task.init(init.shared, ctx);
    if (typeof fn !== 'function') throw new TypeError(`init must return the row function, got ${fn === null ? 'null' : typeof fn}`);
    return fn;
  } catch (e) {
    post({ t: 'init-failed', stage: 'init', error: toSent(e) });
    return null;
  }
}

const fn = await start();
if (fn !== null) {
  // Messages arrive while an async row runs; they queue here so batches run strictly one after another.
  const queue: ToWorker[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (queue.length > 0) await runBatch(fn, queue.shift()!);
    running = false;
  };
  port.on('message', (m: ToWorker) => {
    queue.push(m);
    if (!running) void drain();
  });
  post({ t: 'ready' });
}

async function runBatch(fn: RowFunction<unknown, unknown>, m: ToWorker): Promise<void> {
  const t0 = process.hrtime.bigint();
  let rows: unknown[];
  let from = 0;
  let to: number;
  let lines: Int32Array | null = null;
  let malformed: Map<number, string> | null = null;
  // Set before parsing, so a crash while parsing a chunk blames its first record, not an older batch.
  Atomics.store(cursor, CURSOR_ROW, 0);
  Atomics.store(cursor, CURSOR_BATCH, m.id);
  if (m.t === 'rows') {
    rows = (m as RowsMessage).rows;
    to = rows.length;
  } else {
    const c = m as ChunkMessage;
    const parsed = parseChunk(c.bytes, c.format, c.columns, c.delimiter, c.firstLine);
    rows = parsed.records;
    from = Math.min(c.from, rows.length);
    to = c.to < 0 ? rows.length : Math.min(c.to, rows.length);
    lines = parsed.lines.subarray(from, to);
    malformed = parsed.malformed;
  }
  const n = to - from;
  const values = new Array<unknown>(n);
  const failures: (number | SentError | string)[] = [];
  let allNumbers = true;
  for (let k = 0; k < n; k++) {
    Atomics.store(cursor, CURSOR_ROW, k);
    const r = from + k;
    if (malformed !== null && malformed.has(r)) {
      failures.push(k, FAIL_MALFORMED, malformed.get(r)!);
      continue;
    }
    try {
      let v = fn(rows[r]);
      if (typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function') v = await v;
      values[k] = v;
      if (typeof v !== 'number') allNumbers = false;
    } catch (e) {
      failures.push(k, FAIL_THREW, toSent(e));
    }
  }
  Atomics.store(cursor, CURSOR_ROW, CURSOR_ALL_RAN);
  const nanos = Number(process.hrtime.bigint() - t0);
  const counts = pendingUsed ? pending.slice() : null;
  pending.fill(0);
  pendingUsed = false;
  if (allNumbers && failures.length === 0 && n > 0) {
    const packed = Float64Array.from(values as number[]);
    const msg: DoneMessage = { t: 'done', id: m.id, values: packed, failures, lines, nanos, counts };
    post(msg, [packed.buffer]);
    return;
  }
  const msg: DoneMessage = { t: 'done', id: m.id, values, failures, lines, nanos, counts };
  try {
    post(msg);
  } catch (e) {
    // Some result cannot be cloned: find which, fail those rows alone, send the rest.
    for (let k = 0; k < n; k++) {
      try {
        structuredClone(values[k]);
      } catch (cloneError) {
        values[k] = undefined;
        failures.push(k, FAIL_UNSENDABLE, toSent(cloneError));
      }
    }
    if (failures.length === 0) failures.push(0, FAIL_UNSENDABLE, toSent(e));
    post(msg);
  }
}

