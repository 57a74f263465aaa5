/**
 * An experiment's data, from its config: `.npy` files mapped read-only where they are,
 * a CSV imported, or a synthetic set generated; then persisted once into a dataset store
 * (content-hashed, so a re-run or a resume finds the same store and the same hash).
 */
import { relative } from 'node:path';
import { importCsv, makeClassification, makeRegression, openNpy, persistDataset } from '../data/index.js';
import type { NdArray } from '../data/ndarray.js';
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
}

/**
 * Load (or generate) the data of `source` and persist it into a store under `storeRoot`.
 * @example
 * ```ts
 * const data = await loadExperimentData(config.data, { cwd: process.cwd() });
 * data.X.shape; // [n, d]
 * ```
 */
export async function loadExperimentData(
  source: DataSource, options: { readonly storeRoot?: string; readonly cwd?: string } = {},
): Promise<ExperimentData> {
  const loaded = await load(source, options.cwd ?? process.cwd());
  const store = persistDataset(loaded.X, loaded.y, options.storeRoot === undefined ? {} : { root: options.storeRoot });
  return {
    ...loaded,
    hash: store.hash,
    store: store.dir,
    bytes: loaded.X.data.byteLength + loaded.y.data.byteLength,
  };
}

async function load(source: DataSource, cwd: string): Promise<{ X: FloatMatrix; y: NdArray; description: string; featureNames?: readonly string[] }> {
  switch (source.kind) {
    case 'npy': {
      const X = openNpy(source.X, { mode: 'r' }) as unknown as FloatMatrix;
      const y = openNpy(source.y, { mode: 'r' }) as unknown as NdArray;
      return { X, y, description: `${relative(cwd, source.X)}, ${relative(cwd, source.y)} (mapped read-only)` };
    }
    case 'csv': {
      // Awaited so a sync or async importCsv both work.
      const { X, y, featureNames } = await importCsv(source.csv, { target: source.target });
      return { X: X as FloatMatrix, y, featureNames, description: `${relative(cwd, source.csv)} (target "${source.target}")` };
    }
    case 'synthetic': {
      const common = { nSamples: source.nSamples, nFeatures: source.nFeatures, seed: source.seed as number };
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
