/**
 * The same job the way it is usually written, for comparison: one thread, csv-parse's stream parser,
 * a Map of keywords, a Map of path prefixes tried from the longest, and a binary search over sorted
 * IP blocks. Run in its own process by main.ts (so its peak RSS is its own):
 *
 *   tsx baseline.ts <data dir> <results file>
 *
 * Prints one JSON line: setup time, classify time, rows and failed rows.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { parseIpv4 } from './ip.js';

const [dir = '', out = ''] = process.argv.slice(2);

async function readCsv(path: string, each: (r: Record<string, string>) => void): Promise<void> {
  for await (const r of createReadStream(path).pipe(parse({ columns: true }))) each(r as Record<string, string>);
}

const t0 = performance.now();
const keywords = new Map<string, string>();
await readCsv(join(dir, 'spec', 'keywords.csv'), (r) => keywords.set(r['word']!, r['label']!));
const paths = new Map<string, string>();
await readCsv(join(dir, 'spec', 'paths.csv'), (r) => paths.set(r['prefix']!, r['label']!));
const firsts: number[] = [];
const lasts: number[] = [];
const nets: string[] = [];
await readCsv(join(dir, 'spec', 'ips.csv'), (r) => {
  firsts.push(parseIpv4(r['first']!));
  lasts.push(parseIpv4(r['last']!));
  nets.push(r['label']!);
});
const setupMs = performance.now() - t0;

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

const t1 = performance.now();
const results = createWriteStream(out);
let rows = 0;
let failed = 0;
const parser = createReadStream(join(dir, 'visits.csv')).pipe(
  parse({
    columns: true,
    skip_records_with_error: true,
    on_skip: () => {
      rows++;
      failed++;
      return undefined;
    },
  }),
);
let pending: string[] = [];
for await (const v of parser as AsyncIterable<Record<string, string>>) {
  rows++;
  let ip: number;
  try {
    ip = parseIpv4(v['ip']!);
  } catch {
    failed++;
    continue;
  }
  let topic = '';
  for (const word of v['text']!.split(' ')) {
    const label = keywords.get(word);
    if (label !== undefined) {
      topic = label;
      break;
    }
  }
  pending.push(`${v['id']},${topic},${section(v['url']!)},${network(ip)}\n`);
  if (pending.length === 4096) {
    if (!results.write(pending.join(''))) await once(results, 'drain');
    pending = [];
  }
}
results.end(pending.join(''));
await once(results, 'finish');
const classifyMs = performance.now() - t1;
console.log(JSON.stringify({ setupMs, classifyMs, rows, failed }));
