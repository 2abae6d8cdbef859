// What each page writes into <pre id="result"> as JSON: the contract between the pages and the test.
import type { Answers } from './answers.js';

/** The worker's reply to the isolated page. */
export interface WorkerReply {
  crossOriginIsolated: boolean;
  /** The type of the buffer the worker received, by its tag ('SharedArrayBuffer' when shared). */
  buffer: string;
  answers: Answers;
}

/** index.html: the page built the arena and a Web Worker answered from it. */
export interface IsolatedResult {
  page: { crossOriginIsolated: boolean; buffer: string; bytes: number };
  worker: WorkerReply;
}

/** plain.html: no isolation; a fetched arena and one built on the page, both read in this thread. */
export interface PlainResult {
  page: { crossOriginIsolated: boolean; sharedArrayBuffer: string };
  fetched: { buffer: string; answers: Answers };
  built: { buffer: string; answers: Answers };
  /** What `build(..., { shared: true })` threw. */
  refused: { code: string; message: string } | null;
}
