/**
 * Reads the spec files (CSV, through csv-parse) and builds the Classifier arena. One pass per file,
 * streamed: the rows go straight into the builder, no intermediate Map.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import type { Arena } from '@sabre/arena';
import { buildAsync } from '@sabre/schema';
import { Classifier } from './classifier.schema.js';
import { parseIpv4 } from './ip.js';

async function* rows<T>(path: string, map: (r: Record<string, string>) => T): AsyncGenerator<T> {
  for await (const r of createReadStream(path).pipe(parse({ columns: true }))) yield map(r as Record<string, string>);
}

export function buildRules(specDir: string): Promise<Arena> {
  return buildAsync(Classifier, {
    keywords: rows(join(specDir, 'keywords.csv'), (r) => ({ word: r['word']!, label: r['label']! })),
    paths: rows(join(specDir, 'paths.csv'), (r) => ({ prefix: r['prefix']!, label: r['label']! })),
    ips: rows(join(specDir, 'ips.csv'), (r) => ({ first: parseIpv4(r['first']!), last: parseIpv4(r['last']!), label: r['label']! })),
  });
}
