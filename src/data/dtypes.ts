/**
 * dtypes memgrid reads and writes, mapped to the typed arrays that view them.
 * Names are numpy's; descriptors (`<f8`, `>i4`, `|u1`, `|b1`) are numpy's `dtype.str`.
 */
import { DTypeError, printable } from '../errors.js';

/** A dtype name, as numpy spells it. */
export type DType =
  | 'float64' | 'float32'
  | 'int64' | 'int32' | 'int16' | 'int8'
  | 'uint64' | 'uint32' | 'uint16' | 'uint8'
  | 'bool';

/** The typed array class that views elements of dtype `D` (bool is viewed as bytes). */
export type TypedArrayFor<D extends DType> =
  D extends 'float64' ? Float64Array
  : D extends 'float32' ? Float32Array
  : D extends 'int64' ? BigInt64Array
  : D extends 'int32' ? Int32Array
  : D extends 'int16' ? Int16Array
  : D extends 'int8' ? Int8Array
  : D extends 'uint64' ? BigUint64Array
  : D extends 'uint32' ? Uint32Array
  : D extends 'uint16' ? Uint16Array
  : D extends 'uint8' ? Uint8Array
  : D extends 'bool' ? Uint8Array
  : never;

/** Any typed array memgrid hands out. */
export type AnyTypedArray = TypedArrayFor<DType>;

/** Byte order of a file's elements: little, big, or not applicable (1-byte types). */
export type ByteOrder = '<' | '>' | '|';

interface DTypeInfo {
  readonly itemSize: number;
  /** numpy's kind character: f (float), i (signed), u (unsigned), b (bool). */
  readonly kind: 'f' | 'i' | 'u' | 'b';
  readonly ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyTypedArray;
}

const INFO: Readonly<Record<DType, DTypeInfo>> = {
  float64: { itemSize: 8, kind: 'f', ctor: Float64Array },
  float32: { itemSize: 4, kind: 'f', ctor: Float32Array },
  int64: { itemSize: 8, kind: 'i', ctor: BigInt64Array },
  int32: { itemSize: 4, kind: 'i', ctor: Int32Array },
  int16: { itemSize: 2, kind: 'i', ctor: Int16Array },
  int8: { itemSize: 1, kind: 'i', ctor: Int8Array },
  uint64: { itemSize: 8, kind: 'u', ctor: BigUint64Array },
  uint32: { itemSize: 4, kind: 'u', ctor: Uint32Array },
  uint16: { itemSize: 2, kind: 'u', ctor: Uint16Array },
  uint8: { itemSize: 1, kind: 'u', ctor: Uint8Array },
  bool: { itemSize: 1, kind: 'b', ctor: Uint8Array },
};

/** Every supported dtype name. */
export const DTYPES: readonly DType[] = Object.keys(INFO) as DType[];

/** True when the running platform stores multi-byte numbers little-endian. */
export const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether `name` is a supported dtype name. */
export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.hasOwn(INFO, name);
}

/** Bytes per element of `dtype`. */
export function itemSize(dtype: DType): number {
  return INFO[dtype].itemSize;
}

/** True for float64 and float32. */
export function isFloatDType(dtype: DType): dtype is 'float64' | 'float32' {
  return INFO[dtype].kind === 'f';
}

/** True for the 64-bit integer dtypes, whose elements are bigints. */
export function isBigIntDType(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}

/**
 * A typed-array view of `length` elements of `dtype` on `buffer` at `byteOffset`, without copying.
 * The offset must be a multiple of the item size (typed arrays require it).
 */
export function viewOf<D extends DType>(
  dtype: D, buffer: ArrayBufferLike, byteOffset: number, length: number,
): TypedArrayFor<D> {
  return new INFO[dtype].ctor(buffer, byteOffset, length) as TypedArrayFor<D>;
}

/** A zero-filled in-memory typed array of `length` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  const info = INFO[dtype];
  return new info.ctor(new ArrayBuffer(length * info.itemSize), 0, length) as TypedArrayFor<D>;
}

/** The dtype whose typed array class `data` is (Uint8Array reads as uint8, not bool). */
export function dtypeOfTypedArray(data: AnyTypedArray): DType {
  for (const name of DTYPES) {
    if (name !== 'bool' && data instanceof INFO[name].ctor) return name;
  }
  throw new DTypeError(`unsupported typed array ${Object.prototype.toString.call(data)}`);
}

/**
 * Parse a numpy descriptor such as `<f8`, `>i4`, `|u1`, `|b1`, `<i8`, `b1`, `u1`.
 * @throws DTypeError naming the descriptor when it is not one memgrid supports.
 */
export function parseDescr(descr: string): { dtype: DType; byteOrder: ByteOrder } {
  const m = /^([<>|=]?)([fiub])(\d+)$/.exec(descr);
  if (m) {
    const [, orderChar = '', kind, sizeText] = m;
    const size = Number(sizeText);
    const dtype = DTYPES.find((d) => INFO[d].kind === kind && INFO[d].itemSize === size);
    if (dtype) {
      const native: ByteOrder = NATIVE_LITTLE_ENDIAN ? '<' : '>';
      const byteOrder: ByteOrder = size === 1 ? '|' : orderChar === '<' || orderChar === '>' ? orderChar : native;
      return { dtype, byteOrder };
    }
  }
  throw new DTypeError(
    `unsupported dtype descriptor ${printable(JSON.stringify(descr))}: memgrid reads ${DTYPES.map((d) => descrOf(d)).join(', ')} (either byte order)`,
  );
}

/** numpy's descriptor for `dtype` in `byteOrder` (little-endian by default, as numpy writes on x86). */
export function descrOf(dtype: DType, byteOrder: '<' | '>' = '<'): string {
  const { kind, itemSize: size } = INFO[dtype];
  return `${size === 1 ? '|' : byteOrder}${kind}${size}`;
}
