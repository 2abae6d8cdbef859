// The lookup path's flat functions (written out so nothing is boxed) must compute exactly what the
// builder's composed functions compute, for any key, seed, pilot table and size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintIs, lanes, pilotMix, reduce, scramble, slotIndex, slotOfKey } from './phf.js';

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
});
