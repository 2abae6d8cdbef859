/**
 * Starting a task in the thread that will run it (a pool worker, or the calling thread for `workers: 0`):
 * import the module, check that its default export is a task, run `init` and check that it returned the
 * row function. A failure says at which stage, so the pool can name the real cause.
 */
import { toSent } from './errors.js';
import type { SentError } from './errors.js';
import { isTask } from './task.js';
import type { RowFunction, Task, TaskContext, TaskOptions } from './task.js';

/** A task module's default export, once checked. */
export type LoadedTask = Task<unknown, unknown, unknown>;

export type Started =
  | { ok: true; fn: RowFunction<unknown, unknown>; options: TaskOptions; task: LoadedTask }
  | { ok: false; stage: 'load' | 'not-task' | 'init'; error: SentError; got?: string };

export async function loadTask(url: string, shared: Record<string, unknown>, ctx: TaskContext): Promise<Started> {
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    return { ok: false, stage: 'load', error: toSent(e) };
  }
  const task = mod.default;
  if (!isTask(task)) return { ok: false, stage: 'not-task', error: toSent(new Error('not a task')), got: task === null ? 'null' : typeof task };
  return initTask(task, shared, ctx);
}

/** Runs a loaded task's `init` on `shared`: at start, and again for each pool.update(). */
export async function initTask(task: LoadedTask, shared: Record<string, unknown>, ctx: TaskContext): Promise<Started> {
  try {
    const fn = await task.init(shared, ctx);
    if (typeof fn !== 'function') throw new TypeError(`init must return the row function, got ${fn === null ? 'null' : typeof fn}`);
    return { ok: true, fn: fn as RowFunction<unknown, unknown>, options: task.options ?? {}, task };
  } catch (e) {
    return { ok: false, stage: 'init', error: toSent(e) };
  }
}
