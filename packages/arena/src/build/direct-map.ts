/**
 * Builds a direct map section (layout in ../direct-map.ts): one slot per value from the smallest key to
 * the largest, each holding its key's value or EMPTY. Refuses duplicate keys naming both entries, and a
 * span too sparse for an array (past max(1024, 4·n) slots) with a message that points at hash maps.
 */
import { DIRECT_MAP_KIND, EMPTY, maxSpanFor } from '../direct-map.js';
import { Errors } from '../errors.js';
import type { ArenaBuilder } from './builder.js';

/** Options of {@link writeDirectMap}. */
export interface DirectMapOptions {
  /** How entries are named in errors (default the section name). */
  path?: string;
  /** Makes the error for a duplicate key; `first < second` are entry numbers. */
  duplicate?: (first: number, second: number) => Error;
}

/** Writes a direct map from u32 keys to values below 2^32 − 1 as section `name`. */
export function writeDirectMap(builder: ArenaBuilder, name: string, keys: ArrayLike<number>, values: ArrayLike<number>, options: DirectMapOptions = {}): void {
  const path = options.path ?? name;
  const n = keys.length;
  if (values.length !== n) throw Errors.buildFailed(path, `${n} keys but ${values.length} values`);
  let min = 0xffff_ffff;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (typeof k !== 'number' || k >>> 0 !== k) throw Errors.valueOutOfRange('a u32 key (an integer 0..4294967295)', k, `${path}[${i}]`);
    const v = values[i] as number;
    if (typeof v !== 'number' || v >>> 0 !== v || v === EMPTY) throw Errors.valueOutOfRange('a value 0..4294967294 (4294967295 marks an empty slot)', v, `${path}[${i}]`);
    if (k < min) min = k;
    if (k > max) max = k;
  }
  const span = n === 0 ? 0 : max - min + 1;
  if (span > maxSpanFor(n)) {
    throw Errors.buildFailed(path, `keys ${min}..${max} would need ${span} slots for ${n} keys; a direct map spans at most max(1024, 4 × keys) = ${maxSpanFor(n)}. Keys this sparse belong in a hash map (s.hashMap)`);
  }
  const slots = new Uint32Array(span).fill(EMPTY);
  const owner = new Int32Array(span); // entry number + 1 of each used slot, to name duplicates
  for (let i = 0; i < n; i++) {
    const at = (keys[i] as number) - min;
    const first = owner[at] as number;
    if (first !== 0) throw options.duplicate?.(first - 1, i) ?? Errors.duplicateKey(path, String(keys[i]), first - 1, i);
    owner[at] = i + 1;
    slots[at] = values[i] as number;
  }
  const bytes = new Uint8Array(4 * span);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < span; i++) dv.setUint32(4 * i, slots[i] as number, true);
  const w = builder.section(name, { kind: DIRECT_MAP_KIND, align: 8 });
  w.u32(n).u32(n === 0 ? 0 : min).u32(span).u32(0);
  w.bytes(bytes);
  w.end();
}
