// The page without cross-origin isolation: there is no SharedArrayBuffer here, and arenas still work in
// one thread. It fetches an arena file built by Node and reads it as a plain ArrayBuffer, builds one on
// the page (the builder falls back to an ArrayBuffer), and shows that asking to share names the fix.
import { ArenaError } from '@sabre/arena';
import { build } from '@sabre/schema';
import { Atlas as AtlasSchema } from '../atlas.schema.js';
import { Atlas } from '../__generated__/atlas.js';
import { answer } from '../answers.js';
import { atlasInput } from '../data.js';
import type { PlainResult } from '../results.js';
import { bufferKind, run } from './show.js';

void run(async (): Promise<PlainResult> => {
  const response = await fetch('./atlas.sabre');
  if (!response.ok) throw new Error(`fetching atlas.sabre: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  // Bytes from the network: verify every field before trusting the getters.
  const fetched = Atlas.open(bytes, { verify: true });

  const built = build(AtlasSchema, atlasInput);

  let refused: { code: string; message: string } | null = null;
  try {
    build(AtlasSchema, atlasInput, { shared: true });
  } catch (e) {
    if (!ArenaError.is(e)) throw e;
    refused = { code: e.code, message: e.message };
  }

  return {
    page: { crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer },
    fetched: { buffer: bufferKind(bytes), answers: answer(fetched) },
    built: { buffer: bufferKind(built.buffer), answers: answer(new Atlas(built)) },
    refused,
  };
});
