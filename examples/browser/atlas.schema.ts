// The browser example's schema: one section of every container kind (hash map, table, range table,
// trie, direct map, record), so the page and its worker read each of them. `npm run gen` writes the
// views to __generated__/atlas.ts.
import { s } from '@sabre/schema';

const Country = s.struct('Country', {
  code: s.str().describe('ISO 3166-1 alpha-2'),
  name: s.str(),
  continent: s.enum(['Africa', 'Americas', 'Asia', 'Europe', 'Oceania']),
});
const countries = s.hashMap(Country, { key: 'code' });

const City = s.struct('City', {
  name: s.str(),
  country: s.ref(countries),
  population: s.u32(),
  elevation: s.optional(s.i16()).describe('Metres above sea level, where known'),
  districts: s.vector(s.str()),
});
const cities = s.table(City);

const IpBlock = s.struct('IpBlock', { first: s.u32(), last: s.u32(), city: s.ref(cities) });
const DomainRule = s.struct('DomainRule', { suffix: s.str(), country: s.ref(countries) });
const DialCode = s.struct('DialCode', { code: s.u16().describe('ITU-T E.164 country code'), country: s.ref(countries) });

export const Atlas = s.arena('Atlas', {
  countries,
  cities,
  ipBlocks: s.ranges(IpBlock, { start: 'first', end: 'last' }).describe('IPv4 block → city'),
  domains: s.trie(DomainRule, { key: 'suffix', reversed: true, boundary: '.' }).describe('Hostname suffix → country, by whole labels'),
  dialCodes: s.directMap(DialCode, { key: 'code' }).describe('Telephone country code → country'),
  about: s.struct('About', { title: s.str(), version: s.u16(), tags: s.vector(s.str()) }),
});
