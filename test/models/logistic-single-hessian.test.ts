/**
 * The solver lets a Hessian's products be summed in single precision where their rounding
 * provably slows an exact step by at most singlePrecisionRate(tol) (logistic-solver.ts): the fits
 * reach the same optima, by the same steps, as with every Hessian in double precision, and where
 * the bound is too large for the budget (unscaled breast_cancer from C = 0.1) nothing changes at all.
 * Tolerance: 1e-10 of the largest coefficient between the two (both fits end within tol 1e-8 of
 * the optimum in Newton's decrement; their difference is the rounding's, far below).
 */
import { describe, expect, test } from 'vitest';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { matrixWindows } from '../../src/models/checks.js';
import { encodeLabels } from '../../src/models/logistic-labels.js';
import { fitting, logisticProblem, type LogisticProblem } from '../../src/models/logistic-problem.js';
import { singlePrecisionRate, solveLogisticPath, type PathSolution } from '../../src/models/logistic-solver.js';
import { rowSegments } from '../../src/models/segments.js';
import { correlatedBinary } from '../helpers/correlated.js';
import { uniformSource } from '../helpers/random.js';
import { dataset, maxRelErr } from './logistic-fixtures.js';

const Cs = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4];
const settings = { tol: 1e-8, maxIter: 100 };

function problemOf(X: NdArray<'float64'>, y: NdArray<'float64'>): LogisticProblem {
  return logisticProblem({ segments: rowSegments(matrixWindows(X), undefined), labels: encodeLabels(y.data, undefined), fitIntercept: true });
}

/** The path as the solver runs it, and with every Hessian summed in double precision (no rounding budget). */
function bothWays(problem: LogisticProblem, path: readonly number[] = Cs): { solver: PathSolution[]; double: PathSolution[] } {
  const double: LogisticProblem = { ...problem, evaluate: (beta, grad, hess, tolerance) => problem.evaluate(beta, grad, hess, tolerance, 0) };
  return {
    solver: fitting(() => solveLogisticPath(problem, path, settings)),
    double: fitting(() => solveLogisticPath(double, path, settings)),
  };
}

const passes = (fits: PathSolution[]): string[] => fits.map((f) => `${f.report.gradientPasses}/${f.report.hessianPasses}`);

describe('singlePrecisionRate', () => {
  test('is target/tol, at most 0.1: the last, untested step stays within twice the target', () => {
    expect(singlePrecisionRate(1e-8)).toBeCloseTo(0.1, 15); // target 1e-9
    expect(singlePrecisionRate(1e-9)).toBe(0.1); // target/tol = 1, capped
    expect(singlePrecisionRate(1e-6)).toBeCloseTo(1e-3, 15); // target 1e-9
    expect(singlePrecisionRate(1e-4)).toBeCloseTo(1e-4, 15); // target tol² = 1e-8
  });
});

describe('a binary path whose Hessians may round in single precision', () => {
  // 4,000 rows × 48 correlated columns (each 0.9 of the last plus noise), labels from the first 12.
  const { X, y } = correlatedBinary(4000, 48, 'single-hessian');
  const { solver, double } = bothWays(problemOf(X, y));

  test('rounds where the budget allows: some solutions differ from the double-precision ones in their last bits', () => {
    expect(solver.some((fit, c) => fit.beta.some((v, j) => v !== double[c]!.beta[j]))).toBe(true);
  });

  test('takes the same steps and ends at the same optima', () => {
    expect(passes(solver)).toEqual(passes(double));
    for (let c = 0; c < Cs.length; c++) {
      expect(solver[c]!.report.converged).toBe(true);
      expect(maxRelErr(solver[c]!.beta, double[c]!.beta, 0), `C=${Cs[c]}`).toBeLessThan(1e-10);
    }
  });
});

describe('a multinomial path whose class pairs may round in single precision', () => {
  // 3,000 rows × 12 features, 4 classes by which of four directions a row leans to most.
  const n = 3000;
  const d = 12;
  const random = uniformSource('single-hessian-multinomial');
  const values = Float64Array.from({ length: n * d }, () => random() * 2 - 1);
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < 4; c++) {
      const score = values[i * d + c]! - 0.5 * values[i * d + c + 4]! + 0.3 * (random() - 0.5);
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    labels[i] = best;
  }
  const { solver, double } = bothWays(problemOf(ndarray('float64', [n, d], values), ndarray('float64', [n], labels)));

  test('rounds, and takes the same steps to the same optima', () => {
    expect(solver.some((fit, c) => fit.beta.some((v, j) => v !== double[c]!.beta[j]))).toBe(true);
    expect(passes(solver)).toEqual(passes(double));
    for (let c = 0; c < Cs.length; c++) {
      expect(solver[c]!.report.converged).toBe(true);
      expect(maxRelErr(solver[c]!.beta, double[c]!.beta, 0), `C=${Cs[c]}`).toBeLessThan(1e-10);
    }
  });
});

describe('unscaled breast_cancer (features up to ~4,000)', () => {
  // Single fits: a path's later fits start from the earlier ones' bits, so only single fits can be held bit for bit.
  const { X, y } = dataset('breast_cancer');
  const problem = problemOf(X, y);
  const fits = Cs.map((C) => bothWays(problem, [C]));

  test('from C = 0.1 on, the rounding bound exceeds the budget: every fit is the double-precision one, bit for bit', () => {
    Cs.forEach((C, c) => {
      if (C >= 0.1) expect(Array.from(fits[c]!.solver[0]!.beta), `C=${C}`).toEqual(Array.from(fits[c]!.double[0]!.beta));
    });
  });

  test('below it, the fits round and still take the same steps to the same optima', () => {
    expect(fits.some((f) => f.solver[0]!.beta.some((v, j) => v !== f.double[0]!.beta[j]))).toBe(true);
    Cs.forEach((C, c) => {
      expect(passes(fits[c]!.solver), `C=${C}`).toEqual(passes(fits[c]!.double));
      expect(maxRelErr(fits[c]!.solver[0]!.beta, fits[c]!.double[0]!.beta, 0), `C=${C}`).toBeLessThan(1e-10);
    });
  });
});
