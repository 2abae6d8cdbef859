/**
 * Sorting string keys held as flat UTF-16 code units (key i is `units[at[i] .. at[i+1])`, one byte each
 * when every key is Latin-1), in JS string order (code unit by code unit, a prefix before its
 * extensions), without a string per key.
 *
 * A three-way radix quicksort (multikey quicksort): partition on one code unit at depth d, then sort the
 * less and greater parts at the same depth and the equal part one unit deeper; large parts of one-byte
 * units are split on all their units at once by counting. Keys sharing long prefixes
 * (hostnames, paths) are compared one unit at a time once, not from the start at every comparison as a
 * comparator sort over strings does; a trie build sorted 200k hostname rules ~4× faster this way.
 */

/** Parts at most this long are finished by insertion sort, comparing from the current depth. */
const SMALL = 12;
/**
 * Parts of one-byte units at least this long are split on their unit at once, by counting (an MSD radix
 * step): one read of each key's unit instead of one per partition level, about six per character.
 */
const RADIX_MIN = 2048;

/**
 * Key indexes 0..n−1 in ascending key order, equal keys by index (as a stable sort would leave them).
 * Allocates the result and a work stack only.
 */
export function sortByUnits(units: Uint8Array | Uint16Array, at: Uint32Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  /** Unit d of key k, or −1 past its end (a shorter key sorts first). */
  const unit = (k: number, d: number): number => {
    const p = (at[k] as number) + d;
    return p < (at[k + 1] as number) ? (units[p] as number) : -1;
  };
  /** Compares keys a and b from depth d (their first d units are equal); ties by index. */
  const compareFrom = (a: number, b: number, d: number): number => {
    for (;;) {
      const x = unit(a, d);
      const y = unit(b, d);
      if (x !== y) return x - y;
      if (x < 0) return a - b;
      d++;
    }
  };
  // Pending parts as (lo, hi, depth) triples: an explicit stack, so long shared prefixes cannot
  // overflow the call stack.
  let stack = new Uint32Array(3 * 64);
  let top = 0;
  const push = (lo: number, hi: number, d: number): void => {
    if (hi - lo < 2) return;
    if (top + 3 > stack.length) {
      const bigger = new Uint32Array(stack.length * 2);
      bigger.set(stack);
      stack = bigger;
    }
    stack[top++] = lo;
    stack[top++] = hi;
    stack[top++] = d;
  };
  push(0, n, 0);
  const narrow = units instanceof Uint8Array;
  // Scratch of the radix step: each key's unit (+1, so a key that ended is bucket 0), and the keys
  // distributed by it. Made at the first large part, which is the largest.
  let unitOf = new Uint16Array(0);
  let moved = new Uint32Array(0);
  const counts = new Uint32Array(257);
  while (top > 0) {
    const d = stack[--top] as number;
    const hi = stack[--top] as number;
    const lo = stack[--top] as number;
    if (narrow && hi - lo >= RADIX_MIN) {
      const m = hi - lo;
      if (unitOf.length < m) {
        unitOf = new Uint16Array(m);
        moved = new Uint32Array(m);
      }
      counts.fill(0);
      for (let i = 0; i < m; i++) {
        const u = unit(order[lo + i] as number, d) + 1;
        unitOf[i] = u;
        counts[u] = (counts[u] as number) + 1;
      }
      let sum = 0;
      for (let b = 0; b < 257; b++) {
        const c = counts[b] as number;
        counts[b] = sum; // from here on: where bucket b's next key goes
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const b = unitOf[i] as number;
        moved[counts[b] as number] = order[lo + i] as number;
        counts[b] = (counts[b] as number) + 1;
      }
      order.set(moved.subarray(0, m), lo);
      // counts[b] is now where bucket b ends. Keys that ended here are equal: in index order, as a
      // stable sort leaves them. The others continue one unit deeper.
      let from = lo;
      for (let b = 0; b < 257; b++) {
        const to = lo + (counts[b] as number);
        if (to > from) {
          if (b === 0) order.subarray(from, to).sort();
          else push(from, to, d + 1);
        }
        from = to;
      }
      continue;
    }
    if (hi - lo <= SMALL) {
      for (let i = lo + 1; i < hi; i++) {
        const k = order[i] as number;
        let j = i;
        while (j > lo && compareFrom(order[j - 1] as number, k, d) > 0) {
          order[j] = order[j - 1] as number;
          j--;
        }
        order[j] = k;
      }
      continue;
    }
    // Pivot: the median of three units, taken at the part's ends and middle.
    const a = unit(order[lo] as number, d);
    const b = unit(order[(lo + hi) >>> 1] as number, d);
    const c = unit(order[hi - 1] as number, d);
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Dutch-flag partition: [lo, lt) below the pivot, [lt, i) equal, [gt, hi) above.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const k = order[i] as number;
      const u = unit(k, d);
      if (u < pivot) {
        order[i++] = order[lt] as number;
        order[lt++] = k;
      } else if (u > pivot) {
        order[i] = order[--gt] as number;
        order[gt] = k;
      } else i++;
    }
    push(lo, lt, d);
    push(gt, hi, d);
    if (pivot >= 0) push(lt, gt, d + 1);
    else {
      // Keys that end here are equal: the partition did not keep their order, indexes do.
      const equal = order.subarray(lt, gt);
      equal.sort();
    }
  }
  return order;
}
