/**
 * The logic of `memgrid data ...`: describe a `.npy` file or a dataset store, import a CSV
 * as `.npy` files, generate a synthetic dataset.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeClassification, makeRegression, readNpyHeader, saveNpy } from '../data/index.js';
import { importCsvToNpy } from '../data/csv-stream.js';
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { writeFileAtomic } from '../data/atomic.js';
import { toJson } from '../report/atomic.js';

/** What `data info` shows for one `.npy` file. */
export interface NpyInfo {
  readonly path: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly order: 'C' | 'F';
  /** File size in bytes. */
  readonly bytes: number;
  /** Bytes before the data (magic, version, header, padding). */
  readonly headerBytes: number;
  /** Format version, e.g. `1.0`. */
  readonly version: string;
  readonly byteOrder: string;
}


/**
 * Shape, dtype, order, size and format version of a `.npy` file, from its header alone.
 * @throws NpyFormatError for a file that is not a valid `.npy`, or shorter than its header says.
 * @example
 * ```ts
 * npyInfo('X.npy'); // { shape: [1000, 20], dtype: 'float64', order: 'C', bytes: 160128, version: '1.0', ... }
 * ```
 */
export function npyInfo(path: string): NpyInfo {
  const header = readNpyHeader(path);
  return {
    path, shape: header.shape, dtype: header.dtype, order: header.order, byteOrder: header.byteOrder,
    bytes: header.fileSize, headerBytes: header.dataOffset, version: header.version.join('.'),
  };
}

/**
 * Lines describing `path`: a `.npy` file, or a dataset store folder (its manifest and arrays).
 * @throws ValueError when `path` is neither.
 * @example
 * ```ts
 * describeData('runs/data/X.npy').join('\n');
 * ```
 */
export function describeData(path: string): string[] {
  const full = resolve(path);
  if (!existsSync(full)) throw new ValueError(`${full}: no such file or folder`);
  if (statSync(full).isFile()) return npyLines(npyInfo(full));
  const manifestPath = join(full, 'manifest.json');
  const arrays = readdirSync(full).filter((f) => f.endsWith('.npy')).sort();
  if (!existsSync(manifestPath) && arrays.length === 0) {
    throw new ValueError(`${full}: not a .npy file or a dataset store (no manifest.json or .npy files in it)`);
  }
  const lines = [`store    ${full}`];
  if (existsSync(manifestPath)) {
    lines.push('manifest:', ...JSON.stringify(JSON.parse(readFileSync(manifestPath, 'utf8')), null, 2).split('\n').map((l) => `  ${l}`));
  }
  for (const file of arrays) lines.push('', ...npyLines(npyInfo(join(full, file))));
  return lines;
}

const BYTE_ORDERS: Record<string, string> = { '<': ' (little-endian)', '>': ' (big-endian)' };

function npyLines(info: NpyInfo): string[] {
  return [
    `file     ${info.path}`,
    `shape    [${info.shape.join(', ')}]`,
    `dtype    ${info.dtype}${BYTE_ORDERS[info.byteOrder] ?? ''}`,
    `order    ${info.order} (${info.order === 'C' ? 'row-major' : 'column-major, Fortran'})`,
    `bytes    ${info.bytes} (${(info.bytes / 2 ** 20).toFixed(2)} MB; header ${info.headerBytes})`,
    `version  ${info.version}`,
  ];
}

/** The `.npy` pair a data command wrote, and a config snippet that reads it. */
export interface WrittenDataset {
  readonly X: string;
  readonly y: string;
  readonly shape: readonly number[];
}

function writePair(outDir: string, X: NdArray, y: NdArray, extra: Record<string, unknown>): WrittenDataset {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const paths = { X: join(dir, 'X.npy'), y: join(dir, 'y.npy') };
  saveNpy(paths.X, X);
  saveNpy(paths.y, y);
  writeFileAtomic(join(dir, 'dataset.json'), toJson({ X: 'X.npy', y: 'y.npy', shape: X.shape, dtype: X.dtype, ...extra }));
  return { ...paths, shape: X.shape };
}

/**
 * Import a CSV (numeric feature columns, a header row) as `X.npy` and `y.npy` in `outDir`,
 * streaming: the rows go to the files in blocks, so a CSV larger than memory imports. A target
 * of text labels becomes class indices, the labels listed in `dataset.json`.
 * @example
 * ```ts
 * await importCsvAsNpy('diabetes.csv', 'target', 'data/diabetes');
 * ```
 */
export async function importCsvAsNpy(csv: string, target: string, outDir: string): Promise<WrittenDataset & { classes?: readonly string[] }> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const paths = { X: join(dir, 'X.npy'), y: join(dir, 'y.npy') };
  const { shape, featureNames, classes } = await importCsvToNpy(resolve(csv), { target }, paths);
  const labels = classes ? { classes } : {};
  writeFileAtomic(join(dir, 'dataset.json'), toJson({ X: 'X.npy', y: 'y.npy', shape, dtype: 'float64', source: resolve(csv), target, featureNames, ...labels }));
  return { ...paths, shape, ...labels };
}

/** Options of {@link makeDataset}. */
export interface MakeOptions {
  readonly samples: number;
  readonly features: number;
  readonly seed: number;
  readonly noise?: number;
  readonly classes?: number;
}

/**
 * Generate a synthetic regression or classification dataset as `X.npy`/`y.npy` in `outDir`.
 * @example
 * ```ts
 * makeDataset('regression', { samples: 1000, features: 10, seed: 0 }, 'data/reg');
 * ```
 */
export function makeDataset(kind: 'regression' | 'classification', options: MakeOptions, outDir: string): WrittenDataset {
  const common = { nSamples: options.samples, nFeatures: options.features, seed: options.seed };
  const { X, y } = kind === 'regression'
    ? makeRegression({ ...common, ...(options.noise === undefined ? {} : { noise: options.noise }) })
    : makeClassification({ ...common, ...(options.classes === undefined ? {} : { nClasses: options.classes }) });
  return writePair(outDir, X, y, { generator: kind, ...options });
}
