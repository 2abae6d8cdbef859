/**
 * `sabre-redis status <job>` and `sabre-redis finish <job> <out file>`, against the Redis at `--redis`
 * (default redis://127.0.0.1:6379). Exit codes: 0 done, 1 failed, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { finishJob } from './finish.js';
import { jobStatus, statusText } from './status.js';

const USAGE = `usage:
  sabre-redis status <job> [--redis <url>] [--json]     batches done, pending per host, dead-lettered, rows/s
  sabre-redis finish <job> <out file> [--redis <url>] [--allow-dead]
                                                        concatenate the batches' outputs in input order
exit codes: 0 done · 1 failed (no such job, not finished) · 2 usage error`;

function parseOptions(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, options: { redis: { type: 'string' }, json: { type: 'boolean' }, 'allow-dead': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
}

/** Runs the CLI on `argv`; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    console.error(`✖ ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, job, out] = parsed.positionals;
  if (parsed.values.help === true) {
    console.log(USAGE);
    return 0;
  }
  if ((command !== 'status' && command !== 'finish') || job === undefined || (command === 'finish' && out === undefined)) {
    console.error(USAGE);
    return 2;
  }
  const redis = new Redis(parsed.values.redis ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    if (command === 'status') {
      const s = await jobStatus(redis, job);
      console.log(parsed.values.json === true ? JSON.stringify(s) : statusText(s));
    } else {
      const r = await finishJob(redis, job, out!, { allowDead: parsed.values['allow-dead'] === true });
      console.log(`✔ ${out}: ${r.batches} batches in input order${r.dead > 0 ? `, ${r.dead} dead-lettered left out` : ''}; ${r.failedRows} failed rows in ${out}.failures.ndjson`);
    }
    return 0;
  } catch (err) {
    console.error(err instanceof Error && err.message.startsWith('✖') ? err.message : `✖ ${(err as Error).message}`);
    return 1;
  } finally {
    redis.disconnect();
  }
}
