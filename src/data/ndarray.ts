/**
 * The one array type memgrid passes around: a dtype, a shape, a memory order and a
 * typed-array view on the elements (in memory or on a mapping). No copies are implied.
 */
import { allocate, isBigIntDType, NATIVE_LITTLE_ENDIAN, type AnyTypedArray, type DType, type TypedArrayFor } from './dtypes.js';
import { ValueError } from '../errors.js';

/** Memory order: C (row-major, last index fastest) or F (Fortran, first index fastest). */
export type Order = 'C' | 'F';

/**
 * Whole rows `[rowStart, rowEnd)` of an array (indices along its first axis) held by one
 * typed array, in the array's order: element `(i, ...rest)` of the array is
 * `data[(i - rowStart) * rowLength + rest]`.
 */
export interface RowWindow<D extends DType = DType> {
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly data: TypedArrayFor<D>;
}

/**
 * An n-dimensional array: `data` holds `size(shape)` elements in `order`.
 *
 * An array too big for one typed array (a mapped file past the window size, see `memmap`)
 * comes as row `windows` instead; its `data` then throws an AccessError that says so, so code
 * that assumes one typed array fails loudly rather than reading one window as the whole.
 * Code that handles any size reads {@link rowWindows}.
 * @example
 * ```ts
 * const a: NdArray<'float64'> = { dtype: 'float64', shape: [2, 3], order: 'C', data: new Float64Array(6) };
 * ```
 */
export interface NdArray<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly order: Order;
  readonly data: TypedArrayFor<D>;
  /** The rows, window by window, in order; absent for arrays held by `data` alone. */
  readonly windows?: readonly RowWindow<D>[];
}

/** Mapping modes, as numpy.memmap names them. */
export type MapMode = 'r' | 'r+' | 'w+' | 'c';

/** Access patterns a mapping can be advised of (madvise's NORMAL, SEQUENTIAL, WILLNEED, RANDOM). */
export type MapAdvice = 'normal' | 'sequential' | 'willneed' | 'random';

/**
 * An NdArray whose `data` views a memory-mapped file.
 * `writable` is false for mode `r`: writes through `data` stay private to this mapping
 * (it is mapped copy-on-write so that a stray write cannot crash the process) and
 * memgrid's own writers refuse it.
 */
export interface MappedArray<D extends DType = DType> extends NdArray<D> {
  readonly path: string;
  readonly mode: MapMode;
  readonly writable: boolean;
  /** Byte offset of the first element in the file. */
  readonly offset: number;
  /** Push writes to the file (msync) for `r+` and `w+`; a no-op for `c`; `r` refuses with AccessError (nothing of it may reach the file). */
  flush(): void;
  /**
   * Tell the OS how rows `[rowStart, rowEnd)` (default all) will be read (madvise): `sequential`
   * before one pass in order, `willneed` to start reading them in now, `random`, or `normal`.
   */
  advise(advice: MapAdvice, rowStart?: number, rowEnd?: number): void;
  /** Bytes of this array's data that are resident in memory now (page cache or private pages; mincore), at most its size. */
  residentBytes(): number;
  /** Drop this handle's reference to the mapping; the OS unmaps it once nothing views it. */
  close(): void;
}

/** Number of elements of an array of `shape` (1 for a 0-d array). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Length of the first axis (1 for a 0-d array): the rows windows split. */
export function rowCount(a: { readonly shape: readonly number[] }): number {
  return a.shape.length === 0 ? 1 : a.shape[0]!;
}

/**
 * The array's rows as windows: `a.windows`, or one window over `a.data`. Every reader that
 * must work on arrays of any size goes through this.
 * @example
 * ```ts
 * for (const w of rowWindows(X)) kernel(w.data, w.rowEnd - w.rowStart);
 * ```
 */
export function rowWindows<D extends DType>(a: NdArray<D>): readonly RowWindow<D>[] {
  return a.windows ?? [{ rowStart: 0, rowEnd: rowCount(a), data: a.data }];
}

/**
 * Whether the array is held by one typed array (`data` can be read).
 * @example
 * ```ts
 * if (!isSingleWindow(X)) throw new DataError('needs X in one piece');
 * ```
 */
export function isSingleWindow(a: NdArray): boolean {
  return a.windows === undefined || a.windows.length <= 1;
}

/**
 * The window holding row `row` (binary search; windows are in order and cover every row).
 * @example
 * ```ts
 * const w = windowOfRow(rowWindows(X), 12_000_000);
 * ```
 */
export function windowOfRow<D extends DType>(windows: readonly RowWindow<D>[], row: number): RowWindow<D> {
  return windows[windowIndexOfRow(windows, row)]!;
}

/**
 * The index of the window holding row `row`, in any list of windows by first row (in order,
 * covering every row): binary search.
 * @example
 * ```ts
 * windowIndexOfRow([{ rowStart: 0 }, { rowStart: 100 }], 150); // 1
 * ```
 */
export function windowIndexOfRow(windows: readonly { readonly rowStart: number }[], row: number): number {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (windows[mid]!.rowStart <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * One element by its index along every axis, as numpy's `a[i, j]` (int64 as bigint, bool as boolean).
 * @throws ValueError for an index of the wrong length or out of range.
 * @example
 * ```ts
 * get(X, 12_000_000, 3); // a row in the sixth window of a mapped 6.4 GB X
 * ```
 */
export function get(a: NdArray, ...index: number[]): number | bigint | boolean {
  if (index.length !== a.shape.length) throw new ValueError(`get: index [${index.join(', ')}] has ${index.length} entries, shape [${a.shape.join(', ')}] needs ${a.shape.length}`);
  index.forEach((v, k) => {
    if (!Number.isInteger(v) || v < 0 || v >= a.shape[k]!) throw new ValueError(`get: index ${v} is out of range for axis ${k} of shape [${a.shape.join(', ')}]`);
  });
  const strides = stridesOf(a.shape, a.order);
  const window = a.windows && a.windows.length > 1 ? windowOfRow(a.windows, index[0]!) : undefined;
  let flat = 0;
  index.forEach((v, k) => { flat += (k === 0 && window ? v - window.rowStart : v) * strides[k]!; });
  const value = (window?.data ?? a.data)[flat]!;
  return a.dtype === 'bool' ? value !== 0 : value;
}

/** Element strides (not bytes) of `shape` in `order`. */
export function stridesOf(shape: readonly number[], order: Order): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  if (order === 'C') {
    for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  } else {
    for (let i = 1; i < shape.length; i++) strides[i] = strides[i - 1]! * shape[i - 1]!;
  }
  return strides;
}

/**
 * Build an in-memory NdArray, checking that the data length matches the shape.
 * @example
 * ```ts
 * const X = ndarray('float64', [3, 2], new Float64Array([1, 2, 3, 4, 5, 6]));
 * ```
 */
export function ndarray<D extends DType>(
  dtype: D, shape: readonly number[], data?: TypedArrayFor<D>, order: Order = 'C',
): NdArray<D> {
  const n = shapeSize(shape);
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`shape must hold non-negative integers, found [${shape.join(', ')}]`);
  }
  const values = data ?? allocate(dtype, n);
  if (values.length !== n) {
    throw new ValueError(`data has ${values.length} elements, shape [${shape.join(', ')}] needs ${n}`);
  }
  return { dtype, shape: [...shape], order, data: values };
}

/** Element `i` (flat index into `data`) as a JS number, whatever the dtype (int64 converted). */
export function elementAsNumber(data: AnyTypedArray, i: number): number {
  return Number(data[i]!);
}

/** A float64 copy of a 1-d array's values, in index order (for labels and small vectors, not X), window by window. */
export function toFloat64(a: NdArray): Float64Array {
  const out = new Float64Array(shapeSize(a.shape));
  let at = 0;
  for (const { data } of rowWindows(a)) {
    if (data instanceof Float64Array) {
      out.set(data, at);
    } else if (isBigIntDType(a.dtype)) {
      int64ToFloat64(data as BigInt64Array | BigUint64Array, out, at);
    } else {
      const src = data as Exclude<AnyTypedArray, BigInt64Array | BigUint64Array>;
      for (let i = 0; i < src.length; i++) out[at + i] = src[i]!;
    }
    at += data.length;
  }
  return out;
}

/**
 * 64-bit integers into doubles, each as `Number(v)` gives it (the nearest double, ties to even).
 * On a little-endian machine from the two 32-bit halves, hi·2³² + lo: both terms are exact
 * doubles, so their sum is rounded once, as Number(v) rounds. That skips a BigInt per value:
 * labels stored as int64 (numpy's default) converted ~5× faster (200,000 labels: 2.2 → 0.4 ms warm).
 */
function int64ToFloat64(src: BigInt64Array | BigUint64Array, out: Float64Array, at: number): void {
  if (!NATIVE_LITTLE_ENDIAN) {
    for (let i = 0; i < src.length; i++) out[at + i] = Number(src[i]!);
    return;
  }
  const halves = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
  if (src instanceof BigInt64Array) {
    for (let i = 0; i < src.length; i++) out[at + i] = halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0);
  } else {
    for (let i = 0; i < src.length; i++) out[at + i] = (halves[2 * i + 1]! >>> 0) * 4294967296 + (halves[2 * i]! >>> 0);
  }
}

/** Plain nested JS arrays of an NdArray's values in index order (for tests and printing small arrays). */
export function toNested(a: NdArray): unknown {
  if (!isSingleWindow(a)) {
    const index: number[] = [];
    const build = (dim: number): unknown => {
      if (dim === a.shape.length) return get(a, ...index);
      const out: unknown[] = [];
      for (let i = 0; i < a.shape[dim]!; i++) {
        index[dim] = i;
        out.push(build(dim + 1));
      }
      return out;
    };
    return build(0);
  }
  const strides = stridesOf(a.shape, a.order);
  const read = (flat: number): number | bigint | boolean => (a.dtype === 'bool' ? a.data[flat] !== 0 : a.data[flat]!);
  const build = (dim: number, base: number): unknown => {
    if (dim === a.shape.length) return read(base);
    const out: unknown[] = [];
    for (let i = 0; i < a.shape[dim]!; i++) out.push(build(dim + 1, base + i * strides[dim]!));
    return out;
  };
  return build(0, 0);
}
