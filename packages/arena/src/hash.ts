/**
 * Hashes, all defined over 32-bit words so JS computes them with `Math.imul` and no allocation.
 *
 * - `hashChars(s)`: a 64-bit hash (two 32-bit lanes) of a JS string's UTF-16 code units, taken two at a
 *   time straight from `charCodeAt`. The query is never encoded. `hashLatin1` and `hashUtf16` compute
 *   the same value from a stored string's bytes, so a stored key and a JS query agree bit for bit.
 *   64 bits because a single 32-bit hash already gives ~11k colliding pairs at 10M keys.
 * - `checksum(buffer, ...)`: a 64-bit checksum of arena bytes, two independent lanes over alternating
 *   words so the CPU runs both multiply chains in parallel.
 *
 * Results come back in `hashOut` (lane 0 is also returned) rather than in a fresh object: hashing
 * sits on the lookup path, which must not allocate.
 */

/** Lane 0 and lane 1 of the last hash computed. Read them straight after the call. */
export const hashOut = new Uint32Array(2);

const SEED_A = 0x2f5d_a91b;
const SEED_B = 0x6c8e_9cf5;
const M1 = 0x85eb_ca77;
const M2 = 0xc2b2_ae3d;
const M3 = 0x27d4_eb2f;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb_352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846c_a68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function finish(a: number, b: number, n: number): number {
  a ^= n;
  b ^= Math.imul(n, M3);
  a = (a + b) | 0;
  b = (b + a) | 0;
  a = fmix(a);
  b = fmix(b);
  a = (a + b) | 0;
  b = (b + a) | 0;
  hashOut[0] = a;
  hashOut[1] = b;
  return a >>> 0;
}

// The input is a sequence of 32-bit words, each two code units (lo | hi << 16; a lone last code unit
// is a word of its own). Words alternate between the lanes: lane a takes words 0, 2, 4…, lane b takes
// 1, 3, 5…, so the two multiply chains run in parallel and each word costs one multiply. Measured:
// this halves hashChars (51 → 28 ns on 17-char keys, the cost of a bare charCodeAt loop); see
// benchmarks/string-hash-equals-vs-encode.bench.ts. Steps are inlined by hand: a call per word costs more.
//   lane a: a = rotl(imul(a ^ w, M1), 15)        lane b: b = imul(b + w, M2); b ^= b >>> 13

/** Hash of a JS string's UTF-16 code units. Returns lane 0; both lanes are in `hashOut`. */
export function hashChars(s: string): number {
  hashCharsInto(s);
  return hashOut[0] as number;
}

/**
 * `hashChars` for the lookup path: both lanes go to `hashOut` only, and the body calls nothing. A
 * number above 2^30 returned from, or passed to, a call V8 did not inline is boxed as a heap number;
 * when a caller's inlining budget ran out, that made every string lookup allocate. (`finish` and
 * `fmix` are written out here for the same reason.)
 */
export function hashCharsInto(s: string): void {
  const n = s.length;
  let a = SEED_A;
  let b = SEED_B;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a = Math.imul(a ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b + (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16)), M2);
    b ^= b >>> 13;
  }
  const rest = n - i;
  if (rest > 0) {
    a = Math.imul(a ^ (rest === 1 ? s.charCodeAt(i) : s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    if (rest === 3) {
      b = Math.imul(b + s.charCodeAt(i + 2), M2);
      b ^= b >>> 13;
    }
  }
  // finish(a, b, n), with fmix inlined:
  a ^= n;
  b ^= Math.imul(n, M3);
  a = (a + b) | 0;
  b = (b + a) | 0;
  a ^= a >>> 16;
  a = Math.imul(a, 0x7feb_352d);
  a ^= a >>> 15;
  a = Math.imul(a, 0x846c_a68b);
  a ^= a >>> 16;
  b ^= b >>> 16;
  b = Math.imul(b, 0x7feb_352d);
  b ^= b >>> 15;
  b = Math.imul(b, 0x846c_a68b);
  b ^= b >>> 16;
  a = (a + b) | 0;
  b = (b + a) | 0;
  hashOut[0] = a;
  hashOut[1] = b;
}

/** Same hash as `hashChars`, over Latin-1 bytes [start, end): one byte is one code unit. */
export function hashLatin1(bytes: Uint8Array, start: number, end: number): number {
  let a = SEED_A;
  let b = SEED_B;
  let i = start;
  for (; i + 3 < end; i += 4) {
    a = Math.imul(a ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b + ((bytes[i + 2] as number) | ((bytes[i + 3] as number) << 16)), M2);
    b ^= b >>> 13;
  }
  const rest = end - i;
  if (rest > 0) {
    a = Math.imul(a ^ (rest === 1 ? (bytes[i] as number) : (bytes[i] as number) | ((bytes[i + 1] as number) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    if (rest === 3) {
      b = Math.imul(b + (bytes[i + 2] as number), M2);
      b ^= b >>> 13;
    }
  }
  return finish(a, b, end - start);
}

/** Same hash as `hashChars`, over little-endian UTF-16 bytes [start, end) (end - start is even). */
export function hashUtf16(bytes: Uint8Array, start: number, end: number): number {
  const unit = (p: number): number => (bytes[p] as number) | ((bytes[p + 1] as number) << 8);
  let a = SEED_A;
  let b = SEED_B;
  let i = start;
  for (; i + 7 < end; i += 8) {
    a = Math.imul(a ^ (unit(i) | (unit(i + 2) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b + (unit(i + 4) | (unit(i + 6) << 16)), M2);
    b ^= b >>> 13;
  }
  const rest = (end - i) >>> 1;
  if (rest > 0) {
    a = Math.imul(a ^ (rest === 1 ? unit(i) : unit(i) | (unit(i + 2) << 16)), M1);
    a = (a << 15) | (a >>> 17);
    if (rest === 3) {
      b = Math.imul(b + unit(i + 4), M2);
      b ^= b >>> 13;
    }
  }
  return finish(a, b, (end - start) >>> 1);
}

/** Words per chunk view while checksumming: keeps each typed array far below the 4 GiB limit. */
const CHUNK_WORDS = 1 << 26; // 256 MiB

/**
 * Running checksum state: call `update` over consecutive word-aligned regions, then `digest`.
 * Regions are viewed in chunks, so the whole arena (possibly > 4 GiB) is never one typed array.
 */
export class Checksum {
  private a = SEED_A;
  private b = SEED_B;
  private words = 0;
  private odd = false;

  /** Feeds bytes [offset, offset + length) of `buffer`; both must be multiples of 4. */
  update(buffer: ArrayBufferLike, offset: number, length: number): this {
    let a = this.a;
    let b = this.b;
    let odd = this.odd;
    let left = length / 4;
    let at = offset;
    while (left > 0) {
      const n = Math.min(left, CHUNK_WORDS);
      const w = new Uint32Array(buffer, at, n);
      let i = 0;
      if (odd && n > 0) {
        b = Math.imul(b + (w[0] as number), M2);
        b ^= b >>> 13;
        i = 1;
        odd = false;
      }
      for (; i + 1 < n; i += 2) {
        a = Math.imul(a ^ (w[i] as number), M1);
        a = (a << 15) | (a >>> 17);
        b = Math.imul(b + (w[i + 1] as number), M2);
        b ^= b >>> 13;
      }
      if (i < n) {
        a = Math.imul(a ^ (w[i] as number), M1);
        a = (a << 15) | (a >>> 17);
        odd = true;
      }
      this.words += n;
      left -= n;
      at += n * 4;
    }
    this.a = a;
    this.b = b;
    this.odd = odd;
    return this;
  }

  digest(): bigint {
    finish(this.a, this.b, this.words >>> 0);
    return (BigInt(hashOut[1] as number) << 32n) | BigInt(hashOut[0] as number);
  }
}
