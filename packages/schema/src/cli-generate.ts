/**
 * `sabre gen` and `sabre check`: schema files in, generated views out (or compared), and `--watch`.
 *
 * The header of each generated file names the command that regenerates it, with paths relative to the
 * schema's package (the nearest package.json), so the output depends neither on the directory the
 * command ran in nor on the package's name.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { ArenaNode } from './dsl.js';
import { emit } from './emit.js';
import { toJavaScript } from './emit-js.js';
import { SchemaError } from './errors.js';
import { freshness, stamp } from './generated-file.js';
import { compile } from './layout.js';
import { importSchema } from './schema-loader.js';

export interface Output {
  path: string;
  text: string;
}

export interface GenerateOptions {
  out?: string | undefined;
  emit?: 'ts' | 'js' | undefined;
}

function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

const posix = (p: string) => p.split(sep).join('/');
const baseName = (arena: string) => arena.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Generates (in memory) the outputs for one schema file. */
export async function generate(schemaFile: string, options: GenerateOptions = {}): Promise<Output[]> {
  const file = resolve(schemaFile);
  if (!existsSync(file)) throw new Error(`✖ schema file not found: ${schemaFile}`);
  let mod: Record<string, unknown>;
  try {
    mod = await importSchema(file, schemaFile);
  } catch (err) {
    // A syntax or import error in the schema: its message (esbuild's names file, line and column), not
    // a stack trace through the loader.
    if (SchemaError.is(err) || (err instanceof Error && err.message.startsWith('✖'))) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`✖ could not load the schema file ${schemaFile}:\n${message.split('\n').slice(0, 12).join('\n')}`);
  }
  const arenas = Object.values(mod).filter((v): v is ArenaNode => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'arena');
  if (arenas.length === 0) throw new Error(`✖ ${schemaFile} exports no s.arena(...): export the arena, e.g. \`export const Geo = s.arena('Geo', { ... })\``);
  const out = resolve(options.out ?? join(dirname(file), '__generated__'));
  const root = packageRoot(file);
  const flags = `${options.out === undefined ? '' : ` --out ${posix(relative(root, out))}`}${options.emit === 'js' ? ' --emit js' : ''}`;
  const command = `sabre gen ${posix(relative(root, file))}${flags}`;
  const outputs: Output[] = [];
  for (const arena of arenas) {
    const layout = compile(arena);
    const path = join(out, `${baseName(layout.name)}.ts`);
    // Paths in the command are relative to the package root, which the header says without naming the
    // package: a renamed package must not make every generated file stale.
    const text = emit(layout, { source: posix(relative(dirname(path), file)), command: `${command}  (from the package root)` });
    if (options.emit !== 'js') {
      outputs.push({ path, text: stamp(text) });
      continue;
    }
    const { js, dts } = await toJavaScript(text, path);
    outputs.push({ path: path.replace(/\.ts$/, '.js'), text: stamp(js) }, { path: path.replace(/\.ts$/, '.d.ts'), text: stamp(dts) });
  }
  return outputs;
}

/** Schema arguments with globs expanded, as a shell would: a quoted glob reaches us unexpanded. */
export function expandSchemas(args: readonly string[]): string[] {
  const schemas: string[] = [];
  for (const f of args) {
    if (existsSync(f) || !isDynamicPattern(f)) {
      schemas.push(f);
      continue;
    }
    const found = globSync(f, { onlyFiles: true }).sort();
    if (found.length === 0) throw new Error(`✖ no schema file matches ${f}`);
    schemas.push(...found);
  }
  return schemas;
}

/** Runs `sabre gen` or `sabre check` over schema files; returns the exit code. */
export async function genOrCheck(command: 'gen' | 'check', schemas: readonly string[], options: GenerateOptions): Promise<number> {
  let stale = 0;
  try {
    for (const schema of schemas) {
      for (const { path, text } of await generate(schema, options)) {
        const shown = posix(relative(process.cwd(), path));
        const state = existsSync(path) ? freshness(readFileSync(path, 'utf8'), text) : 'missing';
        if (command === 'gen') {
          mkdirSync(dirname(path), { recursive: true });
          if (state === 'stale' || state === 'missing') writeFileSync(path, text);
          console.log(state === 'same' ? `· ${shown} (unchanged)` : state === 'reformatted' ? `· ${shown} (unchanged, formatted since)` : `✔ ${shown}`);
        } else if (state === 'stale' || state === 'missing') {
          stale++;
          const flags = `${options.out === undefined ? '' : ` --out ${options.out}`}${options.emit === 'js' ? ' --emit js' : ''}`;
          console.error(`✖ ${shown} is ${state}: run \`sabre gen ${schema}${flags}\` and commit the result`);
        } else {
          console.log(`✔ ${shown} is up to date${state === 'reformatted' ? ' (formatted since it was generated)' : ''}`);
        }
      }
    }
  } catch (err) {
    console.error(SchemaError.is(err) || (err instanceof Error && err.message.startsWith('✖')) ? (err as Error).message : err);
    return 1;
  }
  return stale > 0 ? 1 : 0;
}

/**
 * `sabre gen --watch`: generate now, then again whenever a file in a schema's directory changes
 * (schemas import their neighbours). Each run is a fresh process, because a module once imported
 * stays cached in this one. Never resolves: Ctrl-C (SIGINT) ends the process.
 */
export async function watchSchemas(schemas: readonly string[], options: GenerateOptions, rerun: readonly string[]): Promise<number> {
  const outDirs = new Set(schemas.map((f) => resolve(options.out ?? join(dirname(resolve(f)), '__generated__'))));
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const child = spawn(process.execPath, [...process.execArgv, ...rerun], { stdio: 'inherit' });
    child.once('exit', () => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  run();
  for (const dir of new Set(schemas.map((f) => dirname(resolve(f))))) {
    watch(dir, (_event, name) => {
      if (name === null || !/\.[cm]?[jt]sx?$/.test(name) || outDirs.has(dirname(resolve(dir, name)))) return;
      clearTimeout(timer);
      timer = setTimeout(run, 100); // editors write a file in several steps
    });
  }
  console.log(`watching ${schemas.length} schema file${schemas.length === 1 ? '' : 's'} (Ctrl-C stops)`);
  return new Promise<number>(() => {});
}
