/**
 * Range keys gathered row by row for the index a build writes after its rows: numbers in a growing
 * Float64Array, so a 412k-row table costs no object or boxed number per row (an object per row for the
 * index, with two boxed u32s above 2^31, was a third of a range table's build in garbage collection).
 * The first key that is not a number (a bigint past 2^53) moves the list to a plain array.
 */
export class KeyList {
  private numbers = new Float64Array(1024);
  private mixed: (number | bigint)[] | null = null;
  private length = 0;

  push(key: number | bigint): void {
    if (this.mixed === null && typeof key === 'number') {
      if (this.length === this.numbers.length) {
        const bigger = new Float64Array(this.numbers.length * 2);
        bigger.set(this.numbers);
        this.numbers = bigger;
      }
      this.numbers[this.length++] = key;
      return;
    }
    this.mixed ??= Array.from(this.numbers.subarray(0, this.length));
    this.mixed.push(key);
    this.length++;
  }

  /** The keys in order: a Float64Array while every key is a number. */
  keys(): Float64Array | (number | bigint)[] {
    return this.mixed ?? this.numbers.subarray(0, this.length);
  }
}
