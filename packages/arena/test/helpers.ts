import { H_CHECKSUM, H_TOTAL_LENGTH } from '../src/format.js';
import { Checksum } from '../src/hash.js';
import { ArenaError } from '../src/index.js';

/** Runs `f` and returns the ArenaError it throws; fails the test on any other outcome. */
export function catchErr(f: () => unknown): ArenaError {
  try {
    f();
  } catch (e) {
    if (ArenaError.is(e)) return e;
    throw new Error(`expected an ArenaError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an ArenaError, but nothing was thrown');
}

export async function catchErrAsync(f: () => Promise<unknown>): Promise<ArenaError> {
  try {
    await f();
  } catch (e) {
    if (ArenaError.is(e)) return e;
    throw new Error(`expected an ArenaError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an ArenaError, but nothing was thrown');
}

/** A string of arbitrary UTF-16 code units: lone surrogates, astral pairs, Latin-1 and ASCII alike. */
export const anyCodeUnits = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(Math.random() * 0x10000));
  return s;
};

/** Recomputes the header checksum, as a forger would. */
export function reseal(buf: ArrayBuffer): ArrayBuffer {
  // A forger hashes what the header claims, within the bytes that exist.
  const total = Math.min(new DataView(buf).getUint32(H_TOTAL_LENGTH, true), buf.byteLength) & ~7;
  if (total < H_CHECKSUM + 8) return buf;
  const sum = new Checksum().update(buf, 0, H_CHECKSUM).update(buf, H_CHECKSUM + 8, total - H_CHECKSUM - 8).digest();
  new DataView(buf).setBigUint64(H_CHECKSUM, sum, true);
  return buf;
}
