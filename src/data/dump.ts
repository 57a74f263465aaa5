/**
 * joblib-style persistence of nested data: `dump(value, path)` writes a JSON manifest at
 * `path` and each array beside it as `<basename>_01.npy`, `_02.npy`, ...; `load(path, {mmapMode})`
 * reads it back, with the arrays memory-mapped when a mode is given.
 *
 * Manifest format (version 2): `{"format": "memgrid-dump", "version": 2, "value": V}` where V is
 * JSON, except objects with a `"__memgrid__"` key, which encode what JSON cannot hold:
 * `{"__memgrid__": "ndarray", "file": "x.dump_01.npy", "dtype": "float64", "shape": [3, 4]}`,
 * `{"__memgrid__": "typedarray", "file": ..., "dtype": ..., "shape": [n]}`,
 * `{"__memgrid__": "number", "value": "NaN" | "Infinity" | "-Infinity" | "-0"}`,
 * `{"__memgrid__": "bigint", "value": "123"}`, `{"__memgrid__": "custom", "tag": T, "data": V}` and
 * `{"__memgrid__": "object", "entries": {...}}` (a plain object that itself has a `__memgrid__` key).
 *
 * A dump folder may come from anyone: `load` reads only files whose real path (links resolved)
 * lies inside the manifest's folder, and only arrays of the dtype and shape the manifest records
 * (as joblib's pickle records them); anything else is refused naming the file.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { AccessError, NpyFormatError, ValueError } from '../errors.js';
import { dtypeOfTypedArray, type AnyTypedArray } from './dtypes.js';
import type { MapMode, NdArray } from './ndarray.js';
import { isMapped, openNpy, readNpy, readNpyHeader, saveNpy } from './npy.js';
import { writeFileAtomic } from './atomic.js';
import { MAX_WINDOW_BYTES } from './memmap.js';

const FORMAT = 'memgrid-dump';
const VERSION = 2;
const TAG = '__memgrid__';

/** How a custom type (a fitted estimator, say) is turned into nested plain data and back. */
export interface DumpType {
  /** Whether `value` is of this type. */
  test(value: unknown): boolean;
  /** Nested plain data (may hold NdArrays) that `decode` turns back into the value. */
  encode(value: unknown): unknown;
  decode(data: unknown): unknown;
}

const registry = new Map<string, DumpType>();

/**
 * Register a custom type with `dump`/`load`. The data layer knows nothing about models, so
 * models register their fitted estimators here. Registering a tag again replaces its handler.
 * @example
 * ```ts
 * registerDumpType('point', {
 *   test: (v) => v instanceof Point,
 *   encode: (p) => ({ x: (p as Point).x }),
 *   decode: (d) => new Point((d as { x: number }).x),
 * });
 * ```
 */
export function registerDumpType(tag: string, type: DumpType): void {
  if (typeof tag !== 'string' || tag.length === 0) throw new ValueError(`registerDumpType: tag must be a non-empty string, found ${JSON.stringify(tag)}`);
  registry.set(tag, type);
}

/** Options of {@link load}. */
export interface LoadOptions {
  /** Map the arrays instead of reading them: `r` (read-only), `r+` (shared read/write) or `c` (copy-on-write). */
  readonly mmapMode?: Exclude<MapMode, 'w+'>;
}

/**
 * Persist `value` at `path` (like `joblib.dump`); returns the files written, manifest first.
 * @throws ValueError naming the key path of a value that cannot be dumped (a function, a
 *   class instance no registered type accepts, a cycle); AccessError for a read-only mapped
 *   array that would be written into its own file.
 * @example
 * ```ts
 * dump({ floatZeros: ndarray('float32', [3, 4]), note: 'hi' }, 'files/data.json');
 * // ['files/data.json', 'files/data.json_01.npy']
 * ```
 */
export function dump(value: unknown, path: string): string[] {
  const dir = nodePath.dirname(path);
  const base = nodePath.basename(path);
  const arrays: NdArray[] = [];
  const encoded = encode(value, '$', { base, arrays, seen: new Set() });
  const names = arrays.map((_, i) => arrayFileName(base, i));
  const manifest = JSON.stringify({ format: FORMAT, version: VERSION, value: encoded });
  arrays.forEach((a, i) => {
    const file = nodePath.join(dir, names[i]!);
    if (isMapped(a) && !a.writable && sameFile(a.path, file)) {
      throw new AccessError(`dump ${path}: refusing to write ${file}, the file that a read-only ('r') array in the value maps`);
    }
    saveNpy(file, a);
  });
  writeFileAtomic(path, manifest);
  return [path, ...names.map((n) => nodePath.join(dir, n))];
}

/**
 * Read back what {@link dump} wrote (like `joblib.load(path, mmap_mode=...)`).
 * Array references must stay inside the manifest's folder.
 * @throws NpyFormatError for a malformed manifest or a reference outside its folder.
 * @example
 * ```ts
 * const data = load('files/data.json', { mmapMode: 'r+' }) as { floatZeros: MappedArray };
 * ```
 */
export function load(path: string, options: LoadOptions = {}): unknown {
  const mode = options.mmapMode;
  if (mode !== undefined && mode !== 'r' && mode !== 'r+' && mode !== 'c') {
    throw new ValueError(`load ${path}: options.mmapMode must be 'r', 'r+' or 'c', found ${JSON.stringify(mode)}`);
  }
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValueError(`load ${path}: cannot read the manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NpyFormatError(path, `manifest is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const d = doc as { format?: unknown; version?: unknown; value?: unknown };
  if (d === null || typeof d !== 'object' || d.format !== FORMAT || !('value' in d)) {
    throw new NpyFormatError(path, `not a memgrid dump manifest: expected {"format": "${FORMAT}", "version": ${VERSION}, "value": ...}`);
  }
  if (d.version !== VERSION) {
    throw new NpyFormatError(path, `dump format version ${JSON.stringify(d.version)} is not ${VERSION} (version 1 did not record array dtypes and shapes): dump the value again`);
  }
  const folder = realFolder(path);
  // A bare typed array was one typed array when dumped: map it as one window, whatever its size.
  const readArray = (ref: Record<string, unknown>, oneWindow = false): NdArray => {
    const file = resolveRef(path, folder, ref.file);
    checkRecorded(path, file, ref, readNpyHeader(file)); // before reading any data
    const array = mode === undefined ? readNpy(file) : openNpy(file, { mode, ...(oneWindow ? { windowBytes: MAX_WINDOW_BYTES } : {}) });
    checkRecorded(path, file, ref, array); // the file may have been swapped meanwhile
    return array;
  };
  return decode(d.value, path, readArray);
}

/** joblib's naming: the manifest's file name, `_01`, `_02`, ... (`_100` after `_99`), `.npy`. */
function arrayFileName(base: string, index: number): string {
  return `${base}_${String(index + 1).padStart(2, '0')}.npy`;
}

interface EncodeState {
  readonly base: string;
  readonly arrays: NdArray[];
  readonly seen: Set<object>;
}

function encode(value: unknown, at: string, state: EncodeState): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { [TAG]: 'number', value: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (typeof value === 'bigint') return { [TAG]: 'bigint', value: value.toString() };
  if (typeof value !== 'object') throw new ValueError(`dump: cannot persist ${at}, a ${typeof value}`);
  const { seen } = state;
  if (seen.has(value)) throw new ValueError(`dump: ${at} refers back to one of its containers (cycles cannot be dumped)`);
  seen.add(value);
  try {
    return encodeObject(value, at, state);
  } finally {
    seen.delete(value);
  }
}

function encodeObject(value: object, at: string, state: EncodeState): unknown {
  const { arrays } = state;
  for (const [tag, type] of registry) {
    if (type.test(value)) return { [TAG]: 'custom', tag, data: encode(type.encode(value), `${at}<${tag}>`, state) };
  }
  if (isNdArray(value)) {
    arrays.push(value);
    return { [TAG]: 'ndarray', file: arrayFileName(state.base, arrays.length - 1), dtype: value.dtype, shape: [...value.shape] };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const data = value as AnyTypedArray;
    const dtype = dtypeOfTypedArray(data);
    arrays.push({ dtype, shape: [data.length], order: 'C', data });
    return { [TAG]: 'typedarray', file: arrayFileName(state.base, arrays.length - 1), dtype, shape: [data.length] };
  }
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${at}[${i}]`, state));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new ValueError(`dump: cannot persist ${at}, a ${name} instance (register it with registerDumpType)`);
  }
  const entries: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) setOwn(entries, k, encode(v, `${at}.${k}`, state));
  }
  return Object.hasOwn(entries, TAG) ? { [TAG]: 'object', entries } : entries;
}

type ArrayReader = (ref: Record<string, unknown>, oneWindow?: boolean) => NdArray;

function decode(v: unknown, path: string, readArray: ArrayReader): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decode(x, path, readArray));
  if (!isTagged(v)) return decodeEntries(v, path, readArray);
  switch (v[TAG]) {
    case 'ndarray': return readArray(v);
    case 'typedarray': return readArray(v, true).data;
    case 'number': return v.value === '-0' ? -0 : Number(v.value);
    case 'bigint': return BigInt(String(v.value));
    case 'object': return decodeEntries(v.entries, path, readArray);
    case 'custom': {
      const type = typeof v.tag === 'string' ? registry.get(v.tag) : undefined;
      if (!type) throw new ValueError(`load ${path}: no dump type is registered for tag ${JSON.stringify(v.tag)} (call registerDumpType first)`);
      return type.decode(decode(v.data, path, readArray));
    }
    default:
      throw new NpyFormatError(path, `unknown ${TAG} entry ${JSON.stringify(v[TAG])}`);
  }
}

function decodeEntries(entries: unknown, path: string, readArray: ArrayReader): Record<string, unknown> {
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) throw new NpyFormatError(path, `expected an object of entries, found ${JSON.stringify(entries)}`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(entries)) setOwn(out, k, decode(x, path, readArray));
  return out;
}

/** `obj[key] = value`, safe for a key named `__proto__` (JSON may carry one as an own key). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The real path (links resolved) of the folder holding the manifest at `manifest`. */
function realFolder(manifest: string): string {
  return fs.realpathSync(nodePath.dirname(nodePath.resolve(manifest)));
}

/**
 * The real path of an array reference, which must name a file inside the manifest's folder
 * both as written and once symbolic links are resolved (a link, or a file in a linked folder,
 * pointing outside is refused: with `mmapMode: 'r+'` a write would reach the outside file).
 */
function resolveRef(manifest: string, folder: string, ref: unknown): string {
  if (typeof ref !== 'string' || ref.length === 0) throw new NpyFormatError(manifest, `array reference must be a file name, found ${JSON.stringify(ref)}`);
  const dir = nodePath.resolve(nodePath.dirname(manifest));
  const outside = (base: string, file: string): boolean => {
    const rel = nodePath.relative(base, file);
    return rel === '' || rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel);
  };
  if (nodePath.isAbsolute(ref) || outside(dir, nodePath.resolve(dir, ref))) {
    throw new NpyFormatError(manifest, `array reference ${JSON.stringify(ref)} points outside the manifest's folder ${dir}`);
  }
  let real: string;
  try {
    real = fs.realpathSync(nodePath.resolve(dir, ref));
  } catch (e) {
    throw new NpyFormatError(manifest, `array file ${JSON.stringify(ref)} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  if (outside(folder, real)) {
    throw new NpyFormatError(manifest, `array reference ${JSON.stringify(ref)} is a link to ${real}, outside the manifest's folder ${folder}; refusing to read it`);
  }
  return real;
}

/** Refuse an array whose dtype or shape is not what the manifest recorded for it. */
function checkRecorded(manifest: string, file: string, ref: Record<string, unknown>, array: Pick<NdArray, 'dtype' | 'shape'>): void {
  const shape = ref.shape;
  if (typeof ref.dtype !== 'string' || !Array.isArray(shape)) {
    throw new NpyFormatError(manifest, `array reference ${JSON.stringify(ref.file)} records no dtype and shape`);
  }
  if (array.dtype !== ref.dtype || array.shape.join(',') !== shape.join(',')) {
    throw new NpyFormatError(file, `the dump manifest ${manifest} records ${String(ref.dtype)} of shape [${shape.join(', ')}], the file holds ${array.dtype} of shape [${array.shape.join(', ')}]; refusing it`);
  }
}

function isTagged(v: unknown): v is Record<string, unknown> & { [TAG]: unknown } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, TAG);
}

function isNdArray(v: object): v is NdArray {
  const a = v as Partial<NdArray>;
  return typeof a.dtype === 'string' && Array.isArray(a.shape) && (a.order === 'C' || a.order === 'F')
    && (Array.isArray(a.windows) || ArrayBuffer.isView(a.data));
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
