/**
 * Builds the string pool (see ../strings.ts for the bytes). `intern(s)` returns the id of `s`, storing
 * it the first time it is seen. Lookups use the same 64-bit-capable hash as readers (`hashChars`) over
 * an open-addressing index of ids, so interning allocates nothing per call; memory is the pool's own
 * bytes plus ~12 B per distinct string (index at load ≤ 1/2, plus a saved hash for rehashing).
 *
 * Strings can be made to share `hashChars` on purpose (keyed-hash.ts says how), which would make every
 * insert walk one long probe run: 40,000 such strings took 73 s. An insert that probes past
 * PROBE_LIMIT slots therefore rehashes the index once with the keyed hash under a random key.
 */
import { Errors } from '../errors.js';
import { hashChars } from '../hash.js';
import { keyedHash, randomWords } from '../keyed-hash.js';
import { allocating } from './reserve.js';
import { MAX_BLOB_BYTES, OFFSET_MASK, S_BLOB_LENGTH, S_COUNT, S_OFFSETS, UTF16_FLAG } from '../strings.js';
import { decodeUnits, isLatin1, unitBytes, unitsEqual, writeUnits } from '../units.js';

const MIN_INDEX = 1024;
/** At load ≤ 1/2, honest keys probe this far about once in 10^5 builds of 10M strings; then it costs a rehash. */
const PROBE_LIMIT = 64;

/**
 * The string pool of an arena being built (`builder.strings`): `intern(s)` gives each distinct string
 * one u32 id; `ArenaBuilder.finish()` writes it as the `$strings` section (if it holds any).
 */
export class StringPoolBuilder {
  private count = 0;
  private offsets = new Uint32Array(MIN_INDEX + 1);
  private hashes = new Uint32Array(MIN_INDEX);
  private index = new Int32Array(MIN_INDEX * 2); // id + 1; 0 = empty
  private blob: Uint8Array;
  private blobLength = 0;
  private sealed = false;
  /** The keyed hash's key once probing went past PROBE_LIMIT; until then `hashChars`. */
  private hashKey: Uint32Array | undefined;

  constructor() {
    this.blob = new Uint8Array(1 << 16);
  }

  /** Number of distinct strings interned so far. */
  get size(): number {
    return this.count;
  }

  /** Bytes the pool will occupy in the arena. */
  get byteLength(): number {
    return S_OFFSETS + 4 * (this.count + 1) + this.blobLength;
  }

  /** The id of `s`, adding it if new. Equal strings (code unit for code unit) get the same id. */
  intern(s: string): number {
    if (this.sealed) throw Errors.builderState('this string pool was already written by finish(); start a new ArenaBuilder');
    if (typeof s !== 'string') throw Errors.valueOutOfRange('a string', s);
    const h = this.hash(s);
    const mask = this.index.length - 1;
    let slot = h & mask;
    for (let probes = 0; ; probes++) {
      const entry = this.index[slot] as number;
      if (entry === 0) break;
      if (this.hashes[entry - 1] === h && this.equals(entry - 1, s)) return entry - 1;
      slot = (slot + 1) & mask;
      if (probes === PROBE_LIMIT && this.hashKey === undefined) {
        this.rekey();
        return this.intern(s);
      }
    }
    const id = this.count;
    this.append(s);
    this.index[slot] = id + 1;
    if (id >= this.hashes.length) this.hashes = growU32(this.hashes, this.hashes.length * 2);
    this.hashes[id] = h;
    this.count = id + 1;
    if (this.count * 2 > this.index.length) this.rehash(this.index.length * 2);
    return id;
  }

  /** Whether interning switched to the keyed hash (keys collided on purpose, or very bad luck). */
  get keyed(): boolean {
    return this.hashKey !== undefined;
  }

  private hash(s: string): number {
    const key = this.hashKey;
    return key === undefined ? hashChars(s) : keyedHash(s, key[0] as number, key[1] as number);
  }

  /** Switches to the keyed hash under a random key: every saved hash is recomputed, the index rebuilt. */
  private rekey(): void {
    this.hashKey = randomWords(new Uint32Array(2));
    for (let id = 0; id < this.count; id++) this.hashes[id] = this.hash(this.stringAt(id));
    this.rehash(this.index.length);
  }

  private stringAt(id: number): string {
    const raw = this.offsets[id + 1] as number;
    const end = raw & OFFSET_MASK;
    const wide = (raw & UTF16_FLAG) !== 0;
    let start = (this.offsets[id] as number) & OFFSET_MASK;
    if (wide) start = (start + 1) & ~1;
    return decodeUnits(this.blob, start, wide ? (end - start) >>> 1 : end - start, wide);
  }

  private equals(id: number, s: string): boolean {
    const raw = this.offsets[id + 1] as number;
    const end = raw & OFFSET_MASK;
    const wide = (raw & UTF16_FLAG) !== 0;
    let start = (this.offsets[id] as number) & OFFSET_MASK;
    if (wide) start = (start + 1) & ~1;
    return (wide ? (end - start) >>> 1 : end - start) === s.length && unitsEqual(this.blob, start, s, wide);
  }

  private append(s: string): void {
    const wide = !isLatin1(s);
    let at = this.blobLength;
    if (wide) at = (at + 1) & ~1; // wide strings start on an even byte
    const end = at + unitBytes(s, wide);
    if (end > MAX_BLOB_BYTES) {
      throw Errors.valueOutOfRange(`a string pool of at most ${MAX_BLOB_BYTES} bytes`, `${end} bytes`, 'strings');
    }
    this.reserveBlob(end);
    writeUnits(this.blob, at, s, wide);
    this.blobLength = end;
    if (this.count + 2 > this.offsets.length) this.offsets = growU32(this.offsets, this.offsets.length * 2);
    this.offsets[this.count + 1] = (end | (wide ? UTF16_FLAG : 0)) >>> 0;
  }

  private reserveBlob(end: number): void {
    if (end <= this.blob.length) return;
    // Grown by copying, 1.5× at a time: a resizable buffer would reserve its 2 GiB maximum as address
    // space up front for every pool (see reserve.ts); copies cost O(final size) in all.
    const length = Math.min(MAX_BLOB_BYTES, Math.max(end, Math.floor(this.blob.length * 1.5)));
    const next = allocating(length, 'the string pool being built', () => new Uint8Array(length));
    next.set(this.blob.subarray(0, this.blobLength));
    this.blob = next;
  }

  private rehash(capacity: number): void {
    const index = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = id + 1;
    }
    this.index = index;
  }

  /** Writes the pool's bytes at `at` of `target` (a DataView over the arena) and frees the scratch. */
  writeTo(target: DataView, at: number): number {
    const length = this.byteLength;
    target.setUint32(at + S_COUNT, this.count, true);
    target.setUint32(at + S_BLOB_LENGTH, this.blobLength, true);
    for (let i = 0; i <= this.count; i++) target.setUint32(at + S_OFFSETS + 4 * i, this.offsets[i] as number, true);
    const blobAt = at + S_OFFSETS + 4 * (this.count + 1);
    new Uint8Array(target.buffer, target.byteOffset + blobAt, this.blobLength).set(this.blob.subarray(0, this.blobLength));
    this.seal();
    return length;
  }

  /** Frees the scratch buffers; the pool accepts no more strings. */
  seal(): void {
    this.sealed = true;
    this.offsets = new Uint32Array(1);
    this.hashes = new Uint32Array(0);
    this.index = new Int32Array(1);
    this.blob = new Uint8Array(0);
  }
}

function growU32(a: Uint32Array, length: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(length);
  next.set(a);
  return next;
}
