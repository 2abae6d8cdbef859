/**
 * New rules under a running job, with no restart: `npx tsx --conditions=@sabre/source examples/classifier/hot-swap.ts`.
 *
 * A pool classifies a long stream of visits with the rules in `rules.arena`. A third of the way in, the
 * rule file is replaced (save() renames a new file into place, as any deploy would), adding the keyword
 * "sabre" → topic "swapped". watchArena sees the new file, loads and verifies it, and hands it to
 * pool.update: every batch sent from then on runs on the new rules, and each batch says which version
 * it ran on. The end checks that no visit with "sabre" was classified by the rules its batch did not
 * report, and prints how the visits split between the two versions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { save, watchArena } from '@sabre/arena/node';
import { createPool } from '@sabre/pool';
import { build } from '@sabre/schema';
import { Classifier as Layout } from './__generated__/classifier.js';
import { Classifier } from './classifier.schema.js';
import type classify from './classify.task.ts';
import type { Visit } from './classify.task.ts';

const VISITS = Number(process.argv[2] ?? 600_000);
const rules = (extra: { word: string; label: string }[]) =>
  build(Classifier, {
    keywords: [{ word: 'phone', label: 'tech' }, ...extra],
    paths: [{ prefix: '/shop', label: 'shop' }],
    ips: [{ first: 0x0a000000, last: 0x0affffff, label: 'office' }],
  });

const dir = mkdtempSync(join(tmpdir(), 'sabre-hot-swap-'));
const file = join(dir, 'rules.arena');
const pool = createPool<typeof classify>({ task: new URL('./classify.task.ts', import.meta.url), workers: 2, shared: { rules: rules([]) }, counters: ['unmatched'] });
const stopWatching = new AbortController();
try {
  await save(rules([]), file);
  // The watcher: each new rule file, verified, becomes the pool's rules.
  const watcher = (async () => {
    const options = { layoutHash: Layout.layoutHash, signal: stopWatching.signal, onError: (e: Error) => console.error(`rules file refused, old rules kept: ${e.message}`) };
    for await (const arena of watchArena(file, options)) console.log(`rules version ${await pool.update({ rules: arena })} in force`);
  })();

  // Visits arrive over time, as from a queue or a socket (10k every 20 ms), so the run is still going
  // when the new file lands.
  async function* visits(): AsyncGenerator<Visit> {
    for (let i = 0; i < VISITS; i++) {
      if (i % 10_000 === 0) await new Promise((r) => setTimeout(r, 20));
      yield { id: String(i), ip: '10.0.0.1', url: '/shop/x', text: i % 2 === 0 ? 'a sabre phone' : 'a phone' };
    }
  }
  const byVersion = new Map<number, { rows: number; swapped: number }>();
  let seen = 0;
  let deployed = false;
  for await (const batch of pool.imap(visits()).batches()) {
    const tally = byVersion.get(batch.version) ?? { rows: 0, swapped: 0 };
    for (let k = 0; k < batch.length; k++) {
      const line = batch.values?.[k] ?? '';
      const swapped = line.split(',')[1] === 'swapped';
      // Visit k of this batch says "sabre" when its index is even: version 1 never knew the rule.
      if (swapped !== (batch.version > 1 && batch.indexOf(k) % 2 === 0)) throw new Error(`visit ${batch.indexOf(k)}: "${line.trim()}" does not match rules version ${batch.version}`);
      tally.swapped += swapped ? 1 : 0;
    }
    tally.rows += batch.length;
    byVersion.set(batch.version, tally);
    seen += batch.length;
    if (!deployed && seen >= VISITS / 3) {
      deployed = true;
      await save(rules([{ word: 'sabre', label: 'swapped' }]), file); // the deploy: a new file renamed into place
      console.log(`new rule file saved after ${seen.toLocaleString('en-US')} visits`);
    }
  }
  stopWatching.abort();
  await watcher;
  for (const [version, t] of byVersion) console.log(`version ${version}: ${t.rows.toLocaleString('en-US')} visits, ${t.swapped.toLocaleString('en-US')} classified by the new rule`);
  if (!byVersion.has(2)) throw new Error('the run ended before the new rules were in force: run it with more visits');
  console.log('every visit was classified by the rules its batch reports');
} finally {
  stopWatching.abort();
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
}
