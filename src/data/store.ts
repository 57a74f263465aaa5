/**
 * The dataset store: X and y persisted once as `.npy` files in a folder named by their
 * content hash, plus the fold sets of the searches run on them. Workers map a store
 * read-only, so every thread shares one copy of the data (joblib's automatic memmapping,
 * made explicit).
 *
 * A store is verified before it is reused: the manifest records each file's size, mtime and
 * SHA-256; size and mtime are compared every time, the content hash whenever they differ or
 * the store was written by another process. A store that fails (a flipped bit, a file a temp
 * cleaner removed) is rebuilt from the data in hand.
 *
 * Layout: `<root>/<hash>/manifest.json`, `X.npy`, `y.npy`, `.last-used`,
 * `folds/<id>/{meta.json,train_<k>.npy,test_<k>.npy}`.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { DataError, NpyFormatError, ValueError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { descrOf, isDType } from './dtypes.js';
import type { DType } from './dtypes.js';
import { fileMismatch, isFileRecord, recordFile, type FileRecord } from './file-digest.js';
import { ndarray, rowWindows, type MappedArray, type NdArray, type Order } from './ndarray.js';
import { MAX_WINDOW_BYTES } from './memmap.js';
import { isMapped, openNpy, readNpyHeader, saveNpy } from './npy.js';
import { defaultStoreRoot, ensureStoreRoot } from './store-root.js';
import { placeFolder } from './store-place.js';

const FORMAT = 'memgrid-store';
const VERSION = 2;
/** Hex digits of the content hash used in folder names (the manifest keeps all 64). */
const DIR_HASH_LENGTH = 32;
const MANIFEST = 'manifest.json';
/** Touched each time a search reuses the store: `memgrid store prune` removes the least recently used first. */
export const LAST_USED_FILE = '.last-used';

/** Who wrote a store or fold set: a store another process wrote is checked by content before it is trusted. */
export interface StoreWriter {
  readonly host: string;
  readonly pid: number;
}

/** Where one array of a store lives: a file in the store, or an external `.npy` referenced in place. */
export interface StoreArrayEntry {
  /** `X.npy` inside the store, or the absolute path of an external `.npy`. */
  readonly file: string;
  readonly external: boolean;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly order: Order;
  /** Size and mtime (whole ms) when the store was made, to notice later changes. */
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of a file inside the store (an external file is the user's own, checked by size and mtime). */
  readonly sha256?: string;
}

/** `manifest.json` of a dataset store. */
export interface StoreManifest {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly hash: string;
  readonly nRows: number;
  readonly X: StoreArrayEntry;
  readonly y: StoreArrayEntry;
  /** When y holds class indices of text labels (a CSV import): the labels, class k is classes[k]. */
  readonly classes?: readonly string[];
  readonly createdAt: string;
  readonly writer: StoreWriter;
}

/** A dataset store on disk with X and y mapped read-only. */
export interface DatasetStore {
  readonly dir: string;
  /** sha256 of the store's contents (see {@link persistDataset}). */
  readonly hash: string;
  readonly manifest: StoreManifest;
  readonly X: MappedArray;
  readonly y: MappedArray;
  /** Why the store found under this hash was rebuilt (it failed verification), if it was. */
  readonly rebuilt?: string;
}

/** What {@link openStore} returns (the same as a {@link DatasetStore}). */
export type OpenedStore = DatasetStore;

/** Row indices of one train/test split, as stored in a fold set (structurally a search `Fold`). */
export interface FoldIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Stores and fold sets verified by content in this process, with the size/mtime signature they had then. */
const verifiedHere = new Map<string, string>();

/**
 * Persist X and y into `<root>/<contentHash>/` (X.npy, y.npy, manifest.json) and map them.
 * The hash is sha256 over dtype, shape, order and bytes of both arrays, so a re-run on the
 * same data reuses the folder and changed data gets a new one. An X or y that is already a
 * mapped `.npy` (`r`, `r+`, `w+`) is not copied: the manifest references the file in place
 * and the hash covers its real path, size, mtime and header, never its 100s of MB of data.
 * A folder found under the hash is verified first and rebuilt if it fails (see the module doc).
 * The folder is written under a temporary name and renamed, so a store is never half-written.
 * `classes` (text labels of a CSV target, y holding their indices) go into the manifest and the hash.
 * @throws DataError when X is not 2-d or X rows differ from y's length; ValueError for a store
 *   root that is not private (see ensureStoreRoot); WriteError when the disk is full.
 * @example
 * ```ts
 * const store = persistDataset(X, y); // store.dir = /tmp/memgrid-stores-1000/3fa9..., store.X is mapped
 * ```
 */
export function persistDataset(X: NdArray, y: NdArray, options: { root?: string; classes?: readonly string[] } = {}): DatasetStore {
  if (X.shape.length !== 2) throw new DataError(`persistDataset: X must be 2-d, found shape [${X.shape.join(', ')}]`);
  if (y.shape.length !== 1) throw new DataError(`persistDataset: y must be 1-d, found shape [${y.shape.join(', ')}]`);
  if (X.shape[0] !== y.shape[0]) throw new DataError(`persistDataset: X has ${X.shape[0]} rows, y has ${y.shape[0]} values`);
  const root = ensureStoreRoot(options.root ?? defaultStoreRoot());
  const own = storeOfArrays(X, y);
  if (own !== undefined) {
    touchLastUsed(own);
    return openStore(own);
  }
  const sources = { X: externalSource(X), y: externalSource(y) };
  const hash = createHash('sha256').update(`${FORMAT}/${VERSION}\n`);
  hashArray(hash, 'X', X, sources.X);
  hashArray(hash, 'y', y, sources.y);
  // The labels are part of the data: the same indices with other labels are another dataset.
  if (options.classes) hash.update(`classes:${JSON.stringify(options.classes)}\n`);
  const digest = hash.digest('hex');
  const dir = nodePath.join(root, digest.slice(0, DIR_HASH_LENGTH));
  const problem = fs.existsSync(dir) ? storeProblem(dir, digest) : undefined;
  if (!fs.existsSync(dir) || problem !== undefined) {
    const temp = fs.mkdtempSync(nodePath.join(root, '.tmp-'));
    try {
      const manifest: StoreManifest = {
        format: FORMAT, version: VERSION, hash: digest, nRows: X.shape[0]!,
        X: writeEntry(temp, 'X.npy', X, sources.X), y: writeEntry(temp, 'y.npy', y, sources.y),
        ...(options.classes ? { classes: [...options.classes] } : {}),
        createdAt: new Date().toISOString(), writer: thisWriter(),
      };
      writeFileAtomic(nodePath.join(temp, MANIFEST), JSON.stringify(manifest, null, 2));
      placeFolder(temp, dir, () => storeProblem(dir, digest) === undefined);
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }
  touchLastUsed(dir);
  const store = openStore(dir);
  return problem === undefined ? store : { ...store, rebuilt: `${dir}: ${problem}; rebuilt it from the data` };
}

/**
 * Why the store folder `dir` cannot be reused as the store of content hash `digest`, or
 * undefined when it can: its manifest, and each of its files by size and mtime, or by content
 * when those differ or another process wrote it (once per process).
 * @example
 * ```ts
 * storeProblem(dir, digest); // 'X.npy has content hash 1f2e…, 9f86… was written'
 * ```
 */
export function storeProblem(dir: string, digest?: string): string | undefined {
  let manifest: StoreManifest;
  try {
    manifest = readManifest(nodePath.join(dir, MANIFEST));
  } catch (error) {
    return fs.existsSync(nodePath.join(dir, MANIFEST)) ? (error as Error).message : `${MANIFEST} is missing`;
  }
  if (digest !== undefined && manifest.hash !== digest) return `${MANIFEST} records hash ${manifest.hash}, expected ${digest}`;
  const entries = [manifest.X, manifest.y].filter((e) => !e.external);
  return filesProblem(dir, entries.map((e) => [e.file, e as FileRecord]), manifest.writer);
}

/**
 * Map a dataset store read-only after validating its manifest, that its files have the sizes
 * it records (a truncated file would kill the process with SIGBUS when read), that external
 * files are unchanged, and that X rows equal y's length. In mode 'r' (the default) every open of
 * a store in this process, in any thread, views one mapping of each file (see `openNpy`'s
 * `shareMapping`): a store is never written, and its pages are faulted in once, not per thread.
 * @throws NpyFormatError for a missing or malformed manifest; DataError for changed or damaged data.
 * @example
 * ```ts
 * const { X, y, manifest } = openStore(dir);
 * ```
 */
export function openStore(dir: string, options: { mode?: 'r' | 'c' } = {}): DatasetStore {
  const mode = options.mode ?? 'r';
  const full = nodePath.resolve(dir);
  const manifestPath = nodePath.join(full, MANIFEST);
  const manifest = readManifest(manifestPath);
  const X = openEntry(full, manifestPath, manifest.X, mode);
  // y is indexed by row id everywhere (one value per row): one window, so kernels can take it whole.
  const y = openEntry(full, manifestPath, manifest.y, mode, MAX_WINDOW_BYTES);
  if (X.shape.length !== 2 || y.shape.length !== 1 || X.shape[0] !== y.shape[0]) {
    throw new DataError(`${manifestPath}: X has shape [${X.shape.join(', ')}] and y shape [${y.shape.join(', ')}]; expected 2-d X with as many rows as y has values`);
  }
  return { dir: full, hash: manifest.hash, manifest, X, y };
}

/**
 * Throw a DataError when a file of `store` changed size or mtime since the store was made:
 * a `.npy` rewritten in place while a search maps it. (A file cut shorter than the mapping
 * kills the process with SIGBUS before any check can run: replace files by writing a new
 * one and renaming it, never in place.)
 * @example
 * ```ts
 * checkStoreUnchanged(store); // after a search phase
 * ```
 */
export function checkStoreUnchanged(store: DatasetStore): void {
  for (const entry of [store.manifest.X, store.manifest.y]) {
    const file = entry.external ? entry.file : nodePath.join(store.dir, entry.file);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && stat.size === entry.size && Math.trunc(stat.mtimeMs) === entry.mtimeMs) continue;
    throw new DataError(
      `${file} changed while a search was reading it (size ${entry.size} and mtime ${entry.mtimeMs} when the search began, ` +
      `${stat ? `${stat.size} and ${Math.trunc(stat.mtimeMs)}` : 'no file'} now); its results cannot be trusted. ` +
      'Write a new file and rename it over the old one instead of rewriting it in place, then run again',
    );
  }
}

/**
 * Write fold index arrays into the store as int32 `.npy` files under `folds/<id>/`, where
 * `id` hashes the folds' contents (the same folds reuse the same folder, once verified like a
 * store). Returns the id. `fitArrays` are per-row arrays a search routes to every fit (sample
 * weights, by fit param name): they live with the folds, as `fit_<name>.npy`, and count in the id.
 * @throws DataError when an index is outside the store's rows.
 * @example
 * ```ts
 * const id = writeFoldSet(store.dir, new KFold({ nSplits: 5 }).split(n));
 * ```
 */
export function writeFoldSet(storeDir: string, folds: readonly FoldIndices[], fitArrays: Readonly<Record<string, Float64Array>> = {}): string {
  const manifest = readManifest(nodePath.join(nodePath.resolve(storeDir), MANIFEST));
  const hash = createHash('sha256').update(`folds/${folds.length}\n`);
  const fitParams = Object.keys(fitArrays).sort();
  for (const key of fitParams) {
    const values = fitArrays[key]!;
    if (!FIT_PARAM.test(key)) throw new ValueError(`writeFoldSet: fit param name ${JSON.stringify(key)} must be letters, digits, "_", "." or "-"`);
    if (values.length !== manifest.nRows) throw new DataError(`writeFoldSet: ${key} has ${values.length} values, the store has ${manifest.nRows} rows`);
    hash.update(`fit:${key}:${values.length}\n`).update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  folds.forEach((fold, k) => {
    for (const part of ['train', 'test'] as const) {
      const idx = fold[part];
      if (!(idx instanceof Int32Array)) throw new ValueError(`writeFoldSet: folds[${k}].${part} must be an Int32Array`);
      checkIndices(idx, manifest.nRows, `writeFoldSet: folds[${k}].${part}`);
      hash.update(`${part}${k}:${idx.length}\n`).update(new Uint8Array(idx.buffer, idx.byteOffset, idx.byteLength));
    }
  });
  const id = hash.digest('hex').slice(0, 16);
  const foldsDir = nodePath.join(nodePath.resolve(storeDir), 'folds');
  const dir = nodePath.join(foldsDir, id);
  if (fs.existsSync(dir) && foldSetProblem(dir) === undefined) return id;
  fs.mkdirSync(foldsDir, { recursive: true });
  const temp = fs.mkdtempSync(nodePath.join(foldsDir, '.tmp-'));
  try {
    const files: Record<string, FileRecord> = {};
    folds.forEach((fold, k) => {
      for (const part of ['train', 'test'] as const) {
        const name = `${part}_${k}.npy`;
        saveNpy(nodePath.join(temp, name), ndarray('int32', [fold[part].length], fold[part]));
        files[name] = recordFile(nodePath.join(temp, name));
      }
    });
    for (const key of fitParams) {
      const name = `fit_${key}.npy`;
      saveNpy(nodePath.join(temp, name), ndarray('float64', [manifest.nRows], fitArrays[key]!));
      files[name] = recordFile(nodePath.join(temp, name));
    }
    const meta = { nFolds: folds.length, ...(fitParams.length === 0 ? {} : { fitParams }), files, writer: thisWriter() };
    writeFileAtomic(nodePath.join(temp, 'meta.json'), JSON.stringify(meta));
    placeFolder(temp, dir, () => foldSetProblem(dir) === undefined);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return id;
}

/**
 * Map the per-row fit arrays (sample weights) stored with fold set `id`, by fit param name,
 * checking each file's size against `meta.json`.
 * @throws ValueError for an unknown id; NpyFormatError or DataError for a malformed or damaged file.
 * @example
 * ```ts
 * readFoldSetArrays(store.dir, id).sampleWeight; // Float64Array on the mapping
 * ```
 */
export function readFoldSetArrays(storeDir: string, id: string): Record<string, Float64Array> {
  if (!/^[0-9a-f]{1,64}$/.test(id)) throw new ValueError(`readFoldSet: fold set id must be hex digits, found ${JSON.stringify(id)}`);
  const dir = nodePath.join(nodePath.resolve(storeDir), 'folds', id);
  const metaPath = nodePath.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) throw new ValueError(`readFoldSet: no fold set ${id} in ${storeDir} (${metaPath} is missing)`);
  const meta = readFoldMeta(metaPath);
  return Object.fromEntries((meta.fitParams ?? []).map((key) => {
    const name = `fit_${key}.npy`;
    const file = nodePath.join(dir, name);
    const expected = meta.files[name]!.size;
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
    if (size !== expected) {
      throw new DataError(`${file}: the fit array is ${size ?? 'missing'}${size === undefined ? '' : ' bytes'}, ${expected} bytes were written; run the search again to rewrite it`);
    }
    // One window whatever MEMGRID_MAP_WINDOW_BYTES says, as y and the fold indices: n doubles.
    return [key, openNpy(file, { mode: 'r', dtype: 'float64', windowBytes: MAX_WINDOW_BYTES }).data];
  }));
}

/**
 * Map the fold set `id` of a store read-only, checking each file's size against `meta.json`
 * and every index against the store's rows.
 * @throws ValueError for an unknown id; NpyFormatError for malformed fold files; DataError for damaged ones.
 * @example
 * ```ts
 * const folds = readFoldSet(store.dir, id); // folds[0].train is an Int32Array on the mapping
 * ```
 */
export function readFoldSet(storeDir: string, id: string): FoldIndices[] {
  if (!/^[0-9a-f]{1,64}$/.test(id)) throw new ValueError(`readFoldSet: fold set id must be hex digits, found ${JSON.stringify(id)}`);
  const manifest = readManifest(nodePath.join(nodePath.resolve(storeDir), MANIFEST));
  const dir = nodePath.join(nodePath.resolve(storeDir), 'folds', id);
  const metaPath = nodePath.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) throw new ValueError(`readFoldSet: no fold set ${id} in ${storeDir} (${metaPath} is missing)`);
  const meta = readFoldMeta(metaPath);
  const folds: FoldIndices[] = [];
  for (let k = 0; k < meta.nFolds; k++) {
    const [train, test] = (['train', 'test'] as const).map((part) => {
      const file = nodePath.join(dir, `${part}_${k}.npy`);
      const record = meta.files[`${part}_${k}.npy`]!;
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
      if (size !== record.size) throw new DataError(`${file}: the fold file is ${size ?? 'missing'}${size === undefined ? '' : ' bytes'}, ${record.size} bytes were written; run the search again to rewrite it`);
      // Index arrays are read as one Int32Array each, whatever the window size.
      const indices = openNpy(file, { mode: 'r', dtype: 'int32', windowBytes: MAX_WINDOW_BYTES }).data;
      checkIndices(indices, manifest.nRows, file);
      return indices;
    }) as [Int32Array, Int32Array];
    folds.push({ train, test });
  }
  return folds;
}

// ---------------------------------------------------------------- helpers

interface ExternalSource {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly header: string;
}

/** The `.npy` file `a` maps in full, if any (`c` mappings may differ from their file, so they are copied). */
function externalSource(a: NdArray): ExternalSource | undefined {
  if (!isMapped(a) || a.mode === 'c') return undefined;
  try {
    const h = readNpyHeader(a.path);
    const same = h.dtype === a.dtype && h.dataOffset === a.offset && h.order === a.order && h.shape.join(',') === a.shape.join(',');
    if (!same) return undefined;
    if (a.writable) a.flush();
    const path = fs.realpathSync(a.path);
    const stat = fs.statSync(path);
    return { path, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs), header: `${h.descr}|${h.order}|${h.shape.join(',')}|${h.dataOffset}` };
  } catch {
    return undefined;
  }
}

/**
 * The store folder whose own X.npy and y.npy `X` and `y` map (a search on data a run already
 * persisted), when that store is sound: it is used as it is instead of a second store that
 * would reference its files.
 */
function storeOfArrays(X: NdArray, y: NdArray): string | undefined {
  if (!isMapped(X) || !isMapped(y) || X.mode === 'c' || y.mode === 'c') return undefined;
  let xPath: string;
  let yPath: string;
  try {
    xPath = fs.realpathSync(X.path);
    yPath = fs.realpathSync(y.path);
  } catch {
    return undefined;
  }
  const dir = nodePath.dirname(xPath);
  if (nodePath.dirname(yPath) !== dir || nodePath.basename(xPath) !== 'X.npy' || nodePath.basename(yPath) !== 'y.npy') return undefined;
  let manifest: StoreManifest;
  try {
    manifest = readManifest(nodePath.join(dir, MANIFEST));
  } catch {
    return undefined;
  }
  const same = (e: StoreArrayEntry, a: NdArray, file: string): boolean => !e.external && e.file === file && e.dtype === a.dtype
    && e.order === a.order && e.shape.join(',') === a.shape.join(',');
  if (!same(manifest.X, X, 'X.npy') || !same(manifest.y, y, 'y.npy')) return undefined;
  return storeProblem(dir, manifest.hash) === undefined ? dir : undefined;
}

function hashArray(hash: Hash, name: string, a: NdArray, source: ExternalSource | undefined): void {
  if (source) {
    hash.update(`${name}:external:${source.path}|${source.size}|${source.mtimeMs}|${source.header}\n`);
    return;
  }
  hash.update(`${name}:${descrOf(a.dtype)}|${a.order}|${a.shape.join(',')}\n`);
  for (const { data } of rowWindows(a)) hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function writeEntry(dir: string, file: string, a: NdArray, source: ExternalSource | undefined): StoreArrayEntry {
  const base = { dtype: a.dtype, shape: [...a.shape], order: a.order };
  if (source) return { file: source.path, external: true, ...base, size: source.size, mtimeMs: source.mtimeMs };
  saveNpy(nodePath.join(dir, file), a);
  return { file, external: false, ...base, ...recordFile(nodePath.join(dir, file)) };
}

function thisWriter(): StoreWriter {
  return { host: os.hostname(), pid: process.pid };
}

/**
 * Why the files `entries` (name, record) of the folder `dir` do not match their records, or
 * undefined. Deep (by content) when `writer` is another process and this process has not yet
 * verified them with their present sizes and mtimes.
 */
function filesProblem(dir: string, entries: readonly (readonly [string, FileRecord])[], writer: StoreWriter): string | undefined {
  const signature = entries.map(([name]) => {
    const stat = fs.statSync(nodePath.join(dir, name), { throwIfNoEntry: false });
    return `${name}:${stat?.size}:${stat ? Math.trunc(stat.mtimeMs) : ''}`;
  }).join('|');
  const mine = writer.host === os.hostname() && writer.pid === process.pid;
  const deep = !mine && verifiedHere.get(dir) !== signature;
  for (const [name, record] of entries) {
    const mismatch = fileMismatch(nodePath.join(dir, name), record, { deep });
    if (mismatch !== undefined) return `${name} ${mismatch}`;
  }
  if (deep) verifiedHere.set(dir, signature);
  return undefined;
}

function foldSetProblem(dir: string): string | undefined {
  const metaPath = nodePath.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) return 'meta.json is missing';
  try {
    const meta = readFoldMeta(metaPath);
    return filesProblem(dir, Object.entries(meta.files), meta.writer);
  } catch (error) {
    return (error as Error).message;
  }
}

interface FoldMeta {
  readonly nFolds: number;
  /** Names of the per-row fit arrays stored as `fit_<name>.npy` (sample weights). */
  readonly fitParams?: readonly string[];
  readonly files: Readonly<Record<string, FileRecord>>;
  readonly writer: StoreWriter;
}

/** Fit param names (become file names): `sampleWeight`, `ridge__sampleWeight`. */
const FIT_PARAM = /^[A-Za-z0-9][\w.-]{0,127}$/;

function readFoldMeta(metaPath: string): FoldMeta {
  let meta: Partial<FoldMeta>;
  try {
    meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Partial<FoldMeta>;
  } catch (error) {
    throw new NpyFormatError(metaPath, `cannot read the fold set's meta.json: ${(error as Error).message}`, { cause: error });
  }
  const n = meta?.nFolds;
  const fitParams = meta?.fitParams ?? [];
  const fitOk = Array.isArray(fitParams) && fitParams.every((k) => typeof k === 'string' && FIT_PARAM.test(k));
  const ok = typeof n === 'number' && Number.isInteger(n) && n >= 0 && isWriter(meta.writer) && fitOk
    && meta.files !== null && typeof meta.files === 'object'
    && [...Array.from({ length: n }, (_, k) => [`train_${k}.npy`, `test_${k}.npy`]).flat(), ...fitParams.map((k) => `fit_${k}.npy`)]
      .every((name) => Object.hasOwn(meta.files!, name) && isFileRecord(meta.files![name]))
    && Object.keys(meta.files).length === 2 * n + fitParams.length;
  if (!ok) {
    throw new NpyFormatError(metaPath, 'expected {"nFolds": <count>, "fitParams"?: [<name>], "files": {<name>: {size, mtimeMs, sha256}}, "writer": {host, pid}}');
  }
  return meta as FoldMeta;
}

function readManifest(manifestPath: string): StoreManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new NpyFormatError(manifestPath, `cannot read the store manifest: ${(e as Error).message}`, { cause: e });
  }
  const m = doc as Partial<StoreManifest> | null;
  if (!m || m.format !== FORMAT || m.version !== VERSION || typeof m.hash !== 'string' || !Number.isSafeInteger(m.nRows)
    || !isEntry(m.X) || !isEntry(m.y) || !isWriter(m.writer)) {
    throw new NpyFormatError(manifestPath, `not a memgrid store manifest (version ${VERSION}): expected {"format": "${FORMAT}", "version": ${VERSION}, "hash", "nRows", "X", "y", "writer"}`);
  }
  return m as StoreManifest;
}

function isEntry(e: unknown): e is StoreArrayEntry {
  const x = e as Partial<StoreArrayEntry> | null;
  return x !== null && typeof x === 'object' && typeof x.file === 'string' && typeof x.external === 'boolean'
    && isDType(x.dtype) && Array.isArray(x.shape) && (x.order === 'C' || x.order === 'F')
    && Number.isSafeInteger(x.size) && Number.isFinite(x.mtimeMs) && (x.external || typeof x.sha256 === 'string');
}

function isWriter(w: unknown): w is StoreWriter {
  const x = w as Partial<StoreWriter> | null;
  return x !== null && typeof x === 'object' && typeof x.host === 'string' && Number.isInteger(x.pid);
}

function openEntry(dir: string, manifestPath: string, e: StoreArrayEntry, mode: 'r' | 'c', windowBytes?: number): MappedArray {
  let file: string;
  if (e.external) {
    if (!nodePath.isAbsolute(e.file)) throw new NpyFormatError(manifestPath, `external array ${JSON.stringify(e.file)} must be an absolute path`);
    file = e.file;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat || stat.size !== e.size || Math.trunc(stat.mtimeMs) !== e.mtimeMs) {
      throw new DataError(
        `${manifestPath}: external array ${file} changed since the store was made (expected size ${e.size} and mtime ${e.mtimeMs}, found ${stat ? `${stat.size} and ${Math.trunc(stat.mtimeMs)}` : 'no file'}); persist the data again`,
      );
    }
  } else {
    file = nodePath.resolve(dir, e.file);
    if (nodePath.dirname(file) !== dir) throw new NpyFormatError(manifestPath, `array file ${JSON.stringify(e.file)} must be a file name inside ${dir}`);
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
    if (size !== e.size) {
      throw new DataError(
        `${dir}: the dataset store is damaged: ${e.file} is ${size === undefined ? 'missing' : `${size} bytes`}, ${e.size} bytes were written; ` +
        'run the search again to rebuild it from its data, or delete the folder',
      );
    }
  }
  // Read-only store arrays share one mapping per process: a search's worker threads and its refit fault the pages in once.
  return openNpy(file, { mode, dtype: e.dtype, shape: e.shape, shareMapping: mode === 'r', ...(windowBytes === undefined ? {} : { windowBytes }) });
}

function checkIndices(idx: Int32Array, nRows: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= nRows) throw new DataError(`${what}[${i}] = ${v} is outside the store's ${nRows} rows`);
  }
}

/** Record that the store was used now (for `memgrid store prune`'s least-recently-used order). */
function touchLastUsed(dir: string): void {
  const file = nodePath.join(dir, LAST_USED_FILE);
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    try {
      fs.closeSync(fs.openSync(file, 'a'));
    } catch {
      // A read-only store is still usable; it just looks unused to prune.
    }
  }
}
