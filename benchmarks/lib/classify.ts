/**
 * The lookup-heavy row of the pool benchmarks: a line of 8 words, each looked up in a 1M-keyword map;
 * the row's result is the sum of the values found. The same work runs against a sabre hash map or a Map.
 */
export const KEYWORDS = (n: number): string[] => Array.from({ length: n }, (_, i) => `kw-${i.toString(36)}`);

/** Rows of 8 words, 3 in 4 of them keywords (the rest miss). */
export function textRows(rows: number, keywords: number): string[] {
  const out = new Array<string>(rows);
  let x = 12345;
  for (let r = 0; r < rows; r++) {
    const words: string[] = [];
    for (let w = 0; w < 8; w++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      words.push((x & 3) === 0 ? `miss-${x.toString(36)}` : `kw-${(x % keywords).toString(36)}`);
    }
    out[r] = words.join(' ');
  }
  return out;
}

/** Sums the values of the words found by `get` (which returns -1 for a miss). */
export function classify(row: string, get: (word: string) => number): number {
  let sum = 0;
  let start = 0;
  for (;;) {
    const end = row.indexOf(' ', start);
    const v = get(end < 0 ? row.slice(start) : row.slice(start, end));
    if (v >= 0) sum += v;
    if (end < 0) return sum;
    start = end + 1;
  }
}
