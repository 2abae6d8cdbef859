/**
 * Deterministic input for the seed job, from a seeded generator: the same arguments give the same bytes.
 *
 *   spec/keywords.csv  word,label          (one row per keyword)
 *   spec/paths.csv     prefix,label        (URL path prefixes, nested: /shop, /shop/phones, ...)
 *   spec/ips.csv       first,last,label    (disjoint IPv4 blocks, dotted quads)
 *   visits.csv         id,ip,url,text      (the rows to classify; a few are malformed on purpose)
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataSize {
  keywords: number;
  paths: number;
  ips: number;
  visits: number;
}

/** Lines of visits.csv that are malformed on purpose, and how (1-based line numbers; line 1 is the header). */
export function malformedLines(visits: number): Map<number, string> {
  const out = new Map<number, string>();
  for (let line = 1001; line <= visits + 1; line += 250_000) {
    out.set(line, 'too-few-fields');
    if (line + 7 <= visits + 1) out.set(line + 7, 'bad-ip');
  }
  return out;
}

const TOPICS = ['sports', 'news', 'finance', 'travel', 'music', 'science', 'health', 'food', 'games', 'shopping', 'weather', 'cars', 'film', 'books', 'art', 'jobs'];
const SECTIONS = ['shop', 'blog', 'help', 'account', 'search', 'news', 'video', 'docs', 'api', 'forum'];
const NETWORKS = ['home-isp', 'mobile', 'cloud', 'university', 'office', 'hosting', 'satellite', 'public-wifi'];

/** mulberry32: small, fast and good enough to make test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const keyword = (i: number): string => `${['al', 'be', 'co', 'di', 'en', 'fa', 'go', 'hu'][i & 7]}${(i >>> 3).toString(36)}`;
export const ipToString = (ip: number): string => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/** Path prefixes: 10 sections × nested sub-paths, `count` in all. */
function pathPrefix(i: number): string {
  const section = SECTIONS[i % SECTIONS.length];
  if (i < SECTIONS.length) return `/${section}`;
  const sub = Math.floor(i / SECTIONS.length);
  return sub % 3 === 0 ? `/${section}/c${sub.toString(36)}` : `/${section}/c${Math.floor(sub / 3).toString(36)}/p${sub.toString(36)}`;
}

/** Writes lines in ~4 MB pieces. */
class Lines {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  add(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size > 4 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length > 0) writeSync(this.fd, `${this.buf.join('\n')}\n`);
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Generates the data set into `dir` unless it is already there (a `.complete` marker guards half-written sets). */
export function ensureData(dir: string, size: DataSize): { generated: boolean } {
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { generated: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'spec'), { recursive: true });
  const random = rng(20261122);

  const kw = new Lines(join(dir, 'spec', 'keywords.csv'));
  kw.add('word,label');
  for (let i = 0; i < size.keywords; i++) kw.add(`${keyword(i)},${TOPICS[(i * 7 + (i >>> 5)) % TOPICS.length]}`);
  kw.close();

  const paths = new Lines(join(dir, 'spec', 'paths.csv'));
  paths.add('prefix,label');
  for (let i = 0; i < size.paths; i++) paths.add(`${pathPrefix(i)},${SECTIONS[i % SECTIONS.length]}-${i % 7 === 0 ? 'landing' : 'page'}`);
  paths.close();

  // Disjoint blocks: a random gap, then a block of 1..4096 addresses.
  const ips = new Lines(join(dir, 'spec', 'ips.csv'));
  ips.add('first,last,label');
  const stride = Math.floor(0xffffffff / size.ips);
  for (let i = 0; i < size.ips; i++) {
    const first = i * stride + Math.floor(random() * (stride / 2));
    const last = first + Math.floor(random() * Math.min(4096, stride / 2));
    ips.add(`${ipToString(first)},${ipToString(last)},${NETWORKS[i % NETWORKS.length]}`);
  }
  ips.close();

  const bad = malformedLines(size.visits);
  const visits = new Lines(join(dir, 'visits.csv'));
  visits.add('id,ip,url,text');
  for (let i = 0; i < size.visits; i++) {
    const line = i + 2;
    const ip = ipToString(Math.floor(random() * 0xffffffff));
    const url = `${pathPrefix(Math.floor(random() * size.paths))}/${Math.floor(random() * 1e6).toString(36)}`;
    const words: string[] = [];
    for (let w = 0; w < 4; w++) words.push(random() < 0.3 ? keyword(Math.floor(random() * size.keywords)) : `w${Math.floor(random() * 5000).toString(36)}`);
    const kind = bad.get(line);
    if (kind === 'too-few-fields') visits.add(`${i},${ip}`);
    else if (kind === 'bad-ip') visits.add(`${i},300.1.2.3,${url},${words.join(' ')}`);
    else visits.add(`${i},${ip},${url},${words.join(' ')}`);
  }
  visits.close();
  writeFileSync(marker, `${JSON.stringify(size)}\n`);
  return { generated: true };
}
