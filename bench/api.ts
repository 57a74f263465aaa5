/**
 * Loads memgrid's public API (dist/src/index.js) at run time, so that the benchmark builds
 * and reports a clean "skipped" while parts of the library are still missing, instead of
 * failing to compile.
 */
import type { MappedArray, NdArray } from '../src/data/ndarray.js';
import type { CvResults, LearningCurveResult } from '../src/search/options.js';

/** A fitted search: the fields the benchmark reads (DESIGN.md, "Contracts"). */
export interface FittedSearch {
  readonly bestIndex: number;
  readonly bestParams: Readonly<Record<string, unknown>>;
  readonly bestScore: number;
  readonly cvResults: CvResults;
  /** Logistic solver work (issue 10); read only when present, checked with isSolverStats. */
  readonly solverStats?: unknown;
  /** Fits stopped by maxIter and the like (issue 10); read only when present. */
  readonly warnings?: unknown;
}

type Ctor<O> = new (options: O) => object;

/** The slice of `src/index.ts` the benchmark uses, by the names DESIGN.md fixes. */
export interface MemgridApi {
  openNpy(path: string, options: { mode: 'r' }): MappedArray;
  GridSearch: new (
    estimator: object, grid: Record<string, readonly number[]>, options: Record<string, unknown>,
  ) => { fit(X: NdArray, y: NdArray): Promise<FittedSearch> };
  learningCurve(estimator: object, X: NdArray, y: NdArray, options: Record<string, unknown>): Promise<LearningCurveResult>;
  Ridge: Ctor<{ alpha?: number }>;
  LogisticRegression: Ctor<{ C?: number; tol?: number; maxIter?: number }>;
  KFold: Ctor<{ nSplits: number }>;
  StratifiedKFold: Ctor<{ nSplits: number }>;
  createExecutor(workers?: number): { close(): Promise<void> };
}

/** The data-layer generators used when Debian's python lacks numpy (bench/data-fallback.ts). */
export interface GeneratorApi {
  makeRegression(options: Record<string, number>): { X: NdArray; y: NdArray };
  makeClassification(options: Record<string, number>): { X: NdArray; y: NdArray };
  saveNpy(path: string, array: NdArray): void;
}

const REQUIRED = ['openNpy', 'GridSearch', 'learningCurve', 'Ridge', 'LogisticRegression', 'KFold', 'StratifiedKFold', 'createExecutor'] as const;
const GENERATORS = ['makeRegression', 'makeClassification', 'saveNpy'] as const;

/** Thrown when a side cannot run; the harness prints the message and moves on. */
export class SkipSide extends Error {
  override readonly name = 'SkipSide';
}

async function importIndex(): Promise<Record<string, unknown>> {
  // A URL computed at run time: tsc neither resolves nor type-checks it, so this file
  // compiles before src/index.ts exists.
  const url = new URL('../src/index.js', import.meta.url).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // Keep the first clause: "Cannot find module '…/dist/src/index.js'", not the importer's path.
    const reason = (error as Error).message.split('\n')[0]!.replace(/ imported from .*$/, '');
    throw new SkipSide(`memgrid's API cannot be imported: ${reason}`);
  }
}

function check(module: Record<string, unknown>, names: readonly string[]): void {
  const missing = names.filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0) throw new SkipSide(`src/index.ts does not export ${missing.join(', ')} yet`);
}

/**
 * memgrid's API, or a {@link SkipSide} naming what is missing.
 * @example
 * ```ts
 * const { GridSearch, Ridge } = await loadMemgrid();
 * ```
 */
export async function loadMemgrid(): Promise<MemgridApi> {
  const module = await importIndex();
  check(module, REQUIRED);
  return module as unknown as MemgridApi;
}

/** memgrid's synthetic-data generators and `saveNpy`, or a {@link SkipSide}. */
export async function loadGenerators(): Promise<GeneratorApi> {
  const module = await importIndex();
  check(module, GENERATORS);
  return module as unknown as GeneratorApi;
}
