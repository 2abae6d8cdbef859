// The lookup path's flat functions (written out so nothing is boxed) must compute exactly what the
// builder's composed functions compute, for any key, seed, pilot table and size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintIs, lanes, multipliersOf, multiplyLanes, multiplyMix, multiplySlot, pilotMix, reduce, scramble, slotIndex, slotOfInt, slotOfKey } from './phf.js';

describe('perfect-hash placement: flat lookup functions = composed builder functions', () => {
  it('slotOfKey and fingerprintIs agree with scramble/reduce/pilotMix/slotIndex and fingerprint', () => {
    fc.assert(
      fc.property(fc.nat(0xffff_ffff), fc.nat(0xffff_ffff), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (lo, hi, seed, buckets, slots, pilotSeed) => {
        const pilots = new Uint16Array(buckets).map((_, i) => Math.imul(i + pilotSeed, 0x9e37_79b1) >>> 16);
        const words = new Uint32Array([lo, hi]);
        const l0 = scramble(lo, hi, seed);
        const want = slotIndex(lanes[1] as number, pilotMix(pilots[reduce(l0, buckets)] as number, seed), slots);
        expect(slotOfKey(words, seed, pilots, buckets, slots)).toBe(want);
        const stored = new Uint32Array([fingerprint(lo, hi), 0]);
        expect([fingerprintIs(stored, 0, words), fingerprintIs(stored, 1, words)]).toEqual([true, false]);
      }),
      { numRuns: 2000 },
    );
  });

  it('scramble is a bijection: distinct keys never share both lanes (checked on consecutive and strided keys)', () => {
    for (const seed of [1, 2, 63]) {
      const seen = new Set<string>();
      for (let i = 0; i < 20_000; i++) {
        for (const [lo, hi] of [[i, 0], [0, i], [(i * 4096) >>> 0, Math.floor((i * 4096) / 2 ** 32)]] as const) {
          scramble(lo, hi, seed);
          seen.add(`${lo},${hi}|${lanes[0]},${lanes[1]}`);
        }
      }
      const outputs = new Set([...seen].map((k) => k.split('|')[1]));
      const inputs = new Set([...seen].map((k) => k.split('|')[0]));
      expect(outputs.size).toBe(inputs.size);
    }
  });

  it('scheme 5: slotOfInt agrees with multiplyLanes/reduce/multiplyMix/multiplySlot', () => {
    fc.assert(
      fc.property(fc.nat(0xffff_ffff), fc.oneof(fc.constant(0), fc.nat(0xffff_ffff)), fc.nat(0xffff_ffff), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (lo, hi, seed, buckets, slots, pilotSeed) => {
        const pilots = new Uint16Array(buckets).map((_, i) => Math.imul(i + pilotSeed, 0x9e37_79b1) >>> 16);
        const m = multipliersOf(seed);
        const l0 = multiplyLanes(lo, hi, seed, m);
        const want = multiplySlot(lanes[1] as number, multiplyMix(pilots[reduce(l0, buckets)] as number), m[2] as number, slots);
        expect(slotOfInt(lo, hi, seed, m, pilots, buckets, slots)).toBe(want);
        expect(want).toBeLessThan(slots);
      }),
      { numRuns: 2000 },
    );
  });

  it('scheme 5 lanes are a bijection for every seed: distinct keys never share both (consecutive, strided, high-bit keys)', () => {
    for (const seed of [1, 2, 0xdead_beef]) {
      const m = multipliersOf(seed);
      const seen = new Set<string>();
      const inputs = new Set<string>();
      for (let i = 0; i < 20_000; i++) {
        for (const [lo, hi] of [[i, 0], [0, i + 1], [0, (i << 20) >>> 0], [(i * 4096) >>> 0, Math.floor((i * 4096) / 2 ** 32) + 7]] as const) {
          multiplyLanes(lo, hi, seed, m);
          seen.add(`${lanes[0]},${lanes[1]}`);
          inputs.add(`${lo},${hi}`);
        }
      }
      expect(seen.size).toBe(inputs.size);
    }
  });
});
