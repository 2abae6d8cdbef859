/**
 * The `sabre` CLI: a thin wrapper over `compile` and `emit`, and over the generic reader (inspect.ts).
 *
 *   sabre gen <schema files…> [--out <dir>]     write one <arena>.ts per exported s.arena(...)
 *   sabre check <schema files…> [--out <dir>]   exit 1 if any generated file is missing or stale
 *   sabre inspect <arena file>                  header, sections and schema of any arena file
 *   sabre dump <arena file> [--section s] [--format json|ndjson|csv] [--limit n]
 *
 * Schema files may be TypeScript (loaded through tsx), and may be given as globs, quoted or not. `--out` defaults to `__generated__` beside each
 * schema file. The header of each generated file names the command that regenerates it, with paths
 * relative to the schema's package (the nearest package.json), so the output depends neither on the
 * directory the command ran in nor on the package's name.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { ArenaNode } from './dsl.js';
import { emit } from './emit.js';
import { SchemaError } from './errors.js';
import { compile } from './layout.js';
import { dump, inspectText } from './inspect.js';
import { ArenaError, FORMAT_MAJOR, FORMAT_MINOR } from '@sabre/arena';
import { load } from '@sabre/arena/node';

const USAGE = `usage:
  sabre --version                             the versions of sabre and of its arena format
  sabre gen <schema files…> [--out <dir>]     generate typed views for every exported s.arena(...)
  sabre check <schema files…> [--out <dir>]   fail if the committed views are missing or stale
  sabre inspect <arena file>                  show an arena's header, sections and schema
  sabre dump <arena file> [--section <name>] [--format json|ndjson|csv] [--limit <rows>]
                                              print its rows (JSON: every section unless --section)`;

export interface Output {
  path: string;
  text: string;
}

function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/** This package's version, from its package.json (one level above src/ and dist/ alike). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const posix = (p: string) => p.split(sep).join('/');
const fileName = (arena: string) => `${arena.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`;

/** Generates (in memory) the outputs for one schema file. */
export async function generate(schemaFile: string, outDir?: string): Promise<Output[]> {
  const file = resolve(schemaFile);
  if (!existsSync(file)) throw new Error(`✖ schema file not found: ${schemaFile}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    // A syntax or import error in the schema: its message (esbuild's names file, line and column), not
    // a stack trace through the loader.
    if (SchemaError.is(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`✖ could not load the schema file ${schemaFile}:\n${message.split('\n').slice(0, 12).join('\n')}`);
  }
  const arenas = Object.values(mod).filter((v): v is ArenaNode => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'arena');
  if (arenas.length === 0) throw new Error(`✖ ${schemaFile} exports no s.arena(...): export the arena, e.g. \`export const Geo = s.arena('Geo', { ... })\``);
  const out = resolve(outDir ?? join(dirname(file), '__generated__'));
  const root = packageRoot(file);
  const command = `sabre gen ${posix(relative(root, file))}${outDir === undefined ? '' : ` --out ${posix(relative(root, out))}`}`;
  return arenas.map((arena) => {
    const layout = compile(arena);
    const path = join(out, fileName(layout.name));
    // Paths in the command are relative to the package root, which the header says without naming the
    // package: a renamed package must not make every generated file stale.
    return { path, text: emit(layout, { source: posix(relative(dirname(path), file)), command: `${command}  (from the package root)` }) };
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, section: { type: 'string' }, format: { type: 'string' }, limit: { type: 'string' } },
    });
  } catch (err) {
    console.error(`✖ ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...files] = parsed.positionals;
  if (parsed.values.version === true) {
    console.log(`sabre ${version()} (arena format ${FORMAT_MAJOR}.${FORMAT_MINOR})`);
    return 0;
  }
  if (parsed.values.help === true || command === undefined) {
    console.log(USAGE);
    return command === undefined && parsed.values.help !== true ? 2 : 0;
  }
  if (command === 'inspect' || command === 'dump') return readArena(command, files, parsed.values);
  if (command !== 'gen' && command !== 'check') {
    console.error(`✖ unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    console.error(`✖ sabre ${command} needs at least one schema file\n${USAGE}`);
    return 2;
  }
  // A quoted glob ('src/*.schema.ts': npm scripts on Windows, or quoted on purpose) reaches us
  // unexpanded: expand it here, as a shell would.
  const schemas: string[] = [];
  for (const f of files) {
    if (existsSync(f) || !isDynamicPattern(f)) {
      schemas.push(f);
      continue;
    }
    const found = globSync(f, { onlyFiles: true }).sort();
    if (found.length === 0) {
      console.error(`✖ no schema file matches ${f}`);
      return 1;
    }
    schemas.push(...found);
  }
  let stale = 0;
  try {
    for (const schema of schemas) {
      for (const { path, text } of await generate(schema, parsed.values.out)) {
        const shown = posix(relative(process.cwd(), path));
        if (command === 'gen') {
          mkdirSync(dirname(path), { recursive: true });
          const same = existsSync(path) && readFileSync(path, 'utf8') === text;
          if (!same) writeFileSync(path, text);
          console.log(`${same ? '·' : '✔'} ${shown}${same ? ' (unchanged)' : ''}`);
        } else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
          stale++;
          console.error(`✖ ${shown} is ${existsSync(path) ? 'stale' : 'missing'}: run \`sabre gen ${schema}${parsed.values.out === undefined ? '' : ` --out ${parsed.values.out}`}\` and commit the result`);
        } else {
          console.log(`✔ ${shown} is up to date`);
        }
      }
    }
  } catch (err) {
    console.error(SchemaError.is(err) || (err instanceof Error && err.message.startsWith('✖')) ? (err as Error).message : err);
    return 1;
  }
  return stale > 0 ? 1 : 0;
}

/** `sabre inspect` / `sabre dump`: one arena file, loaded and verified like load(). */
async function readArena(command: 'inspect' | 'dump', files: string[], opts: { section?: string; format?: string; limit?: string }): Promise<number> {
  if (files.length !== 1) {
    console.error(`✖ sabre ${command} takes one arena file\n${USAGE}`);
    return 2;
  }
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'ndjson' && format !== 'csv') {
    console.error(`✖ --format must be json, ndjson or csv, got "${format}"`);
    return 2;
  }
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    console.error(`✖ --limit must be a whole number of rows, got "${opts.limit}"`);
    return 2;
  }
  try {
    const arena = await load(files[0]!);
    if (command === 'inspect') process.stdout.write(inspectText(arena, files[0]!));
    else dump(arena, { format, ...(opts.section === undefined ? {} : { section: opts.section }), ...(limit === undefined ? {} : { limit }) }, (t) => process.stdout.write(t));
    return 0;
  } catch (err) {
    console.error(ArenaError.is(err) ? `${err.message} (${err.code})` : err instanceof Error && err.message.startsWith('✖') ? err.message : err);
    return 1;
  }
}
