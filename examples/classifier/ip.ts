import { parseIPv4 } from '@sabre/arena';

/**
 * Parses a dotted-quad IPv4 address ("10.0.0.1") into a u32; throws on anything else, which fails that
 * row alone. sabre's `parseIPv4` reads char codes and returns -1 for a non-address: split('.') and
 * Number() cost ~10× more per row.
 */
export function parseIpv4(s: string): number {
  const ip = parseIPv4(s);
  if (ip < 0) throw new Error(`not an IPv4 address: ${JSON.stringify(s)}`);
  return ip;
}
