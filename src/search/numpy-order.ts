/**
 * The few numpy orderings and sums whose exact behaviour decides scikit-learn's folds and
 * halving rungs: `np.argsort`'s default (unstable) introsort, whose order among ties is what
 * GroupKFold and successive halving keep, `np.unique`'s sorted labels, and numpy's pairwise
 * summation, whose rounding decides ties between standard deviations (StratifiedGroupKFold).
 * @example
 * ```ts
 * numpyArgsort(new Float64Array([3, 1, 2])); // Int32Array [1, 2, 0]
 * ```
 */

/** Partitions of at most this many elements + 1 numpy finishes with insertion sort. */
const SMALL_QUICKSORT = 15;
/** numpy's pairwise summation block (PW_BLOCKSIZE). */
const PAIRWISE_BLOCK = 128;

/** numpy's `less` for floats: NaN sorts after every number. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/**
 * `np.argsort(values)` with numpy's default kind ('quicksort': introsort with median-of-3
 * pivots, insertion sort from 16 elements down, heapsort past the depth limit): the same
 * permutation, ties included.
 */
export function numpyArgsort(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const v = values;
  const swap = (a: number, b: number): void => {
    const t = idx[a]!;
    idx[a] = idx[b]!;
    idx[b] = t;
  };
  const stack: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let cdepth = msb(n) * 2;
  for (;;) {
    if (cdepth < 0) {
      heapsortRange(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[idx[pm]!]!, v[idx[pl]!]!)) swap(pm, pl);
        if (less(v[idx[pr]!]!, v[idx[pm]!]!)) swap(pr, pm);
        if (less(v[idx[pm]!]!, v[idx[pl]!]!)) swap(pm, pl);
        const vp = v[idx[pm]!]!;
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++; while (less(v[idx[pi]!]!, vp));
          do pj--; while (less(vp, v[idx[pj]!]!));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger part waits on the stack, as numpy's does.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr, --cdepth);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1, --cdepth);
          pl = pi + 1;
        }
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = idx[pi]!;
        const vp = v[vi]!;
        let pj = pi;
        while (pj > pl && less(vp, v[idx[pj - 1]!]!)) {
          idx[pj] = idx[pj - 1]!;
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    cdepth = stack.pop()!;
    pr = stack.pop()!;
    pl = stack.pop()!;
  }
  return idx;
}

/** numpy's aheapsort on idx[start .. start+n). */
function heapsortRange(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  // numpy indexes the heap from 1: a[k] is idx[start + k - 1].
  const at = (k: number): number => idx[start + k - 1]!;
  const put = (k: number, value: number): void => { idx[start + k - 1] = value; };
  // Sifts `tmp` down from heap slot `i` within a heap of `size` slots.
  const siftDown = (i: number, tmp: number, size: number): void => {
    for (let j = i << 1; j <= size;) {
      if (j < size && less(v[at(j)]!, v[at(j + 1)]!)) j += 1;
      if (!less(v[tmp]!, v[at(j)]!)) break;
      put(i, at(j));
      i = j;
      j += j;
    }
    put(i, tmp);
  };
  for (let l = n >> 1; l > 0; --l) siftDown(l, at(l), n);
  for (; n > 1;) {
    const tmp = at(n);
    put(n, at(1));
    n -= 1;
    siftDown(1, tmp, n);
  }
}

/** Labels as `np.unique(labels, return_inverse=True)` gives them: sorted distinct values and each row's code. */
export interface UniqueLabels {
  readonly values: readonly (number | string)[];
  readonly codes: Int32Array;
  readonly counts: Int32Array;
}

/** `np.unique` of numbers (ascending) or strings (code-point order), with inverse and counts. */
export function uniqueLabels(labels: ArrayLike<number> | readonly string[]): UniqueLabels {
  const distinct = [...new Set(Array.from(labels as ArrayLike<number | string>))];
  distinct.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0));
  const codeOf = new Map(distinct.map((v, i) => [v, i]));
  const codes = new Int32Array(labels.length);
  const counts = new Int32Array(distinct.length);
  for (let i = 0; i < labels.length; i++) {
    const c = codeOf.get((labels as ArrayLike<number | string>)[i]!)!;
    codes[i] = c;
    counts[c]!++;
  }
  return { values: distinct, codes, counts };
}

/** Σ values[start .. start+n) summed as numpy sums a contiguous float64 run (pairwise). */
export function pairwiseSum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i]!;
    return res;
  }
  if (n <= PAIRWISE_BLOCK) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 8; k++) r[k] = values[start + k]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k]! += values[start + i + k]!;
    }
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += values[start + i]!;
    return res;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return pairwiseSum(values, start, n2) + pairwiseSum(values, start + n2, n - n2);
}

/** `np.std` of a contiguous run (ddof 0), with numpy's order of operations. */
export function numpyStd(values: ArrayLike<number>): number {
  const n = values.length;
  const mean = pairwiseSum(values) / n;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(pairwiseSum(sq) / n);
}
