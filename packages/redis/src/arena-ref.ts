/**
 * Arenas by content: a job names its arena by the sha256 of its bytes and its layout hash. Each host
 * copies the file once into its local cache (named by the hash), checks the hash of what it copied,
 * and loads it with the layout check; a host never runs a batch against any other arena.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arena } from '@sabre/arena';
import { load } from '@sabre/arena/node';

/** How a job names its arena: where to fetch it (shared storage), and what it must be. */
export interface ArenaRef {
  /** A path every host can read (shared storage). */
  uri: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** The layout hash the arena must have (hex, as generated views' `layoutHash.toString(16)`). */
  layoutHash: string;
}

/** The reference as stream entries and hosts compare it: `sha256:layoutHash`. */
export const refText = (ref: ArenaRef): string => `${ref.sha256}:${ref.layoutHash}`;

/** The ArenaRef of a saved arena file. */
export async function arenaRefOf(uri: string, layoutHash: bigint): Promise<ArenaRef> {
  return { uri, sha256: createHash('sha256').update(await readFile(uri)).digest('hex'), layoutHash: layoutHash.toString(16) };
}

/** Copies the arena into `cacheDir` (once), checks its sha256 and loads it with its layout hash checked. */
export async function fetchArena(ref: ArenaRef, cacheDir: string): Promise<Arena> {
  await mkdir(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${ref.sha256}.arena`);
  const tmp = `${cached}.${process.pid}.tmp`;
  await copyFile(ref.uri, tmp);
  const got = createHash('sha256').update(await readFile(tmp)).digest('hex');
  if (got !== ref.sha256) throw new Error(`✖ the arena at ${ref.uri} has sha256 ${got}, but the job names ${ref.sha256}: it changed since the job was submitted; refusing to run against it`);
  await rename(tmp, cached);
  return load(cached, { layoutHash: BigInt(`0x${ref.layoutHash}`) });
}
