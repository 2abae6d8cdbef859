/**
 * The worker runtime: loads the task module, runs `init` once with the shared data, then runs batches
 * (execute.ts) strictly one after another and sends each batch's results back in one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PendingCounts } from './counters.js';
import { runBatch, transferables } from './execute.js';
import { addFailure, FAIL_UNSENDABLE, mergeFailures, noFailures } from './failures.js';
import type { DoneMessage, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { loadTask } from './task-loader.js';

const port = parentPort;
if (port === null) throw new Error('@sabre/pool: worker.ts runs only inside a pool worker');
const init = workerData as WorkerInit;
const cursor = new Int32Array(init.cursor);
const counts = new PendingCounts(init.counterNames, new BigInt64Array(init.counters));

const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

const started = await loadTask(init.task, init.shared, { workerIndex: init.workerIndex, counter: (name) => counts.counter(name) });
if (!started.ok) post({ t: 'init-failed', stage: started.stage, error: started.error, ...(started.got === undefined ? {} : { got: started.got }) });
else {
  const runner = { fn: started.fn, options: started.options };
  // Messages arrive while an async row runs; they queue here so batches run strictly one after another.
  const queue: ToWorker[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (queue.length > 0) send(await runBatch(runner, queue.shift()!, cursor, counts));
    running = false;
  };
  port.on('message', (m: ToWorker) => {
    queue.push(m);
    if (!running) void drain();
  });
  post({ t: 'ready' });
}

/**
 * Sends a batch's results. A value that cannot be cloned fails its row alone; should the message still
 * not go (a getter that throws on every other read), every row whose value is an object fails with the
 * reason, and the message, now of plain values only, always goes: the batch never stays without an answer.
 */
function send(done: DoneMessage): void {
  try {
    post(done, transferables(done));
    return;
  } catch {
    // Find the values that cannot be cloned below.
  }
  const values = Array.isArray(done.values) ? done.values : [];
  const failed = new Set(done.failures.k);
  const line = (k: number) => done.lines?.[k] ?? 0;
  const alone = noFailures();
  for (let k = 0; k < values.length; k++) {
    if (failed.has(k)) continue;
    try {
      structuredClone(values[k]);
    } catch (e) {
      values[k] = undefined;
      failed.add(k);
      addFailure(alone, k, line(k), FAIL_UNSENDABLE, e);
    }
  }
  done.failures = mergeFailures(done.failures, alone);
  try {
    post(done, transferables(done));
  } catch (e) {
    const objects = noFailures();
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (failed.has(k) || v === null || (typeof v !== 'object' && typeof v !== 'function')) continue;
      values[k] = undefined;
      addFailure(objects, k, line(k), FAIL_UNSENDABLE, e);
    }
    done.failures = mergeFailures(done.failures, objects);
    post(done, transferables(done));
  }
}
