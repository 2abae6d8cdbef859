import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArenaReader } from '@sabre/arena';
import { format } from '@sabre/arena/internal';
import { ArenaBuilder } from '@sabre/arena/build';
import { save } from '@sabre/arena/node';
import { build } from '@sabre/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Geo as GeoSchema } from './fixtures/geo.schema.js';
import { Geo } from './fixtures/__generated__/geo.js';
import { geoInput } from './geo-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const dir = mkdtempSync(join(tmpdir(), 'sabre-inspect-'));
const file = join(dir, 'geo.sabre');
const sabre = (args: string[]) => spawnSync(process.execPath, ['--conditions=@sabre/source', join(pkg, 'bin', 'sabre.mjs'), ...args], { cwd: pkg, encoding: 'utf8' });
/** Compares with a committed golden file; UPDATE_GOLDEN=1 rewrites it (then read the diff before committing). */
function golden(name: string, text: string): void {
  const path = join(here, 'golden', name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

beforeAll(async () => {
  await save(build(GeoSchema, geoInput(5)), file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sabre inspect and sabre dump (golden files)', () => {
  it('inspect shows the header, every section and the stored schema', () => {
    const r = sabre(['inspect', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    golden('geo.inspect.txt', r.stdout.replace(file, '<file>'));
  });

  it('dump writes a section as CSV, NDJSON or JSON, every section as JSON, and honours --limit', () => {
    golden('geo.cities.csv', sabre(['dump', file, '--section', 'cities', '--format', 'csv']).stdout);
    golden('geo.countries.ndjson', sabre(['dump', file, '--section', 'countries', '--format', 'ndjson']).stdout);
    golden('geo.limit1.json', sabre(['dump', file, '--limit', '1']).stdout);
  });

  it('what dump prints is what the generated views read', () => {
    const rows = sabre(['dump', file, '--section', 'cities', '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const geo = Geo.open(readFileSync(file).buffer as ArrayBuffer);
    rows.forEach((row, i) => {
      const view = geo.cities.at(i);
      expect(row['name']).toBe(view.name);
      expect(row['geonameId']).toBe(String(view.geonameId));
      expect(row['elevation']).toBe(view.elevation);
      expect(row['aliases']).toEqual(view.aliases.toArray());
    });
  });

  it('an arena written without a schema: inspect lists its sections, dump says why it cannot read rows', async () => {
    const b = new ArenaBuilder();
    const w = b.section('rules');
    for (let i = 0; i < 10; i++) w.u32(b.intern(`k${i}`)).f64(i / 2);
    w.end();
    const raw = join(dir, 'raw.sabre');
    await save(b.finish(), raw);
    const shown = sabre(['inspect', raw]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/layout {4}none stored \(built without a schema\)/);
    expect(shown.stdout).toMatch(/rules {5}raw bytes {8}120 B/);
    const dumped = sabre(['dump', raw]);
    expect(dumped.status).toBe(1);
    expect(dumped.stderr).toMatch(/written with ArenaBuilder rather than built from a schema.*\(ARENA_NO_LAYOUT\)/);
  });

  it('refuses a damaged or old file with its ArenaError, and names a wrong option', () => {
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[200]! ^= 1;
    writeFileSync(join(dir, 'flipped.sabre'), flipped);
    const bad = sabre(['inspect', join(dir, 'flipped.sabre')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/\(ARENA_CHECKSUM_MISMATCH\)/);
    const old = Buffer.from(bytes);
    old.writeUInt16LE(1, format.H_MAJOR);
    writeFileSync(join(dir, 'old.sabre'), old);
    expect(sabre(['dump', join(dir, 'old.sabre')]).stderr).toMatch(/format 1\.\d+, which did not store its schema.*\(ARENA_VERSION_UNSUPPORTED\)/);
    expect(sabre(['dump', file, '--format', 'xml']).stderr).toMatch(/--format must be json, ndjson or csv, got "xml"/);
    expect(sabre(['dump', file, '--format', 'csv']).stderr).toMatch(/--format csv dumps one section: add --section <name> \(one of countries, cities, ipBlocks, domains, callingCodes, meta\)/);
  });

  it('the generic reader answers the containers\' queries by section name', () => {
    const r = ArenaReader.open(build(GeoSchema, geoInput(5)).buffer);
    expect(r.table('countries').get('JP')).toEqual({ name: 'Japan', code: 'JP', continent: 'Asia' });
    expect(r.table('countries').get('XX')).toBeUndefined();
    expect(r.table('ipBlocks').find(0x0a00_0000 + 5)).toMatchObject({ first: 0x0a00_0000 });
    expect(r.table('domains').longestSuffix('www.example.co.jp')).toMatchObject({ suffix: '.co.jp', country: 1 });
    expect(r.table('callingCodes').get(41)).toEqual({ code: 41, country: 0 });
    expect(r.table('callingCodes').query('get', 42)).toBeUndefined();
    expect(r.table('meta').at(0)).toMatchObject({ version: expect.any(Number) });
    expect(() => r.table('callingCodes').find(41)).toThrow(/holds a direct map, whose queries are get/);
    expect(() => r.table('cities').get('x')).toThrow(/holds a table, not a container with a get\(\) query/);
  });
});
