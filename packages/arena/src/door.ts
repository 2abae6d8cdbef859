/**
 * The one door from an Arena to generated views. Every way a generated root class is made — `open`,
 * `load`, the constructor — passes here, so none skips the layout check: the header's layout hash must
 * be the views' own, the arena must carry its layout, and, when verifying, the stored layout must be
 * exactly the one the views were generated from before every row is checked against it.
 */
import type { Arena } from './arena.js';
import { Errors } from './errors.js';
import { LAYOUT_SECTION } from './layout.js';

/** What a generated root class knows of its schema. */
export interface RootSpec {
  readonly name: string;
  readonly layoutHash: bigint;
  /** The canonical layout text (layout.ts) the views were generated from. */
  readonly layout: string;
}

export function checkArena(arena: Arena, root: RootSpec, verify: boolean): Arena {
  if (arena.layoutHash !== root.layoutHash) throw Errors.layoutMismatch(root.layoutHash, arena.layoutHash);
  if (!arena.has(LAYOUT_SECTION)) throw Errors.noLayout(root.name);
  if (verify) arena.verify({ layout: root.layout, name: root.name });
  return arena;
}
