/**
 * Memory-mapped arrays on raw binary files, like `numpy.memmap`, of any size.
 *
 * Mapping goes through memgrid's own addon (native-mmap.ts), with 64-bit sizes and offsets.
 * An array bigger than the window size (1 GiB by default; `options.windowBytes` or the
 * `MEMGRID_MAP_WINDOW_BYTES` environment variable) is mapped as a sequence of row windows,
 * each one mapping that starts on a page boundary and holds whole rows, so no window comes
 * near Node's typed-array cap and no row is ever split. Mappings are unmapped by the garbage
 * collector once nothing views them, so `close()` only drops this handle's references: a
 * typed array taken from `data` earlier keeps its window alive.
 */
import fs from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { AccessError, NpyFormatError, ValueError } from '../errors.js';
import { allocate, isDType, itemSize, NATIVE_LITTLE_ENDIAN, viewOf, type ByteOrder, type DType, type TypedArrayFor } from './dtypes.js';
import { rowCount, shapeSize, type MapAdvice, type MapMode, type MappedArray, type Order, type RowWindow } from './ndarray.js';
import { swapBytes } from './byteswap.js';
import { replaceFile, writeAllTo } from './atomic.js';
import { nativeMmap } from './native-mmap.js';

const MODES: readonly MapMode[] = ['r', 'r+', 'w+', 'c'];
/** Bytes per window unless told otherwise: far below Node's typed-array cap, few enough windows to be cheap. */
export const DEFAULT_WINDOW_BYTES = 2 ** 30;
/** The environment variable that sets the window size for a process and its worker threads (tests use tiny ones). */
export const WINDOW_BYTES_ENV = 'MEMGRID_MAP_WINDOW_BYTES';
/**
 * The most bytes one window (one typed array) may hold: Node's Buffer limit (4 GiB on
 * Node 20), less a page for the offset of the first element within its page.
 */
export const MAX_WINDOW_BYTES = Math.min(bufferConstants.MAX_LENGTH, 2 ** 32) - 2 ** 16;
/** Bytes per read or write call when a file is copied in or out (fs calls take at most 2 GiB). */
export const IO_CHUNK_BYTES = 2 ** 26;

/** Options of {@link memmap}, numpy.memmap's arguments. */
export interface MemmapOptions<D extends DType = DType> {
  readonly dtype: D;
  /** Required for `w+`; otherwise defaults to 1-d over the rest of the file. */
  readonly shape?: number | readonly number[];
  readonly mode: MapMode;
  /** Byte offset of the first element; a multiple of the item size. Default 0. */
  readonly offset?: number;
  readonly order?: Order;
  /** Most bytes per row window (see the module comment); default `MEMGRID_MAP_WINDOW_BYTES` or 1 GiB. */
  readonly windowBytes?: number;
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
 * private mapping (`c`, touching every page), window by window: either way it costs private
 * memory the size of the data. `r+` and `w+` refuse it, since typed arrays cannot view it and
 * swapping would rewrite the file.
 *
 * Size: any. C-order arrays past the window size are mapped as row windows (`windows`; then
 * `data` throws, see {@link NdArray}); F-order arrays with more than one dimension are one
 * window, at most {@link MAX_WINDOW_BYTES}, since their rows are not contiguous.
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
  const windowBytes = options.windowBytes;
  return mapFile(path, { dtype, byteOrder: nativeOrder, shape, order, mode, offset, ...(windowBytes === undefined ? {} : { windowBytes }) });
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
  readonly windowBytes?: number;
  /**
   * Mode 'r' only: view the one mapping this process keeps for the same file, offset and
   * length (any thread), made by the first such open (see native/mmap.c, shared_map). For
   * arrays nothing writes (a dataset store's), whose page-table faults are then paid once.
   */
  readonly share?: boolean;
}

/**
 * Map `spec.shape` elements of `path` starting at `spec.offset`, window by window; the file
 * must already exist and be large enough (internal: {@link memmap} and `openNpy` validate
 * their inputs first).
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
  const nbytes = shapeSize(spec.shape) * size;
  const plan = planWindows(path, spec, resolveWindowBytes(path, spec.windowBytes));
  const fd = openFile(path, mode === 'r' || mode === 'c' ? 'r' : 'r+');
  try {
    checkFileSize(path, fs.fstatSync(fd).size, offset, nbytes, spec.shape, dtype);
    const windows = plan.map((w) => mapWindow(fd, spec, w, swapped));
    return new MappedFile(path, spec, windows);
  } finally {
    // The mappings outlive the descriptor.
    fs.closeSync(fd);
  }
}

/** A window to map: rows `[rowStart, rowEnd)`, `bytes` of data at file offset `start`. */
interface WindowPlan {
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly start: number;
  readonly bytes: number;
}

/** One window, and what flush/advise/residentBytes need of its mapping. */
interface MappedWindow<D extends DType> extends RowWindow<D> {
  /** The mapping (undefined for an in-memory swapped copy or an empty window). */
  readonly buffer: ArrayBuffer | undefined;
  /** Offset of the window's first data byte within `buffer`. */
  readonly delta: number;
  readonly bytes: number;
}

function resolveWindowBytes(path: string, given: number | undefined): number {
  if (given !== undefined) {
    if (!Number.isSafeInteger(given) || given < 1 || given > MAX_WINDOW_BYTES) {
      throw new ValueError(`memmap ${path}: options.windowBytes must be an integer from 1 to ${MAX_WINDOW_BYTES}, found ${given}`);
    }
    return given;
  }
  const text = process.env[WINDOW_BYTES_ENV];
  if (text === undefined || text === '') return DEFAULT_WINDOW_BYTES;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_WINDOW_BYTES) {
    throw new ValueError(`${WINDOW_BYTES_ENV} must be an integer from 1 to ${MAX_WINDOW_BYTES}, found ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Splits the rows into windows of at most `windowBytes` (at least one row each). An F-order
 * array of more than one dimension, whose rows are strided, is one window however large.
 */
function planWindows(path: string, spec: MapSpec<DType>, windowBytes: number): WindowPlan[] {
  const size = itemSize(spec.dtype);
  const rows = rowCount(spec);
  const total = shapeSize(spec.shape) * size;
  if (total === 0) return [{ rowStart: 0, rowEnd: rows, start: spec.offset, bytes: 0 }];
  const strided = spec.order === 'F' && spec.shape.filter((s) => s > 1).length > 1;
  if (strided || total <= windowBytes) {
    if (total > MAX_WINDOW_BYTES) {
      throw new ValueError(
        `memmap ${path}: an F-order array is mapped as one window, at most ${MAX_WINDOW_BYTES} bytes (Node's typed-array limit), and this one has ${total}; `
        + 'save it in C order (numpy: np.save(path, np.ascontiguousarray(a))) to map it in row windows',
      );
    }
    return [{ rowStart: 0, rowEnd: rows, start: spec.offset, bytes: total }];
  }
  const rowBytes = total / rows;
  if (rowBytes > MAX_WINDOW_BYTES) {
    throw new ValueError(`memmap ${path}: one row is ${rowBytes} bytes, more than one window can hold (${MAX_WINDOW_BYTES} bytes, Node's typed-array limit)`);
  }
  const perWindow = Math.max(1, Math.floor(windowBytes / rowBytes));
  const out: WindowPlan[] = [];
  for (let r = 0; r < rows; r += perWindow) {
    const end = Math.min(rows, r + perWindow);
    out.push({ rowStart: r, rowEnd: end, start: spec.offset + r * rowBytes, bytes: (end - r) * rowBytes });
  }
  return out;
}

function mapWindow<D extends DType>(fd: number, spec: MapSpec<D>, w: WindowPlan, swapped: boolean): MappedWindow<D> {
  const { dtype, mode } = spec;
  const length = w.bytes / itemSize(dtype);
  const base = { rowStart: w.rowStart, rowEnd: w.rowEnd, bytes: w.bytes };
  if (w.bytes === 0) return { ...base, data: allocate(dtype, 0), buffer: undefined, delta: 0 };
  if (swapped && mode === 'r') return { ...base, data: readSwapped(fd, dtype, w.start, length), buffer: undefined, delta: 0 };
  const page = nativeMmap().pageSize;
  const pageStart = w.start - (w.start % page);
  const delta = w.start - pageStart;
  const reuse = spec.share === true && mode === 'r' && !swapped;
  const buffer = nativeMmap().map(fd, pageStart, delta + w.bytes, mode === 'r+' || mode === 'w+', reuse);
  if (swapped) swapBytes(new Uint8Array(buffer, delta, w.bytes), itemSize(dtype));
  return { ...base, data: viewOf(dtype, buffer, delta, length), buffer, delta };
}

const ADVICE: Readonly<Record<MapAdvice, 'MADV_NORMAL' | 'MADV_SEQUENTIAL' | 'MADV_WILLNEED' | 'MADV_RANDOM'>> = {
  normal: 'MADV_NORMAL', sequential: 'MADV_SEQUENTIAL', willneed: 'MADV_WILLNEED', random: 'MADV_RANDOM',
};

/**
 * A mapped array: its windows, each keeping its mapping alive until close(). With one window,
 * `data` is an own enumerable property (spreading or inspecting the array keeps it); with more,
 * `data` is a getter that throws, and `windows` holds the rows.
 */
class MappedFile<D extends DType> implements MappedArray<D> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly order: Order;
  readonly mode: MapMode;
  readonly offset: number;
  readonly writable: boolean;
  declare readonly data: TypedArrayFor<D>;
  declare readonly windows: readonly RowWindow<D>[];
  #windows: readonly MappedWindow<D>[];

  constructor(readonly path: string, spec: MapSpec<D>, windows: readonly MappedWindow<D>[]) {
    this.dtype = spec.dtype;
    this.shape = [...spec.shape];
    this.order = spec.order;
    this.mode = spec.mode;
    this.offset = spec.offset;
    this.writable = spec.mode !== 'r';
    this.#windows = windows;
    if (windows.length === 1) {
      Object.defineProperty(this, 'data', { value: windows[0]!.data, enumerable: true, configurable: true });
    } else {
      const message = `${path}: shape [${this.shape.join(', ')}] of ${this.dtype} is mapped as ${windows.length} row windows `
        + '(more than one typed array can hold): read it through `windows` (rowWindows()), not `data`';
      Object.defineProperty(this, 'data', { enumerable: false, configurable: true, get(): never { throw new AccessError(message); } });
    }
    Object.defineProperty(this, 'windows', {
      value: Object.freeze(windows.map(({ rowStart, rowEnd, data }) => ({ rowStart, rowEnd, data }))),
      enumerable: windows.length > 1, configurable: true,
    });
  }

  flush(): void {
    if (this.mode === 'r') throw new AccessError(`${this.path}: cannot flush a read-only ('r') mapping`);
    if (this.mode !== 'r+' && this.mode !== 'w+') return;
    for (const w of this.#windows) if (w.buffer) nativeMmap().sync(w.buffer, w.delta, w.bytes);
  }

  advise(advice: MapAdvice, rowStart = 0, rowEnd = rowCount(this)): void {
    const name = ADVICE[advice];
    if (name === undefined) throw new ValueError(`${this.path}: advice must be one of ${Object.keys(ADVICE).join(', ')}, found ${JSON.stringify(advice)}`);
    const mm = nativeMmap();
    for (const w of this.#windows) {
      const from = Math.max(rowStart, w.rowStart);
      const to = Math.min(rowEnd, w.rowEnd);
      if (!w.buffer || from >= to) continue;
      const rowBytes = w.bytes / (w.rowEnd - w.rowStart);
      mm.advise(w.buffer, w.delta + (from - w.rowStart) * rowBytes, (to - from) * rowBytes, mm[name]);
    }
  }

  residentBytes(): number {
    let total = 0;
    for (const w of this.#windows) {
      // Windows hold disjoint rows, so their data ranges never share a byte, even on a shared page.
      total += w.buffer ? nativeMmap().residentBytes(w.buffer, w.delta, w.delta + w.bytes) : w.bytes;
    }
    return total;
  }

  close(): void {
    this.#windows = [];
    const path = this.path;
    // Replace the views by getters that say what happened, so the mappings can be collected.
    for (const key of ['data', 'windows']) {
      Object.defineProperty(this, key, {
        enumerable: key === 'data',
        configurable: true,
        get(): never {
          throw new AccessError(`${path}: this mapped array was closed`);
        },
      });
    }
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
    const n = fs.readSync(fd, bytes, done, Math.min(IO_CHUNK_BYTES, bytes.length - done), offset + done);
    if (n === 0) break;
    done += n;
  }
  swapBytes(bytes, itemSize(dtype));
  return out;
}
