// The Web Worker: receives the page's SharedArrayBuffer once and reads it through the generated views.
// Opening copies nothing and costs the same whatever the arena's size. (Type-checked with the DOM
// library, where `self.postMessage(x)` has the one-argument form a worker uses.)
import { Atlas } from '../__generated__/atlas.js';
import { answer } from '../answers.js';
import type { WorkerReply } from '../results.js';
import { bufferKind } from './show.js';

self.onmessage = (e: MessageEvent<SharedArrayBuffer>) => {
  try {
    const atlas = Atlas.open(e.data);
    const reply: WorkerReply = { crossOriginIsolated: self.crossOriginIsolated, buffer: bufferKind(e.data), answers: answer(atlas) };
    self.postMessage(reply);
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
