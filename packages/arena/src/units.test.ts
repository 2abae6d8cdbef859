import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUnits, isLatin1, unitBytes, unitsEqual, writeUnits } from './units.js';

// Any UTF-16 string, lone surrogates included, and long enough to cross the decoder's 256-unit chunks.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 700 });
const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 700 });

describe('code units', () => {
  it('round-trip every string, narrow when it is Latin-1 and wide otherwise, at any offset', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, latin1), fc.nat(7), (s, at) => {
        const wide = !isLatin1(s);
        expect(wide).toBe([...s].some((c) => c.charCodeAt(0) > 0xff || c.length > 1));
        const out = new Uint8Array(at + unitBytes(s, wide) + 3);
        expect(writeUnits(out, at, s, wide)).toBe(at + unitBytes(s, wide));
        expect(decodeUnits(out, at, s.length, wide)).toBe(s);
        expect(unitsEqual(out, at, s, wide)).toBe(true);
        if (s.length > 0) {
          const other = s.slice(0, -1) + String.fromCharCode((s.charCodeAt(s.length - 1) + 1) & (wide ? 0xffff : 0xff));
          expect(unitsEqual(out, at, other, wide)).toBe(false);
        }
      }),
    );
  });

  it('stores wide strings little-endian', () => {
    const out = new Uint8Array(4);
    writeUnits(out, 0, '\u20ac\ud800', true);
    expect([...out]).toEqual([0xac, 0x20, 0x00, 0xd8]);
  });
});

describe('code units on unverified bytes', () => {
  it('a length past the bytes is refused at once, not decoded from nothing (a forged 2^30 took seconds, then a RangeError)', () => {
    const bytes = new Uint8Array(64).fill(0x61);
    for (const [at, n, wide] of [[0, 65, false], [60, 3, true], [0, 2 ** 30, false], [10, -1, false], [-1, 2, false]] as const) {
      let code: string | undefined;
      try {
        decodeUnits(bytes, at, n, wide);
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('ARENA_CORRUPT');
    }
    expect(decodeUnits(bytes, 60, 2, true)).toBe('\u6161\u6161');
  });
});
