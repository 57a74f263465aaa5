/**
 * The one array type memgrid passes around: a dtype, a shape, a memory order and a
 * typed-array view on the elements (in memory or on a mapping). No copies are implied.
 */
import { allocate, isBigIntDType, type AnyTypedArray, type DType, type TypedArrayFor } from './dtypes.js';
import { ValueError } from '../errors.js';

/** Memory order: C (row-major, last index fastest) or F (Fortran, first index fastest). */
export type Order = 'C' | 'F';

/**
 * An n-dimensional array: `data` holds `size(shape)` elements in `order`.
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
}

/** Mapping modes, as numpy.memmap names them. */
export type MapMode = 'r' | 'r+' | 'w+' | 'c';

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
  /** Drop this handle's reference to the mapping; the OS unmaps it once nothing views it. */
  close(): void;
}

/** Number of elements of an array of `shape` (1 for a 0-d array). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
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

/** A float64 copy of a 1-d array's values, in index order (for labels and small vectors, not X). */
export function toFloat64(a: NdArray): Float64Array {
  if (a.dtype === 'float64') return new Float64Array(a.data as Float64Array);
  const out = new Float64Array(a.data.length);
  if (isBigIntDType(a.dtype)) {
    const src = a.data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < out.length; i++) out[i] = Number(src[i]!);
  } else {
    const src = a.data as Exclude<AnyTypedArray, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < out.length; i++) out[i] = src[i]!;
  }
  return out;
}

/** Plain nested JS arrays of an NdArray's values in index order (for tests and printing small arrays). */
export function toNested(a: NdArray): unknown {
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
