/** Loads test/fixtures/search/parity.json (written by scripts/search_parity_fixtures.py) as NdArrays. */
import { readFileSync } from 'node:fs';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';

interface RawDataset { X: number[][]; y: number[] }
export interface GridCase {
  name: string;
  grid: Record<string, unknown[]> | Record<string, unknown[]>[];
  scoring: string | string[];
  refit: string | boolean;
  cvResults: Record<string, unknown[]>;
  bestIndex: number;
  bestScore: number;
  bestCoef: number[];
  bestIntercept: number[];
}
export interface Parity {
  datasets: Record<'diabetes' | 'cancer' | 'synthetic', RawDataset>;
  grids: GridCase[];
  learningCurve: { requested: number[]; trainSizes: number[]; trainScores: number[][]; testScores: number[][] };
  learningCurveCounts: { requested: number[]; scoring: string; trainSizes: number[]; trainScores: number[][]; testScores: number[][] };
  validationCurve: { values: number[]; trainScores: number[][]; testScores: number[][] };
}

export const parity = JSON.parse(
  readFileSync(new URL('../fixtures/search/parity.json', import.meta.url), 'utf8'),
) as Parity;

/** X as a C-ordered float64 NdArray, y as float64 (or int64 when `intLabels`). */
export function dataset(name: keyof Parity['datasets'], intLabels = false): { X: NdArray<'float64'>; y: NdArray } {
  const raw = parity.datasets[name];
  const X = ndarray('float64', [raw.X.length, raw.X[0]!.length], Float64Array.from(raw.X.flat()));
  const y = intLabels
    ? ndarray('int64', [raw.y.length], BigInt64Array.from(raw.y.map((v) => BigInt(v))))
    : ndarray('float64', [raw.y.length], Float64Array.from(raw.y));
  return { X, y };
}

/**
 * Largest |a - b| / max(|b|, floor) over two number lists; Infinity when their lengths differ
 * (so a missing column or a short result can never pass as "no difference").
 */
export function maxRelDiff(a: readonly unknown[], b: readonly unknown[], floor = 1e-12): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  a.forEach((v, i) => {
    const x = v as number;
    const y = b[i] as number;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), floor));
  });
  return worst;
}
