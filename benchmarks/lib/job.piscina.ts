// Piscina's worker for the job benchmark: the seed job done the way a Piscina user would, with the
// rules as plain Maps and typed arrays structured-cloned into every worker (workerData), and a block of
// whole CSV lines per task (Piscina's own advice against one task per row). Bundled to JavaScript by
// build-job.ts, because Piscina's workers cannot load TypeScript; it mirrors examples/classifier/classify.task.ts.
import { workerData } from 'piscina';
import { parseIpv4 } from '../../examples/classifier/ip.js';

const { keywords, paths, firsts, lasts, nets } = workerData as {
  keywords: Map<string, string>;
  paths: Map<string, string>;
  firsts: Uint32Array;
  lasts: Uint32Array;
  nets: string[];
};

const ipOf = (s: string): number => {
  try {
    return parseIpv4(s);
  } catch {
    return -1;
  }
};

function network(ip: number): string {
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (firsts[mid]! <= ip) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && ip <= lasts[hi]! ? nets[hi]! : '';
}

function section(url: string): string {
  for (let n = url.length; n > 0; n--) {
    const label = paths.get(url.slice(0, n));
    if (label !== undefined) return label;
  }
  return '';
}

/** A block of whole lines → { text: the output lines, failed: rows that failed }. */
export default function classifyBlock(block: string): { text: string; failed: number } {
  let out = '';
  let failed = 0;
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf('\n', start);
    if (end < 0) end = block.length;
    const line = block.slice(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    const f = line.split(',');
    const ip = f.length === 4 ? ipOf(f[1]!) : -1;
    if (ip < 0) {
      failed++;
      continue;
    }
    let topic = '';
    for (const word of f[3]!.split(' ')) {
      const label = keywords.get(word);
      if (label !== undefined) {
        topic = label;
        break;
      }
    }
    out += `${f[0]},${topic},${section(f[2]!)},${network(ip)}\n`;
  }
  return { text: out, failed };
}
