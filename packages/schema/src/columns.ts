/**
 * Rows given as columns: `columns({ first, last, asn })` over typed arrays (or any array-likes) is an
 * iterable of rows that `build()` and `buildAsync()` take wherever they take an array of rows, without a
 * JS object per row. Data parsed straight into typed arrays is built as it is: making 412k row objects
 * only to hand them to the builder cost about as much as parsing the CSV had.
 */
import { SchemaErrors } from './errors.js';

/** Where a `columns()` iterable keeps its arrays: a build writes them column by column (column-writer.ts). */
export const COLUMNS: unique symbol = Symbol('sabre.columns');

/** What a `columns()` iterable carries for the builder. */
export interface ColumnsOf {
  /** @internal */
  readonly [COLUMNS]: { readonly names: readonly string[]; readonly arrays: readonly ArrayLike<unknown>[]; readonly length: number };
}

/** The columns behind `value` when it came from `columns()`. */
export function columnsOf(value: unknown): ColumnsOf[typeof COLUMNS] | undefined {
  return typeof value === 'object' && value !== null ? (value as Partial<ColumnsOf>)[COLUMNS] : undefined;
}

/** One array-like per field: entry i of each is row i's value of that field. */
export type Columns<R> = { [K in keyof R]: ArrayLike<R[K]> };

/**
 * The rows `columns[field][i]`, as an iterable a build consumes once. Each step yields the same object,
 * refilled with the next row's values: a builder copies every value out before asking for the next row,
 * but code that keeps rows (`Array.from(columns(...))`) would see only the last; give it arrays instead.
 * A container may read its key column again once the rows are written (no copy of the keys is made):
 * hand over arrays and typed arrays that hold still during the build, not a Proxy whose reads differ.
 *
 * @param cols - One array-like per field of the row (typed arrays, arrays of strings, …), all as long.
 * @returns An iterable of rows, to pass as a table's or container's rows in `build()`/`buildAsync()`.
 * @throws {@link SchemaError} VALUE_OUT_OF_RANGE if the columns differ in length, or a value is not an
 *   array-like; the row values themselves are checked by the build, naming the row.
 *
 * @example
 * ```ts
 * const arena = build(Lookup, { blocks: columns({ first, last, asn }) }); // three Uint32Arrays
 * ```
 */
export function columns<R extends Record<string, unknown>>(cols: Columns<R>): Iterable<R> & ColumnsOf {
  if (typeof cols !== 'object' || cols === null) throw SchemaErrors.wrongType('columns', 'an object of array-likes, one per field', cols);
  const names = Object.keys(cols) as (keyof R & string)[];
  const arrays = names.map((name) => {
    const a = cols[name] as unknown;
    const length = typeof a === 'string' ? undefined : (a as { length?: unknown } | null)?.length;
    if (!(typeof length === 'number' && Number.isSafeInteger(length) && length >= 0)) {
      throw SchemaErrors.wrongType(`columns.${name}`, 'an array-like with a whole-number length (an array or a typed array)', a);
    }
    return a as ArrayLike<unknown>;
  });
  const length = arrays.length === 0 ? 0 : (arrays[0] as ArrayLike<unknown>).length;
  arrays.forEach((a, k) => {
    if (a.length !== length) throw SchemaErrors.outOfRange(`columns.${names[k]}`, `${length} values, as many as columns.${names[0]}`, `${a.length} values`);
  });
  return {
    [COLUMNS]: { names, arrays, length },
    [Symbol.iterator](): Iterator<R> {
      // One row object for the whole table, its fields in the columns' order (one shape for V8).
      const row = {} as Record<string, unknown>;
      for (const name of names) row[name] = undefined;
      let i = 0;
      return {
        next(): IteratorResult<R> {
          if (i >= length) return { done: true, value: undefined };
          for (let k = 0; k < names.length; k++) row[names[k] as string] = (arrays[k] as ArrayLike<unknown>)[i];
          i++;
          return { done: false, value: row as R };
        },
      };
    },
  };
}
