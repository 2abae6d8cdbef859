/**
 * Starting a pool worker: the bootstrap (worker.mjs) registers tsx when the runtime or the task is
 * TypeScript, then imports the runtime (worker.ts on source, worker.js when built).
 */
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/** True when this package runs from its TypeScript source (tests, tsx) rather than from dist/. */
export const SOURCE_MODE = import.meta.url.endsWith('.ts');
const BOOTSTRAP = new URL('../worker.mjs', import.meta.url);
export const RUNTIME = new URL(SOURCE_MODE ? './worker.ts' : './worker.js', import.meta.url);

/**
 * Workers inherit the main thread's Node flags, minus those a worker refuses: `--input-type` and an
 * `--eval` script always, and per-process flags such as `--expose-gc` once Node names them. On source
 * (tests, tsx) the `@sabre/source` condition is added, so workers resolve @sabre/* to src as the main thread does.
 */
let execArgv: string[] | undefined;
export function startWorker(options: Omit<WorkerOptions, 'execArgv'>): Worker {
  execArgv ??= initialExecArgv();
  try {
    return new Worker(BOOTSTRAP, { ...options, execArgv });
  } catch (e) {
    const m = /invalid execArgv flags: (.*)$/.exec((e as Error).message);
    if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || m === null) throw e;
    const refused = new Set(m[1]!.split(/,\s*/));
    execArgv = execArgv.filter((a) => !refused.has(a) && !refused.has(a.split('=')[0]!));
    return new Worker(BOOTSTRAP, { ...options, execArgv });
  }
}

function initialExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // On source the conditions are replaced by `@sabre/source` below; a flag's value may be its own argument.
    const refused = a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--input-type';
    const replaced = SOURCE_MODE && (a === '-C' || a === '--conditions');
    if (refused || replaced) i++;
    else if (!/^--(input-type|eval|print)=/.test(a) && !(SOURCE_MODE && a.startsWith('--conditions='))) out.push(a);
  }
  if (SOURCE_MODE) out.push('--conditions=@sabre/source');
  return out;
}

