/**
 * Where a full Hessian costs many gradient passes (many columns for few rows), the solver
 * spends a share of that cost on gradient passes before it buys one (logistic-solver.ts,
 * FRESH_CURVATURE_BUDGET): a path then takes fewer Hessians than fits, and still ends each fit
 * at the optimum a cold fit of that C alone reaches.
 */
import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { hessianCostRatio } from '../../src/models/logistic-solver.js';
import { uniformSource } from '../helpers/random.js';
import { maxRelErr } from './logistic-fixtures.js';

// 500 rows × 240 columns, 400 in the fold: a Hessian of 241 columns is modelled at ~27 gradient
// passes, its factorisation at ~24, so the rule applies (buying at once is for under 16).
const n = 500;
const d = 240;
const random = uniformSource('hessian-budget');
const values = Float64Array.from({ length: n * d }, () => 2 * random() - 1);
const labels = Float64Array.from({ length: n }, (_, i) => {
  let z = 0;
  for (let j = 0; j < 12; j++) z += values[i * d + j]! * (j % 2 === 0 ? 1 : -0.7);
  return z + 0.8 * (random() - 0.5) > 0 ? 1 : 0;
});
const X = ndarray('float64', [n, d], values);
const y = ndarray('float64', [n], labels);
const fold = Int32Array.from({ length: n - n / 5 }, (_, i) => i + n / 5);
const Cs = [0.001, 0.01, 0.1, 1, 10, 100];
const params = { fitIntercept: true, maxIter: 10_000, tol: 1e-8 };

describe('expensive Hessians are bought after a share of their cost in gradient passes', () => {
  test('the problem is one where a Hessian is expensive', () => {
    expect(hessianCostRatio(1, d + 1)).toBeGreaterThan(16);
  });

  test('a wide binary path takes fewer Hessians than fits, each fit at the optimum a cold fit reaches', () => {
    const path = fitLogisticPathDetailed(X, y, fold, Cs, params);
    const hessians = path.reports.reduce((sum, r) => sum + r.hessianPasses, 0);
    // Buying at once took 7 for these 6 fits (one in every fit, two in the first); with the budget 4.
    expect(hessians).toBeLessThan(Cs.length);
    expect(path.reports.every((r) => r.converged)).toBe(true);
    for (let c = 0; c < Cs.length; c++) {
      const cold = fitLogisticPathDetailed(X, y, fold, [Cs[c]!], params);
      // Both stop within tol 1e-8 of the optimum, by different steps.
      expect(maxRelErr(path.coefficients[c]!, cold.coefficients[0]!)).toBeLessThan(1e-6);
    }
  });
});

describe('the budget never outlasts maxIter', () => {
  // 200 rows × 600 columns, 160 in the fold: a Hessian modelled at ~109 passes and its factorisation at ~376,
  // a quarter of that 121 passes. At maxIter 12 the budget is 3 passes, and each fit converges; held to
  // 121, two of the three fits stopped at maxIter on quasi-Newton steps.
  const wn = 200;
  const wd = 600;
  const wide = uniformSource('hessian-budget-wide');
  const wv = Float64Array.from({ length: wn * wd }, () => 2 * wide() - 1);
  const wy = Float64Array.from({ length: wn }, (_, i) => (wv[i * wd]! - 0.5 * wv[i * wd + 1]! + 0.5 * (wide() - 0.5) > 0 ? 1 : 0));
  const WX = ndarray('float64', [wn, wd], wv);
  const Wy = ndarray('float64', [wn], wy);
  const wfold = Int32Array.from({ length: wn - wn / 5 }, (_, i) => i + wn / 5);

  test('every fit of a path at a small maxIter converges', () => {
    const path = fitLogisticPathDetailed(WX, Wy, wfold, [0.01, 1, 100], { fitIntercept: true, maxIter: 12, tol: 1e-8 });
    expect(path.reports.map((r) => r.converged)).toEqual([true, true, true]);
  });
});
