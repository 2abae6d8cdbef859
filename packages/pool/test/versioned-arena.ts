import type { Arena } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';

/** An arena that answers with `version` (read by fixtures/version.task.ts); `init: 1` makes the task's init throw on it, `init: 2` makes it never finish. */
export function versionedArena(version: number, options: { init?: 1 | 2 } = {}): Arena {
  const b = new ArenaBuilder();
  b.section('version').scalar('u32', version).end();
  if (options.init !== undefined) b.section('init').scalar('u32', options.init).end();
  return b.finish();
}
