/**
 * The row-function benchmark's lookup data as CSV text (412k IP blocks "first,last,asn", 200k hostname
 * rules "suffix,label"), and the plainest fast parse of it into typed arrays: what the build benchmark
 * compares building an arena against.
 */
import { clusteredRanges, hostnameRules } from './realistic.js';

export const BLOCKS = 412_000;
export const RULES = 200_000;

export function lookupCsv(): { blocks: string; rules: string } {
  const { starts, ends } = clusteredRanges(BLOCKS, 1);
  const parts: string[] = [];
  for (let i = 0; i < BLOCKS; i++) parts.push(`${starts[i]},${ends[i]},${1000 + (i % 60_000)}`);
  const rules = hostnameRules(RULES).map((r, i) => `${r},${1 + (i % 60_000)}`);
  return { blocks: parts.join('\n'), rules: rules.join('\n') };
}

export interface Parsed {
  first: Uint32Array;
  last: Uint32Array;
  asn: Uint32Array;
  suffix: string[];
  label: Uint16Array;
}

/** Splits lines and fields and converts numbers: no library, no per-row object. */
export function parseLookupCsv(csv: { blocks: string; rules: string }): Parsed {
  const lines = csv.blocks.split('\n');
  const first = new Uint32Array(lines.length);
  const last = new Uint32Array(lines.length);
  const asn = new Uint32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const a = l.indexOf(',');
    const b = l.indexOf(',', a + 1);
    first[i] = Number(l.slice(0, a));
    last[i] = Number(l.slice(a + 1, b));
    asn[i] = Number(l.slice(b + 1));
  }
  const ruleLines = csv.rules.split('\n');
  const suffix: string[] = new Array(ruleLines.length);
  const label = new Uint16Array(ruleLines.length);
  for (let i = 0; i < ruleLines.length; i++) {
    const l = ruleLines[i] as string;
    const c = l.lastIndexOf(',');
    suffix[i] = l.slice(0, c);
    label[i] = Number(l.slice(c + 1));
  }
  return { first, last, asn, suffix, label };
}
