// Bootstrap of every pool worker: registers tsx when the runtime or the task module is TypeScript
// (Node 20 does not apply `--import tsx` from a Worker's execArgv), then starts the pool's worker runtime.
import { workerData } from 'node:worker_threads';

if (workerData.tsx) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (e) {
    throw new Error(`@sabre/pool: the task ${workerData.task} is TypeScript, which needs tsx installed (npm i -D tsx) or a built .js task module`, { cause: e });
  }
  register();
}
await import(workerData.runtime);
