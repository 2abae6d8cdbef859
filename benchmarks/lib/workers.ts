import { Worker } from 'node:worker_threads';

/** A TypeScript worker on source (tsx in the worker, `source` export condition). */
export function tsWorker(file: URL): Worker {
  return new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), { workerData: { entry: file.href }, execArgv: ['--conditions=@sabre/source'] });
}

let nextId = 0;

/**
 * Posts `msg` with a request id and awaits the reply carrying the same id (the worker echoes `id`).
 * Ids matter: benny calls a case once more while preparing it, and a stray reply must not be taken
 * for the answer to a later request. SharedArrayBuffers are shared; everything else is cloned.
 */
export function ask<T>(worker: Worker, msg: object): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`worker exited with code ${code} before replying`));
    };
    const onMessage = (m: { id: number; reply: T }) => {
      if (m.id !== id) return;
      done();
      resolve(m.reply);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...msg, id });
  });
}
