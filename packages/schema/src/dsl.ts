/**
 * The schema DSL: one namespace, `s`. Every node is a small frozen object with a `kind`; its TypeScript
 * type carries a phantom `Infer` member so `Infer<typeof Geo>` is the builder's input type.
 *
 * ```ts
 * const Country = s.struct('Country', { name: s.str(), code: s.str().describe('ISO 3166 alpha-2') });
 * const countries = s.table(Country);
 * const City = s.struct('City', { name: s.str(), population: s.u32(), country: s.ref(countries) });
 * export const Geo = s.arena('Geo', { countries, cities: s.table(City) });
 * ```
 *
 * Where nodes may stand (checked by `compile`, with a path in every error):
 * - struct fields: scalars, `enum`, `str`, `struct` (inline), `optional(T)`, `vector(T)`, `ref(table)`;
 * - vector elements: the same except `optional` and `vector`;
 * - arena sections: `table(struct)`, a container (`hashMap`, `ranges`, `trie`: rows plus an index, one
 *   constructor per kind of CONTAINERS in @sabre/arena) or a single `struct` record.
 */

import { CONTAINERS, SCALAR_TYPES, type ContainerName, type ContainerOptions, type SCALARS, type ScalarType } from '@sabre/arena/internal';

declare const INFER: unique symbol;

export type { ScalarType };
/** What a scalar reads and builds as, from its row in SCALARS: 64-bit integers are bigints. */
type ScalarValue<S extends ScalarType> = { number: number; bigint: bigint; boolean: boolean }[(typeof SCALARS)[S]['ts']];

/** What every node has. Constraints use these phantom-free shapes: a recursive phantom in a
 * constraint makes TypeScript give up on nested structs. */
interface Shape<K extends string> {
  /** Which kind of node this is ('scalar', 'struct', 'table', 'hashMap', …). */
  readonly kind: K;
  /** Documentation carried into the generated code's JSDoc. */
  readonly doc: string | undefined;
  /** A copy of this node with documentation for the generated code. */
  describe(doc: string): this;
}
interface NodeBase<K extends string, T> extends Shape<K> {
  /** Phantom: the builder's input type. Never present at run time. */
  readonly [INFER]?: T;
}

export type AnyStruct = Shape<'struct'> & { readonly name: string; readonly fields: Fields };
/** Anything holding rows of one struct that a ref can point into: a table or a container (CONTAINERS). */
export type AnyTable = Shape<'table' | ContainerName> & { readonly row: AnyStruct; readonly id: number };
export type AnyRef = Shape<'ref'> & { readonly target: AnyTable | (() => AnyTable) };
export type AnyOptional = Shape<'optional'> & { readonly inner: FieldNode };
export type AnyVector = Shape<'vector'> & { readonly element: ElementNode };

/** A scalar field (`s.u32()`, `s.f64()`, `s.bool()`, …): numbers, bigints for 64- and 128-bit integers, booleans. */
export interface ScalarNode<S extends ScalarType = ScalarType> extends NodeBase<'scalar', ScalarValue<S>> {
  /** Which scalar. */
  readonly type: S;
}
/** An enum field (`s.enum([...])`): one of a fixed list of strings, stored as its index. */
export interface EnumNode<V extends string = string> extends NodeBase<'enum', V> {
  /** The allowed strings, in index order. */
  readonly values: readonly V[];
}
/** An interned string field (`s.str()`): rows hold a u32 id into the arena's string pool. */
export interface StrNode extends NodeBase<'str', string> {}
/** A struct (`s.struct(name, fields)`): the row of a table, an inline field, or a single-record section. */
export interface StructNode<F extends Fields = Fields> extends NodeBase<'struct', StructInput<F>> {
  /** The struct's name; the generated view class is `${name}View`. */
  readonly name: string;
  /** Its fields, by name, in declaration order. */
  readonly fields: F;
}
/** A field that may be absent (`s.optional(inner)`): a presence bit; reads give `undefined`. */
export interface OptionalNode<N extends FieldNode = FieldNode> extends NodeBase<'optional', Infer<N> | undefined> {
  /** The field's type when present. */
  readonly inner: N;
}
/** A variable-length list (`s.vector(element)`), stored in the section's heap. */
export interface VectorNode<N extends ElementNode = ElementNode> extends NodeBase<'vector', readonly Infer<N>[]> {
  /** The type of one element. */
  readonly element: N;
}
/** A row index into a table of the same arena (`s.ref(table)`); builds from a number, reads as that row's view. */
export interface RefNode<T extends AnyTable = AnyTable> extends NodeBase<'ref', number> {
  /** The table whose row index this field holds (a thunk allows tables that refer to each other). */
  readonly target: T | (() => T);
}
/** A section of rows of one struct (`s.table(row)`), read by index. */
export interface TableNode<S extends AnyStruct = AnyStruct> extends NodeBase<'table', TableInput<Infer<S>>> {
  /** The struct of each row. */
  readonly row: S;
  /** Identity that survives `describe()` copies, so refs find their table. */
  readonly id: number;
}
/**
 * Rows of one struct plus the index of a container kind (CONTAINERS in @sabre/arena), with that kind's
 * options: the fields it indexes, and its flags.
 */
export type ContainerNode<K extends ContainerName, S extends AnyStruct = AnyStruct> = NodeBase<K, TableInput<Infer<S>>> & {
  /** The struct of each row. */
  readonly row: S;
  /** Identity that survives `describe()` copies, so refs find their table. */
  readonly id: number;
} & Readonly<ContainerOptions<K>>;
/** Rows plus a hash index on one field: `get(key)` returns the row. */
export type HashMapNode<S extends AnyStruct = AnyStruct> = ContainerNode<'hashMap', S>;
/** Rows that are inclusive ranges [start, end] of an unsigned integer: `find(x)`. */
export type RangesNode<S extends AnyStruct = AnyStruct> = ContainerNode<'ranges', S>;
/** Rows with a trie on a string field: exact, longest-prefix (or, reversed, longest-suffix) and prefix queries. */
export type TrieNode<S extends AnyStruct = AnyStruct> = ContainerNode<'trie', S>;
/** Rows with a one-read index on a dense unsigned integer field: `get(key)`. */
export type DirectMapNode<S extends AnyStruct = AnyStruct> = ContainerNode<'directMap', S>;

/** What a container's constructor takes: a field name of the row for each field option, optional flags and texts. */
type OptionTypes<K extends ContainerName> = (typeof CONTAINERS)[K]['options'];
/** The options object of `s.hashMap`, `s.ranges`, `s.trie` and `s.directMap`: field names for the indexed fields, then flags and texts. */
export type ContainerArgs<K extends ContainerName, S extends AnyStruct> = {
  [O in keyof OptionTypes<K> as OptionTypes<K>[O] extends 'field' ? O : never]: FieldOf<S>;
} & { [O in keyof OptionTypes<K> as OptionTypes<K>[O] extends 'boolean' ? O : never]?: boolean } & {
  [O in keyof OptionTypes<K> as OptionTypes<K>[O] extends 'text' ? O : never]?: string;
};

/** The root of a schema (`s.arena(name, sections)`): what `build`, `compile` and `sabre gen` take. */
export interface ArenaNode<F extends Sections = Sections> extends NodeBase<'arena', { [K in keyof F]: Infer<F[K]> }> {
  /** The arena's name; the generated class is named after it. */
  readonly name: string;
  /** Its sections, by name, in declaration order. */
  readonly sections: F;
}

/** What a vector element may be: a scalar, enum, string, struct or ref (not an optional or a vector). */
export type ElementNode = ScalarNode | EnumNode | StrNode | AnyStruct | AnyRef;
/** What a struct field may be: an element, an optional or a vector. */
export type FieldNode = ElementNode | AnyOptional | AnyVector;
/** A struct's fields, by name. */
export type Fields = { readonly [name: string]: FieldNode };
/** What an arena section may be: a table, a container, or a struct (a single record). */
export type SectionNode = AnyTable | AnyStruct;
/** Field names of a struct node, for container options. */
type FieldOf<S extends AnyStruct> = Extract<keyof S['fields'], string>;
/** An arena's sections, by name. */
export type Sections = { readonly [name: string]: SectionNode };
export type AnyNode = FieldNode | AnyTable | ArenaNode;

/** Rows of a table: an array, any iterable, or an async iterable (streamed by `buildAsync`). */
export type TableInput<Row> = readonly Row[] | Iterable<Row> | AsyncIterable<Row>;

/** The builder's input type for a schema node. */
export type Infer<N> = N extends {
  /** The phantom member every node's type carries; never present at run time. */
  readonly [INFER]?: infer T;
}
  ? T
  : never;

type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends AnyOptional ? K : never }[keyof F];
type StructInput<F extends Fields> = { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> };

// ---- constructors -------------------------------------------------------------------------------

const proto = {
  describe<T extends object>(this: T, doc: string): T {
    if (typeof doc !== 'string') throw new TypeError(`describe() takes a string, got ${typeof doc}`);
    return Object.freeze(Object.assign(Object.create(proto) as T, this, { doc }));
  },
};

function make<T>(props: object): T {
  return Object.freeze(Object.assign(Object.create(proto) as object, { doc: undefined }, props)) as T;
}

let tableIds = 0;
/** The constructor of a container kind: the row struct, then its options (flags default to false, texts to ''). */
const container =
  <K extends ContainerName>(kind: K) =>
  <S extends AnyStruct>(row: S, options: ContainerArgs<K, S>): ContainerNode<K, S> => {
    const stored: Record<string, string | boolean> = {};
    const given = options as Record<string, unknown>;
    for (const [option, type] of Object.entries(CONTAINERS[kind].options)) stored[option] = type === 'boolean' ? given[option] === true : type === 'text' ? ((given[option] as string | undefined) ?? '') : (given[option] as string);
    return make({ kind, row, id: ++tableIds, ...stored });
  };

/**
 * One constructor per row of SCALARS: `s.u8()` … `s.f64()`, `s.bool()`, and `s.u64()` / `s.i64()` /
 * `s.u128()`, which read and build as `bigint` (a u128 cannot be a vector element).
 */
const scalars = Object.fromEntries(SCALAR_TYPES.map((type) => [type, () => make({ kind: 'scalar', type })])) as {
  /** A scalar field of this type: `s.u32()` is a u32 (numbers, or bigints for 64- and 128-bit integers). */
  readonly [S in ScalarType]: () => ScalarNode<S>;
};

/**
 * The schema DSL: every constructor for fields (`s.u32()`, `s.str()`, `s.enum`, `s.optional`,
 * `s.vector`, `s.ref`, `s.struct`), sections (`s.table`, `s.hashMap`, `s.ranges`, `s.trie`,
 * `s.directMap`) and the root (`s.arena`). Nodes are frozen; `.describe(text)` returns a copy whose text
 * becomes the generated code's JSDoc. Mistakes in a schema are reported by `compile` (and so by `build`
 * and `sabre gen`) as SchemaErrors with a path.
 *
 * @example
 * ```ts
 * import { s, type Infer } from '@sabre/schema';
 *
 * const Country = s.struct('Country', { name: s.str(), code: s.str().describe('ISO 3166-1 alpha-2') });
 * const countries = s.table(Country);
 * const City = s.struct('City', {
 *   name: s.str(),
 *   population: s.u32(),
 *   country: s.ref(countries),
 *   elevation: s.optional(s.i16()),
 *   districts: s.vector(s.str()),
 * });
 * export const Geo = s.arena('Geo', { countries, cities: s.table(City) });
 * type GeoInput = Infer<typeof Geo>; // what build(Geo, input) takes
 * ```
 *
 * @namespace
 * @property u8 - An unsigned 8-bit integer field (0..255), read as a number.
 * @property i8 - A signed 8-bit integer field (-128..127).
 * @property u16 - An unsigned 16-bit integer field (0..65535).
 * @property i16 - A signed 16-bit integer field (-32768..32767).
 * @property u32 - An unsigned 32-bit integer field (0..4294967295).
 * @property i32 - A signed 32-bit integer field.
 * @property f32 - A 32-bit float field (|x| ≤ 3.4e38; NaN and ±Infinity only with `nonFinite: 'allow'`).
 * @property f64 - A 64-bit float field (NaN and ±Infinity only with `nonFinite: 'allow'`).
 * @property u64 - An unsigned 64-bit integer field: built from a bigint or a safe integer ≥ 0, read as a bigint.
 * @property i64 - A signed 64-bit integer field: built from a bigint or a safe integer, read as a bigint.
 * @property u128 - An unsigned 128-bit integer field (IPv6 addresses), read as a bigint; not a vector element.
 * @property bool - A boolean field, one byte.
 */
export const s = {
  ...scalars,
  /** One of a fixed list of strings, stored as its index (u8, or u16 past 256 values). */
  enum: <const V extends string>(values: readonly V[]): EnumNode<V> => make({ kind: 'enum', values: Object.freeze([...values]) }),
  /** An interned string: stored once per arena, fields hold its id. */
  str: (): StrNode => make({ kind: 'str' }),
  /** A fixed-layout record. The name becomes the generated view class (`${name}View`). */
  struct: <const F extends Fields>(name: string, fields: F): StructNode<F> => make({ kind: 'struct', name, fields: Object.freeze({ ...fields }) }),
  /** A field that may be absent: one presence bit, not a sentinel value. Reads give `undefined`. */
  optional: <N extends FieldNode>(inner: N): OptionalNode<N> => make({ kind: 'optional', inner }),
  /** A variable-length list. Vectors of numbers read as typed arrays over the arena, with no copy. */
  vector: <N extends ElementNode>(element: N): VectorNode<N> => make({ kind: 'vector', element }),
  /** Rows of one struct at a fixed stride: `at(i)`, `length`, iteration without a row object per step. */
  table: <S extends AnyStruct>(row: S): TableNode<S> => make({ kind: 'table', row, id: ++tableIds }),
  /**
   * Rows with a frozen hash index on `key` (a string, u8, u16, u32 or u64 field): the generated section
   * has `get(key)` → the row's view or undefined, besides everything a table has. Keys must be unique.
   */
  hashMap: container('hashMap'),
  /**
   * Rows that are inclusive ranges [start, end] of a u32, u64 or u128 field pair (IP ranges; u128 for
   * IPv6, `find128` taking what `parseIPv6` writes): the generated
   * section has `find(x)` → the row whose range contains x, or undefined. Ranges must not overlap.
   */
  ranges: container('ranges'),
  /**
   * Rows with a trie on a string `key` field: the generated section has `get(key)`, `longestPrefix(s)`
   * and `withPrefix(p)` (rows in key order). `reversed: true` stores keys backwards for `longestSuffix(s)`:
   * hostname rules such as ".co.uk". Keys must be unique.
   */
  trie: container('trie'),
  /**
   * Rows keyed by a dense unsigned integer (a u8, u16 or u32 field: ids, codes, ports): `get(key)` is one
   * array read, with no hashing. The keys may span at most max(1024, 4 × rows) values; sparse keys
   * belong in `s.hashMap`. Keys must be unique.
   */
  directMap: container('directMap'),
  /**
   * A row index into a table of the same arena; reads give that row's view. For a table that refers to
   * itself (or to one declared later) pass a thunk with a type annotation, which TypeScript needs to
   * break the circle: `s.ref((): TableNode => cities)`.
   */
  ref: <T extends AnyTable>(target: T | (() => T)): RefNode<T> => make({ kind: 'ref', target }),
  /** The root: names the sections of one arena. The name becomes the generated class. */
  arena: <const F extends Sections>(name: string, sections: F): ArenaNode<F> => make({ kind: 'arena', name, sections: Object.freeze({ ...sections }) }),
} as const;

/** The table a ref points at, resolving a thunk. */
export function refTarget(ref: AnyRef): AnyTable {
  return typeof ref.target === 'function' ? ref.target() : ref.target;
}
