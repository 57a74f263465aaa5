/**
 * `.npy` files: read into memory, write, and map (numpy's `np.load`, `np.save`,
 * `np.load(mmap_mode=...)` and `np.lib.format.open_memmap`).
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { AccessError, NpyFormatError, ValueError } from '../errors.js';
import { allocate, descrOf, isDType, itemSize, NATIVE_LITTLE_ENDIAN, type DType } from './dtypes.js';
import { rowWindows, shapeSize, type MapMode, type MappedArray, type NdArray, type Order } from './ndarray.js';
import { encodeNpyHeader, NPY_MAX_HEADER_SIZE, parseNpyHeader, type NpyHeader } from './npy-header.js';
import { createZeroFilled, IO_CHUNK_BYTES, mapFile, MAX_WINDOW_BYTES, openFile } from './memmap.js';
import { writeFileAtomic } from './atomic.js';
import { swapBytes } from './byteswap.js';

/** The most bytes a header can occupy: magic, version, uint32 length and the allowed text. */
const MAX_HEADER_BYTES = 12 + NPY_MAX_HEADER_SIZE;

/**
 * Read and validate the header of the `.npy` file at `path` (reads at most ~10 KB).
 * @throws NpyFormatError when the header is malformed or the file is shorter than its data.
 * @example
 * ```ts
 * const { dtype, shape, dataOffset } = readNpyHeader('X.npy');
 * ```
 */
export function readNpyHeader(path: string): NpyHeader & { fileSize: number } {
  const fd = openFile(path, 'r');
  try {
    return readHeaderFd(fd, path);
  } finally {
    fs.closeSync(fd);
  }
}

function readHeaderFd(fd: number, path: string): NpyHeader & { fileSize: number } {
  const fileSize = fs.fstatSync(fd).size;
  const head = new Uint8Array(Math.min(fileSize, MAX_HEADER_BYTES));
  readFully(fd, head, 0);
  const header = parseNpyHeader(head, path);
  const found = fileSize - header.dataOffset;
  if (found < header.dataBytes) {
    throw new NpyFormatError(
      path,
      `truncated data: shape [${header.shape.join(', ')}] of ${header.descr} needs ${header.dataBytes} bytes after the ${header.dataOffset}-byte header, found ${found}`,
    );
  }
  return { ...header, fileSize };
}

/**
 * Read a `.npy` file into memory (like `np.load`), in chunks. Big-endian data is swapped to
 * native order. An in-memory array is one typed array, so data past Node's typed-array limit
 * ({@link MAX_WINDOW_BYTES}) is refused: map such a file with `openNpy` instead.
 * @throws NpyFormatError for a malformed file; ValueError for one too big to read into memory.
 * @example
 * ```ts
 * const X = readNpy('X.npy'); // X.dtype === 'float64', X.shape === [100, 5]
 * ```
 */
export function readNpy(path: string): NdArray {
  const fd = openFile(path, 'r');
  try {
    const h = readHeaderFd(fd, path);
    if (h.dataBytes > MAX_WINDOW_BYTES) {
      throw new ValueError(
        `readNpy ${path}: ${h.dataBytes} bytes of data is more than one in-memory array can hold (${MAX_WINDOW_BYTES} bytes, Node's typed-array limit); `
        + "map it with openNpy(path, { mode: 'r' }), which reads it window by window",
      );
    }
    const data = allocate(h.dtype, shapeSize(h.shape));
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    readFully(fd, bytes, h.dataOffset);
    if (h.byteOrder !== '|' && h.byteOrder !== (NATIVE_LITTLE_ENDIAN ? '<' : '>')) swapBytes(bytes, itemSize(h.dtype));
    return { dtype: h.dtype, shape: h.shape, order: h.order, data };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Write `array` as a `.npy` file numpy reads (byte-identical to `np.save` for the same array).
 * The file is written under a temporary name and renamed, so readers never see half a file.
 * Saving a mapped array onto the very file it maps: a read-only (`r`) one is refused; a shared
 * writable one (`r+`/`w+` of that `.npy`) is flushed, since its data already lives there.
 * @throws AccessError, ValueError
 * @example
 * ```ts
 * saveNpy('X.npy', ndarray('float64', [2, 2], new Float64Array([1, 2, 3, 4])));
 * ```
 */
export function saveNpy(path: string, array: NdArray): void {
  checkArray(array, path);
  if (isMapped(array) && samePath(array.path, path)) {
    if (!array.writable) throw new AccessError(`saveNpy ${path}: refusing to write into the file that this read-only ('r') array maps`);
    if ((array.mode === 'r+' || array.mode === 'w+') && mapsWholeNpy(array, path)) {
      array.flush();
      return;
    }
  }
  const header = encodeNpyHeader({ descr: descrOf(array.dtype), order: array.order, shape: array.shape });
  const parts = rowWindows(array).map(({ data }) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  writeFileAtomic(path, [header, ...parts]);
}

/** Options of {@link openNpy}. `dtype` and `shape` are required for `w+`; for other modes they are checked against the header. */
export interface OpenNpyOptions<D extends DType = DType> {
  readonly mode: MapMode;
  readonly dtype?: D;
  readonly shape?: readonly number[];
  readonly order?: Order;
  /** Most bytes per row window; default `MEMGRID_MAP_WINDOW_BYTES` or 1 GiB (see `memmap`). */
  readonly windowBytes?: number;
  /**
   * Mode 'r': share one mapping with every other `shareMapping` open of the same file in this
   * process, in any thread, so its pages are faulted in once rather than per thread (a dataset
   * store's arrays, which nothing writes). Default false: each open maps on its own, and a stray
   * write through an 'r' array stays in that array, as the seed notebook's memmaps do.
   */
  readonly shareMapping?: boolean;
}

/**
 * Map a `.npy` file: `np.load(path, mmap_mode=mode)` for `r`, `r+`, `c`, and
 * `np.lib.format.open_memmap(path, 'w+', dtype, shape)` for `w+` (a new zero-filled file).
 * Mode semantics are {@link memmap}'s.
 * @throws NpyFormatError for a malformed file or one that does not match the given dtype/shape.
 * @example
 * ```ts
 * const X = openNpy('X.npy', { mode: 'r' }); // X.writable === false, X.data views the page cache
 * const out = openNpy('out.npy', { mode: 'w+', dtype: 'float32', shape: [3, 4] });
 * ```
 */
export function openNpy<D extends DType = DType>(path: string, options: OpenNpyOptions<D>): MappedArray<D> {
  const { mode } = options;
  if (mode === 'w+') return createNpy(path, options);
  if (mode !== 'r' && mode !== 'r+' && mode !== 'c') {
    throw new ValueError(`openNpy ${path}: options.mode must be one of r, r+, w+, c, found ${JSON.stringify(mode)}`);
  }
  const h = readNpyHeader(path);
  checkExpected(path, h, options);
  return mapFile(path, {
    dtype: h.dtype as D, byteOrder: h.byteOrder, shape: h.shape, order: h.order, mode, offset: h.dataOffset, ...windowOption(options),
    ...(options.shareMapping === true ? { share: true } : {}),
  });
}

function windowOption(o: OpenNpyOptions): { windowBytes?: number } {
  return o.windowBytes === undefined ? {} : { windowBytes: o.windowBytes };
}

function createNpy<D extends DType>(path: string, options: OpenNpyOptions<D>): MappedArray<D> {
  const { dtype, shape } = options;
  if (!isDType(dtype)) throw new ValueError(`openNpy ${path}: mode 'w+' needs options.dtype (a dtype name), found ${JSON.stringify(dtype)}`);
  if (!shape) throw new ValueError(`openNpy ${path}: mode 'w+' needs options.shape, found none`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ValueError(`openNpy ${path}: options.shape must hold non-negative integers, found [${shape.join(', ')}]`);
  }
  const order = options.order ?? 'C';
  const header = encodeNpyHeader({ descr: descrOf(dtype), order, shape });
  createZeroFilled(path, header.length + shapeSize(shape) * itemSize(dtype), header);
  const byteOrder = itemSize(dtype) === 1 ? '|' : '<';
  return mapFile(path, { dtype, byteOrder, shape, order, mode: 'w+', offset: header.length, ...windowOption(options) });
}

function checkExpected(path: string, h: NpyHeader, o: OpenNpyOptions): void {
  if (o.dtype !== undefined && o.dtype !== h.dtype) throw new NpyFormatError(path, `dtype: expected ${o.dtype}, found ${h.dtype} (${h.descr})`);
  if (o.shape !== undefined && o.shape.join(',') !== h.shape.join(',')) {
    throw new NpyFormatError(path, `shape: expected [${o.shape.join(', ')}], found [${h.shape.join(', ')}]`);
  }
  if (o.order !== undefined && o.order !== h.order && h.shape.filter((s) => s > 1).length > 1) {
    throw new NpyFormatError(path, `order: expected ${o.order}, found ${h.order}`);
  }
}

function checkArray(a: NdArray, path: string): void {
  if (!isDType(a.dtype)) throw new ValueError(`saveNpy ${path}: array.dtype must be a dtype name, found ${JSON.stringify(a.dtype)}`);
  const n = shapeSize(a.shape);
  const found = rowWindows(a).reduce((sum, w) => sum + w.data.length, 0);
  if (found !== n) throw new ValueError(`saveNpy ${path}: array.data has ${found} elements, shape [${a.shape.join(', ')}] needs ${n}`);
}

/** Whether `a` is a MappedArray (it carries its file's path and mode). */
export function isMapped(a: NdArray): a is MappedArray {
  return typeof (a as Partial<MappedArray>).path === 'string' && typeof (a as Partial<MappedArray>).mode === 'string';
}

function samePath(a: string, b: string): boolean {
  return realOrResolved(a) === realOrResolved(b);
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return nodePath.resolve(p);
  }
}

/** True when `a` maps exactly the data of the `.npy` at `path` (same dtype, shape, order, offset). */
function mapsWholeNpy(a: MappedArray, path: string): boolean {
  try {
    const h = readNpyHeader(path);
    return h.dtype === a.dtype && h.dataOffset === a.offset && h.order === a.order && h.shape.join(',') === a.shape.join(',');
  } catch {
    return false;
  }
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, Math.min(IO_CHUNK_BYTES, into.length - done), position + done);
    if (n === 0) break;
    done += n;
  }
}
