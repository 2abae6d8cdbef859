/**
 * Reads the spec files (CSV, through csv-parse) and builds the Classifier arena, then saves it beside
 * them: later runs load the saved arena (one read, verified) instead of building it again. The file
 * name carries a key of its inputs (the format version, the schema's layout hash, each spec file's size
 * and modification time), so a changed rule file, schema or format builds anew; a saved file that is
 * refused anyway (damaged, say) is rebuilt too.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { ArenaError, FORMAT_MAJOR, type Arena } from '@sabre/arena';
import { load, save } from '@sabre/arena/node';
import { buildAsync } from '@sabre/schema';
import { Classifier as Layout } from './__generated__/classifier.js';
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

const SPEC_FILES = ['keywords.csv', 'paths.csv', 'ips.csv'];

/** The saved arena's path for the current spec files and schema. */
export function rulesPath(dataDir: string): string {
  const h = createHash('sha256').update(`${FORMAT_MAJOR}:${Layout.layoutHash.toString(16)}`);
  for (const name of SPEC_FILES) {
    const s = statSync(join(dataDir, 'spec', name));
    h.update(`${name}:${s.size}:${s.mtimeMs}`);
  }
  return join(dataDir, `rules-${h.digest('hex').slice(0, 16)}.sabre`);
}

/** The rules arena: loaded when a saved one matches the inputs, else built and saved (older saves removed). */
export async function loadOrBuildRules(dataDir: string): Promise<{ arena: Arena; built: boolean; path: string }> {
  const path = rulesPath(dataDir);
  if (existsSync(path)) {
    try {
      return { arena: await load(path, { layoutHash: Layout.layoutHash }), built: false, path };
    } catch (err) {
      // A cache that cannot be used (saved by an older format, damaged) is rebuilt, never fatal.
      if (!ArenaError.is(err)) throw err;
      console.warn(`rebuilding the rules arena: the saved one was refused (${err.code})`);
    }
  }
  const arena = await buildRules(join(dataDir, 'spec'));
  for (const f of readdirSync(dataDir)) if (/^rules-[0-9a-f]+\.sabre$/.test(f)) rmSync(join(dataDir, f), { force: true });
  await save(arena, path);
  return { arena, built: true, path };
}
