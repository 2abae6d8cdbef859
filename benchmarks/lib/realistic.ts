/**
 * Data shaped like the real thing, deterministic (seeded): the distributions that hid slow paths when
 * benchmarks used evenly spread keys.
 * - `clusteredRanges`: IPv4-style blocks in clusters (allocations), with Zipf-distributed sizes (many
 *   /24s, a few /12s), gaps between clusters; queries mostly inside blocks, weighted like traffic.
 * - `hostnameRules` / `hostnames`: a public-suffix mix (com dominant; two-label suffixes such as
 *   co.uk, com.au) plus registrable domains, and queries "www.name.suffix" drawn with Zipf weights.
 */

/** A small seeded generator (xorshift32): the same data on every run. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** An index in [0, n) with P(k) ∝ 1 / (k + 1)^s. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** s;
  return () => {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface RangeSet {
  starts: Uint32Array;
  ends: Uint32Array;
  /** Queries: 90% inside a block (blocks drawn with Zipf weights), 10% anywhere. */
  queries: Uint32Array;
}

export function clusteredRanges(n: number, q: number, seed = 7): RangeSet {
  const random = rng(seed);
  // Block sizes 2^8 … 2^17 with Zipf weights: /24 most common, /15 rare.
  const sizeRank = zipf(10, 2, random);
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  let at = 0x0100_0000;
  let inCluster = 0;
  for (let i = 0; i < n; i++) {
    if (inCluster === 0) {
      at += Math.floor(random() * 2 ** 17); // a gap before each allocation
      inCluster = 1 + Math.floor(random() * 64);
    }
    inCluster--;
    const size = 2 ** (8 + sizeRank());
    at = Math.ceil(at / 256) * 256;
    if (at + size > 0xffff_ffff) throw new Error('clusteredRanges: ran out of u32 space; use fewer ranges');
    starts[i] = at;
    ends[i] = at + size - 1;
    at += size + (random() < 0.3 ? 256 * Math.floor(random() * 16) : 0);
  }
  const pick = zipf(n, 1.1, random);
  const scatter = new Uint32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [scatter[i], scatter[j]] = [scatter[j] as number, scatter[i] as number];
  }
  const queries = new Uint32Array(q);
  for (let k = 0; k < q; k++) {
    if (random() < 0.1) {
      queries[k] = Math.floor(random() * 2 ** 32);
      continue;
    }
    const b = scatter[pick()] as number; // popular blocks are spread over the space, not the first ones
    queries[k] = (starts[b] as number) + Math.floor(random() * ((ends[b] as number) - (starts[b] as number) + 1));
  }
  return { starts, ends, queries };
}

/**
 * Heavier skew, as real allocation tables have it: dense runs of 500-2,000 adjacent /24 blocks, far
 * apart, so most directory buckets are empty and the rest hold ~100+ ranges. Queries hit blocks uniformly.
 */
export function crowdedRanges(n: number, q: number, seed = 5): RangeSet {
  const random = rng(seed);
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  let at = 0x0100_0000;
  for (let k = 0; k < n; ) {
    at += Math.floor(random() * 2 ** 23);
    const run = 500 + Math.floor(random() * 1500);
    for (let j = 0; j < run && k < n; j++, k++) {
      starts[k] = at;
      ends[k] = at + 255;
      at += 256;
    }
  }
  if ((ends[n - 1] as number) > 0xffff_ffff) throw new Error('crowdedRanges: ran out of u32 space; use fewer ranges');
  const queries = new Uint32Array(q);
  for (let k = 0; k < q; k++) {
    const b = Math.floor(random() * n);
    queries[k] = (starts[b] as number) + Math.floor(random() * 256);
  }
  return { starts, ends, queries };
}

const PUBLIC_SUFFIXES = ['com', 'net', 'org', 'de', 'uk', 'co.uk', 'org.uk', 'jp', 'co.jp', 'ne.jp', 'au', 'com.au', 'br', 'com.br', 'fr', 'it', 'ru', 'cn', 'com.cn', 'in', 'co.in', 'io', 'nl', 'es', 'pl', 'ca', 'ch', 'se', 'kr', 'co.kr'];

/** n rules: the public suffixes, then registrable domains under them (suffix drawn Zipf-weighted). */
export function hostnameRules(n: number, seed = 11): string[] {
  const random = rng(seed);
  const suffix = zipf(PUBLIC_SUFFIXES.length, 1.2, random);
  const rules = new Set(PUBLIC_SUFFIXES.slice(0, Math.min(n, PUBLIC_SUFFIXES.length)));
  for (let i = 0; rules.size < n; i++) rules.add(`${name(i, random)}.${PUBLIC_SUFFIXES[suffix()]}`);
  return [...rules];
}

/** q hostnames: mostly subdomains of rule domains (Zipf-weighted), some unknown names under public suffixes. */
export function hostnames(rules: readonly string[], q: number, seed = 13): string[] {
  const random = rng(seed);
  const pick = zipf(rules.length, 1.05, random);
  const out: string[] = new Array(q);
  const subs = ['www', 'mail', 'api', 'cdn', 'static', 'm', 'shop', 'img'];
  for (let k = 0; k < q; k++) {
    const rule = random() < 0.85 ? (rules[pick()] as string) : `${name(k + 1_000_000, random)}.${PUBLIC_SUFFIXES[Math.floor(random() * PUBLIC_SUFFIXES.length)]}`;
    out[k] = flat(random() < 0.7 ? `${subs[Math.floor(random() * subs.length)]}.${rule}` : rule);
  }
  return out;
}

/**
 * `s` as one flat string. A template literal makes a rope (V8 ConsString) whose every charCodeAt walks
 * its parts; hostnames a job reads come from a parser, as flat strings. Every case gets the same ones.
 */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function name(i: number, random: () => number): string {
  const syllables = ['ka', 'lo', 'mi', 'net', 'sun', 'tech', 'web', 'shop', 'news', 'data', 'cloud', 'bank'];
  return `${syllables[Math.floor(random() * syllables.length)]}${i.toString(36)}`;
}
