/**
 * Reads a trie's label index (format in trie-labels.ts): the longest key that matches a query at a
 * segment edge, found by hashing the query a segment at a time and checked against the key's bytes.
 */
import { Errors } from './errors.js';
import type { SectionView } from './section.js';
import { DOTTED_KEY, LEAF_KEY, LENGTH_MASK, MAX_PROBE, SLOT_WORDS, TERMINAL_KEY, fingerprint, home, lightFingerprint, lightHome, mix1, mix2, start1, start2 } from './trie-labels.js';

/** `longest` cannot answer (its candidate is not the query's, so the table is not this trie's): walk the trie. */
export const ASK_THE_TRIE = -2;
const NONE = -1;
const OFFSET_MASK = 0x7fff_ffff;

/** The label index of one trie section. */
export class LabelTable {
  /** Length of the key the last `longest` call matched, in units. */
  length = 0;

  /**
   * Fields as constructor parameters: V8 reads them faster than fields declared on the class and
   * assigned in its body (see hash-map-u32-probe.ts). `LabelTable.open` checks them.
   */
  private constructor(
    readonly section: SectionView,
    private readonly table: Uint32Array,
    private readonly slots: number,
    private readonly blob: Uint8Array,
    private readonly seed: number,
    private readonly maxProbe: number,
    /** Hashed with FLAG_LIGHT_HASH (format 2.3), or as 2.2 wrote it. */
    private readonly light: boolean,
    /**
     * Word offset of the empty prefix's entry, where every walk starts, found once here rather than
     * probed per query (~10% of a hostname lookup on 200k rules); -1 when missing (forged: the trie answers).
     */
    private readonly root: number,
  ) {}

  /**
   * O(1): checks the header words against the section (ARENA_CORRUPT if they do not fit).
   * @param section - The trie's section.
   * @param at - Byte offset of the table in the section.
   * @param slots - Slots in the table (header word 20).
   * @param blob - The trie's key bytes, to check a candidate against the query.
   */
  static open(section: SectionView, at: number, slots: number, blob: Uint8Array, light: boolean): LabelTable {
    const v = section.view;
    const seed = v.getUint32(24, true);
    const maxProbe = v.getUint32(28, true);
    if (slots === 0 || maxProbe === 0 || maxProbe > Math.min(MAX_PROBE, slots)) {
      throw Errors.corrupt(`sections.${section.name}.labels`, 'label index slots or longest probe', `slots ≥ 1, 1 ≤ probe ≤ min(slots, ${MAX_PROBE})`, `${slots} slots, probe ${maxProbe}`);
    }
    const table = new Uint32Array(section.bytes.buffer, section.bytes.byteOffset + at, SLOT_WORDS * slots);
    const rootless = new LabelTable(section, table, slots, blob, seed, maxProbe, light, -1);
    return new LabelTable(section, table, slots, blob, seed, maxProbe, light, rootless.probe(start1(seed), start2(seed)));
  }

  /** The first word (SLOT_WORDS · slot) of the entry whose lane states are (h1, h2), or -1 if there is none. */
  probe(h1: number, h2: number): number {
    const t = this.table;
    const slots = this.slots;
    const light = this.light;
    const fp = light ? lightFingerprint(h1) : fingerprint(h1);
    let p = light ? lightHome(h2, slots) : home(h2, slots);
    for (let k = this.maxProbe; k > 0; k--) {
      const f = t[SLOT_WORDS * p] as number;
      if (f === fp) return SLOT_WORDS * p;
      if (f === 0) return -1;
      if (++p === slots) p = 0;
    }
    return -1;
  }

  /**
   * The value of the longest key matching `s` at a segment edge (`length` set to its length), -1 for
   * none, or ASK_THE_TRIE. Walks `s` in the trie's order (from its end, if reversed), probing the
   * prefix that ends at each boundary and the whole query; the first prefix not in the table ends it.
   */
  longest(s: string, reversed: boolean, boundary: number): number {
    const t = this.table;
    const n = s.length;
    let h1 = start1(this.seed);
    let h2 = start2(this.seed);
    let c = n === 0 ? -1 : reversed ? s.charCodeAt(n - 1) : s.charCodeAt(0);
    let at = this.root;
    if (at < 0) return ASK_THE_TRIE; // every table holds the empty prefix
    let best = -1;
    let bestLength = 0;
    let i = 0;
    for (;;) {
      const word = t[at + 1] as number;
      if ((word & TERMINAL_KEY) !== 0) {
        best = at;
        bestLength = i;
      }
      // The key that is this prefix plus the boundary ("co.uk." reversed: ".co.uk").
      if ((word & DOTTED_KEY) !== 0 && c === boundary) {
        const dotted = this.probe(mix1(h1, c), mix2(h2, c));
        if (dotted >= 0 && ((t[dotted + 1] as number) & TERMINAL_KEY) !== 0) {
          best = dotted;
          bestLength = i + 1;
        }
      }
      // On to the next segment edge: where the next unit is the boundary, or the query ends; unless no
      // key goes on past this one.
      if (i === n || (word & LEAF_KEY) !== 0) break;
      if (reversed) {
        do {
          h1 = mix1(h1, c);
          h2 = mix2(h2, c);
          c = ++i === n ? -1 : s.charCodeAt(n - 1 - i);
        } while (c !== boundary && c >= 0);
      } else {
        do {
          h1 = mix1(h1, c);
          h2 = mix2(h2, c);
          c = ++i === n ? -1 : s.charCodeAt(i);
        } while (c !== boundary && c >= 0);
      }
      at = this.probe(h1, h2);
      if (at < 0) break;
    }
    if (best < 0) return NONE;
    return this.isQuery(best, bestLength, s, reversed) ? (t[best + 3] as number) : ASK_THE_TRIE;
  }

  /**
   * Whether the key of the terminal entry at word `at` is the first `length` units of `s` in walk order
   * (`this.length` set then). Both checks matter: a query piece can share an entry's hash (the hash is
   * public and invertible), and that entry's key can be a shorter start of the query that does not end
   * at a segment edge, or is not the longest that does.
   */
  private isQuery(at: number, length: number, s: string, reversed: boolean): boolean {
    const t = this.table;
    if (((t[at + 1] as number) & LENGTH_MASK) !== length) return false;
    const keyWord = t[at + 2] as number;
    const start = keyWord & OFFSET_MASK;
    const b = this.blob;
    const n = s.length;
    if (length > n) return false;
    if (keyWord >>> 31 === 0) {
      if (start + length > b.length) return false;
      for (let k = 0; k < length; k++) if ((b[start + k] as number) !== (reversed ? s.charCodeAt(n - 1 - k) : s.charCodeAt(k))) return false;
    } else {
      if (start + 2 * length > b.length) return false;
      for (let k = 0; k < length; k++) if (((b[start + 2 * k] as number) | ((b[start + 2 * k + 1] as number) << 8)) !== (reversed ? s.charCodeAt(n - 1 - k) : s.charCodeAt(k))) return false;
    }
    this.length = length;
    return true;
  }

  /**
   * For `verify`: throws ARENA_CORRUPT unless key r (`length` units, read by `unit` in walk order) is
   * found with its length, place (`keyWord`) and `value`, and every prefix of it that ends before a boundary is in the table (with
   * DOTTED_KEY on the one before a final boundary): what `longest` relies on to stop at a miss.
   */
  verifyKey(r: number, length: number, unit: (k: number) => number, boundary: number, keyWord: number, value: number): void {
    const where = `sections.${this.section.name}.labels`;
    const t = this.table;
    let h1 = start1(this.seed);
    let h2 = start2(this.seed);
    for (let k = 0; k < length; k++) {
      const c = unit(k);
      if (c === boundary) {
        const at = this.probe(h1, h2);
        if (at < 0) throw Errors.corrupt(where, `the first ${k} units of key ${r} (before a boundary) are missing from the label index`);
        if (k < length - 1 && ((t[at + 1] as number) & LEAF_KEY) !== 0) throw Errors.corrupt(where, `the first ${k} units of key ${r} are marked as a prefix no key goes on from, but key ${r} does`);
        if (k === length - 1 && ((t[at + 1] as number) & DOTTED_KEY) === 0) throw Errors.corrupt(where, `key ${r} ends with the boundary but the prefix before it is not marked`);
      }
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    const at = this.probe(h1, h2);
    const word = at < 0 ? 0 : (t[at + 1] as number);
    if ((word & TERMINAL_KEY) === 0 || (word & LENGTH_MASK) !== length || t[at + 2] !== keyWord || t[at + 3] !== value) {
      throw Errors.corrupt(where, `key ${r} is not in the label index with its length, place and value`);
    }
  }

  /**
   * For `verify`: throws ARENA_CORRUPT unless the empty prefix, where every walk starts, is in the table
   * and it holds exactly `keys` terminal entries. With `verifyKey` tying each key to its own entry, no
   * other entry can claim to be a key (a forged one would answer queries no key matches).
   */
  verifyRoot(keys: number): void {
    const where = `sections.${this.section.name}.labels`;
    const root = this.probe(start1(this.seed), start2(this.seed));
    if (root < 0) throw Errors.corrupt(where, 'the empty prefix is missing from the label index');
    const t = this.table;
    if (((t[root + 1] as number) & LEAF_KEY) !== 0) throw Errors.corrupt(where, 'the empty prefix is marked as a prefix no key goes on from');
    let terminals = 0;
    for (let w = 0; w < t.length; w += SLOT_WORDS) if (t[w] !== 0 && ((t[w + 1] as number) & TERMINAL_KEY) !== 0) terminals++;
    if (terminals !== keys) throw Errors.corrupt(where, 'terminal entries in the label index differ from the keys', keys, terminals);
  }
}
