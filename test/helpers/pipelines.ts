/**
 * Loads test/fixtures/search/pipelines.json and logistic-weights.json (written by
 * scripts/pipeline_fixtures.py with Debian's scikit-learn 1.2) as NdArrays.
 */
import { readFileSync } from 'node:fs';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';

export interface SearchRef {
  name: string;
  cvResults: Record<string, unknown[]>;
  bestIndex: number;
  bestScore: number;
  predict: number[];
  predictProba?: number[][];
  warnings: string[];
  scaler?: { mean: number[]; var: number[]; scale: number[]; nSamplesSeen: number };
  model: { coef: number[]; intercept: number[] };
}

export interface ScalerRef {
  withMean: boolean;
  withStd: boolean;
  weights?: number[];
  mean: number[] | null;
  var: number[] | null;
  scale: number[] | null;
  nSamplesSeen: number;
  transform: number[][];
}

interface RawData { X: number[][]; y: number[]; weights?: number[] }

export interface PipelinesFixture {
  datasets: Record<'diabetes' | 'wine' | 'cancer', RawData>;
  predictRows: number[];
  scaler: { X: number[][]; cases: ScalerRef[] };
  ridgeWeights: {
    weights: number[];
    cases: { alpha: number; fitIntercept: boolean; coef: number[]; intercept: number[]; predict: number[] }[];
    onRows: { rows: number[]; alpha: number; coef: number[]; intercept: number[]; predict: number[] };
  };
  searches: SearchRef[];
  learningCurveWeights: { alpha: number; requested: number[]; trainSizes: number[]; trainScores: number[][]; testScores: number[][] };
}

export const pipelines = JSON.parse(
  readFileSync(new URL('../fixtures/search/pipelines.json', import.meta.url), 'utf8'),
) as PipelinesFixture;

/** A C-order float64 matrix from nested rows. */
export function matrixOf(rows: number[][]): NdArray<'float64'> {
  return ndarray('float64', [rows.length, rows[0]!.length], Float64Array.from(rows.flat()));
}

/** A float64 vector. */
export function vectorOf(values: number[]): NdArray<'float64'> {
  return ndarray('float64', [values.length], Float64Array.from(values));
}

/** X, y and the per-row weights of a fixture dataset. */
export function pipelineData(name: 'diabetes' | 'wine' | 'cancer'): { X: NdArray<'float64'>; y: NdArray<'float64'>; w?: Float64Array } {
  const raw = pipelines.datasets[name];
  return { X: matrixOf(raw.X), y: vectorOf(raw.y), ...(raw.weights ? { w: Float64Array.from(raw.weights) } : {}) };
}

/** The search fixture called `name`. */
export function searchRef(name: string): SearchRef {
  const found = pipelines.searches.find((s) => s.name === name);
  if (!found) throw new Error(`no search fixture ${name}`);
  return found;
}

/**
 * Largest difference between memgrid's and scikit-learn's score columns, relative to
 * max(|reference|, 1); NaN must match NaN (null in the fixture). Ranks must be equal.
 */
export function scoreColumnsDiff(got: Readonly<Record<string, readonly unknown[]>>, want: Record<string, unknown[]>): number {
  let worst = 0;
  for (const [key, values] of Object.entries(want)) {
    if (key === 'params') continue;
    const mine = got[key];
    if (!mine) throw new Error(`missing column ${key}`);
    values.forEach((v, i) => {
      const m = mine[i] as number;
      if (v === null) {
        if (!Number.isNaN(m)) throw new Error(`${key}[${i}]: expected NaN, found ${m}`);
        return;
      }
      if (key.startsWith('rank_') && m !== v) throw new Error(`${key}[${i}]: rank ${m}, expected ${String(v)}`);
      worst = Math.max(worst, Math.abs(m - (v as number)) / Math.max(Math.abs(v as number), 1));
    });
  }
  return worst;
}
