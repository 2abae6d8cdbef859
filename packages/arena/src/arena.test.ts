import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchErr, reseal } from '../test/helpers.js';
import { ArenaBuilder } from './build/index.js';
import { FORMAT_MAJOR, H_MAJOR, H_TOTAL_LENGTH, HEADER_SIZE, writeU64 } from './format.js';
import { Arena, ArenaError, Errors, SectionKind } from './index.js';
import { OFFSET_MASK, S_OFFSETS } from './strings.js';

/** A valid arena with raw sections and strings, as fresh bytes on every call. */
function sample(): Arena {
  const b = new ArenaBuilder({ layoutHash: 0xfeed_beefn });
  const ids = ['Zürich', 'Kraków', '東京', 'x', ''].map((s) => b.intern(s));
  const cities = b.section('cities');
  for (let i = 0; i < 30; i++) cities.u32(ids[i % ids.length] as number).f64(i * 1.25).u16(i);
  cities.end();
  const meta = b.section('meta', { align: 64 });
  meta.u64(123n).bool(true);
  meta.end();
  return b.finish();
}

function copyOf(arena: Arena, extra = 0): ArrayBuffer {
  const out = new ArrayBuffer(arena.byteLength + extra);
  new Uint8Array(out).set(new Uint8Array(arena.buffer, 0, arena.byteLength));
  return out;
}


/** Reads everything a view could: every section's bytes and every string. */
function readAll(arena: Arena): number {
  let sum = 0;
  for (const s of arena.sections) {
    const v = arena.section(s.name);
    for (let i = 0; i + 4 <= v.byteLength; i += 4) sum = (sum + v.view.getUint32(i, true)) | 0;
  }
  for (let id = 0; id < arena.strings.count; id++) {
    sum += arena.strings.decode(id).length + arena.strings.length(id);
    arena.strings.equals(id, 'probe');
    arena.strings.hashOf(id);
  }
  return sum;
}

describe('Arena.open', () => {
  it('opens in place: sections are views on the same buffer, nothing is copied', () => {
    const built = sample();
    const arena = Arena.open(built.buffer, { layoutHash: 0xfeed_beefn });
    const cities = arena.section('cities', SectionKind.Raw);
    expect(cities.bytes.buffer).toBe(built.buffer);
    expect(cities.view.getFloat64(4 + 14 * 3, true)).toBe(3 * 1.25);
    expect(arena.strings.decode(cities.view.getUint32(14 * 2, true))).toBe('東京');
    expect(arena.sections.map((s) => s.name)).toEqual(['cities', 'meta', '$strings']);
    expect(arena.formatVersion).toBe('2.3');
    expect(Arena.isArena(arena)).toBe(true);
    expect(Arena.isArena({})).toBe(false);
  });

  it('opens a copy in a plain ArrayBuffer, with trailing slack ignored', () => {
    const arena = Arena.open(copyOf(sample(), 64)).verify();
    expect(arena.section('meta').view.getBigUint64(0, true)).toBe(123n);
  });

  it('reports a layout mismatch with expected and got', () => {
    const err = catchErr(() => Arena.open(sample().buffer, { layoutHash: 1n }));
    expect(err.code).toBe('ARENA_LAYOUT_MISMATCH');
    expect(err.expected).toBe('0x0000000000000001');
    expect(err.got).toBe('0x00000000feedbeef');
  });

  it('names the sections that exist when one is missing, and checks kinds', () => {
    const arena = sample();
    const err = catchErr(() => arena.section('citys'));
    expect(err.code).toBe('ARENA_SECTION_NOT_FOUND');
    expect(err.message).toContain('"cities", "meta", "$strings"');
    expect(catchErr(() => arena.section('cities', SectionKind.Strings)).code).toBe('ARENA_SECTION_KIND');
  });

  it('rejects what is not an arena with a specific code', () => {
    const good = sample();
    const cases: [string, () => unknown, string][] = [
      ['not a buffer', () => Arena.open(new Uint8Array(100) as unknown as ArrayBuffer), 'ARENA_NOT_A_BUFFER'],
      ['too small', () => Arena.open(new ArrayBuffer(10)), 'ARENA_TOO_SMALL'],
      ['zeros', () => Arena.open(new ArrayBuffer(4096)), 'ARENA_BAD_MAGIC'],
      ['truncated', () => Arena.open(copyOf(good).slice(0, good.byteLength - 8)), 'ARENA_TRUNCATED'],
      ['newer version', () => {
        const b = copyOf(good);
        new DataView(b).setUint16(H_MAJOR, FORMAT_MAJOR + 1, true);
        return Arena.open(b);
      }, 'ARENA_VERSION_UNSUPPORTED'],
      ['format 1, which did not carry its schema', () => {
        const b = copyOf(good);
        new DataView(b).setUint16(H_MAJOR, 1, true);
        return Arena.open(b);
      }, 'ARENA_VERSION_UNSUPPORTED'],
      ['unaligned total', () => {
        const b = copyOf(good);
        writeU64(new DataView(b), H_TOTAL_LENGTH, good.byteLength - 3);
        return Arena.open(b);
      }, 'ARENA_BAD_HEADER'],
    ];
    for (const [name, f, code] of cases) expect(catchErr(f).code, name).toBe(code);
    expect(catchErr(cases[3]?.[1] as () => unknown).message).toContain('truncated');
    expect(catchErr(cases.find((c) => c[0].startsWith('format 1'))![1]).message).toMatch(/format 1\.\d+, which did not store its schema.*Rebuild the arena with build\(\) or buildAsync\(\) from @sabre\/schema/);
  });

  it('the error table writes the messages the code throws', () => {
    const err = catchErr(() => Arena.open(new ArrayBuffer(10)));
    expect(err.message).toBe(Errors.tooSmall(HEADER_SIZE, 10).message);
  });
});

describe('hostile bytes: open + verify either accept or throw an ArenaError', () => {
  function attempt(buf: ArrayBuffer): 'accepted' | string {
    try {
      const arena = Arena.open(buf).verify();
      readAll(arena);
      return 'accepted';
    } catch (e) {
      if (ArenaError.is(e)) return e.code;
      throw e; // any other exception fails the test
    }
  }

  it('rejects every single-bit flip of a valid arena (the checksum covers every byte)', () => {
    const base = copyOf(sample());
    for (let bit = 0; bit < base.byteLength * 8; bit++) {
      const b = base.slice(0);
      const u8 = new Uint8Array(b);
      u8[bit >>> 3] = (u8[bit >>> 3] as number) ^ (1 << (bit & 7));
      expect(attempt(b), `bit ${bit}`).not.toBe('accepted');
    }
  });

  it('rejects every truncation', () => {
    const base = copyOf(sample());
    for (let n = 0; n < base.byteLength; n++) expect(attempt(base.slice(0, n))).not.toBe('accepted');
  });

  it('survives random buffers and random overwrites, resealed or not', () => {
    const base = copyOf(sample());
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }).map((u) => u.buffer as ArrayBuffer),
          fc.tuple(fc.nat(base.byteLength - 1), fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.boolean()).map(([at, bytes, forge]) => {
            const b = base.slice(0);
            new Uint8Array(b).set(bytes.subarray(0, base.byteLength - at), at);
            return forge ? reseal(b) : b;
          }),
        ),
        (buf) => {
          attempt(buf);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a forged string pool even when the checksum was recomputed', () => {
    const built = sample();
    const strings = built.section('$strings');
    const b = copyOf(built);
    // Point string 1's end past the blob.
    new DataView(b).setUint32(strings.byteOffset + S_OFFSETS + 8, OFFSET_MASK, true);
    const err = catchErr(() => Arena.open(reseal(b)).verify());
    expect(err.code).toBe('ARENA_CORRUPT');
    expect(err.path).toBe('sections.$strings[1]');
  });

  it('rejects an unknown section kind in verify (it cannot be walked)', () => {
    const built = sample();
    const b = copyOf(built);
    const dv = new DataView(b);
    const toc = dv.getUint32(24, true);
    dv.setUint16(toc + 16, 999, true);
    expect(catchErr(() => Arena.open(reseal(b)).verify()).code).toBe('ARENA_CORRUPT');
  });

  it('rejects overlapping and out-of-bounds sections at open', () => {
    const built = sample();
    const toc = new DataView(built.buffer).getUint32(24, true);
    const overlap = copyOf(built);
    writeU64(new DataView(overlap), toc + 32, HEADER_SIZE); // section 1 moved onto section 0
    expect(catchErr(() => Arena.open(overlap)).code).toBe('ARENA_SECTION_OVERLAP');
    const past = copyOf(built);
    writeU64(new DataView(past), toc + 8, 1 << 30);
    expect(catchErr(() => Arena.open(past)).code).toBe('ARENA_SECTION_OUT_OF_BOUNDS');
    const dup = copyOf(built);
    new DataView(dup).setUint32(toc + 32 + 20, 0, true); // entry 1's name now reads entry 0's bytes…
    new DataView(dup).setUint32(toc + 32 + 24, 'cities'.length, true); // …all of them: "cities" twice
    expect(catchErr(() => Arena.open(dup)).code).toBe('ARENA_DUPLICATE_SECTION');
  });
});
