/**
 * A keyed string hash for keys that may be hostile.
 *
 * `hashChars` (hash.ts) is fast but unkeyed, and its steps are linear in the top bit: flipping bit 15
 * of one code unit and bit 14 of the code unit four places later gives two strings with the same 64
 * bits, for any starting state (so a seed alone does not help). A few such pairs stop a hash-map build;
 * 2^16 of them make string interning quadratic. Builders therefore start with `hashChars` and, when
 * they see keys that collide fully, switch to this hash under a random 64-bit key (hash-map.ts
 * "scheme 3", build/strings.ts). An attacker who does not know the key cannot aim collisions at it.
 *
 * The construction is HalfSipHash-2-4 with a 64-bit output (Aumasson & Bernstein's 32-bit SipHash),
 * written from its description and fed with 32-bit words of two UTF-16 code units each; the last word
 * holds a lone final code unit and the length mod 2^16, which keeps the padding injective. It costs
 * roughly 4× `hashChars`, paid only by maps that needed it.
 */
import { hashOut } from './hash.js';

/**
 * Hash of `s` under `key` (two u32 words), in `hashOut` (lane 0, lane 1). Flat body that calls
 * nothing: numbers above 2^30 crossing a call V8 did not inline would be boxed (see hash.ts).
 */
export function keyedHashInto(s: string, key: Uint32Array): void {
  const k0 = key[0] as number;
  const k1 = key[1] as number;
  let v0 = k0 | 0;
  let v1 = (k1 ^ 0xee) | 0;
  let v2 = (k0 ^ 0x6c79_6765) | 0;
  let v3 = (k1 ^ 0x7465_6462) | 0;
  const n = s.length;
  const words = n >>> 1;
  for (let w = 0; w <= words; w++) {
    // The last word: a lone final code unit, if any, and the length.
    const m = w < words ? s.charCodeAt(2 * w) | (s.charCodeAt(2 * w + 1) << 16) : (n & 1 ? s.charCodeAt(n - 1) : 0) | ((n & 0xffff) << 16);
    v3 ^= m;
    for (let r = 0; r < 2; r++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    v0 ^= m;
  }
  // Finalisation: four rounds per output word, with the constants of the 64-bit-output variant.
  v2 ^= 0xee;
  for (let out = 0; out < 2; out++) {
    for (let r = 0; r < 4; r++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    hashOut[out] = v1 ^ v3;
    v1 ^= 0xdd;
  }
}

/** Scratch key for `keyedHash`. */
const scratchKey = new Uint32Array(2);

/** `keyedHashInto` for builders: returns lane 0 (both lanes are in `hashOut`). */
export function keyedHash(s: string, k0: number, k1: number): number {
  scratchKey[0] = k0;
  scratchKey[1] = k1;
  keyedHashInto(s, scratchKey);
  return hashOut[0] as number;
}

/** Two random u32 words from the platform's CSPRNG (Node ≥ 19 and browsers have `crypto`). */
export function randomWords(into: Uint32Array): Uint32Array {
  globalThis.crypto.getRandomValues(into);
  return into;
}
