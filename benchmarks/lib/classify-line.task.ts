import { Arena, HashMapView, SectionKind } from '@sabre/arena';
import { defineTask } from '@sabre/pool/task';
import { classify } from './classify.js';

/** classify.task.ts writing one output line per row (what a file job's sink takes). */
export default defineTask((shared: { keywords: SharedArrayBuffer }) => {
  const map = new HashMapView(Arena.open(shared.keywords).section('keywords', SectionKind.HashMap));
  const get = (w: string) => map.get(w);
  return (row: string) => `${classify(row, get)}\n`;
});
