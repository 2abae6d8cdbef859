import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checksum, hashChars, hashLatin1, hashOut, hashUtf16 } from './hash.js';

const lanes = (): [number, number] => [hashOut[0] as number, hashOut[1] as number];

describe('string hashes agree across representations', () => {
  it('hashLatin1(bytes) equals hashChars of the same code units', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(8), (bytes, pad) => {
        const s = String.fromCharCode(...bytes);
        const padded = new Uint8Array(bytes.length + pad);
        padded.set(bytes, pad);
        const a = hashChars(s);
        const la = lanes();
        expect(hashLatin1(padded, pad, pad + bytes.length)).toBe(a);
        expect(lanes()).toEqual(la);
      }),
    );
  });

  it('hashUtf16(little-endian bytes) equals hashChars of the same code units', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }), (units) => {
        const bytes = new Uint8Array(units.length * 2);
        units.forEach((u, i) => {
          bytes[2 * i] = u & 0xff;
          bytes[2 * i + 1] = u >>> 8;
        });
        const a = hashChars(String.fromCharCode(...units));
        const la = lanes();
        expect(hashUtf16(bytes, 0, bytes.length)).toBe(a);
        expect(lanes()).toEqual(la);
      }),
    );
  });

  it('distinguishes strings that differ in length only by empty code units', () => {
    expect(hashChars('a')).not.toBe(hashChars('a\u0000'));
    expect(hashChars('')).not.toBe(hashChars('\u0000'));
  });
});

describe('Checksum', () => {
  it('gives the same digest however the words are split into update() calls', () => {
    fc.assert(
      fc.property(fc.uint32Array({ minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { maxLength: 6 }), (words, cuts) => {
        const whole = new Checksum().update(words.buffer, 0, words.byteLength).digest();
        const points = [...new Set(cuts.map((c) => c % words.length))].sort((a, b) => a - b);
        const split = new Checksum();
        let from = 0;
        for (const p of [...points, words.length]) {
          split.update(words.buffer, from * 4, (p - from) * 4);
          from = p;
        }
        expect(split.digest()).toBe(whole);
      }),
    );
  });

  it('changes when any single bit changes', () => {
    const words = new Uint32Array(64).map((_, i) => Math.imul(i + 1, 0x9e3779b1));
    const base = new Checksum().update(words.buffer, 0, words.byteLength).digest();
    for (let bit = 0; bit < 64 * 32; bit++) {
      const copy = words.slice();
      copy[bit >>> 5] = ((copy[bit >>> 5] as number) ^ (1 << (bit & 31))) >>> 0;
      expect(new Checksum().update(copy.buffer, 0, copy.byteLength).digest()).not.toBe(base);
    }
  });
});
