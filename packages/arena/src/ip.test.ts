// The IP parsers against a formatter: every address, written in each of its legal forms, parses back to
// itself; the forms resolvers disagree on, or refuse, are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArenaBuilder, writeRanges } from './build/index.js';
import { NOT_FOUND, RangesView, parseIPv4, parseIPv6 } from './index.js';

const quad = (ip: number) => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/** An IPv6 address as 8 groups, written full, with the longest zero run as "::", or with a dotted tail. */
function write(groups: number[], style: 'full' | 'compressed' | 'dotted' | 'upper'): string {
  const hex = groups.map((g) => g.toString(16));
  if (style === 'full') return hex.join(':');
  if (style === 'upper') return groups.map((g) => g.toString(16).toUpperCase().padStart(4, '0')).join(':');
  if (style === 'dotted') return `${hex.slice(0, 6).join(':')}:${quad((((groups[6] as number) << 16) | (groups[7] as number)) >>> 0)}`;
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > (best[1] as number)) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if ((best[1] as number) < 1) return hex.join(':');
  const [at, n] = best as [number, number];
  return `${hex.slice(0, at).join(':')}::${hex.slice(at + n).join(':')}`;
}

// Groups with many zeros, as real addresses have them.
const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));

describe('parseIPv4', () => {
  it('reads every dotted quad back to its u32', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (ip) => {
      expect(parseIPv4(quad(ip))).toBe(ip);
    }));
  });

  it('refuses what is not a strict dotted quad, with -1', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', 'a.b.c.d', '1234.1.1.1', '.1.2.3', '1.2.3.', '01.2.3.4', '1.2.3.004', '1.2.3.-4', '0x1.2.3.4']) {
      expect([bad, parseIPv4(bad)]).toEqual([bad, NOT_FOUND]);
    }
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('x=10.0.0.1;', 2, 10)).toBe(0x0a00_0001);
  });
});

describe('parseIPv6', () => {
  it('every address, written full, compressed, upper-case or with a dotted tail, parses to its words', () => {
    const out = new Uint32Array(4);
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.constantFrom('full', 'compressed', 'dotted', 'upper'), (groups, style) => {
        const text = write(groups, style as 'full');
        expect([text, parseIPv6(text, out)]).toEqual([text, true]);
        const words = [0, 1, 2, 3].map((w) => ((((groups[2 * w] as number) << 16) | (groups[2 * w + 1] as number)) >>> 0));
        expect([...out]).toEqual(words);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv4-mapped addresses come out as [0, 0, 0xffff, the IPv4 u32]', () => {
    const out = new Uint32Array(4);
    expect(parseIPv6('::ffff:192.0.2.1', out)).toBe(true);
    expect([...out]).toEqual([0, 0, 0xffff, parseIPv4('192.0.2.1')]);
    expect(parseIPv6('::', out) && [...out].every((w) => w === 0)).toBe(true);
    expect(parseIPv6('2001:db8::1', out) && [...out]).toEqual([0x2001_0db8, 0, 0, 1]);
  });

  it('refuses malformed addresses', () => {
    const out = new Uint32Array(4);
    for (const bad of ['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '::1:', ':1::', '12345::', 'g::', '::ffff:1.2.3', '::ffff:256.1.1.1', '1.2.3.4', 'fe80::1%eth0', '[::1]', ' ::1', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:5']) {
      expect([bad, parseIPv6(bad, out)]).toEqual([bad, false]);
    }
  });

  it('its first two words look up a u64 range table (IPv6 /64 prefixes) with no BigInt', () => {
    const b = new ArenaBuilder();
    writeRanges(b, 'nets', [{ start: 0x2001_0db8n << 32n, end: (0x2001_0db8n << 32n) | 0xffff_ffffn, value: 7 }], { bits: 64 });
    const nets = new RangesView(b.finish().section('nets'));
    const out = new Uint32Array(4);
    parseIPv6('2001:db8:0:42::1', out);
    expect(nets.findWords(out[0] as number, out[1] as number)).toBe(7);
    parseIPv6('2001:db9::1', out);
    expect(nets.findWords(out[0] as number, out[1] as number)).toBe(NOT_FOUND);
  });
});
