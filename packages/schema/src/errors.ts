/**
 * Schema and builder errors. Like the arena's, they are data (`code`, `path`, `expected`, `got`) and
 * are written in one table, `SchemaErrors`, which the code and the tests share. The VALUE_* codes are
 * the arena's too: a value that does not fit its type fails the same way through either package.
 */
import { showValue, type ScalarProblem } from '@sabre/arena/internal';

/** Every code a {@link SchemaError} may carry: SCHEMA_* for a bad schema, BUILD_* and VALUE_* for bad input to `build`. */
export type SchemaErrorCode =
  | 'SCHEMA_NOT_A_NODE'
  | 'SCHEMA_BAD_NAME'
  | 'SCHEMA_EMPTY'
  | 'SCHEMA_DUPLICATE_STRUCT'
  | 'SCHEMA_BAD_ENUM'
  | 'SCHEMA_UNSUPPORTED'
  | 'SCHEMA_RECURSIVE'
  | 'SCHEMA_REF_NOT_IN_ARENA'
  | 'SCHEMA_REF_AMBIGUOUS'
  | 'SCHEMA_BAD_KEY'
  | 'SCHEMA_BAD_OPTION'
  | 'VALUE_UNREADABLE'
  | 'BUILD_DUPLICATE_KEY'
  | 'BUILD_OVERLAPPING_RANGES'
  | 'VALUE_WRONG_TYPE'
  | 'VALUE_OUT_OF_RANGE'
  | 'VALUE_NOT_FINITE'
  | 'BUILD_MISSING_FIELD'
  | 'BUILD_UNKNOWN_FIELD'
  | 'BUILD_BAD_ENUM'
  | 'BUILD_BAD_REF'
  | 'BUILD_SOURCE_FAILED';

const BRAND = Symbol.for('sabre.SchemaError');

/**
 * Every failure `@sabre/schema` reports, in a schema (`compile`, `sabre gen`) or in the data given to
 * `build`: a stable code, a message that names the fix, and the path to the bad node or value
 * (`Geo.cities[1042].population`). Test with {@link SchemaError.is}.
 *
 * @example
 * ```ts
 * try {
 *   build(Geo, input);
 * } catch (err) {
 *   if (SchemaError.is(err)) console.error(err.code, err.path, err.expected, err.got);
 *   throw err;
 * }
 * ```
 */
export class SchemaError extends Error {
  /** Always 'SchemaError'. */
  override readonly name = 'SchemaError';
  /** Prefer the writers in {@link SchemaErrors}, so one failure always gets one message. */
  constructor(
    /** What went wrong, as a stable code. */
    readonly code: SchemaErrorCode,
    message: string,
    /** Where: a schema path (`Geo.cities[].population`) or an input path (`Geo.cities[3].population`). */
    readonly path: string,
    /** What was required, where that is short. */
    readonly expected?: string,
    /** What was found instead. */
    readonly got?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True for SchemaErrors from any copy of this package (branded with `Symbol.for`, not `instanceof`). */
  static is(value: unknown): value is SchemaError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true;
  }
}
Object.defineProperty(SchemaError.prototype, BRAND, { value: true });

const show = showValue;

/** The one table of error writers for @sabre/schema; tests build their expected errors with it. */
export const SchemaErrors = {
  /** SCHEMA_NOT_A_NODE: something other than a schema node where one belongs (often `s.u32` for `s.u32()`). */
  notANode: (path: string, got: unknown) =>
    new SchemaError('SCHEMA_NOT_A_NODE', `✖ expected a schema node (s.u32(), s.str(), s.struct(...), …), got ${show(got)} → at ${path}. Did you write s.u32 instead of s.u32()?`, path, 'a schema node', show(got)),
  /** SCHEMA_BAD_NAME: a struct, field, section or arena name that is not an identifier, or that the generated code reserves. */
  badName: (path: string, what: string, name: string, why: string) =>
    new SchemaError('SCHEMA_BAD_NAME', `✖ ${what} ${JSON.stringify(name)} ${why} → at ${path}`, path, 'a JavaScript identifier', name),
  /** SCHEMA_EMPTY: a struct with no fields. */
  empty: (path: string, what: string) =>
    new SchemaError('SCHEMA_EMPTY', `✖ ${what} has no fields; give it at least one → at ${path}`, path),
  /** SCHEMA_DUPLICATE_STRUCT: two different structs with one name. */
  duplicateStruct: (path: string, name: string, first: string) =>
    new SchemaError('SCHEMA_DUPLICATE_STRUCT', `✖ two different structs are named "${name}" (the other is at ${first}); struct names become class names and must be unique → at ${path}`, path),
  /** SCHEMA_BAD_ENUM: an enum with no values, more than 65,536, a repeat, or a value that is not a string. */
  enumDefinition: (path: string, why: string) =>
    new SchemaError('SCHEMA_BAD_ENUM', `✖ enum ${why} → at ${path}`, path),
  /** SCHEMA_UNSUPPORTED: a node where it cannot stand (`optional(optional(...))`, `vector(vector(...))`, …); the message says what to write instead. */
  unsupported: (path: string, what: string, instead: string) =>
    new SchemaError('SCHEMA_UNSUPPORTED', `✖ ${what} is not supported; ${instead} → at ${path}`, path),
  /** SCHEMA_RECURSIVE: a struct that contains itself inline. */
  recursive: (path: string, name: string) =>
    new SchemaError('SCHEMA_RECURSIVE', `✖ struct ${name} contains itself inline, which would make it infinitely large; hold it through s.ref(table) or s.vector(...) instead → at ${path}`, path),
  /** SCHEMA_REF_NOT_IN_ARENA: a ref to a table that is not a section of the arena. */
  refNotInArena: (path: string, row: string) =>
    new SchemaError('SCHEMA_REF_NOT_IN_ARENA', `✖ ref(table of ${row}) points at a table that is not a section of this arena; add that table to s.arena(...) → at ${path}`, path),
  /** SCHEMA_REF_AMBIGUOUS: a ref to a table used by two sections. */
  refAmbiguous: (path: string, row: string, sections: readonly string[]) =>
    new SchemaError('SCHEMA_REF_AMBIGUOUS', `✖ ref(table of ${row}) is ambiguous: the same table is used by sections ${sections.map((x) => `"${x}"`).join(' and ')}; give each section its own s.table(...) → at ${path}`, path),

  /** VALUE_UNREADABLE: reading an input value threw (a getter or Proxy); the error is the cause. */
  unreadable: (path: string, cause: unknown) =>
    new SchemaError('VALUE_UNREADABLE', `✖ reading this value threw ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}; pass plain data (a getter or Proxy that throws cannot be stored) → at ${path}`, path, undefined, undefined, { cause }),
  /** SCHEMA_BAD_OPTION: a container option (a flag or text) with a value it cannot take. */
  badOption: (path: string, value: unknown, expected: string) =>
    new SchemaError('SCHEMA_BAD_OPTION', `✖ ${JSON.stringify(value)} is not a valid value here: it must be ${expected} → at ${path}`, path, expected, String(value)),
  /** SCHEMA_BAD_KEY: a container's key field is missing or of a type that kind cannot index. */
  badKey: (path: string, field: string, struct: string, expected: string) =>
    new SchemaError('SCHEMA_BAD_KEY', `✖ ${JSON.stringify(field)} cannot index ${struct}: it must be ${expected} of ${struct} → at ${path}`, path, expected, field),
  /** BUILD_DUPLICATE_KEY: two rows of a keyed section have the same key. */
  duplicateKey: (path: string, key: string, first: number, second: number) =>
    new SchemaError('BUILD_DUPLICATE_KEY', `✖ duplicate key ${key}: rows ${first} and ${second} both have it, and keys of a hash map or trie must be unique → at ${path}`, path, 'unique keys', key),
  /** BUILD_OVERLAPPING_RANGES: two rows of a range table share a key. */
  overlappingRanges: (path: string, detail: string) =>
    new SchemaError('BUILD_OVERLAPPING_RANGES', `✖ ${detail} → at ${path}`, path),
  /** VALUE_WRONG_TYPE: an input value of the wrong JavaScript type (a string for a u32, an object for rows). */
  wrongType: (path: string, expected: string, got: unknown) =>
    new SchemaError('VALUE_WRONG_TYPE', `✖ expected ${expected}, got ${show(got)} → at ${path}`, path, expected, show(got)),
  /** VALUE_OUT_OF_RANGE: an input value of the right type outside what fits (a range's end before its start, a heap too large). */
  outOfRange: (path: string, expected: string, got: unknown) =>
    new SchemaError('VALUE_OUT_OF_RANGE', `✖ expected ${expected}, got ${show(got)} → at ${path}`, path, expected, show(got)),
  /** A value a scalar field cannot hold: the same code and text as the arena's SectionWriter gives. */
  badScalar: (path: string, problem: ScalarProblem, got: unknown) =>
    new SchemaError(problem.code, `✖ expected ${problem.expected}, got ${show(got)} → at ${path}`, path, problem.expected, show(got)),
  /** BUILD_MISSING_FIELD: a required field absent from an input row. */
  missingField: (path: string, field: string, type: string) =>
    new SchemaError('BUILD_MISSING_FIELD', `✖ missing required field "${field}" (${type}) → at ${path}. Mark it s.optional(...) in the schema if it may be absent.`, `${path}.${field}`, type, 'undefined'),
  /** BUILD_UNKNOWN_FIELD: an input row has a field the schema does not (unless `unknownFields: 'ignore'`). */
  unknownField: (path: string, field: string, known: readonly string[]) =>
    new SchemaError('BUILD_UNKNOWN_FIELD', `✖ unknown field "${field}"; the schema has ${known.map((k) => `"${k}"`).join(', ')} → at ${path}. Remove it, or pass { unknownFields: 'ignore' }.`, `${path}.${field}`, known.join(' | '), field),
  /** BUILD_BAD_ENUM: an enum field given a string not in its list. */
  badEnum: (path: string, values: readonly string[], got: unknown) =>
    new SchemaError('BUILD_BAD_ENUM', `✖ expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(got)} → at ${path}`, path, values.join(' | '), show(got)),
  /** BUILD_BAD_REF: a ref field given a row index past the end of its table. */
  badRef: (path: string, section: string, length: number, got: unknown) =>
    new SchemaError('BUILD_BAD_REF', `✖ expected a row index into "${section}" (0..${length - 1}), got ${show(got)} → at ${path}`, path, `0..${length - 1}`, show(got)),
  /** BUILD_SOURCE_FAILED: an iterable or async iterable of rows threw; nothing was built, and its error is the cause. */
  sourceFailed: (path: string, cause: unknown) =>
    new SchemaError('BUILD_SOURCE_FAILED', `✖ the rows source for ${path} threw: ${cause instanceof Error ? cause.message : String(cause)}. Nothing was built.`, path, undefined, undefined, { cause }),
} as const;
