/**
 * What `sabre check` compares. Every generated file carries a digest of its own text, so a file a
 * formatter has rewritten (quotes, wrapping, trailing commas) is still recognised as the generator's
 * current output, while a schema change — a new digest — is stale. A file edited by hand keeps its
 * old digest and passes: the header says not to edit it, and `sabre gen` would overwrite it anyway.
 */
import { createHash } from 'node:crypto';

const DIGEST = /^\/\/ sabre-digest: ([0-9a-f]{64})\b.*$/m;

/** `text` with a digest line after its header comment (its first two lines). */
export function stamp(text: string): string {
  const digest = createHash('sha256').update(text).digest('hex');
  const lines = text.split('\n');
  lines.splice(2, 0, `// sabre-digest: ${digest} (what sabre check compares: formatting this file is safe)`);
  return lines.join('\n');
}

export type Freshness = 'same' | 'reformatted' | 'stale';

/** How `existing` (a file on disk) compares with `expected` (a stamped output). */
export function freshness(existing: string, expected: string): Freshness {
  if (existing === expected) return 'same';
  const want = DIGEST.exec(expected)?.[1];
  return want !== undefined && DIGEST.exec(existing)?.[1] === want ? 'reformatted' : 'stale';
}
