/**
 * Every fact about the scalar types, in one table: the schema DSL (`s.u32()`), the layout (sizes), the
 * emitter (getters, typed arrays for vectors, TypeScript types), the schema builder, the section writer
 * and the generic reader all read it. A new scalar type is one row here (plus its DataView methods).
 *
 * `check` is the one place a JS value is judged against a scalar type, so the same bad value fails with
 * the same code and message through `build()` and through `SectionWriter`:
 *   VALUE_WRONG_TYPE    not the JS type the scalar takes (a string for a u32)
 *   VALUE_NOT_FINITE    NaN or ±Infinity where only finite numbers fit (integers; floats unless allowed)
 *   VALUE_OUT_OF_RANGE  the right JS type, but not a value the scalar can hold (-1 or 1.5 for a u32)
 */

// DataView methods, except readU128/writeU128 (read.ts): no DataView method reads 128 bits.
import { readU128, writeU128 } from './read.js';

type Getter = 'getUint8' | 'getInt8' | 'getUint16' | 'getInt16' | 'getUint32' | 'getInt32' | 'getFloat32' | 'getFloat64' | 'getBigUint64' | 'getBigInt64' | 'readU128';
type Setter = 'setUint8' | 'setInt8' | 'setUint16' | 'setInt16' | 'setUint32' | 'setInt32' | 'setFloat32' | 'setFloat64' | 'setBigUint64' | 'setBigInt64' | 'writeU128';
type ArrayName = 'Uint8Array' | 'Int8Array' | 'Uint16Array' | 'Int16Array' | 'Uint32Array' | 'Int32Array' | 'Float32Array' | 'Float64Array' | 'BigUint64Array' | 'BigInt64Array';

export interface ScalarSpec {
  /** Bytes in a row, and the alignment. */
  readonly size: 1 | 2 | 4 | 8 | 16;
  /** How values are judged: integers as numbers, 64-bit integers as bigints, floats, booleans. */
  readonly class: 'int' | 'bigint' | 'float' | 'bool';
  /** Smallest and largest value (integers); the largest magnitude (floats). */
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly get: Getter;
  readonly set: Setter;
  /** The typed array a vector of this scalar reads as (zero-copy); null: it cannot be a vector element. */
  readonly array: ArrayName | null;
  /** What a getter returns in TypeScript. */
  readonly ts: 'number' | 'bigint' | 'boolean';
  /** Unsigned integer: may key a hash map (up to 64 bits) or a range table. */
  readonly unsigned: boolean;
  /** For messages and docs. */
  readonly expected: string;
}

const F32_MAX = 3.4028234663852886e38;

export const SCALARS = {
  u8: { size: 1, class: 'int', min: 0, max: 0xff, get: 'getUint8', set: 'setUint8', array: 'Uint8Array', ts: 'number', unsigned: true, expected: 'u8 (an integer 0..255)' },
  i8: { size: 1, class: 'int', min: -0x80, max: 0x7f, get: 'getInt8', set: 'setInt8', array: 'Int8Array', ts: 'number', unsigned: false, expected: 'i8 (an integer -128..127)' },
  u16: { size: 2, class: 'int', min: 0, max: 0xffff, get: 'getUint16', set: 'setUint16', array: 'Uint16Array', ts: 'number', unsigned: true, expected: 'u16 (an integer 0..65535)' },
  i16: { size: 2, class: 'int', min: -0x8000, max: 0x7fff, get: 'getInt16', set: 'setInt16', array: 'Int16Array', ts: 'number', unsigned: false, expected: 'i16 (an integer -32768..32767)' },
  u32: { size: 4, class: 'int', min: 0, max: 0xffff_ffff, get: 'getUint32', set: 'setUint32', array: 'Uint32Array', ts: 'number', unsigned: true, expected: 'u32 (an integer 0..4294967295)' },
  i32: { size: 4, class: 'int', min: -0x8000_0000, max: 0x7fff_ffff, get: 'getInt32', set: 'setInt32', array: 'Int32Array', ts: 'number', unsigned: false, expected: 'i32 (an integer -2147483648..2147483647)' },
  f32: { size: 4, class: 'float', min: -F32_MAX, max: F32_MAX, get: 'getFloat32', set: 'setFloat32', array: 'Float32Array', ts: 'number', unsigned: false, expected: `f32 (a number, |x| ≤ ${F32_MAX})` },
  f64: { size: 8, class: 'float', min: -Number.MAX_VALUE, max: Number.MAX_VALUE, get: 'getFloat64', set: 'setFloat64', array: 'Float64Array', ts: 'number', unsigned: false, expected: 'f64 (a number)' },
  u64: { size: 8, class: 'bigint', min: 0n, max: (1n << 64n) - 1n, get: 'getBigUint64', set: 'setBigUint64', array: 'BigUint64Array', ts: 'bigint', unsigned: true, expected: 'u64 (a bigint 0n..2n**64n-1n, or a safe integer ≥ 0)' },
  u128: { size: 16, class: 'bigint', min: 0n, max: (1n << 128n) - 1n, get: 'readU128', set: 'writeU128', array: null, ts: 'bigint', unsigned: true, expected: 'u128 (a bigint 0n..2n**128n-1n, or a safe integer ≥ 0)' },
  i64: { size: 8, class: 'bigint', min: -(1n << 63n), max: (1n << 63n) - 1n, get: 'getBigInt64', set: 'setBigInt64', array: 'BigInt64Array', ts: 'bigint', unsigned: false, expected: 'i64 (a bigint -2n**63n..2n**63n-1n, or a safe integer)' },
  bool: { size: 1, class: 'bool', min: 0, max: 1, get: 'getUint8', set: 'setUint8', array: 'Uint8Array', ts: 'boolean', unsigned: false, expected: 'bool (true or false)' },
} as const satisfies Record<string, ScalarSpec>;

/** A scalar type's name: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64' | 'u64' | 'u128' | 'i64' | 'bool'. */
export type ScalarType = keyof typeof SCALARS;
export const SCALAR_TYPES = Object.keys(SCALARS) as ScalarType[];

export function isScalarType(x: unknown): x is ScalarType {
  return typeof x === 'string' && Object.hasOwn(SCALARS, x);
}

/** What is wrong with a value for a scalar type, as an error code and what was expected. */
export interface ScalarProblem {
  code: 'VALUE_WRONG_TYPE' | 'VALUE_NOT_FINITE' | 'VALUE_OUT_OF_RANGE';
  expected: string;
}

export interface CheckOptions {
  /** Store NaN and ±Infinity in f32/f64 fields (default: refuse them). */
  nonFinite?: 'allow' | 'error';
}

/**
 * Why `v` cannot be stored as `type`, or undefined if it can. 64-bit integers take bigints and safe
 * integers; everything else takes exactly the JS type its getter returns.
 */
export function checkScalar(type: ScalarType, v: unknown, options: CheckOptions = {}): ScalarProblem | undefined {
  const spec: ScalarSpec = SCALARS[type];
  switch (spec.class) {
    case 'bool':
      return typeof v === 'boolean' ? undefined : { code: 'VALUE_WRONG_TYPE', expected: spec.expected };
    case 'bigint': {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) return { code: 'VALUE_NOT_FINITE', expected: spec.expected };
        // -0 is refused as for 32-bit integers: it would read back as 0, which is not the value given.
        if (!Number.isSafeInteger(v) || Object.is(v, -0)) return { code: 'VALUE_OUT_OF_RANGE', expected: spec.expected };
        v = BigInt(v);
      }
      if (typeof v !== 'bigint') return { code: 'VALUE_WRONG_TYPE', expected: spec.expected };
      return v >= spec.min && v <= spec.max ? undefined : { code: 'VALUE_OUT_OF_RANGE', expected: spec.expected };
    }
    case 'float':
      if (typeof v !== 'number') return { code: 'VALUE_WRONG_TYPE', expected: spec.expected };
      if (!Number.isFinite(v)) return options.nonFinite === 'allow' ? undefined : { code: 'VALUE_NOT_FINITE', expected: `${spec.expected}; pass { nonFinite: 'allow' } to store NaN and ±Infinity` };
      return Math.abs(v) <= (spec.max as number) ? undefined : { code: 'VALUE_OUT_OF_RANGE', expected: spec.expected };
    case 'int':
      if (typeof v !== 'number') return { code: 'VALUE_WRONG_TYPE', expected: spec.expected };
      if (!Number.isFinite(v)) return { code: 'VALUE_NOT_FINITE', expected: spec.expected };
      return Number.isInteger(v) && v >= (spec.min as number) && v <= (spec.max as number) && !Object.is(v, -0) ? undefined : { code: 'VALUE_OUT_OF_RANGE', expected: spec.expected };
  }
}

/** Writes a value that passed `checkScalar`, little-endian. */
export function writeScalar(dv: DataView, at: number, type: ScalarType, v: number | bigint | boolean): void {
  // The common types get a direct call (the builder writes every field of every row through here);
  // any other row of the table goes through its setter by name.
  switch (type) {
    case 'u32': return dv.setUint32(at, v as number, true);
    case 'u8': return dv.setUint8(at, v as number);
    case 'f64': return dv.setFloat64(at, v as number, true);
    case 'bool': return dv.setUint8(at, v ? 1 : 0);
  }
  const spec: ScalarSpec = SCALARS[type];
  if (spec.set === 'writeU128') return writeU128(dv, at, BigInt(v as number | bigint));
  if (spec.class === 'bigint') (dv[spec.set] as (at: number, v: bigint, le: boolean) => void).call(dv, at, BigInt(v as number | bigint), true);
  else (dv[spec.set] as (at: number, v: number, le: boolean) => void).call(dv, at, v as number, true);
}

/** Reads a scalar, as its getter would: numbers, bigints for 64-bit integers, booleans. */
export function readScalar(dv: DataView, at: number, type: ScalarType): number | bigint | boolean {
  const spec: ScalarSpec = SCALARS[type];
  if (spec.class === 'bool') return dv.getUint8(at) !== 0;
  if (spec.get === 'readU128') return readU128(dv, at);
  return (dv[spec.get] as (at: number, le: boolean) => number | bigint).call(dv, at, true);
}
