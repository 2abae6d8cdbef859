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
