/**
 * A logistic problem on many rows centres them on a sample's column means (logistic-problem.ts,
 * rowMeans). Any shift is exact, so the fit must still be the optimum of scikit-learn's
 * objective in raw coordinates: checked here by the gradient of that objective, computed
 * naively from raw X (no memgrid coordinates involved), on uncentred, unevenly scaled features,
 * for a fold's rows, on one X in memory and on the same X mapped in many row windows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import type { FloatMatrix } from '../../src/models/estimator.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { uniformSource } from '../helpers/random.js';

const n = 20_000; // well past the 8,192 rows below which every row is averaged
const d = 5;
const OFFSETS = [1000, -50, 3, 0, 2e4];
const SCALES = [1, 20, 0.01, 5, 300];
const random = uniformSource('logistic-shift');
const values = Float64Array.from({ length: n * d }, (_, i) => OFFSETS[i % d]! + SCALES[i % d]! * (2 * random() - 1));
const labels = Float64Array.from({ length: n }, (_, i) => {
  const z = (values[i * d]! - 1000) + 0.05 * (values[i * d + 1]! + 50) + 0.5 * (random() - 0.5);
  return z > 0 ? 1 : 0;
});
// A fold's training rows: not every row, not in one run.
const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2);
const C = 0.5;

/** ‖∇‖ / ‖∇ at 0‖ of scikit-learn's objective Σ log-loss + ‖w‖²/(2C) over `rows`, in raw coordinates. */
function relativeGradient(coef: Float64Array, intercept: number): number {
  const at = (w: Float64Array, b: number): number[] => {
    const g = new Array<number>(d + 1).fill(0);
    for (const i of rows) {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * values[i * d + j]!;
      const r = 1 / (1 + Math.exp(-z)) - labels[i]!;
      for (let j = 0; j < d; j++) g[j]! += r * values[i * d + j]!;
      g[d]! += r;
    }
    for (let j = 0; j < d; j++) g[j]! += w[j]! / C;
    return g;
  };
  return Math.hypot(...at(coef, intercept)) / Math.hypot(...at(new Float64Array(d), 0));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memgrid-shift-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a shift from a sample of the rows', () => {
  test('the fit is the raw objective\'s optimum, in memory and across row windows', () => {
    const X = ndarray('float64', [n, d], values);
    const y = ndarray('float64', [n], labels);
    const inMemory = new LogisticRegression({ C, tol: 1e-8, maxIter: 1000 }).fit(X, y, rows);
    saveNpy(path.join(dir, 'X.npy'), X);
    const saved = process.env.MEMGRID_MAP_WINDOW_BYTES;
    process.env.MEMGRID_MAP_WINDOW_BYTES = String(97 * d * 8); // 97 rows a window: windows and the sample's step do not line up
    let windowed: LogisticRegression;
    try {
      const mapped = openNpy(path.join(dir, 'X.npy'), { mode: 'r' }) as FloatMatrix;
      expect(mapped.windows?.length).toBeGreaterThan(100);
      windowed = new LogisticRegression({ C, tol: 1e-8, maxIter: 1000 }).fit(mapped, y, rows);
    } finally {
      if (saved === undefined) delete process.env.MEMGRID_MAP_WINDOW_BYTES;
      else process.env.MEMGRID_MAP_WINDOW_BYTES = saved;
    }
    for (const model of [inMemory, windowed]) {
      expect(model.solverReport()!.converged).toBe(true);
      expect(relativeGradient(model.coef, model.intercept[0]!)).toBeLessThan(1e-7);
    }
    const gap = Math.max(...Array.from(inMemory.coef, (w, j) => Math.abs(w - windowed.coef[j]!) / Math.abs(w)));
    expect(gap).toBeLessThan(1e-7);
  });
});
