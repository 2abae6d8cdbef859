// The classifier of the seed job: three kinds of rules, built once into one arena and shared by every
// worker. `npm run gen` writes the views to __generated__/classifier.ts.
import { s } from '@sabre/schema';

const Keyword = s.struct('Keyword', { word: s.str(), label: s.str() });
const PathRule = s.struct('PathRule', { prefix: s.str().describe('A URL path prefix: "/shop/phones"'), label: s.str() });
const IpRange = s.struct('IpRange', { first: s.u32(), last: s.u32(), label: s.str().describe('Who owns the block') });

export const Classifier = s
  .arena('Classifier', {
    keywords: s.hashMap(Keyword, { key: 'word' }).describe('Word → topic label'),
    paths: s.trie(PathRule, { key: 'prefix' }).describe('URL path prefix → section label; the longest prefix wins'),
    ips: s.ranges(IpRange, { start: 'first', end: 'last' }).describe('IPv4 block → network label'),
  })
  .describe('Keyword, path-prefix and IP-range rules for classifying visits');
