/**
 * Reductions with numpy's answers: `np.sum`, `np.mean`, `np.std` (and `mean(axis=0)`).
 *
 * numpy sums floats pairwise (8-way unrolled leaves of up to 128 elements), over blocks
 * of its 8192-element iterator buffer that are then added in sequence, and accumulates
 * float32 data in float32. Doing the same gives results equal to numpy's to the last bit
 * in the cases the tests check (the fixtures compare exactly for float32, 1e-12 rel. for float64).
 */
import { ValueError } from '../errors.js';
import { isBigIntDType, type AnyTypedArray } from './dtypes.js';
import { rowWindows, shapeSize, type NdArray, type RowWindow } from './ndarray.js';

/** numpy's iterator buffer size (`np.getbufsize()`): sums are pairwise within such blocks. */
const NPY_BUFSIZE = 8192;
/** numpy's PW_BLOCKSIZE: below this a pairwise leaf is an 8-way unrolled loop. */
const PW_BLOCKSIZE = 128;

/** Reads elements `start .. start+n` of any typed array as float64 into `out` from `at` (bigints converted). */
function loadBlock(data: AnyTypedArray, big: boolean, start: number, n: number, out: Float64Array, at = 0): void {
  if (big) {
    const src = data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) out[at + i] = Number(src[start + i]!);
  } else {
    const src = data as Exclude<AnyTypedArray, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < n; i++) out[at + i] = src[start + i]!;
  }
}

/**
 * An array's elements in memory order, read block by block across its row windows: numpy's
 * blocks are counted from the first element of the whole array, so a block that straddles
 * two windows is read from both and summed as one.
 */
class FlatReader {
  private readonly windows: readonly RowWindow[];
  private readonly big: boolean;
  private window = 0;
  /** Flat index of the current window's first element. */
  private base = 0;

  constructor(a: NdArray) {
    this.windows = rowWindows(a);
    this.big = isBigIntDType(a.dtype);
  }

  /** Elements `start .. start+n` (`start` never below the last call's) into `out`. */
  read(start: number, n: number, out: Float64Array): void {
    let done = 0;
    while (done < n) {
      let w = this.windows[this.window]!;
      while (start + done >= this.base + w.data.length) {
        this.base += w.data.length;
        w = this.windows[++this.window]!;
      }
      const from = start + done - this.base;
      const take = Math.min(n - done, w.data.length - from);
      loadBlock(w.data, this.big, from, take, out, done);
      done += take;
    }
  }
}

/** numpy's pairwise_sum for float64. */
function pairwise64(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!;
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 += a[p]!; r1 += a[p + 1]!; r2 += a[p + 2]!; r3 += a[p + 3]!;
      r4 += a[p + 4]!; r5 += a[p + 5]!; r6 += a[p + 6]!; r7 += a[p + 7]!;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise64(a, start, n2) + pairwise64(a, start + n2, n - n2);
}

/** numpy's pairwise_sum for float32: every addition rounded to float32. */
function pairwise32(a: Float64Array, start: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!;
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 = f(r0 + a[p]!); r1 = f(r1 + a[p + 1]!); r2 = f(r2 + a[p + 2]!); r3 = f(r3 + a[p + 3]!);
      r4 = f(r4 + a[p + 4]!); r5 = f(r5 + a[p + 5]!); r6 = f(r6 + a[p + 6]!); r7 = f(r7 + a[p + 7]!);
    }
    let res = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
    for (; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwise32(a, start, n2) + pairwise32(a, start + n2, n - n2));
}

/**
 * Sum of `count` elements of `data` from `start`, numpy-style. With `center` given, sums
 * squared deviations `(x - center)²` instead (numpy's `_var` materialises them; we do it per block).
 */
function blockedSum(a: NdArray, start: number, count: number, center?: number): number {
  const single = a.dtype === 'float32';
  const f = Math.fround;
  const block = new Float64Array(Math.min(NPY_BUFSIZE, Math.max(count, 1)));
  const reader = new FlatReader(a);
  let total = 0;
  for (let s = 0; s < count; s += NPY_BUFSIZE) {
    const n = Math.min(NPY_BUFSIZE, count - s);
    reader.read(start + s, n, block);
    if (center !== undefined) {
      for (let i = 0; i < n; i++) {
        const d = single ? f(block[i]! - center) : block[i]! - center;
        block[i] = single ? f(d * d) : d * d;
      }
    }
    total = single ? f(total + pairwise32(block, 0, n)) : total + pairwise64(block, 0, n);
  }
  return total;
}

/**
 * Sum of all elements, as `np.sum(a)` (float32 data is accumulated in float32; int64 elements
 * are converted to numbers, exact up to 2^53). Works across the row windows of a big mapping.
 * @example
 * ```ts
 * sum(ndarray('float32', [3], new Float32Array([42, 43, 0]))); // 85
 * ```
 */
export function sum(a: NdArray): number {
  return blockedSum(a, 0, shapeSize(a.shape));
}

/**
 * Arithmetic mean of all elements, as `np.mean(a)` (float32 in, float32-rounded out; NaN when empty).
 * @example
 * ```ts
 * mean(mm); // 8.5 for [42, 43, 0, 0, 0, 0, 0, 0, 0, 0]
 * ```
 */
export function mean(a: NdArray): number {
  const m = sum(a) / shapeSize(a.shape);
  return a.dtype === 'float32' ? Math.fround(m) : m;
}

/**
 * Standard deviation of all elements, as `np.std(a, ddof=ddof)` (population std by default).
 * @example
 * ```ts
 * std(mm); // 17.0014705657959 for float32 [42, 43, 0, 0, 0, 0, 0, 0, 0, 0]
 * std(mm, { ddof: 1 }); // sample std
 * ```
 */
export function std(a: NdArray, options: { ddof?: number } = {}): number {
  const ddof = options.ddof ?? 0;
  if (!Number.isFinite(ddof) || ddof < 0) throw new ValueError(`std: options.ddof must be a non-negative number, found ${ddof}`);
  const n = shapeSize(a.shape);
  const m = mean(a);
  const squares = blockedSum(a, 0, n, m);
  const variance = squares / Math.max(n - ddof, 0);
  return a.dtype === 'float32' ? Math.fround(Math.sqrt(Math.fround(variance))) : Math.sqrt(variance);
}

/**
 * Mean of each column of a 2-d array, as `np.mean(a, axis=0)`: C-order rows are added in
 * sequence (numpy's outer-loop reduction), F-order columns are summed pairwise.
 * @example
 * ```ts
 * columnMeans(ndarray('float64', [2, 2], new Float64Array([1, 2, 3, 4]))); // Float64Array [2, 3]
 * ```
 */
export function columnMeans(a: NdArray): Float64Array {
  if (a.shape.length !== 2) throw new ValueError(`columnMeans: expected a 2-d array, found shape [${a.shape.join(', ')}]`);
  const [rows, cols] = a.shape as [number, number];
  const out = new Float64Array(cols);
  const single = a.dtype === 'float32';
  if (a.order === 'F') {
    for (let j = 0; j < cols; j++) out[j] = blockedSum(a, j * rows, rows);
  } else {
    const row = new Float64Array(cols);
    const big = isBigIntDType(a.dtype);
    for (const w of rowWindows(a)) {
      for (let i = 0; i < w.rowEnd - w.rowStart; i++) {
        loadBlock(w.data, big, i * cols, cols, row);
        for (let j = 0; j < cols; j++) out[j] = single ? Math.fround(out[j]! + row[j]!) : out[j]! + row[j]!;
      }
    }
  }
  for (let j = 0; j < cols; j++) out[j] = single ? Math.fround(out[j]! / rows) : out[j]! / rows;
  return out;
}
