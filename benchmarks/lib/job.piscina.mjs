// Piscina's worker for the job benchmark: the seed job done the way a Piscina user would, with the
// rules as plain Maps and typed arrays structured-cloned into every worker (workerData), and a block of
// whole CSV lines per task (Piscina's own advice against one task per row). Written in JavaScript
// because Piscina's workers cannot load TypeScript; it mirrors examples/classifier/classify.task.ts.
import { workerData } from 'piscina';

const { keywords, paths, firsts, lasts, nets } = workerData;

function parseIpv4(s) {
  let ip = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else if (c === 46 && digits > 0 && part <= 255) {
      ip = ip * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  return dots === 4 ? ip : -1;
}

function network(ip) {
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (firsts[mid] <= ip) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && ip <= lasts[hi] ? nets[hi] : '';
}

function section(url) {
  for (let n = url.length; n > 0; n--) {
    const label = paths.get(url.slice(0, n));
    if (label !== undefined) return label;
  }
  return '';
}

/** A block of whole lines → { text: the output lines, failed: rows that failed }. */
export default function classifyBlock(block) {
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
    const ip = f.length === 4 ? parseIpv4(f[1]) : -1;
    if (ip < 0) {
      failed++;
      continue;
    }
    let topic = '';
    for (const word of f[3].split(' ')) {
      const label = keywords.get(word);
      if (label !== undefined) {
        topic = label;
        break;
      }
    }
    out += `${f[0]},${topic},${section(f[2])},${network(ip)}\n`;
  }
  return { text: out, failed };
}
