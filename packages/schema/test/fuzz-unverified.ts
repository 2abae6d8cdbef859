/**
 * The promise for bytes that were never verified, checked on the fuzzer's corrupted arenas (fuzz.ts):
 * `Arena.open` (O(sections) checks, no checksum, no `verify()`), then every arena-level reader — hash
 * map, range table, trie, direct map, string pool, the generic `ArenaReader` — and the generated views
 * opened the default way. A read may return garbage or throw an ArenaError; it must not throw anything
 * else. Termination and bounded allocation are checked by the runner (scripts/fuzz-unverified.ts): each
 * case runs under a deadline in a worker with a heap limit.
 */
import { Arena, ArenaError, ArenaReader, DirectMapView, HashMapView, RangesView, SectionKind, TrieView } from '@sabre/arena';
import { Geo } from './fixtures/__generated__/geo.js';
import { walk, type Verdict } from './fuzz.js';

const STRING_PROBES = ['', 'a', 'FR', 'Paris', '.com', 'www.example.co.uk', 'example.com', '\u00ff\u0100', 'x'.repeat(70)];
const INT_PROBES: (number | bigint)[] = [0, 1, 33, 255, 65_535, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, (1n << 64n) - 1n];
/** The runner's loops over counts read from the bytes stop here: a forged count is not a read's cost. */
const LOOP_CAP = 5_000;

/** Anything but an ArenaError thrown by a read of unverified bytes; `cause` is what was thrown. */
class Escape extends Error {}

/** Runs `read`, turning an ArenaError into its code; anything else thrown escapes as a failure. */
function attempt(read: () => number): number | string {
  try {
    const n = read();
    reads.returned++;
    return n;
  } catch (e) {
    if (ArenaError.is(e) && typeof e.code === 'string') {
      reads.refused++;
      return e.code;
    }
    if (e instanceof Escape) throw e;
    throw new Escape(`an unverified read escaped as ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

function readHashMap(m: HashMapView): number {
  let n = m.size;
  for (const k of STRING_PROBES) n += attempt(() => m.get(k)) as number;
  for (const k of INT_PROBES) n += attempt(() => m.getInt(k)) as number;
  let seen = 0;
  for (const [k, v] of m.entries()) {
    n = (n + v + (typeof k === 'string' ? k.length : Number(k & 0xffn))) | 0;
    if (++seen >= LOOP_CAP) break;
  }
  return n;
}

function readRanges(r: RangesView): number {
  let n = 0;
  for (const k of INT_PROBES) {
    n += attempt(() => r.find(k)) as number;
    if (typeof k === 'number' && k < 2 ** 32) n += attempt(() => r.indexOf(k)) as number;
  }
  n += attempt(() => r.findWords(1, 2)) as number;
  return n;
}

function readTrie(t: TrieView): number {
  let n = 0;
  for (const k of STRING_PROBES) {
    n += attempt(() => t.get(k) + t.longestPrefix(k) + t.longestSuffix(k)) as number;
    n += attempt(() => {
      const [lo, hi] = t.prefixRange(k);
      let sum = 0;
      for (let r = lo; r < hi && r < lo + LOOP_CAP; r++) sum += t.keyAt(r).length + t.valueAt(r);
      return sum;
    }) as number;
  }
  n += attempt(() => {
    let sum = 0;
    let seen = 0;
    for (const [k, v] of t.withPrefix('')) {
      sum += k.length + v;
      if (++seen >= LOOP_CAP) break;
    }
    return sum;
  }) as number;
  return n;
}

function readDirectMap(d: DirectMapView): number {
  let n = 0;
  for (const k of INT_PROBES) n += attempt(() => d.get(k)) as number;
  let seen = 0;
  for (const [k, v] of d.entries()) {
    n = (n + k + v) | 0;
    if (++seen >= LOOP_CAP) break;
  }
  return n;
}

function readGeneric(arena: Arena): number {
  const reader = ArenaReader.of(arena);
  let n = 0;
  for (const section of reader.sections) {
    n += attempt(() => {
      const table = reader.table(section.name);
      let sum = 0;
      let seen = 0;
      for (const row of table) {
        sum += Object.keys(row).length;
        if (++seen >= LOOP_CAP) break;
      }
      for (const k of STRING_PROBES) sum += attempt(() => (table.query('get', k) === undefined ? 0 : 1)) as number;
      return sum;
    }) as number;
  }
  return n;
}

/** Opens without verifying and reads through every reader; Verdict as for verified reads. */
export function judgeUnverified(buffer: ArrayBuffer): Verdict {
  let arena: Arena;
  try {
    arena = Arena.open(buffer);
  } catch (e) {
    if (ArenaError.is(e) && typeof e.code === 'string') return { accepted: false, code: e.code };
    throw new Error(`an unverified open escaped as ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  let n = 0;
  for (const info of arena.sections) {
    n += attempt(() => {
      const section = arena.section(info.name);
      switch (info.kind) {
        case SectionKind.HashMap:
          return readHashMap(new HashMapView(section));
        case SectionKind.Ranges: {
          // A schema's range index reads its ends from its rows (`<rows>.index`).
          const rows = info.name.endsWith('.index') && arena.has(info.name.slice(0, -6)) ? arena.section(info.name.slice(0, -6)) : undefined;
          return readRanges(new RangesView(section, rows));
        }
        case SectionKind.Trie:
          return readTrie(new TrieView(section));
        case SectionKind.DirectMap:
          return readDirectMap(new DirectMapView(section));
        default:
          return section.byteLength;
      }
    }) as number;
  }
  n += attempt(() => {
    const strings = arena.strings;
    let sum = 0;
    for (let id = 0; id < Math.min(strings.count, LOOP_CAP); id++) sum += strings.decode(id).length;
    return sum;
  }) as number;
  n += attempt(() => readGeneric(arena)) as number;
  n += attempt(() => walk(Geo.open(buffer), false)) as number;
  sink = (sink + n) | 0; // kept, so no read is optimised away
  return { accepted: true };
}

/** Everything read, summed: see `judgeUnverified`. */
export let sink = 0;

/** Reads (one reader's queries on one section, or one whole walk) that returned, and that threw an ArenaError. */
export const reads = { returned: 0, refused: 0 };
