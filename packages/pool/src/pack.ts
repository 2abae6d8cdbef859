/**
 * Rows from memory (arrays, iterables) travel to a worker in a packed form, because the main thread pays
 * for serialising every row it sends:
 *
 *   numbers  → one Float64Array (a copy of 8 bytes per row, no per-row work at all)
 *   records  → plain objects with the same keys become one array per column: 146 ns per 4-field row
 *              to pack and serialise here, against 200 ns to serialise the objects
 *   anything else (strings included: V8 serialises an array of strings at ~19 ns per row) as it is
 *
 * The worker rebuilds each row as it runs it, so a packed row is an equal copy of what a structured
 * clone would have given.
 */

export type PackedRows =
  | { readonly kind: 'numbers'; readonly values: Float64Array }
  | { readonly kind: 'records'; readonly keys: readonly string[]; readonly columns: readonly unknown[][] }
  | { readonly kind: 'plain'; readonly rows: readonly unknown[] };

export function pack(rows: readonly unknown[]): PackedRows {
  if (rows.length === 0) return { kind: 'plain', rows };
  const first = rows[0];
  if (typeof first === 'number') {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i];
      if (typeof v !== 'number') return { kind: 'plain', rows };
      values[i] = v;
    }
    return { kind: 'numbers', values };
  }
  if (rows.length > 1 && isPlainObject(first)) {
    try {
      const records = packRecords(rows, Object.keys(first));
      if (records !== null) return records;
    } catch {
      // A getter threw: send the rows as they are, and let the clone name the row that cannot be sent.
    }
  }
  return { kind: 'plain', rows };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Columns of rows that all have exactly `keys`, in that order; null as soon as one does not. */
function packRecords(rows: readonly unknown[], keys: string[]): PackedRows | null {
  const width = keys.length;
  const columns: unknown[][] = keys.map(() => []);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!isPlainObject(r)) return null;
    let n = 0;
    for (const key in r) {
      if (key !== keys[n]) return null;
      n++;
    }
    if (n !== width) return null;
    // push, not a preallocated array: V8 serialises holey arrays through a slow sparse path.
    for (let c = 0; c < width; c++) columns[c]!.push(r[keys[c]!]);
  }
  return { kind: 'records', keys, columns };
}

export function packedLength(p: PackedRows): number {
  switch (p.kind) {
    case 'numbers':
      return p.values.length;
    case 'records':
      return p.columns[0]?.length ?? 0;
    case 'plain':
      return p.rows.length;
  }
}

/** Row i, rebuilt in the worker. */
export function packedRow(p: PackedRows, i: number): unknown {
  switch (p.kind) {
    case 'numbers':
      return p.values[i];
    case 'records': {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < p.keys.length; c++) row[p.keys[c]!] = p.columns[c]![i];
      return row;
    }
    case 'plain':
      return p.rows[i];
  }
}

/** A rough size of a batch of rows, for the bound on bytes in flight (64 B a row when a getter throws). */
export function approxBytes(rows: readonly unknown[]): number {
  try {
    return sampledBytes(rows);
  } catch {
    return rows.length * 64;
  }
}

function sampledBytes(rows: readonly unknown[]): number {
  let bytes = 0;
  const step = rows.length > 64 ? Math.floor(rows.length / 64) : 1;
  let sampled = 0;
  for (let i = 0; i < rows.length; i += step) {
    bytes += sizeOf(rows[i]);
    sampled++;
  }
  return sampled === 0 ? 0 : Math.ceil((bytes / sampled) * rows.length);
}

function sizeOf(v: unknown): number {
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (typeof v !== 'object' || v === null) return 8;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  let n = 16;
  for (const key in v) {
    const x = (v as Record<string, unknown>)[key];
    n += 8 + (typeof x === 'string' ? 2 * x.length : 8);
  }
  return n;
}
