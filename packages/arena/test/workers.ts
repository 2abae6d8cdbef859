import { Worker } from 'node:worker_threads';

const ENTRY = new URL('../../../scripts/ts-worker.mjs', import.meta.url);

/**
 * Starts a TypeScript worker on source, as tests run: tsx registered inside the worker and the `source`
 * export condition, so `@sabre/*` resolves to src. The entry sees its own data as `workerData.data`.
 */
export function tsWorker(file: URL, data?: unknown): Worker {
  return new Worker(ENTRY, { workerData: { entry: file.href, data }, execArgv: ['--conditions=@sabre/source'] });
}

/** The worker's next message; rejects if it errors or exits first. */
export function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker exited with code ${code} before replying`));
    };
    const onMessage = (m: T) => {
      cleanup();
      resolve(m);
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onMessage);
  });
}
