/**
 * How close to exact the solver asks a Hessian to be, and what a multinomial sweep may leave out
 * for it (logistic-solver.ts HESSIAN_TOLERANCE, logistic-problem.ts negligibleTerm; the kernel's
 * side is in kernels/backends.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { matrixWindows } from '../../src/models/checks.js';
import { encodeLabels } from '../../src/models/logistic-labels.js';
import { logisticProblem, negligibleTerm, type LogisticProblem } from '../../src/models/logistic-problem.js';
import { solveLogisticPath } from '../../src/models/logistic-solver.js';
import { rowSegments } from '../../src/models/segments.js';
import { uniformSource } from '../helpers/random.js';

describe('negligibleTerm', () => {
  test('splits the tolerance over the 2·rows·k(k−1)/2 bound of every term left out', () => {
    expect(negligibleTerm(1e-8, 48_000, 10)).toBeCloseTo(1e-8 / (2 * 48_000 * 45), 30);
    expect(negligibleTerm(1, 10, 3)).toBe(1 / 60);
  });
  test('is 0 (sum every term) for binary problems, no tolerance or no rows', () => {
    expect(negligibleTerm(1e-8, 1000, 1)).toBe(0);
    expect(negligibleTerm(0, 1000, 3)).toBe(0);
    expect(negligibleTerm(1e-8, 0, 3)).toBe(0);
  });
});

describe('the solver\'s Hessian tolerance', () => {
  const n = 600;
  const d = 4;
  const random = uniformSource('hessian-tolerance');
  const values = Float64Array.from({ length: n * d }, () => 4 * random() - 2);
  const labels = Float64Array.from({ length: n }, (_, i) => (values[i * d]! < -0.7 ? 0 : values[i * d]! < 0.7 ? 1 : 2));
  const problem = logisticProblem({
    segments: rowSegments(matrixWindows(ndarray('float64', [n, d], values)), undefined), labels: encodeLabels(labels, undefined), fitIntercept: true,
  });

  test('is 1e-6 of the penalty\'s curvature λ·min π at the C being fitted, with every Hessian', () => {
    const asked: number[] = [];
    const spied = Object.create(problem, {
      evaluate: {
        value: (beta: Float64Array, grad: Float64Array, hess: Float64Array | undefined, tolerance?: number): number => {
          if (hess !== undefined) asked.push(tolerance ?? 0);
          return problem.evaluate(beta, grad, hess, tolerance);
        },
      },
    }) as LogisticProblem;
    const fits = solveLogisticPath(spied, [0.1, 10], { tol: 1e-8, maxIter: 100 });
    expect(fits.every((f) => f.report.converged)).toBe(true);
    expect(asked.length).toBeGreaterThan(0);
    // π = 1 on every feature (no scaler), 0 on the intercepts: λ·min π = 1/C.
    for (const t of asked) expect([1e-6 / 0.1, 1e-6 / 10].some((want) => Math.abs(t - want) <= 1e-12 * want)).toBe(true);
  });
});
