// The cross-origin isolated page: it builds the atlas into a SharedArrayBuffer and posts it to a Web
// Worker, which opens it in place (nothing is copied) and answers every question of data.ts.
import { build } from '@sabre/schema';
import { Atlas } from '../atlas.schema.js';
import { atlasInput } from '../data.js';
import type { IsolatedResult, WorkerReply } from '../results.js';
import { bufferKind, run } from './show.js';

void run(async (): Promise<IsolatedResult> => {
  // shared: true so that a page served without COOP/COEP fails here, with the two headers in the message,
  // instead of quietly building an ArrayBuffer that postMessage would copy.
  const arena = build(Atlas, atlasInput, { shared: true });
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<WorkerReply | { error: string }>) => ('error' in e.data ? reject(new Error(`worker: ${e.data.error}`)) : resolve(e.data));
    // A script that did not load gives a bare Event: under COEP, a worker script needs the page's headers too.
    worker.onerror = (e) => reject(new Error(`worker: ${e.message || 'its script did not load (is it served with Cross-Origin-Embedder-Policy: require-corp?)'}`));
  });
  worker.postMessage(arena.buffer);
  try {
    return { page: { crossOriginIsolated, buffer: bufferKind(arena.buffer), bytes: arena.byteLength }, worker: await reply };
  } finally {
    worker.terminate();
  }
});
