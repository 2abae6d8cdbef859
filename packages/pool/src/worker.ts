/**
 * The worker runtime: loads the task module, runs `init` with the shared data, then runs batches
 * (execute.ts) strictly one after another and sends each batch's results back in one message. An update
 * (pool.update(), update.ts) runs `init` again on new shared data, between two batches.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PendingCounts } from './counters.js';
import { runBatch, transferables } from './execute.js';
import type { Runner } from './execute.js';
import { addFailure, FAIL_UNSENDABLE, mergeFailures, noFailures } from './failures.js';
import type { DoneMessage, FromWorker, ToWorker, UpdateMessage, WorkerInit } from './protocol.js';
import { initTask, loadTask } from './task-loader.js';

const port = parentPort;
if (port === null) throw new Error('@sabre/pool: worker.ts runs only inside a pool worker');
const init = workerData as WorkerInit;
const cursor = new Int32Array(init.cursor);
const counts = new PendingCounts(init.counterNames, new BigInt64Array(init.counters));

const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

const ctx = { workerIndex: init.workerIndex, counter: (name: string) => counts.counter(name) };
const started = await loadTask(init.task, init.shared, ctx);
// The start's shared data now lives in the task (as long as its version is in force): drop this
// thread's own reference, or an update could never free the arenas it replaces.
init.shared = {};
if (!started.ok) post({ t: 'init-failed', stage: started.stage, error: started.error, ...(started.got === undefined ? {} : { got: started.got }) });
else {
  const task = started.task;
  let runner: Runner = { fn: started.fn, options: started.options, version: init.version };
  // During an update, the row function of the version before it: kept until the pool commits (dropped,
  // so the old arenas can be freed) or rolls back (another worker's init failed: switch back).
  let previous: Runner | null = null;
  const update = async (m: UpdateMessage): Promise<void> => {
    if (m.t === 'commit') {
      if (runner.version === m.version) previous = null;
      collectGarbage();
    } else if (m.t === 'rollback') {
      if (runner.version === m.version && previous !== null) [runner, previous] = [previous, null];
    } else {
      const next = await initTask(task, m.shared, ctx);
      if (!next.ok) post({ t: 'update-failed', version: m.version, error: next.error });
      else {
        previous = runner;
        runner = { fn: next.fn, options: next.options, version: m.version };
        post({ t: 'updated', version: m.version });
      }
    }
  };
  // Messages arrive while an async row runs; they queue here so batches (and updates, which come
  // between them) run strictly one after another.
  const queue: ToWorker[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (m.t === 'rows' || m.t === 'chunk') send(await runBatch(runner, m, cursor, counts));
      else await update(m);
    }
    running = false;
  };
  port.on('message', (m: ToWorker) => {
    queue.push(m);
    if (!running) void drain();
  });
  post({ t: 'ready' });
}

/**
 * After an update, the old arenas are garbage here, but an idle worker allocates too little for V8 to
 * collect soon: measured, 100 updates of a 50 MB arena held up to 1.6 GB of old arenas across two
 * workers before a collection freed them. One full collection per update (a rare event; the cost is this
 * worker's heap, not the arenas) frees them at once. `gc` is reached the way test runners reach it:
 * enabling the flag, then taking the function from a fresh context (it exists only in contexts made
 * after the flag is set).
 */
let gc: (() => void) | null | undefined;
function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
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
