/**
 * The dataset store: X and y persisted once as `.npy` files in a folder named by their
 * content hash, plus the fold sets of the searches run on them. Workers map a store
 * read-only, so every thread shares one copy of the data (joblib's automatic memmapping,
 * made explicit).
 *
 * Layout: `<root>/<hash>/manifest.json`, `X.npy`, `y.npy`, `folds/<id>/{meta.json,train_<k>.npy,test_<k>.npy}`.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { DataError, NpyFormatError, ValueError } from '../errors.js';
import { descrOf } from './dtypes.js';
import type { DType } from './dtypes.js';
import { ndarray, type MappedArray, type NdArray, type Order } from './ndarray.js';
import { isMapped, openNpy, readNpyHeader, saveNpy, writeAtomically } from './npy.js';

const FORMAT = 'memgrid-store';
const VERSION = 1;
/** Hex digits of the content hash used in folder names (the manifest keeps all 64). */
const DIR_HASH_LENGTH = 32;

/** Where one array of a store lives: a file in the store, or an external `.npy` referenced in place. */
export interface StoreArrayEntry {
  /** `X.npy` inside the store, or the absolute path of an external `.npy`. */
  readonly file: string;
  readonly external: boolean;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly order: Order;
  /** For external files: size and mtime (whole ms) when the store was made, to notice later changes. */
  readonly size?: number;
  readonly mtimeMs?: number;
}

/** `manifest.json` of a dataset store. */
export interface StoreManifest {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly hash: string;
  readonly nRows: number;
  readonly X: StoreArrayEntry;
  readonly y: StoreArrayEntry;
  readonly createdAt: string;
}

/** A dataset store on disk with X and y mapped read-only. */
export interface DatasetStore {
  readonly dir: string;
  /** sha256 of the store's contents (see {@link persistDataset}). */
  readonly hash: string;
  readonly manifest: StoreManifest;
  readonly X: MappedArray;
  readonly y: MappedArray;
}

/** What {@link openStore} returns (the same as a {@link DatasetStore}). */
export type OpenedStore = DatasetStore;

/** Row indices of one train/test split, as stored in a fold set (structurally a search `Fold`). */
export interface FoldIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Persist X and y into `<root>/<contentHash>/` (X.npy, y.npy, manifest.json) and map them.
 * The hash is sha256 over dtype, shape, order and bytes of both arrays, so a re-run on the
 * same data reuses the folder and changed data gets a new one. An X or y that is already a
 * mapped `.npy` (`r`, `r+`, `w+`) is not copied: the manifest references the file in place
 * and the hash covers its real path, size, mtime and header, never its 100s of MB of data.
 * The folder is written under a temporary name and renamed, so a store is never half-written.
 * @throws DataError when X is not 2-d or X rows differ from y's length.
 * @example
 * ```ts
 * const store = persistDataset(X, y); // store.dir = /tmp/memgrid-stores/3fa9..., store.X is mapped
 * ```
 */
export function persistDataset(X: NdArray, y: NdArray, options: { root?: string } = {}): DatasetStore {
  if (X.shape.length !== 2) throw new DataError(`persistDataset: X must be 2-d, found shape [${X.shape.join(', ')}]`);
  if (y.shape.length !== 1) throw new DataError(`persistDataset: y must be 1-d, found shape [${y.shape.join(', ')}]`);
  if (X.shape[0] !== y.shape[0]) throw new DataError(`persistDataset: X has ${X.shape[0]} rows, y has ${y.shape[0]} values`);
  const root = nodePath.resolve(options.root ?? nodePath.join(os.tmpdir(), 'memgrid-stores'));
  fs.mkdirSync(root, { recursive: true });
  const sources = { X: externalSource(X), y: externalSource(y) };
  const hash = createHash('sha256').update(`${FORMAT}/${VERSION}\n`);
  hashArray(hash, 'X', X, sources.X);
  hashArray(hash, 'y', y, sources.y);
  const digest = hash.digest('hex');
  const dir = nodePath.join(root, digest.slice(0, DIR_HASH_LENGTH));
  if (!fs.existsSync(nodePath.join(dir, 'manifest.json'))) {
    const temp = fs.mkdtempSync(nodePath.join(root, '.tmp-'));
    try {
      const manifest: StoreManifest = {
        format: FORMAT, version: VERSION, hash: digest, nRows: X.shape[0]!,
        X: writeEntry(temp, 'X.npy', X, sources.X), y: writeEntry(temp, 'y.npy', y, sources.y),
        createdAt: new Date().toISOString(),
      };
      writeAtomically(nodePath.join(temp, 'manifest.json'), [Buffer.from(JSON.stringify(manifest, null, 2))]);
      renameDir(temp, dir);
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }
  return openStore(dir);
}

/**
 * Map a dataset store read-only after validating its manifest, that external files are
 * unchanged, and that X rows equal y's length.
 * @throws NpyFormatError for a missing or malformed manifest; DataError for changed data.
 * @example
 * ```ts
 * const { X, y, manifest } = openStore(dir);
 * ```
 */
export function openStore(dir: string, options: { mode?: 'r' | 'c' } = {}): DatasetStore {
  const mode = options.mode ?? 'r';
  const full = nodePath.resolve(dir);
  const manifestPath = nodePath.join(full, 'manifest.json');
  const manifest = readManifest(manifestPath);
  const X = openEntry(full, manifestPath, manifest.X, mode);
  const y = openEntry(full, manifestPath, manifest.y, mode);
  if (X.shape.length !== 2 || y.shape.length !== 1 || X.shape[0] !== y.shape[0]) {
    throw new DataError(`${manifestPath}: X has shape [${X.shape.join(', ')}] and y shape [${y.shape.join(', ')}]; expected 2-d X with as many rows as y has values`);
  }
  return { dir: full, hash: manifest.hash, manifest, X, y };
}

/**
 * Write fold index arrays into the store as int32 `.npy` files under `folds/<id>/`, where
 * `id` hashes the folds' contents (the same folds reuse the same folder). Returns the id.
 * @throws DataError when an index is outside the store's rows.
 * @example
 * ```ts
 * const id = writeFoldSet(store.dir, new KFold({ nSplits: 5 }).split(n));
 * ```
 */
export function writeFoldSet(storeDir: string, folds: readonly FoldIndices[]): string {
  const manifest = readManifest(nodePath.join(nodePath.resolve(storeDir), 'manifest.json'));
  const hash = createHash('sha256').update(`folds/${folds.length}\n`);
  folds.forEach((fold, k) => {
    for (const part of ['train', 'test'] as const) {
      const idx = fold[part];
      if (!(idx instanceof Int32Array)) throw new ValueError(`writeFoldSet: folds[${k}].${part} must be an Int32Array`);
      checkIndices(idx, manifest.nRows, `folds[${k}].${part}`);
      hash.update(`${part}${k}:${idx.length}\n`).update(new Uint8Array(idx.buffer, idx.byteOffset, idx.byteLength));
    }
  });
  const id = hash.digest('hex').slice(0, 16);
  const foldsDir = nodePath.join(nodePath.resolve(storeDir), 'folds');
  const dir = nodePath.join(foldsDir, id);
  if (fs.existsSync(nodePath.join(dir, 'meta.json'))) return id;
  fs.mkdirSync(foldsDir, { recursive: true });
  const temp = fs.mkdtempSync(nodePath.join(foldsDir, '.tmp-'));
  try {
    folds.forEach((fold, k) => {
      saveNpy(nodePath.join(temp, `train_${k}.npy`), ndarray('int32', [fold.train.length], fold.train));
      saveNpy(nodePath.join(temp, `test_${k}.npy`), ndarray('int32', [fold.test.length], fold.test));
    });
    writeAtomically(nodePath.join(temp, 'meta.json'), [Buffer.from(JSON.stringify({ nFolds: folds.length }))]);
    renameDir(temp, dir);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return id;
}

/**
 * Map the fold set `id` of a store read-only.
 * @throws ValueError for an unknown id; NpyFormatError for malformed fold files.
 * @example
 * ```ts
 * const folds = readFoldSet(store.dir, id); // folds[0].train is an Int32Array on the mapping
 * ```
 */
export function readFoldSet(storeDir: string, id: string): FoldIndices[] {
  if (!/^[0-9a-f]{1,64}$/.test(id)) throw new ValueError(`readFoldSet: fold set id must be hex digits, found ${JSON.stringify(id)}`);
  const dir = nodePath.join(nodePath.resolve(storeDir), 'folds', id);
  const metaPath = nodePath.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) throw new ValueError(`readFoldSet: no fold set ${id} in ${storeDir} (${metaPath} is missing)`);
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { nFolds?: unknown };
  if (typeof meta.nFolds !== 'number' || !Number.isInteger(meta.nFolds) || meta.nFolds < 0) {
    throw new NpyFormatError(metaPath, `expected {"nFolds": <count>}, found ${JSON.stringify(meta)}`);
  }
  const folds: FoldIndices[] = [];
  for (let k = 0; k < meta.nFolds; k++) {
    const train = openNpy(nodePath.join(dir, `train_${k}.npy`), { mode: 'r', dtype: 'int32' });
    const test = openNpy(nodePath.join(dir, `test_${k}.npy`), { mode: 'r', dtype: 'int32' });
    folds.push({ train: train.data, test: test.data });
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

function hashArray(hash: Hash, name: string, a: NdArray, source: ExternalSource | undefined): void {
  if (source) {
    hash.update(`${name}:external:${source.path}|${source.size}|${source.mtimeMs}|${source.header}\n`);
    return;
  }
  hash.update(`${name}:${descrOf(a.dtype)}|${a.order}|${a.shape.join(',')}\n`);
  hash.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
}

function writeEntry(dir: string, file: string, a: NdArray, source: ExternalSource | undefined): StoreArrayEntry {
  const base = { dtype: a.dtype, shape: [...a.shape], order: a.order };
  if (source) return { file: source.path, external: true, ...base, size: source.size, mtimeMs: source.mtimeMs };
  saveNpy(nodePath.join(dir, file), a);
  return { file, external: false, ...base };
}

function readManifest(manifestPath: string): StoreManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new NpyFormatError(manifestPath, `cannot read the store manifest: ${(e as Error).message}`, { cause: e });
  }
  const m = doc as Partial<StoreManifest> | null;
  if (!m || m.format !== FORMAT || m.version !== VERSION || typeof m.hash !== 'string' || typeof m.nRows !== 'number' || !m.X || !m.y) {
    throw new NpyFormatError(manifestPath, `not a memgrid store manifest: expected {"format": "${FORMAT}", "version": ${VERSION}, "hash", "nRows", "X", "y"}`);
  }
  return m as StoreManifest;
}

function openEntry(dir: string, manifestPath: string, e: StoreArrayEntry, mode: 'r' | 'c'): MappedArray {
  if (typeof e.file !== 'string') throw new NpyFormatError(manifestPath, `array entry has no file: ${JSON.stringify(e)}`);
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
  }
  return openNpy(file, { mode, dtype: e.dtype, shape: e.shape });
}

function checkIndices(idx: Int32Array, nRows: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= nRows) throw new DataError(`writeFoldSet: ${what}[${i}] = ${v} is outside the store's ${nRows} rows`);
  }
}

/** Rename a finished temp folder into place; if another process got there first, keep theirs. */
function renameDir(temp: string, dir: string): void {
  try {
    fs.renameSync(temp, dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const complete = fs.existsSync(nodePath.join(dir, 'manifest.json')) || fs.existsSync(nodePath.join(dir, 'meta.json'));
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && complete) return;
    throw e;
  }
}
