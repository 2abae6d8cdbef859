/**
 * The seed job as it is deployed: the packages built (`tsc -b`) and the task and the job runner bundled to
 * plain JavaScript, so nothing in the measured processes runs through a TypeScript loader (under tsx, each
 * pool worker would load one, ~12 MB and ~0.2 s each). Writes benchmarks/.build/ and returns the paths.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildOnce } from '../../scripts/build-once.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = fileURLToPath(new URL('../.build/', import.meta.url));

export async function buildJob(): Promise<{ child: string; task: string; piscina: string }> {
  buildOnce(root);
  const task = `${out}classify.task.mjs`;
  const child = `${out}job-child.mjs`;
  // The task bundles its imports (the generated views, @sabre/pool/task) from source, like any user build.
  await build({ entryPoints: [`${root}examples/classifier/classify.task.ts`], outfile: task, bundle: true, format: 'esm', platform: 'node', conditions: ['@sabre/source'], logLevel: 'warning' });
  // The runner uses the built packages, as an application would.
  await build({ entryPoints: [`${root}benchmarks/lib/job-child.ts`], outfile: child, bundle: true, format: 'esm', platform: 'node', external: ['@sabre/*', 'piscina', 'csv-parse'], logLevel: 'warning' });
  // Piscina's worker, with the same IP parser as the task.
  const piscina = `${out}job.piscina.mjs`;
  await build({ entryPoints: [`${root}benchmarks/lib/job.piscina.ts`], outfile: piscina, bundle: true, format: 'esm', platform: 'node', external: ['piscina'], logLevel: 'error' });
  return { child, task, piscina };
}
