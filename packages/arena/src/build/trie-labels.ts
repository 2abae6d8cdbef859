/**
 * Builds a trie's label index (format and reasoning in ../trie-labels.ts) from the keys in sorted walk
 * order, as build/trie.ts holds them.
 */
import { DOTTED_KEY, LEAF_KEY, LENGTH_MASK, MAX_PROBE, SLOT_WORDS, TERMINAL_KEY, fingerprint, home, lightFingerprint, lightHome, mix1, mix2, start1, start2 } from '../trie-labels.js';

/** A built label index: what the header records and the table written after the blob. */
export interface LabelIndex {
  seed: number;
  slots: number;
  maxProbe: number;
  /** SLOT_WORDS words per slot. */
  table: Uint32Array;
}

/** The keys in sorted walk order, as build/trie.ts holds them. */
export interface SortedKeys {
  n: number;
  /** Code units of every key; key r is units [rankAt[r], rankAt[r + 1]). */
  units: Uint8Array | Uint16Array;
  rankAt: Uint32Array;
  /** Key r's word in the trie's key offsets: its first byte in the blob | WIDE. */
  keyWord: (r: number) => number;
  /** Key r's value. */
  value: (r: number) => number;
}

/** Seeds tried before giving up; each fails only on a 32-bit fingerprint collision along one probe sequence. */
const SEEDS = 16;
/**
 * Slots per entry: a load of 0.625 keeps probe sequences short (a miss ends every walk). A field, not a
 * constant, only so tests can start too small and drive the retry path (a table too full, tried again
 * larger in the same place); nothing else changes it.
 * @internal
 */
export const LABEL_TUNING = { slotsPerEntry: 1.6 };
/** Loads above this make `tryBuild` start again with more slots (the count was short). */
const MAX_LOAD = 0.8;
/** Slot numbers stay well inside a u32 word index. */
const MAX_SLOTS = 0x0fff_ffff;
const FULL = 'full';
/** While building: some key goes on past a boundary after this entry's prefix (LEAF_KEY's bit, inverted at the end). */
const EXTENDED = LEAF_KEY;

/**
 * The label index of keys over `boundary`, or undefined when there is none to build (no keys, more
 * keys than a rank field holds) or no seed gave unique fingerprints along every probe sequence: the
 * trie walk then answers every query, as before label indexes. `tableOf(words)` gives each attempt its
 * zeroed table (the trie's builder hands out room in the arena itself: no copy).
 */
export function buildLabelIndex(keys: SortedKeys, boundary: number, light = true, tableOf: (words: number) => Uint32Array = (words) => new Uint32Array(words)): LabelIndex | undefined {
  const { n, rankAt } = keys;
  if (n === 0 || (rankAt[n] as number) > LENGTH_MASK) return undefined;
  let slots = Math.max(8, Math.ceil(countEntries(keys, boundary) * LABEL_TUNING.slotsPerEntry));
  // Seeds are fixed, not random: the same keys always give the same bytes.
  for (let attempt = 0; attempt < SEEDS && slots <= MAX_SLOTS; attempt++) {
    const built = tryBuild(keys, boundary, tableOf(SLOT_WORDS * slots), slots, Math.imul(attempt + 1, 0x9e37_79b9) >>> 0, light);
    if (built === FULL) slots = Math.ceil(slots * 1.5);
    else if (built !== undefined) return built;
  }
  return undefined;
}

/**
 * About how many entries the keys make: the empty prefix, the keys, and each prefix before a boundary
 * the first time the sorted keys show it (a prefix longer than the key's common prefix with the key
 * before). Keys that share a prefix sit together in sorted order, so this misses only a prefix whose
 * block starts with a key that does not end it at a boundary; `tryBuild` reports a table too full.
 */
function countEntries(keys: SortedKeys, boundary: number): number {
  const { n, units, rankAt } = keys;
  let entries = 1 + n;
  for (let r = 0; r < n; r++) {
    const from = rankAt[r] as number;
    const end = rankAt[r + 1] as number;
    let common = 0;
    if (r > 0) {
      const prev = rankAt[r - 1] as number;
      const limit = Math.min(end - from, from - prev);
      while (common < limit && units[prev + common] === units[from + common]) common++;
    }
    for (let u = from + common; u < end; u++) if (units[u] === boundary) entries++;
  }
  return entries;
}

/** Fills `table` (zeroed, SLOT_WORDS words per slot) with the index under `seed`. */
function tryBuild(keys: SortedKeys, boundary: number, table: Uint32Array, slots: number, seed: number, light: boolean): LabelIndex | typeof FULL | undefined {
  const { n, units: sorted, rankAt } = keys;
  let maxProbe = 1;
  let entries = 0;
  const most = Math.floor(slots * MAX_LOAD);

  /**
   * Adds (or merges `flags` into) the entry for key r's first `length` units; false on a collision.
   * While building, an entry's words 2 and 3 name its string (a key's rank and a length) in the slot
   * itself, so an insert touches one cache line; the last pass puts the key's place and value there.
   */
  const insert = (h1: number, h2: number, r: number, length: number, flags: number): boolean => {
    const fp = light ? lightFingerprint(h1) : fingerprint(h1);
    let p = light ? lightHome(h2, slots) : home(h2, slots);
    for (let probe = 1; probe <= MAX_PROBE; probe++) {
      const w = SLOT_WORDS * p;
      const f = table[w] as number;
      if (f === 0) {
        if (++entries > most) return false;
        table[w] = fp;
        table[w + 2] = r;
        table[w + 3] = length;
        if (probe > maxProbe) maxProbe = probe;
      } else if (f !== fp || !samePrefix(sorted, rankAt, table[w + 2] as number, r, table[w + 3] as number, length)) {
        if (f === fp) return false; // two strings, one fingerprint, one probe sequence: another seed
        if (++p === slots) p = 0;
        continue;
      }
      table[w + 1] = ((table[w + 1] as number) | flags) >>> 0;
      if ((flags & TERMINAL_KEY) !== 0) table[w + 2] = r;
      return true;
    }
    return false;
  };

  /** Why `insert` failed: a full table needs more slots; a collision, another seed. */
  const failed = () => (entries > most ? FULL : undefined);
  // The empty prefix: every walk starts there, and goes on from it to the first segment edge.
  if (!insert(start1(seed), start2(seed), 0, 0, EXTENDED)) return failed();
  for (let r = 0; r < n; r++) {
    const from = rankAt[r] as number;
    const end = rankAt[r + 1] as number;
    let h1 = start1(seed);
    let h2 = start2(seed);
    for (let u = from; u < end; u++) {
      const c = sorted[u] as number;
      if (c === boundary && !insert(h1, h2, r, u - from, u === end - 1 ? DOTTED_KEY : EXTENDED)) return failed();
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    if (!insert(h1, h2, r, end - from, TERMINAL_KEY)) return failed();
  }
  for (let w = 0; w < table.length; w += SLOT_WORDS) {
    if (table[w] === 0) continue;
    const flags = table[w + 1] as number;
    const r = table[w + 2] as number;
    const terminal = (flags & TERMINAL_KEY) !== 0;
    const word = (flags & EXTENDED) !== 0 ? flags & ~EXTENDED : flags | LEAF_KEY;
    table[w + 1] = terminal ? (word | (table[w + 3] as number)) >>> 0 : word >>> 0;
    table[w + 2] = terminal ? keys.keyWord(r) : 0;
    table[w + 3] = terminal ? keys.value(r) : 0;
  }
  return { seed, slots, maxProbe, table };
}

/** Whether key a's first `la` units and key b's first `lb` units are the same string. */
function samePrefix(sorted: Uint8Array | Uint16Array, rankAt: Uint32Array, a: number, b: number, la: number, lb: number): boolean {
  if (la !== lb) return false;
  const pa = rankAt[a] as number;
  const pb = rankAt[b] as number;
  for (let k = 0; k < la; k++) if (sorted[pa + k] !== sorted[pb + k]) return false;
  return true;
}
