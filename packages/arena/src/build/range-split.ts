/**
 * The `overlaps: 'split'` policy of range tables: overlapping ranges become disjoint pieces, where at
 * every point the most specific range containing it wins (the shortest; between equally long ones, the
 * earliest entry). A range inside a larger one thus cuts the larger one in two, and the larger keeps
 * its value on both sides — how routing tables and GeoIP feeds with nested blocks are meant to be read.
 *
 * A sweep over the points where some range starts or ends, with the ranges that contain the current
 * point in a heap ordered by (length, entry): O(n log n) for n ranges, at most 2n - 1 pieces.
 */

export interface Piece {
  start: bigint;
  end: bigint;
  /** The entry (index into the input) whose value the piece carries. */
  entry: number;
}

/** Disjoint pieces, ascending, covering exactly the union of [starts[i], ends[i]]; adjacent pieces of one entry merged. */
export function splitOverlaps(starts: readonly bigint[], ends: readonly bigint[]): Piece[] {
  const n = starts.length;
  const byStart = Array.from({ length: n }, (_, i) => i).sort((a, b) => cmp(starts[a] as bigint, starts[b] as bigint) || a - b);
  const points = [...new Set([...starts, ...ends.map((e) => e + 1n)])].sort(cmp);
  const lengthOf = (i: number): bigint => (ends[i] as bigint) - (starts[i] as bigint);
  const before = (a: number, b: number): boolean => {
    const d = cmp(lengthOf(a), lengthOf(b));
    return d < 0 || (d === 0 && a < b);
  };
  const heap: number[] = [];
  const pieces: Piece[] = [];
  let next = 0;
  for (let k = 0; k < points.length; k++) {
    const p = points[k] as bigint;
    while (next < n && starts[byStart[next] as number] === p) push(heap, byStart[next++] as number, before);
    while (heap.length > 0 && (ends[heap[0] as number] as bigint) < p) pop(heap, before); // expired: lazy removal
    if (heap.length === 0) continue;
    const entry = heap[0] as number;
    const end = k + 1 < points.length ? (points[k + 1] as bigint) - 1n : (ends[entry] as bigint);
    const last = pieces[pieces.length - 1];
    if (last !== undefined && last.entry === entry && last.end + 1n === p) last.end = end;
    else pieces.push({ start: p, end, entry });
  }
  return pieces;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function push(heap: number[], x: number, before: (a: number, b: number) => boolean): void {
  let i = heap.push(x) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as number, heap[parent] as number)) break;
    [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
    i = parent;
  }
}

function pop(heap: number[], before: (a: number, b: number) => boolean): void {
  const last = heap.pop() as number;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l] as number, heap[m] as number)) m = l;
    if (r < heap.length && before(heap[r] as number, heap[m] as number)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
    i = m;
  }
}
