// The row shape of benchmarks/scan-vs-objects.bench.ts.
import { s } from '@sabre/schema';

const Event = s.struct('Event', {
  id: s.u32(),
  score: s.f64(),
  tag: s.str().describe('One of 1,000 tags: interned, decoded once per worker'),
  flagged: s.bool(),
});
export const Events = s.arena('Events', { events: s.table(Event) });
