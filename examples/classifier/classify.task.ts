/**
 * The task each worker runs: open the shared Classifier arena once, then turn each visit into one line
 * of results.csv. A visit whose IP is not an address throws, which fails that row alone.
 */
import { defineTask } from '@sabre/pool/task';
import { Classifier } from './__generated__/classifier.js';
import { parseIpv4 } from './ip.js';

/** A row of visits.csv, as the pool's CSV source gives it. */
export type Visit = Record<'id' | 'ip' | 'url' | 'text', string>;

export default defineTask((shared: { rules: SharedArrayBuffer }, ctx) => {
  const rules = Classifier.open(shared.rules);
  const unmatched = ctx.counter('unmatched');
  return (visit: Visit): string => {
    const ip = parseIpv4(visit.ip);
    let topic = '';
    for (const word of visit.text.split(' ')) {
      const hit = rules.keywords.get(word);
      if (hit !== undefined) {
        topic = hit.label;
        break;
      }
    }
    const section = rules.paths.longestPrefix(visit.url)?.label ?? '';
    const network = rules.ips.find(ip)?.label ?? '';
    if (topic === '' && section === '' && network === '') unmatched.add();
    return `${visit.id},${topic},${section},${network}\n`;
  };
});
