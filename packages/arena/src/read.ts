/**
 * Typed reads for generated views, each one line over a section's DataView with a section-relative
 * offset, little-endian, allocation-free (except 64-bit integers, which JS can only return as bigint).
 * Generated getters call `view.getUint32(o, true)` directly where a DataView method exists; these
 * cover the rest, so no getter needs more than one expression.
 */
export const readBool = (view: DataView, off: number): boolean => view.getUint8(off) !== 0;
export const readU64 = (view: DataView, off: number): bigint => view.getBigUint64(off, true);
export const readI64 = (view: DataView, off: number): bigint => view.getBigInt64(off, true);
/** A u128 (two little-endian u64 halves, low first): IPv6 addresses as range keys. */
export const readU128 = (view: DataView, off: number): bigint => (view.getBigUint64(off + 8, true) << 64n) | view.getBigUint64(off, true);
export const writeU128 = (view: DataView, off: number, v: bigint): void => {
  view.setBigUint64(off, BigInt.asUintN(64, v), true);
  view.setBigUint64(off + 8, v >> 64n, true);
};
/** A u64 that is known to fit 53 bits (offsets, lengths), as a plain number. */
export { readU64 as readU53 } from './format.js';
