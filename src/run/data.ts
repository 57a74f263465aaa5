/**
 * An experiment's data, from its config: `.npy` files mapped read-only where they are,
 * a CSV imported, or a synthetic set generated; then persisted once into a dataset store
 * (content-hashed, so a re-run or a resume finds the same store and the same hash).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { checkStoreUnchanged, importCsv, makeClassification, makeRegression, openNpy, persistDataset, readNpy } from '../data/index.js';
import { shapeSize, toFloat64 } from '../data/ndarray.js';
import type { Groups } from '../search/types.js';
import type { NdArray } from '../data/ndarray.js';
import { itemSize } from '../data/dtypes.js';
import type { FloatMatrix } from '../models/estimator.js';
import type { DataSource } from './config.js';

/** Data ready for a search, with what the results and the journal need to know about it. */
export interface ExperimentData {
  readonly X: FloatMatrix;
  readonly y: NdArray;
  /** Content hash of the dataset store: part of the resume fingerprint and of every journal key. */
  readonly hash: string;
  /** Folder of the dataset store. */
  readonly store: string;
  /** Bytes of X and y. */
  readonly bytes: number;
  /** One line saying where the data came from. */
  readonly description: string;
  readonly featureNames?: readonly string[];
  /** Group labels from data.groups, one per row, for group-aware splitters. */
  readonly groups?: Groups;
  /** Why the dataset store found under this data's hash was rebuilt (it failed verification), if it was. */
  readonly rebuilt?: string;
  /** Throws a DataError naming a data file whose size or mtime changed since the data was loaded (rewritten in place). */
  readonly checkUnchanged: () => void;
  /** Text labels of the classes, when y holds their indices (a CSV target of labels). */
  readonly classes?: readonly string[];
}

/**
 * Load (or generate) the data of `source` and persist it into a store under `storeRoot`.
 * @example
 * ```ts
 * const data = loadExperimentData(config.data, { cwd: process.cwd() });
 * data.X.shape; // [n, d]
 * ```
 */
export function loadExperimentData(
  source: DataSource, options: { readonly storeRoot?: string; readonly cwd?: string } = {},
): ExperimentData {
  const loaded = load(source, options.cwd ?? process.cwd());
  const store = persistDataset(loaded.X, loaded.y, {
    ...(options.storeRoot === undefined ? {} : { root: options.storeRoot }), ...(loaded.classes ? { classes: loaded.classes } : {}),
  });
  // From here on the search reads the store's read-only mappings: a CSV or generated set is
  // not held twice, and `.npy` sources were referenced in place, not copied.
  return {
    ...loaded,
    X: store.X as FloatMatrix,
    y: store.y,
    hash: store.hash,
    store: store.dir,
    bytes: nbytes(loaded.X) + nbytes(loaded.y),
    ...(store.rebuilt === undefined ? {} : { rebuilt: store.rebuilt }),
    checkUnchanged: () => checkStoreUnchanged(store),
  };
}

type Loaded = {
  X: FloatMatrix; y: NdArray; description: string; featureNames?: readonly string[]; groups?: Groups; classes?: readonly string[];
};

function load(source: DataSource, cwd: string): Loaded {
  switch (source.kind) {
    case 'npy': {
      const X = openNpy(source.X, { mode: 'r' }) as FloatMatrix;
      const y = openNpy(source.y, { mode: 'r' });
      const groups = source.groups === undefined ? {} : { groups: toFloat64(readNpy(source.groups)) };
      const classes = importedClasses(source.y);
      return {
        X, y, ...groups, description: `${shown(cwd, source.X)}, ${shown(cwd, source.y)} (mapped read-only)`, ...(classes ? { classes } : {}),
      };
    }
    case 'csv': {
      const { X, y, featureNames, groups, classes } = importCsv(source.csv, {
        target: source.target, ...(source.groups === undefined ? {} : { groups: source.groups }),
      });
      return {
        X: X as FloatMatrix, y, featureNames, ...(groups === undefined ? {} : { groups }), ...(classes ? { classes } : {}),
        description: `${shown(cwd, source.csv)} (target "${source.target}")`,
      };
    }
    case 'synthetic': {
      const common = { nSamples: source.nSamples, nFeatures: source.nFeatures, seed: source.seed };
      const { X, y } = source.task === 'regression'
        ? makeRegression({ ...common, ...(source.noise === undefined ? {} : { noise: source.noise }) })
        : makeClassification({ ...common, ...(source.nClasses === undefined ? {} : { nClasses: source.nClasses }) });
      return {
        X: X as FloatMatrix, y,
        description: `synthetic ${source.task} (${source.nSamples} samples, ${source.nFeatures} features, seed ${String(source.seed)})`,
      };
    }
  }
}

/**
 * The class labels `memgrid data import` recorded for `y.npy` in the `dataset.json` beside it,
 * if that file describes this very y.
 */
function importedClasses(yPath: string): string[] | undefined {
  const meta = join(dirname(yPath), 'dataset.json');
  if (!existsSync(meta)) return undefined;
  try {
    const doc = JSON.parse(readFileSync(meta, 'utf8')) as { y?: unknown; classes?: unknown };
    const labels = doc.classes;
    if (doc.y !== basename(yPath) || !Array.isArray(labels) || !labels.every((c) => typeof c === 'string')) return undefined;
    return labels as string[];
  } catch {
    return undefined;
  }
}

/** Bytes of an array's data, whether it is one typed array or many windows. */
function nbytes(a: NdArray): number {
  return shapeSize(a.shape) * itemSize(a.dtype);
}

/** A path relative to the working folder when it lies inside it, else absolute. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
