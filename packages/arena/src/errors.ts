/**
 * Errors are data: every failure the arena reports is an `ArenaError` with a stable `code`, a message
 * that says what to do, and `expected` / `got` / `path` where they apply. `Errors` is the one table of
 * message writers; the code and the tests both use it, so a message is written in exactly one place.
 * The three VALUE_* codes are shared with the schema package: one code per kind of bad value.
 */
import type { ScalarProblem } from './scalars.js';

/** Every code an {@link ArenaError} may carry: stable, so callers may branch on it. */
export type ArenaErrorCode =
  | 'ARENA_NOT_A_BUFFER'
  | 'ARENA_TOO_SMALL'
  | 'ARENA_BAD_MAGIC'
  | 'ARENA_VERSION_UNSUPPORTED'
  | 'ARENA_LAYOUT_MISMATCH'
  | 'ARENA_TRUNCATED'
  | 'ARENA_BAD_HEADER'
  | 'ARENA_BAD_TOC'
  | 'ARENA_SECTION_OUT_OF_BOUNDS'
  | 'ARENA_SECTION_OVERLAP'
  | 'ARENA_SECTION_MISALIGNED'
  | 'ARENA_SECTION_TOO_LARGE'
  | 'ARENA_SECTION_NOT_FOUND'
  | 'ARENA_SECTION_KIND'
  | 'ARENA_DUPLICATE_SECTION'
  | 'ARENA_BAD_SECTION_NAME'
  | 'ARENA_CHECKSUM_MISMATCH'
  | 'ARENA_CORRUPT'
  | 'ARENA_BAD_LAYOUT'
  | 'ARENA_NO_LAYOUT'
  | 'ARENA_BAD_VALUE'
  | 'ARENA_STRING_ID'
  | 'VALUE_OUT_OF_RANGE'
  | 'VALUE_WRONG_TYPE'
  | 'VALUE_NOT_FINITE'
  | 'ARENA_BUILDER_STATE'
  | 'ARENA_TOO_LARGE'
  | 'ARENA_FILE_TOO_LARGE'
  | 'ARENA_OUT_OF_MEMORY'
  | 'ARENA_NO_SHARED_MEMORY'
  | 'ARENA_NODE_ONLY'
  | 'ARENA_FILE_SIZE_MISMATCH'
  | 'ARENA_IO'
  | 'ARENA_DUPLICATE_KEY'
  | 'ARENA_BUILD_FAILED';

/** The data fields of a new {@link ArenaError}. */
export interface ArenaErrorDetails {
  /** What the reader or writer required. */
  expected?: string | number | bigint;
  /** What it found instead. */
  got?: string | number | bigint;
  /** Where: a section name, a field path or a file path. */
  path?: string;
  /** The underlying error (an I/O failure, an allocation's RangeError), kept as `error.cause`. */
  cause?: unknown;
}

const BRAND = Symbol.for('sabre.ArenaError');

/**
 * Every failure `@sabre/arena` reports: an Error with a stable {@link ArenaErrorCode} and, where they
 * apply, what was expected, what was found and where. Test with {@link ArenaError.is}, which also
 * recognises errors from another copy of the package.
 *
 * @example
 * ```ts
 * try {
 *   Arena.open(buffer).verify();
 * } catch (err) {
 *   if (ArenaError.is(err) && err.code === 'ARENA_CHECKSUM_MISMATCH') console.error('damaged copy:', err.message);
 *   else throw err;
 * }
 * ```
 */
export class ArenaError extends Error {
  /** Always 'ArenaError'. */
  override readonly name = 'ArenaError';
  /** What went wrong, as a stable code. */
  readonly code: ArenaErrorCode;
  /** What the reader or writer required, where that is one value or a short description. */
  readonly expected: string | number | bigint | undefined;
  /** What it found instead. */
  readonly got: string | number | bigint | undefined;
  /** Where: a section name ('sections.cities'), a field path ('Geo.cities[3].population') or a file path. */
  readonly path: string | undefined;

  /** Prefer the writers in {@link Errors}, so one failure always gets one message. */
  constructor(code: ArenaErrorCode, message: string, details: ArenaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.expected = details.expected;
    this.got = details.got;
    this.path = details.path;
  }

  /** True for ArenaErrors from any copy of this package (branded with `Symbol.for`, not `instanceof`). */
  static is(value: unknown): value is ArenaError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true;
  }
}
Object.defineProperty(ArenaError.prototype, BRAND, { value: true });

const describeGot = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : v === undefined ? 'nothing' : String(v));
const hex = (h: bigint): string => `0x${h.toString(16).padStart(16, '0')}`;
const at = (path: string | undefined): string => (path === undefined ? '' : ` → at ${path}`);

/** The one table of error writers for @sabre/arena. */
export const Errors = {
  /** ARENA_NOT_A_BUFFER: `Arena.open` was given something other than an ArrayBuffer or SharedArrayBuffer. */
  notABuffer: (got: string) =>
    new ArenaError('ARENA_NOT_A_BUFFER', `✖ expected a SharedArrayBuffer or ArrayBuffer, got ${got}. Pass arena.buffer (or the buffer a worker received), not a view or a copy.`, { expected: 'SharedArrayBuffer | ArrayBuffer', got }),
  /** ARENA_TOO_SMALL: fewer bytes than an arena header. */
  tooSmall: (need: number, got: number, path?: string) =>
    new ArenaError('ARENA_TOO_SMALL', `✖ expected at least ${need} bytes for an arena header, got ${got}: this is not a sabre arena, or it was cut short${at(path)}`, { expected: need, got, path }),
  /** ARENA_BAD_LAYOUT: the stored `$layout` section does not decode to a valid layout. */
  badLayout: (path: string, what: string, expected?: unknown, got?: unknown) =>
    new ArenaError('ARENA_BAD_LAYOUT', `✖ the arena's stored layout is not valid: ${path} ${what}${expected === undefined ? '' : ` (expected ${String(expected)}, got ${describeGot(got)})`}. The file is damaged or forged; rebuild it from its schema.`, {
      path,
      ...(typeof expected === 'string' || typeof expected === 'number' ? { expected } : {}),
      ...(typeof got === 'string' || typeof got === 'number' ? { got } : {}),
    }),
  /** ARENA_BAD_LAYOUT: the stored layout's hash is not the header's layout hash. */
  storedLayoutMismatch: (stored: bigint, header: bigint) =>
    new ArenaError('ARENA_BAD_LAYOUT', `✖ the arena's stored layout hashes to ${hex(stored)}, but its header says ${hex(header)}: the layout section was changed after the arena was built. Rebuild it from its schema.`, { expected: hex(header), got: hex(stored), path: 'sections.$layout' }),
  /** ARENA_LAYOUT_MISMATCH: the stored layout is not the views' layout although the hashes agree. */
  layoutDiffers: (name: string) =>
    new ArenaError('ARENA_LAYOUT_MISMATCH', `✖ the arena's stored layout is not the layout of ${name}, although their hashes agree: it was forged. Rebuild it from its schema.`, { path: 'sections.$layout' }),
  /** ARENA_NO_LAYOUT: the arena has no `$layout` section (it was written with ArenaBuilder, not from a schema). */
  noLayout: (name?: string) =>
    new ArenaError(
      'ARENA_NO_LAYOUT',
      name === undefined
        ? '✖ this arena has no stored layout (no $layout section): it was written with ArenaBuilder rather than built from a schema, so there are no fields to read its rows by. `sabre inspect` still lists its sections; to read rows without generated code, build it with build() or buildAsync() from @sabre/schema.'
        : `✖ this arena has no stored layout (no $layout section), so it was not built from the ${name} schema: build it with build() or buildAsync() from @sabre/schema.`,
      { path: 'sections.$layout' },
    ),
  /** ARENA_BAD_VALUE: a stored value is impossible for its field or index (found by `verify()`). */
  badValue: (path: string, what: string, expected: string | number, got: string | number) =>
    new ArenaError('ARENA_BAD_VALUE', `✖ ${what} at ${path}: expected ${expected}, got ${got}. The arena is damaged or forged; rebuild it from its schema.`, { path, expected, got }),
  /** ARENA_BAD_MAGIC: the first four bytes are not "SABR". */
  badMagic: (got: string, path?: string) =>
    new ArenaError('ARENA_BAD_MAGIC', `✖ expected the magic bytes "SABR", got ${got}: this is not a sabre arena${at(path)}`, { expected: 'SABR', got, path }),
  /** ARENA_VERSION_UNSUPPORTED: the format's major version is not the one this reader reads. */
  versionUnsupported: (major: number, minor: number, supported: number, path?: string) =>
    new ArenaError('ARENA_VERSION_UNSUPPORTED', major > supported
      ? `✖ this arena uses format ${major}.${minor}, newer than this reader (format ${supported}.x)${at(path)}. Upgrade @sabre/arena to read it.`
      : major === 1
        ? `✖ this arena uses format ${major}.${minor}, which did not store its schema; this reader (format ${supported}.x) needs it to check every door and field${at(path)}. Rebuild the arena with build() or buildAsync() from @sabre/schema (or ArenaBuilder) and save it again.`
        : `✖ this arena uses format ${major}.${minor}, older than this reader (format ${supported}.x)${at(path)}. Rebuild the arena with this version.`,
    { expected: supported, got: major, path }),
  /** ARENA_LAYOUT_MISMATCH: the header's layout hash is not the one the caller's views expect. */
  layoutMismatch: (expected: bigint, got: bigint, path?: string) =>
    new ArenaError('ARENA_LAYOUT_MISMATCH', `✖ expected layout hash ${hex(expected)}, got ${hex(got)}: the arena was built from a different schema than these views${at(path)}. Rebuild the arena, or regenerate the views from the schema it was built with.`, { expected: hex(expected), got: hex(got), path }),
  /** ARENA_TRUNCATED: the buffer is shorter than the arena's recorded length. */
  truncated: (expected: number, got: number, path?: string) =>
    new ArenaError('ARENA_TRUNCATED', `✖ the header says the arena is ${expected} bytes but only ${got} are there: it was truncated (an interrupted copy or download?)${at(path)}`, { expected, got, path }),
  /** ARENA_FILE_SIZE_MISMATCH: a file's size is not the arena's recorded length. */
  fileSizeMismatch: (expected: number, got: number, path: string) =>
    new ArenaError('ARENA_FILE_SIZE_MISMATCH', `✖ the header says the arena is ${expected} bytes but the file has ${got}: bytes were appended to it or it was cut short → at ${path}`, { expected, got, path }),
  /** ARENA_BAD_HEADER: a header field has an impossible value (also: a big-endian host). */
  badHeader: (what: string, expected: string | number, got: string | number) =>
    new ArenaError('ARENA_BAD_HEADER', `✖ corrupt arena header: ${what} should be ${expected}, got ${got}. The bytes are damaged; rebuild or re-copy the arena.`, { expected, got, path: 'header' }),
  /** ARENA_BAD_TOC: a table-of-contents entry has an impossible value. */
  badToc: (what: string, expected: string | number, got: string | number) =>
    new ArenaError('ARENA_BAD_TOC', `✖ corrupt table of contents: ${what} should be ${expected}, got ${got}. The bytes are damaged; rebuild or re-copy the arena.`, { expected, got, path: 'toc' }),
  /** ARENA_SECTION_OUT_OF_BOUNDS: a section ends past the region sections may occupy. */
  sectionOutOfBounds: (name: string, end: number, limit: number) =>
    new ArenaError('ARENA_SECTION_OUT_OF_BOUNDS', `✖ section "${name}" ends at byte ${end}, past the end of its region (${limit}): the arena is damaged → at sections.${name}`, { expected: `≤ ${limit}`, got: end, path: `sections.${name}` }),
  /** ARENA_SECTION_OVERLAP: two sections share bytes. */
  sectionOverlap: (a: string, b: string) =>
    new ArenaError('ARENA_SECTION_OVERLAP', `✖ sections "${a}" and "${b}" overlap: the arena is damaged or forged → at sections.${b}`, { path: `sections.${b}` }),
  /** ARENA_SECTION_MISALIGNED: a section does not start on its alignment. */
  sectionMisaligned: (name: string, align: number, offset: number) =>
    new ArenaError('ARENA_SECTION_MISALIGNED', `✖ section "${name}" starts at byte ${offset}, which is not a multiple of ${align}: the arena is damaged → at sections.${name}`, { expected: `multiple of ${align}`, got: offset, path: `sections.${name}` }),
  /** ARENA_SECTION_TOO_LARGE: a section is longer than `maxSectionBytes`. */
  sectionTooLarge: (name: string, length: number, limit: number) =>
    new ArenaError('ARENA_SECTION_TOO_LARGE', `✖ section "${name}" is ${length} bytes; one section may hold at most ${limit} (one typed array cannot span more). Split the data over several sections → at sections.${name}`, { expected: `≤ ${limit}`, got: length, path: `sections.${name}` }),
  /** ARENA_SECTION_NOT_FOUND: no section has this name (the message lists those that exist). */
  sectionNotFound: (name: string, have: readonly string[]) =>
    new ArenaError('ARENA_SECTION_NOT_FOUND', `✖ no section named "${name}" in this arena; it has ${have.length === 0 ? 'no sections' : have.map((n) => `"${n}"`).join(', ')}. Check the name, or that the arena was built from the schema you expect.`, { expected: name, got: have.join(', '), path: `sections.${name}` }),
  /** ARENA_SECTION_KIND: a section (or index) is not of the kind the caller needs. */
  sectionKind: (name: string, expected: string, got: string) =>
    new ArenaError('ARENA_SECTION_KIND', `✖ section "${name}" holds ${got}, not ${expected} → at sections.${name}`, { expected, got, path: `sections.${name}` }),
  /** ARENA_DUPLICATE_SECTION: two sections have the same name. */
  duplicateSection: (name: string) =>
    new ArenaError('ARENA_DUPLICATE_SECTION', `✖ two sections are named "${name}"; names must be unique within an arena → at sections.${name}`, { path: `sections.${name}` }),
  /** ARENA_BAD_SECTION_NAME: a section name is empty, too long, not printable ASCII, or reserved. */
  badSectionName: (name: string, why: string) =>
    new ArenaError('ARENA_BAD_SECTION_NAME', `✖ section name ${JSON.stringify(name)} ${why}. Use 1-128 printable ASCII characters.`, { got: name }),
  /** ARENA_CHECKSUM_MISMATCH: the bytes do not hash to the header's checksum (found by `verify()`). */
  checksumMismatch: (expected: bigint, got: bigint) =>
    new ArenaError('ARENA_CHECKSUM_MISMATCH', `✖ checksum mismatch: the header records ${hex(expected)} but the bytes hash to ${hex(got)}. The arena was damaged after it was built; rebuild or re-copy it.`, { expected: hex(expected), got: hex(got) }),
  /** ARENA_CORRUPT: a section's own structure is damaged (found on open or by `verify()`). */
  corrupt: (path: string, what: string, expected?: string | number, got?: string | number) =>
    new ArenaError('ARENA_CORRUPT', `✖ ${what}${expected === undefined ? '' : `: expected ${expected}, got ${got}`} → at ${path}`, { expected, got, path }),
  /** ARENA_STRING_ID: a string id past the end of the string pool. */
  stringId: (id: number, count: number) =>
    new ArenaError('ARENA_STRING_ID', `✖ string id ${id} is out of range: this arena holds ${count} strings (ids 0..${count - 1})`, { expected: `0..${count - 1}`, got: id, path: 'strings' }),
  /** VALUE_OUT_OF_RANGE: an argument or a value to write is outside what is accepted. */
  valueOutOfRange: (type: string, got: unknown, path?: string) =>
    new ArenaError('VALUE_OUT_OF_RANGE', `✖ expected ${type}, got ${showValue(got)}${at(path)}`, { expected: type, got: showValue(got), path }),
  /** A value a scalar field cannot hold (scalars.ts judged it): the same code and text as the schema builder's. */
  badScalar: (problem: ScalarProblem, got: unknown, path?: string) =>
    new ArenaError(problem.code, `✖ expected ${problem.expected}, got ${showValue(got)}${at(path)}`, { expected: problem.expected, got: showValue(got), path }),
  /** ARENA_BUILDER_STATE: a builder call out of order (a section still open, or the arena already finished). */
  builderState: (what: string) =>
    new ArenaError('ARENA_BUILDER_STATE', `✖ ${what}`),
  /** ARENA_TOO_LARGE: the arena would grow past the builder's `maxBytes`. */
  tooLarge: (need: number, limit: number) =>
    new ArenaError('ARENA_TOO_LARGE', `✖ the arena would grow to ${need} bytes, past the builder's limit of ${limit}. Raise maxBytes (at most 4 GiB in Node 20, whose growable SharedArrayBuffers stop there), or split the data over several arenas.`, { expected: `≤ ${limit}`, got: need }),
  /** ARENA_OUT_OF_MEMORY: an allocation failed (a RangeError from the engine), kept as the cause. */
  outOfMemory: (bytes: number, what: string, cause: unknown) =>
    new ArenaError('ARENA_OUT_OF_MEMORY', `✖ could not allocate ${bytes} bytes for ${what}: the process is out of memory or address space (a ulimit -v, a container limit, or a heap limit). Give the process more memory, lower maxBytes, or split the data over several arenas.`, { expected: 'an allocation the process can make', got: `${bytes} bytes`, cause }),
  /** ARENA_NO_SHARED_MEMORY: `shared: true` where there is no SharedArrayBuffer (a page without cross-origin isolation). */
  noSharedMemory: () =>
    new ArenaError(
      'ARENA_NO_SHARED_MEMORY',
      '✖ SharedArrayBuffer is not available here, so this arena cannot be shared with workers: a browser page has it only when it is cross-origin isolated. Serve the page with the headers `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp` (then `crossOriginIsolated` is true), or build without `shared: true` to get an ArrayBuffer that this thread reads (a worker would receive a copy).',
      { expected: 'SharedArrayBuffer (a cross-origin isolated page)', got: 'no SharedArrayBuffer global' },
    ),
  /** ARENA_NODE_ONLY: `load()`, `save()` or `watchArena()` called in a browser bundle (files are Node's). */
  nodeOnly: (what: 'load' | 'save' | 'watchArena', path: string) =>
    new ArenaError(
      'ARENA_NODE_ONLY',
      what !== 'save'
        ? `✖ ${what}() reads files, which only Node can do; in a browser, fetch the arena and open its bytes: Arena.open(await (await fetch(url)).arrayBuffer()) (or the generated views' open) → at ${path}`
        : `✖ save() writes files, which only Node can do; in a browser, hand the bytes on instead: new Uint8Array(arena.buffer, 0, arena.byteLength) → at ${path}`,
      { expected: 'Node', got: 'a browser bundle', path },
    ),
  /** ARENA_FILE_TOO_LARGE: `load()` refused a file over its `maxBytes` before allocating. */
  fileTooLarge: (path: string, size: number, limit: number) =>
    new ArenaError('ARENA_FILE_TOO_LARGE', `✖ ${path} is ${size} bytes, over the limit of ${limit}; nothing was allocated. Pass a larger maxBytes to load() if you trust this file.`, { expected: `≤ ${limit}`, got: size, path }),
  /** ARENA_DUPLICATE_KEY: two entries of a hash map, trie or direct map have the same key. */
  duplicateKey: (path: string, key: string, first: number, second: number) =>
    new ArenaError('ARENA_DUPLICATE_KEY', `✖ duplicate key ${key} in entries ${first} and ${second}; keys of a hash map must be unique → at ${path}[${second}]`, { expected: 'unique keys', got: key, path: `${path}[${second}]` }),
  /** ARENA_BUILD_FAILED: an index could not be built from its entries (overlapping ranges, a too sparse direct map, …). */
  buildFailed: (path: string, what: string) =>
    new ArenaError('ARENA_BUILD_FAILED', `✖ ${what} → at ${path}`, { path }),
  /** ARENA_IO: reading or writing a file failed; the system error is the cause. */
  io: (path: string, cause: unknown) =>
    new ArenaError('ARENA_IO', `✖ could not read or write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { path, cause }),
} as const;

/** A short, safe rendering of a bad value for messages; the schema package's errors use it too. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Object.is(value, -0)) return '-0';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
