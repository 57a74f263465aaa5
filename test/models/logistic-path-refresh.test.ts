/**
 * A path's fit may start with a fresh Hessian for the sake of the fits after it
 * (logistic-solver.ts, pathRefreshPays): where the last fit needed many gradient passes on a
 * curvature from an earlier C, a fresh one pays over the rest of the path. The fits still end at
 * the optimum a cold fit of that C alone reaches.
 */
import { describe, expect, test } from 'vitest';
import { fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { factorCostRatio, hessianCostRatio, pathRefreshPays } from '../../src/models/logistic-solver.js';
import { correlatedBinary } from '../helpers/correlated.js';
import { maxRelErr } from './logistic-fixtures.js';

describe('pathRefreshPays', () => {
  test('pays when the passes saved over this and the later fits exceed twice the curvature cost', () => {
    // min(9 + 1, 8) fits × (6 − 2) passes = 32 > 2 × 12.1
    expect(pathRefreshPays(9, 6, 12.1)).toBe(true);
    // 2 × (10 − 2) = 16, not more than 2 × 8; one pass more is
    expect(pathRefreshPays(1, 10, 8)).toBe(false);
    expect(pathRefreshPays(1, 11, 8)).toBe(true);
    // a fit that would take what a fresh curvature gives saves nothing
    expect(pathRefreshPays(11, 2, 0.5)).toBe(false);
  });

  test('counts at most 8 fits: a long path of cheap fits does not buy a Hessian every other fit', () => {
    // 8 × (4 − 2) = 16 < 2 × 12.1, however many fits follow (51 × 2 would pay)
    expect(pathRefreshPays(50, 4, 12.1)).toBe(false);
    expect(pathRefreshPays(7, 4, 7.9)).toBe(true);
    expect(pathRefreshPays(50, 4, 8)).toBe(false);
  });

  test('never for a single fit, nor after a fit that took a fresh curvature itself', () => {
    expect(pathRefreshPays(0, 100, 1)).toBe(false);
    expect(pathRefreshPays(9, Number.NaN, 1)).toBe(false);
  });
});

describe('a binary path with correlated features', () => {
  // 4,000 rows × 48 columns, each column 0.9 of the last plus noise (what makes the benchmark's
  // LW slow on an old curvature), labels from the first 12. Without the rule the fits after the
  // first take 5, 6, 7, 5, 5, 4 gradient passes (and a Hessian in the fifth); with it the third,
  // fifth and seventh start with a Hessian: 38 gradient passes and 5 Hessians for the path
  // instead of 49 and 3.
  const n = 4000;
  const d = 48;
  const { X, y } = correlatedBinary(n, d, 'path-refresh');
  const fold = Int32Array.from({ length: n - n / 5 }, (_, i) => i + n / 5);
  const Cs = Array.from({ length: 12 }, (_, i) => 10 ** (-4 + (6 * i) / 11));
  const params = { fitIntercept: true, maxIter: 100, tol: 1e-8 };
  const path = fitLogisticPathDetailed(X, y, fold, Cs, params);

  test('a fit starts with a fresh Hessian where the passes of the fit before it make one pay', () => {
    const cost = hessianCostRatio(1, d + 1) + factorCostRatio(d + 1, fold.length);
    const due = path.reports.map((_, c) => {
      const last = path.reports[c - 1];
      return c >= 1 && last!.hessianPasses === 0 && pathRefreshPays(Cs.length - 1 - c, last!.gradientPasses, cost);
    });
    expect(due.filter(Boolean).length).toBeGreaterThan(0);
    for (let c = 0; c < Cs.length; c++) if (due[c]) expect(path.reports[c]!.hessianPasses).toBeGreaterThan(0);
    // And the first fit refreshed converges in fewer gradient passes than the one before it.
    const first = due.indexOf(true);
    expect(path.reports[first]!.gradientPasses).toBeLessThan(path.reports[first - 1]!.gradientPasses);
  });

  test('every fit ends at the optimum a cold fit of its C reaches', () => {
    expect(path.reports.every((r) => r.converged)).toBe(true);
    for (let c = 0; c < Cs.length; c++) {
      const cold = fitLogisticPathDetailed(X, y, fold, [Cs[c]!], params);
      // Both stop within tol 1e-8 of the optimum (Newton's decrement), by different steps.
      expect(maxRelErr(path.coefficients[c]!, cold.coefficients[0]!)).toBeLessThan(1e-6);
    }
  });
});
