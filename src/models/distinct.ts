/**
 * Sorted distinct values of label vectors: what encoding labels, typing a target and counting
 * classes all start from. Labels are few, so each value is first compared with the last one
 * matched and the short list found so far; a Set (~100 ns a value: 16-30 ms a fold of 160,000
 * labels) is taken only once the list grows past {@link SCAN_LIMIT}.
 */

/** Distinct values kept in a plain list before switching to a Set. */
const SCAN_LIMIT = 32;

/**
 * Collects distinct values with a Set's equality (SameValueZero: NaN equals NaN, −0 is +0).
 * @example
 * ```ts
 * const seen = new DistinctValues();
 * for (const v of [3, 1, 3]) seen.add(v);
 * seen.sorted(); // Float64Array [1, 3]
 * ```
 */
export class DistinctValues {
  private readonly few: number[] = [];
  private many: Set<number> | undefined;
  private last = Number.NaN;

  add(value: number): void {
    if (value === this.last) return;
    if (this.many !== undefined) {
      this.many.add(value);
      return;
    }
    // A Set stores −0 as +0; NaN is the one value not equal to itself.
    const v = value === 0 ? 0 : value;
    const few = this.few;
    for (let i = 0; i < few.length; i++) {
      const u = few[i]!;
      if (u === v || (u !== u && v !== v)) {
        this.last = v;
        return;
      }
    }
    few.push(v);
    this.last = v;
    if (few.length > SCAN_LIMIT) this.many = new Set(few);
  }

  /**
   * Adds `values[i]` for every i, or for i in `rows` when given. The two values last met are held
   * in locals and a value equal to either skips the call to {@link add}: labels take two or a few
   * values, and a call per value (its list scanned, `last` moved) cost 65-95 ns each, 13-21 ms on
   * 200,000 binary labels, before V8 had compiled the loop and after.
   */
  addAll(values: ArrayLike<number>, rows?: ArrayLike<number>): void {
    const n = rows === undefined ? values.length : rows.length;
    let a = Number.NaN;
    let b = Number.NaN;
    for (let r = 0; r < n; r++) {
      const v = values[rows === undefined ? r : rows[r]!]!;
      // Already added (=== holds −0 equal to +0 as the set does; NaN, equal to nothing, goes to add).
      if (v === a || v === b) continue;
      this.add(v);
      b = a;
      a = v;
    }
  }

  /** The distinct values in ascending order (a typed array's sort: NaN last). */
  sorted(): Float64Array {
    return Float64Array.from(this.many ?? this.few).sort();
  }
}

/**
 * Sorted distinct values of the arrays together (numpy's `unique` on their concatenation).
 * @example
 * ```ts
 * sortedDistinct(Float64Array.from([2, 0]), Float64Array.from([1, 2])); // [0, 1, 2]
 * ```
 */
export function sortedDistinct(...arrays: ArrayLike<number>[]): Float64Array {
  const seen = new DistinctValues();
  for (const a of arrays) seen.addAll(a);
  return seen.sorted();
}

/**
 * The position of `value` in `sorted` (ascending, distinct, finite), which holds it: a class's
 * index, by binary search (a Map lookup a row cost more).
 * @example
 * ```ts
 * indexInSorted(Float64Array.from([2, 5, 9]), 9); // 2
 * ```
 */
export function indexInSorted(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
