/**
 * Memory-mapped arrays on raw binary files, like `numpy.memmap`.
 *
 * Mapping happens through `@riaskov/mmap-io`. Its buffers are unmapped by the garbage
 * collector once nothing references them, so `close()` only drops this handle's
 * references: a typed array taken from `data` earlier keeps the mapping alive.
 * mmap-io passes size and offset as C ints, so one mapping covers at most 2 GiB - 1 bytes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type mmapTypes from '@riaskov/mmap-io';
import { AccessError, NpyFormatError, ValueError } from '../errors.js';
import { allocate, isDType, itemSize, NATIVE_LITTLE_ENDIAN, viewOf, type ByteOrder, type DType, type TypedArrayFor } from './dtypes.js';
import { shapeSize, type MapMode, type MappedArray, type Order } from './ndarray.js';
import { swapBytes } from './byteswap.js';
import { replaceFile, writeAllTo } from './atomic.js';

type MmapIo = (typeof mmapTypes)['default'];

/**
 * Loads the addon. The package's own entry locates it through node-pre-gyp, which costs
 * ~50 ms in every worker thread and parses `process.argv` as its own options (a host
 * program's `--dir X` made it look for the addon under X and fail). So load the built
 * binary directly where npm's install put it, and fall back to the package entry, with
 * the host's arguments hidden, only if it is elsewhere.
 */
function loadMmapIo(): MmapIo {
  const require = createRequire(import.meta.url);
  const base = path.dirname(require.resolve('@riaskov/mmap-io/package.json'));
  const built = [
    `build/binding/Release/node-v${process.versions.modules}-${process.platform}-${process.arch}/mmap_io.node`,
    'build/Release/mmap_io.node',
  ].map((rel) => path.join(base, rel)).find((file) => fs.existsSync(file));
  if (built) {
    const raw = require(built) as MmapIo & { sync_lib_private__: (...args: unknown[]) => void };
    // The package's wrapper only renames the native sync; memgrid always passes all five arguments.
    return Object.assign(Object.create(raw) as MmapIo, { sync: raw.sync_lib_private__ });
  }
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  try {
    return require('@riaskov/mmap-io') as MmapIo;
  } finally {
    process.argv = argv;
  }
}

const mmap = loadMmapIo();

/** mmap-io's `map(size, ..., offset)` takes C ints. */
const MAX_MAP_BYTES = 2 ** 31 - 1;
/** PROT_READ | PROT_WRITE, as the literal the typings accept. */
const READ_WRITE = 3;
const MODES: readonly MapMode[] = ['r', 'r+', 'w+', 'c'];

/** Options of {@link memmap}, numpy.memmap's arguments. */
export interface MemmapOptions<D extends DType = DType> {
  readonly dtype: D;
  /** Required for `w+`; otherwise defaults to 1-d over the rest of the file. */
  readonly shape?: number | readonly number[];
  readonly mode: MapMode;
  /** Byte offset of the first element; a multiple of the item size. Default 0. */
  readonly offset?: number;
  readonly order?: Order;
}

/**
 * Map a raw binary file as an array, like `np.memmap(path, dtype, mode, offset, shape, order)`.
 *
 * Modes:
 * - `w+` creates or overwrites the file, zero-filled (sparse, so it costs nothing until touched); `shape` is required.
 *   An existing file is replaced by a new one (write-then-rename), never truncated under another mapping.
 * - `r+` maps the file shared read/write: other handles and other processes see writes.
 * - `r` maps it **private** and read/write (`MAP_PRIVATE`, `PROT_READ|PROT_WRITE`): a stray write
 *   through `data` lands in a private copy-on-write page, so it never reaches the file or another
 *   handle and never crashes Node (a write into a `PROT_READ` page would segfault the process).
 *   Pages never written stay shared with the page cache, so N readers still cost one copy.
 *   The array says `writable: false` and memgrid's own writers (saveNpy, dump, flush) refuse it.
 * - `c` is copy-on-write too, with `writable: true`: changes stay private, the file never changes.
 *
 * Data in the non-native byte order is swapped into an in-memory copy (`r`) or into the
 * private mapping (`c`, touching every page); `r+` and `w+` refuse it, since typed arrays
 * cannot view it and swapping would rewrite the file.
 *
 * @throws ValueError for bad options, NpyFormatError when the file does not fit the shape.
 * @example
 * ```ts
 * const mmW = memmap('small.mmap', { dtype: 'float32', shape: 10, mode: 'w+' });
 * const mmR = memmap('small.mmap', { dtype: 'float32', mode: 'r+' });
 * mmW.data[0] = 42; // mmR.data[0] === 42
 * ```
 */
export function memmap<D extends DType>(path: string, options: MemmapOptions<D>): MappedArray<D> {
  const { dtype, mode } = options;
  if (!isDType(dtype)) throw new ValueError(`memmap ${path}: options.dtype must be a dtype name, found ${JSON.stringify(dtype)}`);
  if (!MODES.includes(mode)) throw new ValueError(`memmap ${path}: options.mode must be one of ${MODES.join(', ')}, found ${JSON.stringify(mode)}`);
  const offset = options.offset ?? 0;
  const order = options.order ?? 'C';
  if (order !== 'C' && order !== 'F') throw new ValueError(`memmap ${path}: options.order must be 'C' or 'F', found ${JSON.stringify(order)}`);
  let shape = options.shape === undefined ? undefined : normalizeShape(options.shape, path);
  if (mode === 'w+') {
    if (!shape) throw new ValueError(`memmap ${path}: mode 'w+' needs options.shape (the file is created), found none`);
    createZeroFilled(path, offset + shapeSize(shape) * itemSize(dtype));
  } else if (!shape) {
    shape = [inferLength(path, dtype, offset)];
  }
  const nativeOrder: ByteOrder = NATIVE_LITTLE_ENDIAN ? '<' : '>';
  return mapFile(path, { dtype, byteOrder: nativeOrder, shape, order, mode, offset });
}

/** Everything needed to map an existing file region as an array (shared by memmap and openNpy). */
export interface MapSpec<D extends DType> {
  readonly dtype: D;
  /** Byte order of the elements in the file; '|' for 1-byte types. */
  readonly byteOrder: ByteOrder;
  readonly shape: readonly number[];
  readonly order: Order;
  readonly mode: MapMode;
  readonly offset: number;
}

/**
 * Map `spec.shape` elements of `path` starting at `spec.offset`; the file must already exist
 * and be large enough (internal: {@link memmap} and `openNpy` validate their inputs first).
 */
export function mapFile<D extends DType>(path: string, spec: MapSpec<D>): MappedArray<D> {
  const { dtype, mode, offset, byteOrder } = spec;
  const size = itemSize(dtype);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ValueError(`memmap ${path}: offset must be a non-negative integer, found ${offset}`);
  if (offset % size !== 0) {
    throw new ValueError(`memmap ${path}: offset ${offset} is not a multiple of the ${size}-byte item size of ${dtype} (typed arrays need aligned elements)`);
  }
  const swapped = byteOrder !== '|' && byteOrder !== (NATIVE_LITTLE_ENDIAN ? '<' : '>');
  if (swapped && (mode === 'r+' || mode === 'w+')) {
    throw new ValueError(`memmap ${path}: data is in the non-native byte order ${byteOrder}${dtype}; mode '${mode}' cannot map it (use 'r' or 'c' to get a swapped copy)`);
  }
  const length = shapeSize(spec.shape);
  const nbytes = length * size;
  const fd = openFile(path, mode === 'r' || mode === 'c' ? 'r' : 'r+');
  try {
    checkFileSize(path, fs.fstatSync(fd).size, offset, nbytes, spec.shape, dtype);
    if (nbytes === 0) return new MappedFile(path, spec, allocate(dtype, 0), undefined);
    if (swapped && mode === 'r') return new MappedFile(path, spec, readSwapped(fd, dtype, offset, length), undefined);
    const pageStart = offset - (offset % mmap.PAGESIZE);
    const delta = offset - pageStart;
    if (delta + nbytes > MAX_MAP_BYTES) {
      throw new ValueError(`memmap ${path}: ${nbytes} bytes is more than one mapping can hold (${MAX_MAP_BYTES}, a limit of @riaskov/mmap-io)`);
    }
    const shared = mode === 'r+' || mode === 'w+';
    const buffer = mmap.map(delta + nbytes, READ_WRITE, shared ? mmap.MAP_SHARED : mmap.MAP_PRIVATE, fd, pageStart);
    if (swapped) swapBytes(new Uint8Array(buffer.buffer, buffer.byteOffset + delta, nbytes), size);
    return new MappedFile(path, spec, viewOf(dtype, buffer.buffer, buffer.byteOffset + delta, length), buffer);
  } finally {
    // The mapping outlives the descriptor.
    fs.closeSync(fd);
  }
}

/**
 * A mapped array: `data` views the mapping, `#buffer` keeps it alive until close().
 * `data` is an own enumerable property so spreading or inspecting the array keeps it.
 */
class MappedFile<D extends DType> implements MappedArray<D> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly order: Order;
  readonly mode: MapMode;
  readonly offset: number;
  readonly writable: boolean;
  readonly data: TypedArrayFor<D>;
  #buffer: Buffer | undefined;

  constructor(readonly path: string, spec: MapSpec<D>, data: TypedArrayFor<D>, buffer: Buffer | undefined) {
    this.dtype = spec.dtype;
    this.shape = [...spec.shape];
    this.order = spec.order;
    this.mode = spec.mode;
    this.offset = spec.offset;
    this.writable = spec.mode !== 'r';
    this.data = data;
    this.#buffer = buffer;
  }

  flush(): void {
    if (this.mode === 'r') throw new AccessError(`${this.path}: cannot flush a read-only ('r') mapping`);
    if (this.#buffer && (this.mode === 'r+' || this.mode === 'w+')) mmap.sync(this.#buffer, 0, this.#buffer.length, true, false);
  }

  close(): void {
    this.#buffer = undefined;
    const path = this.path;
    // Replace the view by a getter that says what happened, so the mapping can be collected.
    Object.defineProperty(this, 'data', {
      enumerable: true,
      configurable: true,
      get(): never {
        throw new AccessError(`${path}: this mapped array was closed`);
      },
    });
  }
}

function normalizeShape(shape: number | readonly number[], path: string): number[] {
  const dims = typeof shape === 'number' ? [shape] : [...shape];
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ValueError(`memmap ${path}: options.shape must hold non-negative integers, found [${dims.join(', ')}]`);
  }
  return dims;
}

/**
 * Create `path` as `bytes` zero bytes, after an optional `head`. The file is built under a
 * temporary name and renamed into place, so a mapping of the old file (maybe in another
 * process) keeps its own inode instead of being truncated under it, which would crash
 * its readers with SIGBUS.
 */
export function createZeroFilled(path: string, bytes: number, head?: Uint8Array): void {
  replaceFile(path, (fd) => {
    if (head) writeAllTo(fd, head);
    // ftruncate makes a sparse file: zeros that take no disk or memory until written.
    fs.ftruncateSync(fd, bytes);
  });
}

function inferLength(path: string, dtype: DType, offset: number): number {
  const fileSize = statSize(path);
  const size = itemSize(dtype);
  const rest = fileSize - offset;
  if (rest < 0) throw new NpyFormatError(path, `offset ${offset} is past the end of the file (${fileSize} bytes)`);
  if (rest % size !== 0) {
    throw new NpyFormatError(path, `${rest} bytes after offset ${offset} is not a multiple of the ${size}-byte item size of ${dtype}; give options.shape to map part of it`);
  }
  return rest / size;
}

function statSize(path: string): number {
  const fd = openFile(path, 'r');
  try {
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

/** `fs.openSync`, with the failure reported as a memgrid error naming the file. */
export function openFile(path: string, flags: string): number {
  try {
    return fs.openSync(path, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ValueError(`${path}: cannot open the file for ${flags === 'r' ? 'reading' : 'writing'} (${code})`, { cause: e });
  }
}

function checkFileSize(path: string, fileSize: number, offset: number, nbytes: number, shape: readonly number[], dtype: DType): void {
  if (offset + nbytes > fileSize) {
    throw new NpyFormatError(
      path,
      `file too small for shape [${shape.join(', ')}] of ${dtype}: expected ${offset + nbytes} bytes (${nbytes} from offset ${offset}), found ${fileSize}`,
    );
  }
}

function readSwapped<D extends DType>(fd: number, dtype: D, offset: number, length: number): TypedArrayFor<D> {
  const out = allocate(dtype, length);
  const bytes = new Uint8Array(out.buffer, 0, out.byteLength);
  let done = 0;
  while (done < bytes.length) {
    const n = fs.readSync(fd, bytes, done, bytes.length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  swapBytes(bytes, itemSize(dtype));
  return out;
}
