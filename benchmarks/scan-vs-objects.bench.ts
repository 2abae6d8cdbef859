/**
 * Question: how fast is a full scan of a table through generated getters?
 * Baseline: the same rows as an array of plain JS objects (what a program holds before sabre).
 * sabre: `for (const e of events.events)` (one reused cursor view) reading every field, strings
 * through the per-worker decode cache; and `forEach`.
 */
import { build } from '@sabre/schema';
import { FULL, isMain, suite, type Row } from './lib/suite.js';
import { Events as EventsView } from './schemas/__generated__/events.js';
import { Events } from './schemas/scan.schema.js';

export async function run(): Promise<{ rows: Row[] }> {
  const n = FULL ? 5_000_000 : 1_000_000;
  const tags = Array.from({ length: 1000 }, (_, i) => `tag-${i}`);
  const objects = Array.from({ length: n }, (_, i) => ({ id: i, score: i / 3, tag: tags[(i * 7919) % 1000] as string, flagged: i % 5 === 0 }));
  const events = EventsView.open(build(Events, { events: objects }).buffer);
  let sink = 0;
  const check = (sum: number) => {
    if (sum !== expected) throw new Error(`scan sum ${sum} differs from the reference ${expected}`);
    sink += sum;
  };
  let expected = 0;
  for (const o of objects) expected += o.id + o.score + o.tag.length + (o.flagged ? 1 : 0);

  const rows = await suite(`Scan ${n.toLocaleString('en-US')} rows, reading every field`, 'scan-vs-objects', 'array of plain objects', n, [
    {
      name: 'array of plain objects',
      fn: () => {
        let sum = 0;
        for (const o of objects) sum += o.id + o.score + o.tag.length + (o.flagged ? 1 : 0);
        check(sum);
      },
    },
    {
      name: 'sabre table, for…of (reused cursor)',
      fn: () => {
        let sum = 0;
        for (const e of events.events) sum += e.id + e.score + e.tag.length + (e.flagged ? 1 : 0);
        check(sum);
      },
    },
    {
      name: 'sabre table, forEach',
      fn: () => {
        let sum = 0;
        events.events.forEach((e) => {
          sum += e.id + e.score + e.tag.length + (e.flagged ? 1 : 0);
        });
        check(sum);
      },
    },
  ]);
  if (sink === 0.5) console.log('');
  return { rows };
}

if (isMain(import.meta.url)) await run();
