import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './ip.js';

describe('parseIpv4', () => {
  it('reads every dotted quad back to its u32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (ip) => {
        expect(parseIpv4(`${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`)).toBe(ip);
      }),
    );
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1234.1.1.1', '.1.2.3']) expect(() => parseIpv4(bad)).toThrow(/not an IPv4 address/);
  });
});
