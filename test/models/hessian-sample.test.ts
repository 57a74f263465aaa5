/**
 * The multinomial Hessian sample (logistic-problem.ts): which rows a sampled Hessian reads for
 * a problem's shape, and that a fit through sampled Hessians still ends at the optimum (the
 * bundled datasets are too small to be sampled, so no fixture test takes this route).
 */
import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { matrixWindows } from '../../src/models/checks.js';
import { encodeLabels } from '../../src/models/logistic-labels.js';
import { logisticProblem } from '../../src/models/logistic-problem.js';
import { fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { rowSegments } from '../../src/models/segments.js';
import { uniformSource } from '../helpers/random.js';

const n = 20_000;
const d = 19; // 4 classes × (19 + 1) = 80 unknowns: 60 per unknown is 4,800 rows, 30 per unknown 2,400
const random = uniformSource('hessian-sample');
const values = Float64Array.from({ length: n * d }, () => 2 * random() - 1);
// Labels from a noisy linear rule, so every class is present in any large subset.
const labels = Float64Array.from({ length: n }, (_, i) => {
  const z = values[i * d]! + 0.5 * values[i * d + 1]! + 0.3 * (random() - 0.5);
  return z < -0.5 ? 0 : z < 0 ? 1 : z < 0.5 ? 2 : 3;
});
const X = ndarray('float64', [n, d], values);
const y = ndarray('float64', [n], labels);

function problemOn(rows: Int32Array | undefined, target: Float64Array = labels) {
  return logisticProblem({ segments: rowSegments(matrixWindows(X), rows), labels: encodeLabels(target, rows), fitIntercept: true });
}

/**
 * |penalised gradient| at `packed` (raw coefficients fitted at C) over |data gradient| at 0: how
 * far from the optimum the fit ended, in a measure independent of the data's scale. The data term
 * is a sum over rows, so λ = 1/C (scikit-learn's objective over C).
 */
function penalisedGradientRatio(problem: ReturnType<typeof problemOn>, packed: Float64Array, C: number): number {
  const grad = new Float64Array(problem.size);
  problem.evaluate(new Float64Array(problem.size), grad);
  const scale = Math.hypot(...grad);
  const beta = problem.fromPacked(packed, 'raw');
  problem.evaluate(beta, grad);
  let norm = 0;
  for (let j = 0; j < problem.size; j++) {
    const g = problem.fixed[j] === 1 ? 0 : grad[j]! + (1 / C) * problem.penaltyWeight[j]! * beta[j]!;
    norm += g * g;
  }
  return Math.sqrt(norm) / scale;
}

const firstRows = (m: number): Int32Array => Int32Array.from({ length: m }, (_, i) => i);

describe('the multinomial Hessian sample', () => {
  test('every 4th row where 60 rows per unknown fit four times; every 2nd where half the rows keep 30 per unknown and 4,000; all rows below that', () => {
    expect(problemOn(undefined).hessianFraction).toBe(0.25); // ⌊20,000 / 4,800⌋ = 4
    expect(problemOn(firstRows(9000)).hessianFraction).toBe(0.5); // ⌊9,000 / 4,800⌋ = 1, raised to 2
    expect(problemOn(firstRows(7000)).hessianFraction).toBe(1); // 3,500 rows would be under 4,000
    expect(problemOn(undefined, Float64Array.from(labels, (c) => (c > 1 ? 1 : 0))).hessianFraction).toBe(1); // binary: never sampled
  });

  test('a sampled Hessian serves the gradient passes after it: no fit takes one at every step', () => {
    // A sampled Hessian's steps converge linearly; counted as quadratic, the solver took a fresh
    // one at nearly every step (this path: 4 to 19 per fit against 3 to 4 gradient passes, 73
    // Hessians in all; now 1 to 4 per fit against 4 to 8 gradient passes).
    const Cs = [1e-4, 1e-3, 0.01, 0.1, 1, 10, 100];
    const { reports } = fitLogisticPathDetailed(X, y, undefined, Cs, { fitIntercept: true, maxIter: 200, tol: 1e-8 });
    let hessians = 0, gradients = 0;
    for (const r of reports) {
      expect(r.converged).toBe(true);
      expect(r.hessianPasses).toBeLessThan(r.gradientPasses);
      hessians += r.hessianPasses;
      gradients += r.gradientPasses;
    }
    expect(hessians).toBeLessThanOrEqual(gradients / 2);
  });

  test('a path through sampled Hessians ends at each C\'s optimum: penalised gradient ≤ 1e-9 of the data gradient at 0', () => {
    const Cs = [0.01, 1, 100];
    const path = fitLogisticPathDetailed(X, y, undefined, Cs, { fitIntercept: true, maxIter: 200, tol: 1e-8 });
    const problem = problemOn(undefined);
    expect(problem.hessianFraction).toBeLessThan(1);
    path.coefficients.forEach((packed, i) => {
      expect(path.reports[i]!.converged).toBe(true);
      expect(penalisedGradientRatio(problem, packed, Cs[i]!)).toBeLessThan(1e-9); // measured 6e-14 to 4e-11
    });
  });

  test('where the classes are almost separated, the sample\'s cut-back steps make the solver take Hessians over all rows: the last fit converges in a few steps, on the optimum', () => {
    // Four classes from a near-deterministic rule (noise 0.005): at C = 1e4 the curvature sits in
    // the few rows near the class boundaries, which every 5th row mostly misses. Through sampled
    // Hessians that fit took 33 steps and 24 Hessians (full steps cut back by the line search);
    // on all rows, once the sample's steps were cut back, 8 steps and 2 Hessians.
    const rand = uniformSource('almost-separated');
    const xs = Float64Array.from({ length: n * 9 }, () => 2 * rand() - 1);
    const classes = Float64Array.from({ length: n }, (_, i) => {
      const z = xs[i * 9]! + 0.5 * xs[i * 9 + 1]! + 0.005 * (rand() - 0.5);
      return Math.min(3, Math.max(0, Math.floor(((z + 1.5) / 3) * 4)));
    });
    const Xs = ndarray('float64', [n, 9], xs);
    const problem = logisticProblem({ segments: rowSegments(matrixWindows(Xs), undefined), labels: encodeLabels(classes, undefined), fitIntercept: true });
    expect(problem.hessianFraction).toBe(0.2); // every 5th row: ⌊20,000 / (60 × 40)⌋
    const Cs = [0.01, 1, 100, 1e4];
    const path = fitLogisticPathDetailed(Xs, ndarray('float64', [n], classes), undefined, Cs, { fitIntercept: true, maxIter: 30, tol: 1e-8 });
    const last = path.reports[3]!;
    expect(last.converged).toBe(true);
    expect(last.nIter).toBeLessThanOrEqual(15);
    expect(last.hessianPasses).toBeLessThanOrEqual(6);
    expect(penalisedGradientRatio(problem, path.coefficients[3]!, Cs[3]!)).toBeLessThan(1e-9);
  });
});
