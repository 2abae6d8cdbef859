// The lookup tables of benchmarks/row-function.bench.ts: IP blocks → ASN, hostname suffix → label.
import { s } from '@sabre/schema';

const Block = s.struct('Block', { first: s.u32(), last: s.u32(), asn: s.u32() });
const Suffix = s.struct('Suffix', { suffix: s.str().describe('"co.uk", "example.com": whole labels, no leading dot'), label: s.u16() });
export const Lookup = s.arena('Lookup', {
  blocks: s.ranges(Block, { start: 'first', end: 'last' }),
  suffixes: s.trie(Suffix, { key: 'suffix', reversed: true, boundary: '.' }),
});
