/**
 * `SectionWriter`: appends the bytes of one section of an `ArenaBuilder`, checking every value against
 * its scalar type before writing it. The builder owns the buffer and may move it to a larger one as the
 * section grows, so a writer asks the builder for room first and only then reads its views.
 */
import { Errors } from '../errors.js';
import { checkScalar, SCALARS, writeScalar, type ScalarType } from '../scalars.js';
import type { ArenaBuilder } from './builder.js';

// Value checks, shared by the append and the backpatch methods. Each throws before any byte is written.
function check(ok: boolean, type: string, v: unknown, path: string): void {
  if (!ok) throw Errors.valueOutOfRange(type, v, path);
}

/**
 * Appends to one section. Offsets (`length`, what `reserve` returns, the `set*` targets) are relative to
 * the section's first byte: the same offsets generated readers use. Every value is checked before it is
 * written: a u32 given -1 or 1.5 throws VALUE_OUT_OF_RANGE instead of wrapping, and the section
 * is left as it was.
 */
export class SectionWriter {
  private pos = 0;

  /** Made by {@link ArenaBuilder.section}; not constructed directly. */
  constructor(
    private readonly builder: ArenaBuilder,
    /** The section's name. */
    readonly name: string,
    /** Its kind number, stored in the table of contents. */
    readonly kind: number,
    /** Alignment of its first byte in the arena. */
    readonly alignment: number,
    /** @internal Absolute offset of the section's first byte. */
    readonly base: number,
  ) {}

  /** Bytes written so far: the offset the next write lands at. */
  get length(): number {
    return this.pos;
  }

  /** Claims `n` bytes at the end; returns their absolute offset. */
  private room(n: number): number {
    const at = this.base + this.pos;
    this.builder.reserve(at + n, this);
    this.pos += n;
    return at;
  }

  /** Absolute offset of already-written bytes [off, off + size), for backpatching. */
  private slot(off: number, size: number): number {
    this.builder.reserve(this.base, this);
    if (!(Number.isSafeInteger(off) && off >= 0 && off + size <= this.pos)) {
      throw Errors.valueOutOfRange(`an offset in 0..${this.pos - size} (set* rewrites bytes already written; it never extends the section)`, off, `sections.${this.name}`);
    }
    return this.base + off;
  }

  private here(off = this.pos): string {
    return `sections.${this.name}+${off}`;
  }

  /** Zero bytes up to the next multiple of `n` (relative to the section start; n ≤ its alignment). */
  align(n: number): this {
    check(n <= this.alignment && n > 0 && (n & (n - 1)) === 0, `a power of two ≤ the section alignment ${this.alignment}`, n, this.here());
    const pad = (n - (this.pos % n)) % n;
    if (pad > 0) {
      const at = this.room(pad);
      this.builder.bytes.fill(0, at, at + pad);
    }
    return this;
  }

  /** Appends `n` zero bytes; returns their offset, to fill in later with the `set*` methods. */
  reserve(n: number): number {
    check(Number.isSafeInteger(n) && n >= 0, 'a byte count ≥ 0', n, this.here());
    const clean = this.builder.cleanFrom;
    const at = this.room(n);
    if (clean > at) this.builder.bytes.fill(0, at, Math.min(at + n, clean)); // past `clean` they are zero
    return at - this.base;
  }

  /**
   * @internal Sets the section's length: bytes added are zero, as `reserve` gives them; bytes past a
   * shorter length are dropped (whatever claims them next zeroes them). Lets a writer claim room for
   * the most it could need, write in place, and keep what it used.
   */
  setLength(length: number): void {
    check(Number.isSafeInteger(length) && length >= 0, 'a byte count ≥ 0', length, this.here());
    if (length >= this.pos) this.reserve(length - this.pos);
    else {
      this.builder.reserve(this.base, this); // the writer must still be open
      this.pos = length;
    }
  }

  // Room first, then `builder.bytes`/`builder.view`: making room may move the arena to a new buffer.
  /** Appends the bytes of `src`, as they are. */
  bytes(src: Uint8Array): this {
    const at = this.room(src.length);
    this.builder.bytes.set(src, at);
    return this;
  }

  /** Appends a value of a scalar type (the type's row in SCALARS says what it takes). */
  scalar(type: ScalarType, v: number | bigint | boolean): this {
    const size = SCALARS[type].size;
    this.checked(type, v, this.here());
    const at = this.room(size);
    writeScalar(this.builder.view, at, type, v);
    return this;
  }

  /** Rewrites a scalar at section offset `off`, already written. */
  setScalar(off: number, type: ScalarType, v: number | bigint | boolean): this {
    this.checked(type, v, this.here(off));
    const at = this.slot(off, SCALARS[type].size);
    writeScalar(this.builder.view, at, type, v);
    return this;
  }

  private checked(type: ScalarType, v: unknown, path: string): void {
    // Raw sections hold any bit pattern: NaN and ±Infinity are values here, not mistakes.
    const problem = checkScalar(type, v, { nonFinite: 'allow' });
    if (problem !== undefined) throw Errors.badScalar(problem, v, path);
  }

  /** Appends a u8 (0..255). */ u8(v: number): this { return this.scalar('u8', v); }
  /** Appends an i8 (-128..127). */ i8(v: number): this { return this.scalar('i8', v); }
  /** Appends a little-endian u16. */ u16(v: number): this { return this.scalar('u16', v); }
  /** Appends a little-endian i16. */ i16(v: number): this { return this.scalar('i16', v); }
  /** Appends a little-endian u32. */ u32(v: number): this { return this.scalar('u32', v); }
  /** Appends a little-endian i32. */ i32(v: number): this { return this.scalar('i32', v); }
  /** Appends a little-endian f32. */ f32(v: number): this { return this.scalar('f32', v); }
  /** Appends a little-endian f64. */ f64(v: number): this { return this.scalar('f64', v); }
  /** Appends a little-endian u64 (a bigint). */ u64(v: bigint): this { return this.scalar('u64', v); }
  /** Appends a little-endian i64 (a bigint). */ i64(v: bigint): this { return this.scalar('i64', v); }
  /** Appends a bool as one byte (1 or 0). */ bool(v: boolean): this { return this.scalar('bool', v); }

  /** Rewrites a u8 (0..255) at `off`. */ setU8(off: number, v: number): this { return this.setScalar(off, 'u8', v); }
  /** Rewrites an i8 (-128..127) at `off`. */ setI8(off: number, v: number): this { return this.setScalar(off, 'i8', v); }
  /** Rewrites a little-endian u16 at `off`. */ setU16(off: number, v: number): this { return this.setScalar(off, 'u16', v); }
  /** Rewrites a little-endian i16 at `off`. */ setI16(off: number, v: number): this { return this.setScalar(off, 'i16', v); }
  /** Rewrites a little-endian u32 at `off`. */ setU32(off: number, v: number): this { return this.setScalar(off, 'u32', v); }
  /** Rewrites a little-endian i32 at `off`. */ setI32(off: number, v: number): this { return this.setScalar(off, 'i32', v); }
  /** Rewrites a little-endian f32 at `off`. */ setF32(off: number, v: number): this { return this.setScalar(off, 'f32', v); }
  /** Rewrites a little-endian f64 at `off`. */ setF64(off: number, v: number): this { return this.setScalar(off, 'f64', v); }
  /** Rewrites a little-endian u64 (a bigint) at `off`. */ setU64(off: number, v: bigint): this { return this.setScalar(off, 'u64', v); }
  /** Rewrites a little-endian i64 (a bigint) at `off`. */ setI64(off: number, v: bigint): this { return this.setScalar(off, 'i64', v); }
  /** Rewrites a bool as one byte (1 or 0) at `off`. */ setBool(off: number, v: boolean): this { return this.setScalar(off, 'bool', v); }

  /** Closes the section. Its writer can no longer write. */
  end(): void {
    this.builder.closeSection(this, this.pos);
  }
}
