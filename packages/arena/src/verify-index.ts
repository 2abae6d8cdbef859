/**
 * The index half of `verify()`: a container's index (hash map, range table, trie, direct map) covers its
 * rows, names only rows that exist, and agrees with them — each entry's key is the key field of the row
 * it names (for a split range table: each piece lies inside its row's range). Without the last check, an
 * index whose row numbers were swapped (checksum recomputed) verified, and lookups then returned the
 * wrong row. Linear in the rows: one key field read per entry.
 */
import type { Arena } from './arena.js';
import { containerOf, type ContainerName } from './containers.js';
import { Errors } from './errors.js';
import { indexSection, type SectionLayout, type StructLayout } from './layout.js';
import { readScalar } from './scalars.js';

export function verifyIndex(arena: Arena, s: SectionLayout, struct: StructLayout, rows: number): void {
  const container = containerOf(s.kind as ContainerName);
  const where = `sections.${indexSection(s.name)}`;
  const index = container.open(arena.section(indexSection(s.name), container.sectionKind), arena.section(s.name));
  const covered = container.size(index);
  if (covered !== undefined && covered !== rows) throw Errors.badValue(where, `the ${container.title} does not cover its table`, `${rows} rows`, covered);

  // The row fields the index keys on: the container's field options, in their order.
  const fields = Object.entries(container.options)
    .filter(([, type]) => type === 'field')
    .map(([option]) => struct.fields.find((f) => f.name === (s as unknown as Record<string, string>)[option])!);
  const v = arena.section(s.name).view;
  const keyOf = (row: number, k: number): string | bigint => {
    const f = fields[k]!;
    const at = row * struct.size + f.offset;
    if (f.slot.kind === 'str') return arena.strings.decode(v.getUint32(at, true));
    return BigInt(readScalar(v, at, (f.slot as { type: Parameters<typeof readScalar>[2] }).type) as number | bigint);
  };
  let k = 0;
  for (const entry of container.keys(index)) {
    const at = `${where}[${k++}]`;
    const row = entry.row;
    if (!(row >= 0 && row < rows)) throw Errors.badValue(at, 'an index entry names a row that does not exist', `a row below ${rows}`, row);
    const agrees =
      entry.match === 'equal'
        ? entry.keys.every((key, i) => keyOf(row, i) === key)
        : (keyOf(row, 0) as bigint) <= (entry.keys[0] as bigint) && (entry.keys[1] as bigint) <= (keyOf(row, 1) as bigint);
    if (!agrees) throw Errors.badValue(at, `the ${container.title} disagrees with the row it names (its key is not that row's)`, `the key of row ${row}`, entry.keys.map(String).join('..'));
  }
}
