import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena, SectionKind } from '../index.js';
import { catchErr } from '../../test/helpers.js';
import { ArenaBuilder } from './index.js';

type Op =
  | { t: 'u8' | 'u16' | 'u32' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64'; v: number }
  | { t: 'u64' | 'i64'; v: bigint }
  | { t: 'bool'; v: boolean };

const SIZE = { u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8, u64: 8, i64: 8 } as const;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((v) => ({ t: 'u8' as const, v })),
  fc.integer({ min: -0x80, max: 0x7f }).map((v) => ({ t: 'i8' as const, v })),
  fc.integer({ min: 0, max: 0xffff }).map((v) => ({ t: 'u16' as const, v })),
  fc.integer({ min: -0x8000, max: 0x7fff }).map((v) => ({ t: 'i16' as const, v })),
  fc.integer({ min: 0, max: 0xffff_ffff }).map((v) => ({ t: 'u32' as const, v })),
  fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }).map((v) => ({ t: 'i32' as const, v })),
  fc.float({ noDefaultInfinity: false }).map((v) => ({ t: 'f32' as const, v })),
  fc.double().map((v) => ({ t: 'f64' as const, v })),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((v) => ({ t: 'u64' as const, v })),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((v) => ({ t: 'i64' as const, v })),
  fc.boolean().map((v) => ({ t: 'bool' as const, v })),
);

function write(w: ReturnType<ArenaBuilder['section']>, o: Op): void {
  switch (o.t) {
    case 'u64': w.u64(o.v); break;
    case 'i64': w.i64(o.v); break;
    case 'bool': w.bool(o.v); break;
    default: w[o.t](o.v);
  }
}

function read(view: DataView, at: number, t: Op['t']): number | bigint | boolean {
  switch (t) {
    case 'u8': return view.getUint8(at);
    case 'i8': return view.getInt8(at);
    case 'u16': return view.getUint16(at, true);
    case 'i16': return view.getInt16(at, true);
    case 'u32': return view.getUint32(at, true);
    case 'i32': return view.getInt32(at, true);
    case 'f32': return view.getFloat32(at, true);
    case 'f64': return view.getFloat64(at, true);
    case 'u64': return view.getBigUint64(at, true);
    case 'i64': return view.getBigInt64(at, true);
    case 'bool': return view.getUint8(at) !== 0;
  }
}

describe('ArenaBuilder primitives', () => {
  it('round-trips every primitive, in any order and any number of sections', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 60 }), { maxLength: 5 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (sections, layoutHash) => {
        const b = new ArenaBuilder({ layoutHash, initialBytes: 64 });
        sections.forEach((ops, i) => {
          const w = b.section(`s${i}`, { align: 8 << (i % 4) });
          for (const o of ops) write(w, o);
          w.end();
        });
        const built = b.finish();
        const arena = Arena.open(built.buffer, { layoutHash }).verify();
        expect(arena.layoutHash).toBe(layoutHash);
        sections.forEach((ops, i) => {
          const s = arena.section(`s${i}`, SectionKind.Raw);
          expect(s.byteOffset % (8 << (i % 4))).toBe(0);
          let at = 0;
          for (const o of ops) {
            const got = read(s.view, at, o.t);
            // f32 stores the nearest float32; NaN stays NaN.
            const want = o.t === 'f32' ? Math.fround(o.v) : o.v;
            expect(Object.is(got, want) || (typeof want === 'number' && Number.isNaN(want) && Number.isNaN(got as number))).toBe(true);
            at += SIZE[o.t];
          }
          expect(s.byteLength).toBe(at);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('backpatches reserved bytes with the set* methods', () => {
    const b = new ArenaBuilder();
    const w = b.section('t');
    const slot = w.reserve(8);
    w.u32(42);
    w.setU32(slot, 0xdead_beef).setI32(slot + 4, -5);
    w.end();
    const s = b.finish().section('t');
    expect([s.view.getUint32(0, true), s.view.getInt32(4, true), s.view.getUint32(8, true)]).toEqual([0xdead_beef, -5, 42]);
  });

  it('writes byte blocks and aligns within a section', () => {
    const b = new ArenaBuilder();
    const w = b.section('t', { align: 16 });
    w.u8(1).align(8);
    expect(w.length).toBe(8);
    w.bytes(new Uint8Array([9, 8, 7])).align(16).u8(5);
    w.end();
    expect([...b.finish().section('t').bytes]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 9, 8, 7, 0, 0, 0, 0, 0, 5]);
  });

  it('reserve and setLength give zero bytes, also where an earlier section wrote bytes it then dropped (property)', () => {
    type Op = { kind: 'reserve'; n: number } | { kind: 'bytes'; n: number } | { kind: 'setLength'; at: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('reserve' as const), n: fc.nat(3000) }),
      fc.record({ kind: fc.constant('bytes' as const), n: fc.nat(3000) }),
      fc.record({ kind: fc.constant('setLength' as const), at: fc.nat(6000) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 8 }), { minLength: 1, maxLength: 4 }), (sections) => {
        const b = new ArenaBuilder({ initialBytes: 64 });
        const want: number[][] = [];
        sections.forEach((ops, k) => {
          const w = b.section(`s${k}`);
          let model: number[] = [];
          for (const o of ops) {
            if (o.kind === 'reserve') {
              const at = w.reserve(o.n);
              model.push(...new Array<number>(o.n).fill(0));
              expect(at).toBe(model.length - o.n);
            } else if (o.kind === 'bytes') {
              w.bytes(new Uint8Array(o.n).fill(0xa5)); // bytes a later setLength may drop
              model.push(...new Array<number>(o.n).fill(0xa5));
            } else {
              w.setLength(o.at);
              model = o.at <= model.length ? model.slice(0, o.at) : [...model, ...new Array<number>(o.at - model.length).fill(0)];
            }
            expect(w.length).toBe(model.length);
          }
          w.end();
          want.push(model);
        });
        const arena = b.finish();
        want.forEach((model, k) => expect(Buffer.from(arena.section(`s${k}`).bytes).equals(Buffer.from(model))).toBe(true));
      }),
      { numRuns: 150 },
    );
  });

  it('grows in place up to the edge of its reserved window before it moves (copies) the arena', () => {
    const b = new ArenaBuilder();
    const w = b.section('big');
    w.reserve(40 << 20);
    const before = b.bytes.buffer;
    w.reserve(1 << 20); // doubling 40 MiB would pass the 64 MiB window; 41 MiB fits in it
    expect(b.bytes.buffer).toBe(before);
    w.reserve(30 << 20); // 71 MiB does not fit: a larger window, with every byte copied
    expect(b.bytes.buffer).not.toBe(before);
    w.setU32(0, 7);
    w.end();
    expect(b.finish().section('big').view.getUint32(0, true)).toBe(7);
  });

  it('grows past its initial size without losing earlier bytes', () => {
    const b = new ArenaBuilder({ initialBytes: 64 });
    const w = b.section('big');
    for (let i = 0; i < 300_000; i++) w.u32(i);
    w.end();
    const v = b.finish().section('big').view;
    for (let i = 0; i < 300_000; i += 997) expect(v.getUint32(4 * i, true)).toBe(i);
  });

  it('builds an arena with no sections', () => {
    const arena = Arena.open(new ArenaBuilder().finish().buffer).verify();
    expect(arena.sections).toEqual([]);
    expect(arena.strings.count).toBe(0);
  });
});

describe('ArenaBuilder rejects bad values with a code and a path, leaving the section unchanged', () => {
  const R = 'VALUE_OUT_OF_RANGE';
  const cases: [string, (w: ReturnType<ArenaBuilder['section']>) => unknown, string, string][] = [
    ['u8 256', (w) => w.u8(256), 'u8', R],
    ['u8 -1', (w) => w.u8(-1), 'u8', R],
    ['i8 128', (w) => w.i8(128), 'i8', R],
    ['u16 65536', (w) => w.u16(65536), 'u16', R],
    ['i16 -32769', (w) => w.i16(-32769), 'i16', R],
    ['u32 -1', (w) => w.u32(-1), 'u32', R],
    ['u32 1.5', (w) => w.u32(1.5), 'u32', R],
    ['u32 NaN', (w) => w.u32(Number.NaN), 'u32', 'VALUE_NOT_FINITE'],
    ['u32 2^32', (w) => w.u32(2 ** 32), 'u32', R],
    ['i32 2^31', (w) => w.i32(2 ** 31), 'i32', R],
    ['i32 -0', (w) => w.i32(-0), 'i32', R],
    ['f32 1e39', (w) => w.f32(1e39), 'f32', R],
    ['f64 string', (w) => w.f64('1' as unknown as number), 'f64', 'VALUE_WRONG_TYPE'],
    ['u64 -1n', (w) => w.u64(-1n), 'u64', R],
    ['u64 2^64', (w) => w.u64(1n << 64n), 'u64', R],
    ['u64 1.5', (w) => w.u64(1.5 as unknown as bigint), 'u64', R],
    ['u64 string', (w) => w.u64('1' as unknown as bigint), 'u64', 'VALUE_WRONG_TYPE'],
    ['i64 2^63', (w) => w.i64(1n << 63n), 'i64', R],
    ['bool 1', (w) => w.bool(1 as unknown as boolean), 'bool', 'VALUE_WRONG_TYPE'],
  ];
  for (const [name, bad, type, code] of cases) {
    it(name, () => {
      const b = new ArenaBuilder();
      const w = b.section('cities');
      w.u32(1);
      const err = catchErr(() => bad(w));
      expect(err.code).toBe(code);
      expect(err.path).toBe('sections.cities+4');
      expect(String(err.expected)).toMatch(new RegExp(`^${type} `));
      expect(err.message).toContain('→ at sections.cities+4');
      expect(w.length).toBe(4);
    });
  }

  it('takes NaN and ±Infinity in float sections (raw bytes hold any bit pattern), and safe integers as u64', () => {
    const w = new ArenaBuilder().section('t');
    w.f64(Number.NaN).f32(Number.POSITIVE_INFINITY).u64(7 as unknown as bigint);
    expect(w.length).toBe(20);
  });

  it('set* refuses offsets outside the written bytes', () => {
    const w = new ArenaBuilder().section('t');
    w.u32(1);
    expect(catchErr(() => w.setU32(2, 5)).code).toBe('VALUE_OUT_OF_RANGE');
    expect(catchErr(() => w.setU8(-1, 5)).code).toBe('VALUE_OUT_OF_RANGE');
  });
});

describe('ArenaBuilder states', () => {
  it('refuses a second section while one is open, and finish with one open', () => {
    const b = new ArenaBuilder();
    b.section('a');
    expect(catchErr(() => b.section('b')).message).toContain('section "a" is still open');
    expect(catchErr(() => b.finish()).code).toBe('ARENA_BUILDER_STATE');
  });

  it('refuses writes through an ended section and a second end', () => {
    const b = new ArenaBuilder();
    const a = b.section('a');
    a.end();
    expect(catchErr(() => a.u32(1)).code).toBe('ARENA_BUILDER_STATE');
    expect(catchErr(() => a.end()).code).toBe('ARENA_BUILDER_STATE');
  });

  it('refuses everything after finish: writers never see a frozen arena', () => {
    const b = new ArenaBuilder();
    const w = b.section('a');
    w.u32(1);
    const kept = w;
    w.end();
    b.finish();
    for (const f of [() => b.finish(), () => b.section('x'), () => b.intern('x'), () => kept.u32(2), () => b.strings.intern('y')]) {
      expect(catchErr(f).code).toBe('ARENA_BUILDER_STATE');
    }
  });

  it('refuses duplicate, reserved and malformed section names', () => {
    const b = new ArenaBuilder();
    b.section('a').end();
    expect(catchErr(() => b.section('a')).code).toBe('ARENA_DUPLICATE_SECTION');
    expect(catchErr(() => b.section('$strings')).code).toBe('ARENA_BAD_SECTION_NAME');
    expect(catchErr(() => b.section('')).code).toBe('ARENA_BAD_SECTION_NAME');
    expect(catchErr(() => b.section('has space')).code).toBe('ARENA_BAD_SECTION_NAME');
    expect(catchErr(() => b.section('x'.repeat(129))).code).toBe('ARENA_BAD_SECTION_NAME');
    expect(catchErr(() => b.section('ok', { align: 3 })).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('stops at maxBytes with a clear error instead of growing without bound', () => {
    const b = new ArenaBuilder({ maxBytes: 4096 });
    const w = b.section('a');
    const err = catchErr(() => {
      for (let i = 0; i < 2000; i++) w.u32(i);
    });
    expect(err.code).toBe('ARENA_TOO_LARGE');
  });
});

describe('per-section views (the > 4 GiB mechanism, with a small artificial section limit)', () => {
  const LIMIT = 4096;

  it('builds and reads an arena many times larger than one section may be', () => {
    const b = new ArenaBuilder({ maxSectionBytes: LIMIT });
    for (let s = 0; s < 40; s++) {
      const w = b.section(`part${s}`);
      for (let i = 0; i < LIMIT / 4; i++) w.u32(s * 10_000 + i);
      w.end();
    }
    const built = b.finish();
    expect(built.byteLength).toBeGreaterThan(40 * LIMIT);
    const arena = Arena.open(built.buffer, { maxSectionBytes: LIMIT }).verify();
    for (let s = 0; s < 40; s++) {
      const sec = arena.section(`part${s}`);
      expect(sec.byteLength).toBeLessThanOrEqual(LIMIT);
      expect(sec.bytes.byteOffset).toBe(sec.byteOffset);
      expect(sec.view.getUint32(LIMIT - 4, true)).toBe(s * 10_000 + LIMIT / 4 - 1);
    }
  });

  it('refuses a section over the limit at build time and at open', () => {
    const b = new ArenaBuilder({ maxSectionBytes: LIMIT });
    const w = b.section('big');
    const err = catchErr(() => {
      for (let i = 0; i <= LIMIT / 4; i++) w.u32(i);
    });
    expect(err.code).toBe('ARENA_SECTION_TOO_LARGE');
    expect(err.path).toBe('sections.big');

    const loose = new ArenaBuilder();
    const lw = loose.section('big');
    lw.reserve(LIMIT * 2);
    lw.end();
    const arena = loose.finish();
    expect(catchErr(() => Arena.open(arena.buffer, { maxSectionBytes: LIMIT })).code).toBe('ARENA_SECTION_TOO_LARGE');
  });
});

describe('container builders given a bigint where a u32 goes', () => {
  it('refuse it by name (VALUE_OUT_OF_RANGE at the entry), not with a bare TypeError', async () => {
    const { writeDirectMap, writeIntHashMap, writeStringHashMap, writeTrie } = await import('./index.js');
    const big = [1n] as unknown as number[];
    const cases: [string, () => void][] = [
      ['trie', () => writeTrie(new ArenaBuilder(), 't', ['a'], big)],
      ['string map', () => writeStringHashMap(new ArenaBuilder(), 't', ['a'], big)],
      ['integer map', () => writeIntHashMap(new ArenaBuilder(), 't', [1], big)],
      ['direct map value', () => writeDirectMap(new ArenaBuilder(), 't', [1], big)],
      ['direct map key', () => writeDirectMap(new ArenaBuilder(), 't', big, [1])],
    ];
    for (const [what, f] of cases) expect([what, catchErr(f).code, catchErr(f).path]).toEqual([what, 'VALUE_OUT_OF_RANGE', 't[0]']);
  });
});
