/**
 * IP address parsers for the lookup path: they read char codes and allocate nothing (no split, no
 * Number(), no BigInt), returning a number or writing into a buffer the caller owns.
 *
 * Strict forms only, as current resolvers parse them: dotted-quad IPv4 with no leading zeros ("010"
 * means 8 to some parsers and 10 to others), IPv6 per RFC 4291 §2.2 (1-4 hex digits per group, one "::",
 * a trailing dotted quad), no zone ("%eth0"), no brackets, no surrounding spaces.
 */

/** Sentinel for "not an address". */
const BAD = -1;

/** The u32 of a dotted-quad IPv4 address in s[start, end), or -1 if it is not one. */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  let ip = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 46; // a final '.' closes the last part
    if (c >= 48 && c <= 57) {
      if (digits === 3 || (digits === 1 && part === 0)) return BAD; // 4 digits, or a leading zero
      part = part * 10 + (c - 48);
      digits++;
    } else if (c === 46 && digits > 0 && part <= 255 && dots < 4) {
      ip = ip * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return BAD;
    }
  }
  return dots === 4 ? ip : BAD;
}

/**
 * Parses an IPv6 address in s[start, end) into `out` as four u32 words, most significant first
 * (out[0] holds the first two groups). Returns false, leaving `out` unspecified, if it is not one.
 * IPv4-mapped addresses ("::ffff:192.0.2.1") come out as words [0, 0, 0xffff, the IPv4 u32], so a
 * table keyed by IPv6 holds IPv4 too.
 */
export function parseIPv6(s: string, out: Uint32Array, start = 0, end = s.length): boolean {
  // Groups are collected into `groups` (8 × 16 bits); `gap` is where "::" stood, or -1.
  const groups = scratch;
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
    if (i === end) return fill(groups, count, gap, out);
  } else if (i < end && s.charCodeAt(i) === 58) {
    return false; // a single leading ':'
  }
  for (;;) {
    if (count === 8) return false;
    // A group: 1-4 hex digits, or a dotted quad in the last 32 bits.
    let value = 0;
    let digits = 0;
    const groupStart = i;
    for (; i < end && digits <= 4; i++) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      if (count > 6) return false;
      const v4 = parseIPv4(s, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      return fill(groups, count, gap, out);
    }
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === end) return fill(groups, count, gap, out);
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false; // a second "::"
      gap = count;
      i++;
      if (i === end) return fill(groups, count, gap, out);
    } else if (i === end) {
      return false; // a trailing single ':'
    }
  }
}

const scratch = new Uint32Array(8);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Expands "::" (which stands for at least one zero group) and packs the groups into four words. */
function fill(groups: Uint32Array, count: number, gap: number, out: Uint32Array): boolean {
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  for (let w = 0; w < 4; w++) {
    const a = groupAt(groups, 2 * w, gap, zeros);
    const b = groupAt(groups, 2 * w + 1, gap, zeros);
    out[w] = ((a << 16) | b) >>> 0;
  }
  return true;
}

/** Group g (0..7) of the expanded address. */
function groupAt(groups: Uint32Array, g: number, gap: number, zeros: number): number {
  if (gap < 0 || g < gap) return groups[g] as number;
  if (g < gap + zeros) return 0;
  return groups[g - zeros] as number;
}
