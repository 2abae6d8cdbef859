import { s } from '@sabre/schema';

const Country = s.struct('Country', {
  name: s.str(),
  code: s.str().describe('ISO 3166-1 alpha-2'),
});
const countries = s.table(Country);

const City = s.struct('City', {
  name: s.str(),
  population: s.u32(),
  country: s.ref(countries),
  elevation: s.optional(s.i16()).describe('Metres above sea level, where known'),
  districts: s.vector(s.str()),
});

export const Geo = s.arena('Geo', { countries, cities: s.table(City) });
