/** FNV-1a over a string's char codes: the "trivial row" of the pool benchmarks (about 0.1 µs). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Rows of about 30 characters, different enough that nothing is cached. */
export const trivialRow = (i: number): string => `row-${i.toString(36)}-${((i * 2654435761) >>> 0).toString(16)}-abcdefghij`;
