/**
 * A fit seeded with another set of rows' curvature (logistic-path.ts `curvature`, the solver's
 * seedCurvature): what a multinomial search's refit starts from, a fold's Hessian. Only the
 * steps may change: the fit must end at the optimum a fit without the seed reaches, and it must
 * save what it is for, the Hessian. Fits whose Hessian is cheap next to a gradient pass or to
 * its factorisation (binary on few columns, multinomial on very few rows), or so dear that its
 * D² values are not worth sending (binary on 161 columns or more), neither keep nor take
 * curvatures.
 */
import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { fitLogisticPathDetailed, type FoldCurvature } from '../../src/models/logistic-path.js';
import { matrixWindows } from '../../src/models/checks.js';
import { encodeLabels } from '../../src/models/logistic-labels.js';
import { logisticProblem } from '../../src/models/logistic-problem.js';
import { rowSegments } from '../../src/models/segments.js';
import { uniformSource } from '../helpers/random.js';
import { maxRelErr } from './logistic-fixtures.js';

const n = 20_000;
const d = 20;
const random = uniformSource('curvature');
const values = Float64Array.from({ length: n * d }, (_, i) => (2 * random() - 1) * (1 + (i % d)));
const scores = Float64Array.from({ length: n }, (_, i) => values[i * d]! - 0.3 * values[i * d + 3]! + 0.5 * (random() - 0.5));
const X = ndarray('float64', [n, d], values);
// Six classes over 20 features on 20,000 rows (16,000 in the fold): 126 unknowns, a Hessian sampled on
// every 2nd row and costing ~6 gradient passes, where a seed pays (see worthSeeding).
const k = 6;
const cuts = Array.from({ length: k - 1 }, (_, q) => Float64Array.from(scores).sort()[Math.floor(((q + 1) * n) / k)]!);
const sixClasses = ndarray('float64', [n], Float64Array.from(scores, (z) => cuts.filter((t) => z >= t).length));
const binary = ndarray('float64', [n], Float64Array.from(scores, (z) => (z > 0 ? 1 : 0)));
const fold = Int32Array.from({ length: n - n / 5 }, (_, i) => i + n / 5);
const Cs = [0.01, 0.1, 1, 10];
const params = { fitIntercept: true, maxIter: 200, tol: 1e-8 };


describe('curvatures kept along a path and seeded into a fit on other rows', () => {
  test('a multinomial path hands back, per C, the Hessian its fit ended with (one array per Hessian taken)', () => {
    const path = fitLogisticPathDetailed(X, sixClasses, fold, Cs, params, { keepCurvatures: true });
    const { hess, weightSum } = path.curvatures!;
    expect(weightSum).toBe(fold.length);
    expect(hess).toHaveLength(Cs.length);
    const size = k * (d + 1);
    for (const h of hess) {
      expect(h).toBeInstanceOf(Float64Array);
      expect(h!.length).toBe(size * size);
      expect(h!.every(Number.isFinite)).toBe(true);
    }
    const distinct = new Set(hess).size;
    const taken = path.reports.reduce((sum, r) => sum + r.hessianPasses, 0);
    expect(distinct).toBeGreaterThanOrEqual(1);
    expect(distinct).toBeLessThanOrEqual(taken);
    // Without asking, none are kept.
    expect(fitLogisticPathDetailed(X, sixClasses, fold, Cs, params).curvatures).toBeUndefined();
  });

  test('a fit on all rows from a fold\'s solution ends at the same optimum seeded, without taking a Hessian', () => {
    const path = fitLogisticPathDetailed(X, sixClasses, fold, Cs, params, { keepCurvatures: true });
    for (const at of [1, 2]) {
      const start = path.coefficients[at]!;
      const curvature: FoldCurvature = { hess: path.curvatures!.hess[at]!, weightSum: path.curvatures!.weightSum };
      const plain = fitLogisticPathDetailed(X, sixClasses, undefined, [Cs[at]!], params, { start });
      const seeded = fitLogisticPathDetailed(X, sixClasses, undefined, [Cs[at]!], params, { start, curvature });
      expect(maxRelErr(seeded.coefficients[0]!, plain.coefficients[0]!, 0)).toBeLessThan(1e-8);
      expect(seeded.reports[0]!.converged).toBe(true);
      expect(plain.reports[0]!.hessianPasses).toBeGreaterThanOrEqual(1);
      expect(seeded.reports[0]!.hessianPasses).toBe(0);
    }
  });

  test('a seed of the wrong size, with a non-finite value or no weight is ignored: the fit is the unseeded one', () => {
    const path = fitLogisticPathDetailed(X, sixClasses, fold, Cs, params, { keepCurvatures: true });
    const start = path.coefficients[2]!;
    const good = path.curvatures!.hess[2]!;
    const plain = fitLogisticPathDetailed(X, sixClasses, undefined, [Cs[2]!], params, { start });
    const nonFinite = good.slice();
    nonFinite[5] = Number.NaN;
    for (const curvature of [
      { hess: good.subarray(1), weightSum: fold.length }, { hess: nonFinite, weightSum: fold.length }, { hess: good, weightSum: 0 },
    ]) {
      const fit = fitLogisticPathDetailed(X, sixClasses, undefined, [Cs[2]!], params, { start, curvature });
      expect(Array.from(fit.coefficients[0]!)).toEqual(Array.from(plain.coefficients[0]!));
      expect(fit.reports[0]!.hessianPasses).toBe(plain.reports[0]!.hessianPasses);
    }
  });

  test('fits whose Hessian costs little next to the passes or its factorisation keep none and ignore a seed: binary, and multinomial on very few rows', () => {
    expect(fitLogisticPathDetailed(X, binary, fold, Cs, params, { keepCurvatures: true }).curvatures).toBeUndefined();
    const start = fitLogisticPathDetailed(X, binary, fold, [1], params).coefficients[0]!;
    const plain = fitLogisticPathDetailed(X, binary, undefined, [1], params, { start });
    const hess = new Float64Array((d + 1) * (d + 1)).map((_, i) => (i % (d + 2) === 0 ? 1 : 0));
    const seeded = fitLogisticPathDetailed(X, binary, undefined, [1], params, { start, curvature: { hess, weightSum: n } });
    expect(Array.from(seeded.coefficients[0]!)).toEqual(Array.from(plain.coefficients[0]!));
    // 300 rows, 126 unknowns: factoring (~9 gradient passes) costs more than half the Hessian pass (~11).
    const tiny = Int32Array.from({ length: 300 }, (_, i) => i);
    expect(fitLogisticPathDetailed(X, sixClasses, tiny, Cs, params, { keepCurvatures: true }).curvatures).toBeUndefined();
  });

  test('a multinomial Hessian on all of few rows is kept where it costs 5 gradient passes or more and over twice its factorisation', () => {
    // 6,000 rows: too few to sample the Hessian; it costs ~11 passes, factoring it ~0.4.
    const few = Int32Array.from({ length: 6_000 }, (_, i) => i);
    const path = fitLogisticPathDetailed(X, sixClasses, few, Cs, params, { keepCurvatures: true });
    expect(path.curvatures?.hess).toHaveLength(Cs.length);
    expect(path.curvatures!.weightSum).toBe(few.length);
  });
});

describe('binary curvatures are kept where a Hessian costs 5 to 16 gradient passes', () => {
  // 6,000 rows of correlated columns (each 0.9 of the last plus noise), labels from the first 8.
  const rows = 6_000;
  const columns = (count: number): ReturnType<typeof ndarray> => {
    const noise = uniformSource(`binary-seed-${count}`);
    const v = new Float64Array(rows * count);
    for (let i = 0; i < rows; i++) {
      let column = 0;
      for (let j = 0; j < count; j++) v[i * count + j] = column = 0.9 * column + (noise() - 0.5);
    }
    return ndarray('float64', [rows, count], v);
  };
  const labelsOf = (M: ReturnType<typeof ndarray>, count: number): ReturnType<typeof ndarray> => {
    const noise = uniformSource('binary-seed-labels');
    const v = M.data as Float64Array;
    return ndarray('float64', [rows], Float64Array.from({ length: rows }, (_, i) => {
      let z = 0;
      for (let j = 0; j < 8; j++) z += v[i * count + j]! * (j % 2 === 0 ? 1 : -0.6);
      return z + 0.3 * (noise() - 0.5) > 0 ? 1 : 0;
    }));
  };
  const trainRows = Int32Array.from({ length: rows - rows / 5 }, (_, i) => i + rows / 5);

  test('64 columns (a Hessian ~5.8 passes): a fold keeps its curvatures, and a refit seeded with one skips the Hessian and ends at the same optimum', () => {
    const M = columns(64);
    const labels = labelsOf(M, 64);
    const path = fitLogisticPathDetailed(M, labels, trainRows, Cs, params, { keepCurvatures: true });
    expect(path.curvatures?.hess).toHaveLength(Cs.length);
    const curvature: FoldCurvature = { hess: path.curvatures!.hess[2]!, weightSum: path.curvatures!.weightSum };
    const start = path.coefficients[2]!;
    const plain = fitLogisticPathDetailed(M, labels, undefined, [Cs[2]!], params, { start });
    const seeded = fitLogisticPathDetailed(M, labels, undefined, [Cs[2]!], params, { start, curvature });
    expect(plain.reports[0]!.hessianPasses).toBeGreaterThan(0);
    expect(seeded.reports[0]!.hessianPasses).toBe(0);
    // Both stop within tol 1e-8 of the optimum (Newton's decrement), by different steps.
    expect(maxRelErr(seeded.coefficients[0]!, plain.coefficients[0]!)).toBeLessThan(1e-6);
  });

  test('200 columns (a Hessian ~21 passes, D² values a fit): none kept', () => {
    const M = columns(200);
    expect(fitLogisticPathDetailed(M, labelsOf(M, 200), trainRows, Cs, params, { keepCurvatures: true }).curvatures).toBeUndefined();
  });
});

describe('a cold multinomial fit starts from the Hessian at zero', () => {
  const few = Int32Array.from({ length: 6_000 }, (_, i) => i);
  const target = Float64Array.from(sixClasses.data as ArrayLike<number>);

  test('curvatureAtZero is the Hessian the softmax sweep writes at β = 0, with and without weights and intercept (to 1e-12)', () => {
    const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 7) / 7);
    for (const [sampleWeight, fitIntercept] of [[undefined, true], [weights, true], [weights, false]] as const) {
      const problem = logisticProblem({
        segments: rowSegments(matrixWindows(X), few), labels: encodeLabels(target, few), fitIntercept, ...(sampleWeight ? { sampleWeight } : {}),
      });
      expect(problem.hessianFraction).toBe(1); // the evaluated Hessian reads every row
      const hess = new Float64Array(problem.size * problem.size);
      // One coefficient of 5e-324 takes evaluate's softmax sweep (β = 0 itself takes the Gram
      // route below); every margin still rounds to 0, so every probability is 1/k.
      problem.evaluate(nearZero(problem.size), new Float64Array(problem.size), hess);
      const zero = problem.curvatureAtZero()!;
      expect(maxRelErr(zero, hess, 0)).toBeLessThan(1e-12);
    }
    const binary01 = Float64Array.from(target, (c) => (c > 2 ? 1 : 0));
    expect(logisticProblem({ segments: rowSegments(matrixWindows(X), few), labels: encodeLabels(binary01, few), fitIntercept: true }).curvatureAtZero())
      .toBeUndefined();
  });

  test('evaluate at β = 0 takes the Hessian from one Gram pass over all rows, not from its row sample; loss and gradient as the sweep gives them', () => {
    const problem = logisticProblem({ segments: rowSegments(matrixWindows(X), fold), labels: encodeLabels(target, fold), fitIntercept: true });
    expect(problem.hessianFraction).toBeLessThan(1); // 16,000 rows for 126 unknowns: a sampled Hessian
    const K = problem.size;
    const [hessZero, hessSampled] = [new Float64Array(K * K), new Float64Array(K * K)];
    const [gradZero, gradSampled] = [new Float64Array(K), new Float64Array(K)];
    const lossZero = problem.evaluate(new Float64Array(K), gradZero, hessZero);
    const lossSampled = problem.evaluate(nearZero(K), gradSampled, hessSampled);
    expect(maxRelErr(hessZero, problem.curvatureAtZero()!, 0)).toBeLessThan(1e-14);
    // The sample misses what the other rows add: the zero point's Hessian is not the sample's.
    expect(maxRelErr(hessSampled, hessZero, 0)).toBeGreaterThan(1e-4);
    expect(Math.abs(lossZero - lossSampled) / lossSampled).toBeLessThan(1e-14);
    expect(maxRelErr(gradZero, gradSampled, 1e-12)).toBeLessThan(1e-12);
  });

  test('a path from zero saves a Hessian on its first (smallest) C and ends where a path given a zero start does', () => {
    const smallCs = [1e-4, 1e-3];
    const cold = fitLogisticPathDetailed(X, sixClasses, few, smallCs, params);
    // A start given (even zeros) is not cold: that fit takes its own Hessian.
    const started = fitLogisticPathDetailed(X, sixClasses, few, smallCs, params, { start: new Float64Array(k * (d + 1)) });
    expect(cold.reports[0]!.hessianPasses).toBeLessThan(started.reports[0]!.hessianPasses);
    for (let i = 0; i < smallCs.length; i++) {
      expect(cold.reports[i]!.converged).toBe(true);
      expect(maxRelErr(cold.coefficients[i]!, started.coefficients[i]!, 0)).toBeLessThan(1e-8);
    }
  });
});

/** β with one coefficient of 5e-324: not 0, so evaluate sweeps the rows, yet every margin rounds to 0. */
function nearZero(size: number): Float64Array {
  const beta = new Float64Array(size);
  beta[0] = Number.MIN_VALUE;
  return beta;
}
