// Receives either a structured-cloned Map or an arena's SharedArrayBuffer, reads one entry through it,
// and replies with the value, the time its handler spent, and how much its own V8 heap grew since the
// last ping.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { Arena } from '@sabre/arena';

type Msg =
  | { id: number; kind: 'map'; map: Map<string, { id: number; score: number }>; probe: string }
  | { id: number; kind: 'arena'; buffer: SharedArrayBuffer; row: number }
  | { id: number; kind: 'ping' };

const port = parentPort;
if (port === null) throw new Error('give.worker.ts must run in a worker thread');
let _keep: unknown; // holds what was received, as an application would, so the heap reading is honest
// Heap size when last idle. A cloned Map is deserialized before the handler runs, so growth is
// measured from here, not from the handler's first line.
let idleHeap = 0;

port.on('message', (msg: Msg) => {
  if (msg.kind === 'ping') {
    idleHeap = getHeapStatistics().used_heap_size;
    return port.postMessage({ id: msg.id, reply: 'pong' });
  }
  const t0 = performance.now();
  let value: number;
  if (msg.kind === 'map') {
    _keep = msg.map;
    value = msg.map.get(msg.probe)?.id ?? -1;
  } else {
    const arena = Arena.open(msg.buffer);
    _keep = arena;
    value = arena.section('rows').view.getUint32(msg.row * 16 + 4, true);
  }
  const ms = performance.now() - t0;
  port.postMessage({ id: msg.id, reply: { value, ms, heapGrowth: getHeapStatistics().used_heap_size - idleHeap } });
});
