/**
 * The `sabre` CLI: arguments in, one command run, an exit code out (documented in cli-help.ts).
 *
 *   sabre gen <schema files…> [--out <dir>] [--emit ts|js] [--watch]   cli-generate.ts
 *   sabre check <schema files…> [--out <dir>] [--emit ts|js]            cli-generate.ts
 *   sabre inspect <arena file>                  header, sections and schema of any arena file
 *   sabre dump <arena file> [--section s] [--format json|ndjson|csv] [--limit n]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMMAND_HELP, USAGE } from './cli-help.js';
import { expandSchemas, genOrCheck, watchSchemas } from './cli-generate.js';
import { dump, inspectText } from './inspect.js';
import { ArenaError, FORMAT_MAJOR, FORMAT_MINOR } from '@sabre/arena';
import { load } from '@sabre/arena/node';

export { generate } from './cli-generate.js';
export type { GenerateOptions, Output } from './cli-generate.js';

/** This package's version, from its package.json (one level above src/ and dist/ alike). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      emit: { type: 'string' },
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      section: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
    },
  });
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    console.error(`✖ ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  let [command, ...files] = parsed.positionals;
  if (values.version === true) {
    console.log(`sabre ${version()} (arena format ${FORMAT_MAJOR}.${FORMAT_MINOR})`);
    return 0;
  }
  if (command === 'help') {
    command = files[0];
    values.help = true;
  }
  if (command !== undefined && !(command in COMMAND_HELP)) {
    console.error(`✖ unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  if (values.help === true || command === undefined) {
    console.log(command === undefined ? USAGE : COMMAND_HELP[command]);
    return values.help === true ? 0 : 2;
  }
  if (command === 'inspect' || command === 'dump') return readArena(command, files, values);
  const usage = (problem: string): number => {
    console.error(`✖ ${problem}\n${COMMAND_HELP[command]}`);
    return 2;
  };
  if (files.length === 0) return usage(`sabre ${command} needs at least one schema file`);
  if (values.emit !== undefined && values.emit !== 'ts' && values.emit !== 'js') return usage(`--emit must be ts or js, got "${values.emit}"`);
  if (values.watch === true && command !== 'gen') return usage('--watch is for sabre gen');
  const options = { out: values.out, emit: values.emit as 'ts' | 'js' | undefined };
  let schemas: string[];
  try {
    schemas = expandSchemas(files);
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  if (values.watch !== true) return genOrCheck(command as 'gen' | 'check', schemas, options);
  const rerun = [process.argv[1]!, 'gen', ...schemas, ...(values.out === undefined ? [] : ['--out', values.out]), ...(values.emit === undefined ? [] : ['--emit', values.emit])];
  return watchSchemas(schemas, options, rerun);
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
