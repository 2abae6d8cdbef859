/**
 * The hostile-arena property, shared by fuzz.test.ts (a modest count in CI) and scripts/fuzz.ts (≥ 1M
 * cases on demand): take a valid Geo arena (every section kind: hash map, table with vectors and refs,
 * range table, trie, direct map, struct), corrupt it, and require that `open` + `verify` either reject it with an
 * ArenaError that has a code, or accept it and then every read through the generated views stays in
 * bounds (throws nothing but ArenaError), terminates, allocates boundedly — and returns a value of its
 * declared type (an enum getter never yields `undefined`, a string is a string, a ref reads its row).
 *
 * Besides bytes, headers and tables of contents, the mutations forge typed fields where a forger would:
 * enum bytes, string ids, refs, vector heads and presence bits, located through the seed's stored layout.
 */
import fc from 'fast-check';
import { Arena, ArenaError } from '@sabre/arena';
import { Checksum, format } from '@sabre/arena/internal';
import { build } from '@sabre/schema';
import { Geo as GeoSchema } from './fixtures/geo.schema.js';
import { Geo } from './fixtures/__generated__/geo.js';
import { geoInput } from './geo-data.js';

const { HEADER_SIZE, H_CHECKSUM, H_TOTAL_LENGTH, H_TOC_OFFSET, H_SECTION_COUNT, H_TOC_LENGTH, TOC_ENTRY_SIZE, T_OFFSET, T_LENGTH, T_KIND, T_NAME_OFFSET, T_NAME_LENGTH } = format;

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; to: number }
  | { kind: 'extend'; by: number }
  | { kind: 'swap-sections'; a: number; b: number }
  | { kind: 'forge-toc'; entry: number; field: 'offset' | 'length' | 'kind' | 'name'; value: number }
  | { kind: 'forge-count'; section: number; at: number; value: number }
  | { kind: 'forge-header'; field: 'total' | 'toc' | 'count' | 'tocLength'; value: number }
  | { kind: 'forge-field'; pick: number; value: number };

/** The valid arenas the fuzzer starts from: small, medium and empty-ish. */
export const SEEDS: readonly Uint8Array[] = [3, 50, 400].map((cities) => {
  const arena = build(GeoSchema, geoInput(cities));
  return new Uint8Array(arena.buffer, 0, arena.byteLength).slice();
});

/** A typed slot in a seed: where it is, its width, and what it holds. */
interface FieldSlot {
  at: number;
  width: 1 | 2 | 4;
}

/** Every enum, string id, ref, vector head and presence byte of each seed's rows, from its stored layout. */
const SEED_FIELDS: readonly FieldSlot[][] = SEEDS.map((seed) => {
  const arena = Arena.open(seed.slice().buffer);
  const layout = arena.layout!;
  const out: FieldSlot[] = [];
  const visit = (struct: string, base: number) => {
    const s = layout.structs.get(struct)!;
    if (s.presenceBytes > 0) out.push({ at: base + s.presenceOffset, width: 1 });
    for (const f of s.fields) {
      const at = base + f.offset;
      const k = f.slot.kind;
      if (k === 'enum') out.push({ at, width: f.slot.size });
      else if (k === 'str' || k === 'ref') out.push({ at, width: 4 });
      else if (k === 'vector') out.push({ at, width: 4 }, { at: at + 4, width: 4 });
      else if (k === 'struct') visit(f.slot.name, at);
    }
  };
  for (const sec of layout.sections) {
    const section = arena.section(sec.name);
    const size = layout.structs.get(sec.struct)!.size;
    for (let row = 0; row * size < section.byteLength; row++) visit(sec.struct, section.byteOffset + row * size);
  }
  return out;
});

const anyU32 = fc.oneof(fc.constantFrom(0, 1, 7, 8, HEADER_SIZE - 1, HEADER_SIZE, 0x7fffffff, 0xffffffff, 0xfffffff8), fc.nat({ max: 0xffffffff }));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), to: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), by: fc.integer({ min: 1, max: 4096 }) }),
  fc.record({ kind: fc.constant('swap-sections' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('forge-toc' as const), entry: fc.nat(), field: fc.constantFrom('offset' as const, 'length' as const, 'kind' as const, 'name' as const), value: anyU32 }),
  // Counts and offsets inside a section's own bytes (a container's header, a table row, a vector's slot).
  fc.record({ kind: fc.constant('forge-count' as const), section: fc.nat(), at: fc.nat({ max: 256 }), value: anyU32 }),
  fc.record({ kind: fc.constant('forge-header' as const), field: fc.constantFrom('total' as const, 'toc' as const, 'count' as const, 'tocLength' as const), value: anyU32 }),
  // Typed fields, twice as often: small values as well as wild ones (an enum index just past its values).
  fc.record({ kind: fc.constant('forge-field' as const), pick: fc.nat(), value: fc.oneof(fc.nat({ max: 16 }), anyU32) }),
  fc.record({ kind: fc.constant('forge-field' as const), pick: fc.nat(), value: fc.oneof(fc.nat({ max: 16 }), anyU32) }),
);

/** The input arena, corrupted by each mutation in turn; `reseal` recomputes the checksum, as a forger would. */
export function corrupt(seed: Uint8Array, mutations: readonly Mutation[], reseal: boolean): ArrayBuffer {
  const fields = SEED_FIELDS[SEEDS.indexOf(seed)] ?? [];
  let bytes = seed.slice();
  for (const m of mutations) {
    if (bytes.length < HEADER_SIZE && m.kind !== 'extend' && m.kind !== 'flip' && m.kind !== 'set' && m.kind !== 'truncate') continue;
    const dv = new DataView(bytes.buffer);
    const sections = bytes.length >= HEADER_SIZE ? dv.getUint32(H_SECTION_COUNT, true) : 0;
    const toc = bytes.length >= HEADER_SIZE ? Number(dv.getBigUint64(H_TOC_OFFSET, true)) : 0;
    const entryAt = (i: number) => toc + (i % Math.max(1, sections)) * TOC_ENTRY_SIZE;
    const inBounds = (at: number, width: number) => at >= 0 && at + width <= bytes.length;
    switch (m.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[m.at % bytes.length]! ^= 1 << m.bit;
        break;
      case 'set':
        if (bytes.length > 0) bytes[m.at % bytes.length] = m.value;
        break;
      case 'truncate':
        bytes = bytes.slice(0, m.to % (bytes.length + 1));
        break;
      case 'extend': {
        const longer = new Uint8Array(bytes.length + m.by);
        longer.set(bytes);
        bytes = longer;
        break;
      }
      case 'swap-sections': {
        const a = entryAt(m.a);
        const b = entryAt(m.b);
        if (inBounds(a, TOC_ENTRY_SIZE) && inBounds(b, TOC_ENTRY_SIZE)) {
          // Swap where two sections are (offset + length), keeping their names and kinds.
          const ea = bytes.slice(a, a + 16);
          bytes.copyWithin(a, b, b + 16);
          bytes.set(ea, b);
        }
        break;
      }
      case 'forge-toc': {
        const at = entryAt(m.entry) + { offset: T_OFFSET, length: T_LENGTH, kind: T_KIND, name: T_NAME_OFFSET }[m.field];
        if (m.field === 'kind' && inBounds(at, 2)) dv.setUint16(at, m.value & 0xffff, true);
        else if (m.field === 'name' && inBounds(at, 8)) dv.setUint32(at + (m.value & 1 ? T_NAME_LENGTH - T_NAME_OFFSET : 0), m.value, true);
        else if (inBounds(at, 8)) dv.setBigUint64(at, BigInt(m.value), true);
        break;
      }
      case 'forge-count': {
        const e = entryAt(m.section);
        if (!inBounds(e, TOC_ENTRY_SIZE)) break;
        const at = Number(dv.getBigUint64(e + T_OFFSET, true)) + (m.at & ~3);
        if (inBounds(at, 4)) dv.setUint32(at, m.value, true);
        break;
      }
      case 'forge-field': {
        const f = fields[m.pick % Math.max(1, fields.length)];
        if (f === undefined || !inBounds(f.at, f.width)) break;
        if (f.width === 1) dv.setUint8(f.at, m.value & 0xff);
        else if (f.width === 2) dv.setUint16(f.at, m.value & 0xffff, true);
        else dv.setUint32(f.at, m.value, true);
        break;
      }
      case 'forge-header': {
        const at = { total: H_TOTAL_LENGTH, toc: H_TOC_OFFSET, count: H_SECTION_COUNT, tocLength: H_TOC_LENGTH }[m.field];
        if (!inBounds(at, 8)) break;
        if (m.field === 'count' || m.field === 'tocLength') dv.setUint32(at, m.value, true);
        else dv.setBigUint64(at, BigInt(m.value), true);
        break;
      }
    }
  }
  if (reseal) {
    const dv = new DataView(bytes.buffer);
    const total = bytes.length >= HEADER_SIZE ? Math.min(Number(dv.getBigUint64(H_TOTAL_LENGTH, true)), bytes.length) & ~7 : 0;
    if (total >= H_CHECKSUM + 8) {
      const sum = new Checksum().update(bytes.buffer, 0, H_CHECKSUM).update(bytes.buffer, H_CHECKSUM + 8, total - H_CHECKSUM - 8).digest();
      dv.setBigUint64(H_CHECKSUM, sum, true);
    }
  }
  return bytes.buffer;
}

/** Thrown (not an ArenaError, so the case fails) when a getter of a verified arena returns a value outside its declared type. */
class OutOfType extends TypeError {}
const mustHold = (ok: boolean, what: string): void => {
  if (!ok) throw new OutOfType(`out-of-type value: ${what}`);
};
const CONTINENTS = new Set(['Africa', 'Americas', 'Asia', 'Europe', 'Oceania']);
const FLAGS = new Set(['curated', 'synthetic']);

/**
 * Reads everything the generated views offer, as a user's code could, and checks each value is of its
 * declared type. Returns a checksum of what it read.
 */
export function walk(geo: Geo, strict = true): number {
  // Unverified bytes may read back as garbage: then only bounds, termination and errors are checked.
  const must = strict ? mustHold : () => {};
  let n = 0;
  const str = (s: string | undefined) => (n = (n + (s?.length ?? 0)) | 0);
  const text = (s: unknown, what: string): string => {
    must(typeof s === 'string', what);
    return s as string;
  };
  for (const c of geo.countries) {
    str(text(c.name, 'Country.name'));
    str(text(c.code, 'Country.code'));
    must(CONTINENTS.has(c.continent), `Country.continent = ${String(c.continent)}`);
    str(geo.countries.get(c.code)?.name);
  }
  for (const city of geo.cities) {
    str(text(city.name, 'City.name'));
    must(typeof city.population === 'number' && typeof city.capital === 'boolean' && typeof city.geonameId === 'bigint', 'City scalars');
    must(city.elevation === undefined || typeof city.elevation === 'number', 'City.elevation');
    must(city.timezone === undefined || typeof city.timezone === 'string', 'City.timezone');
    must(city.monthlyRain instanceof Float32Array, 'City.monthlyRain');
    n = (n + city.population + city.location.lat + (city.elevation ?? 0) + city.monthlyRain.length) | 0;
    str(text(city.country.name, 'City.country.name'));
    for (const a of city.aliases) str(text(a, 'City.aliases[]'));
    for (const d of city.districts) {
      str(text(d.name, 'District.name'));
      must(typeof d.area === 'number', 'District.area');
    }
    for (const t of city.twins) str(text(t.name, 'City.twins[].name'));
    str(city.timezone);
    n = (n + Number(city.geonameId & 0xffffn)) | 0;
  }
  for (const b of geo.ipBlocks) {
    str(b.city.name);
    str(geo.ipBlocks.find(b.first)?.city.name);
    str(geo.ipBlocks.find(b.last + 1)?.city.name);
  }
  for (const d of geo.domains) {
    str(d.suffix);
    str(geo.domains.longestSuffix(`www.example${d.suffix}`)?.suffix);
    str(geo.domains.get(d.suffix)?.suffix);
  }
  for (const cc of geo.callingCodes) {
    must(typeof cc.code === 'number', 'CallingCode.code');
    str(text(cc.country.name, 'CallingCode.country.name'));
    str(geo.callingCodes.get(cc.code)?.country.code);
    n = (n + geo.callingCodes.indexOf(cc.code + 1)) | 0;
  }
  str(text(geo.meta.source, 'Meta.source'));
  for (const f of geo.meta.flags) must(FLAGS.has(f), `Meta.flags[] = ${String(f)}`);
  return n;
}

export type Verdict = { accepted: true } | { accepted: false; code: string };

/** Opens, verifies and walks a corrupted arena; anything thrown that is not an ArenaError with a code is a failure. */
export function judge(buffer: ArrayBuffer): Verdict {
  try {
    walk(Geo.open(buffer, { verify: true }));
    return { accepted: true };
  } catch (e) {
    if (!ArenaError.is(e) || typeof e.code !== 'string') throw new Error(`a corrupted arena escaped as ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    return { accepted: false, code: e.code };
  }
}

export const fuzzCase = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  reseal: fc.boolean(),
});
