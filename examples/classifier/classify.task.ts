/**
 * The task each worker runs: open the shared Classifier arena once, then turn each visit into one line
 * of results.csv (a string: the worker joins a batch's lines into one buffer). A visit whose IP is not
 * an address throws, which fails that row alone.
 */
import { defineTask } from '@sabre/pool/task';
import { Classifier } from './__generated__/classifier.js';
import { parseIpv4 } from './ip.js';

/** The columns of visits.csv the task reads: the pool checks the file's header against them. */
export const VISIT_COLUMNS = ['id', 'ip', 'url', 'text'] as const;
/** A row of visits.csv, as the pool's CSV source gives it. */
export type Visit = Record<(typeof VISIT_COLUMNS)[number], string>;

export default defineTask(
  (shared: { rules: SharedArrayBuffer }, ctx) => {
    const rules = Classifier.open(shared.rules);
    const unmatched = ctx.counter('unmatched');
    // One view per table, owned by this worker: each lookup moves it to the row it found instead of
    // making a new view, so a row allocates nothing for its lookups.
    const keyword = rules.keywords.cursor();
    const path = rules.paths.cursor();
    const block = rules.ips.cursor();
    return (visit: Visit): string => {
      const ip = parseIpv4(visit.ip);
      let topic = '';
      for (const word of visit.text.split(' ')) {
        if (rules.keywords.get(word, keyword) !== undefined) {
          topic = keyword.label;
          break;
        }
      }
      const section = rules.paths.longestPrefix(visit.url, path)?.label ?? '';
      const network = rules.ips.find(ip, block)?.label ?? '';
      if (topic === '' && section === '' && network === '') unmatched.add();
      return `${visit.id},${topic},${section},${network}\n`;
    };
  },
  // The row is read and dropped, never kept: one record object can serve every row of a batch.
  { reuseRows: true },
);
