/**
 * `sabre-redis submit|status|finish`, against the Redis at `--redis` (default redis://127.0.0.1:6379).
 * One table of commands: each has its usage (what `<command> --help` prints) and its options, parsed by
 * node:util's parseArgs. Exit codes: 0 done, 1 failed, 2 usage error.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Redis } from 'ioredis';
import { load } from '@sabre/arena/node';
import { arenaRefOf, refText } from './arena-ref.js';
import { finishJob } from './finish.js';
import { submitJob } from './producer.js';
import { jobStatus, statusText } from './status.js';

type Values = Record<string, string | boolean | undefined>;

interface Command {
  /** Positional arguments, by name. */
  args: readonly string[];
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Runs the command; `redis()` connects (after the arguments were checked, so a usage error needs no Redis). */
  run(args: string[], values: Values, redis: () => Promise<Redis>): Promise<void>;
}

const COMMON = { redis: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

const COMMANDS: Record<string, Command> = {
  submit: {
    args: ['job', 'input'],
    usage: `sabre-redis submit <job> <input> --arena <file> --out <dir> [--format csv|lines] [--batch-mb <n>]
                   [--layout-hash <hex>] [--redis <url>] [--json]
  Splits <input> (on storage every host sees) into batches of whole lines, one stream entry each, and
  names the job's arena by content (sha256 and layout hash). Replaces an earlier job of the same name.
    --arena <file>        the saved arena every batch runs against (hosts fetch it by its sha256)
    --out <dir>           where hosts write each batch's output (a directory every host can write)
    --format csv|lines    CSV with a header line (default), or plain lines
    --batch-mb <n>        about this many MiB of input per batch, cut at a line (default 8)
    --layout-hash <hex>   refuse an arena of another schema (default: the arena's own layout hash)
    --json                print what was submitted as JSON`,
    options: { arena: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, 'batch-mb': { type: 'string' }, 'layout-hash': { type: 'string' }, json: { type: 'boolean' } },
    async run([job, input], v, connect) {
      if (typeof v['arena'] !== 'string' || typeof v['out'] !== 'string') throw usageError('submit needs --arena <file> and --out <dir>');
      const format = v['format'] ?? 'csv';
      if (format !== 'csv' && format !== 'lines') throw usageError(`--format is csv or lines, got ${JSON.stringify(format)}`);
      const batchMb = v['batch-mb'] === undefined ? 8 : Number(v['batch-mb']);
      if (!(batchMb > 0) || !Number.isFinite(batchMb)) throw usageError(`--batch-mb is a number of MiB above 0, got ${JSON.stringify(v['batch-mb'])}`);
      const wanted = v['layout-hash'];
      if (wanted !== undefined && !/^(0x)?[0-9a-fA-F]{1,16}$/.test(String(wanted))) throw usageError(`--layout-hash is up to 16 hex digits, got ${JSON.stringify(wanted)}`);
      // Paths are stored absolute: hosts start in directories of their own.
      const [arenaPath, inputPath, outputDir] = [resolve(v['arena']), resolve(input!), resolve(v['out'])];
      // The arena is loaded once here so a wrong file (or another schema's) is refused before any host sees the job.
      const arena = await load(arenaPath, wanted === undefined ? {} : { layoutHash: BigInt(`0x${String(wanted).replace(/^0x/, '')}`) });
      const ref = await arenaRefOf(arenaPath, arena.layoutHash);
      const r = await submitJob(await connect(), { job: job!, input: inputPath, arena: ref, outputDir, format, batchBytes: Math.round(batchMb * 2 ** 20) });
      console.log(v['json'] === true ? JSON.stringify({ job, ...r, arena: refText(ref) }) : `✔ job ${job}: ${r.batches} batches of ${input} against arena ${refText(ref)}; start a host per machine, then: sabre-redis status ${job}`);
    },
  },
  status: {
    args: ['job'],
    usage: `sabre-redis status <job> [--redis <url>] [--json]
  Batches done of total, dead-lettered, pending per host, rows and rows/s.`,
    options: { json: { type: 'boolean' } },
    async run([job], v, connect) {
      const s = await jobStatus(await connect(), job!);
      console.log(v['json'] === true ? JSON.stringify(s) : statusText(s));
    },
  },
  finish: {
    args: ['job', 'out file'],
    usage: `sabre-redis finish <job> <out file> [--redis <url>] [--allow-dead]
  Concatenates the batches' accepted outputs in input order into <out file>, and their failed rows into
  <out file>.failures.ndjson; refuses while a batch is not done, or is dead-lettered without --allow-dead.`,
    options: { 'allow-dead': { type: 'boolean' } },
    async run([job, out], v, connect) {
      const r = await finishJob(await connect(), job!, out!, { allowDead: v['allow-dead'] === true });
      console.log(`✔ ${out}: ${r.batches} batches in input order${r.dead > 0 ? `, ${r.dead} dead-lettered left out` : ''}; ${r.failedRows} failed rows in ${out}.failures.ndjson`);
    },
  },
};

const USAGE = `usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}
  sabre-redis <command> --help     what a command does, and its options
exit codes: 0 done · 1 failed (no such job, not finished, Redis unreachable) · 2 usage error`;

class UsageError extends Error {}
const usageError = (message: string) => new UsageError(`✖ ${message}`);

/** Runs the CLI on `argv`; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const name = argv[0];
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    const help = argv.includes('--help') || argv.includes('-h');
    (help ? console.log : console.error)(name === undefined || help ? USAGE : `✖ no command ${JSON.stringify(name)}\n${USAGE}`);
    return help ? 0 : 2;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv.slice(1), allowPositionals: true, options: { ...COMMON, ...command.options } });
  } catch (err) {
    console.error(`✖ ${(err as Error).message}\nusage: ${command.usage}`);
    return 2;
  }
  if (parsed.values['help'] === true) {
    console.log(`usage: ${command.usage}`);
    return 0;
  }
  if (parsed.positionals.length !== command.args.length) {
    console.error(`✖ ${name} takes ${command.args.map((a) => `<${a}>`).join(' ')}\nusage: ${command.usage}`);
    return 2;
  }
  const redis = new Redis(typeof parsed.values['redis'] === 'string' ? parsed.values['redis'] : 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await command.run(parsed.positionals, parsed.values, async () => {
      await redis.connect();
      return redis;
    });
    return 0;
  } catch (err) {
    const message = (err as Error).message;
    console.error(message.startsWith('✖') ? message : `✖ ${message}`);
    if (err instanceof UsageError) console.error(`usage: ${command.usage}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    redis.disconnect();
  }
}
