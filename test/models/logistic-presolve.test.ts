/**
 * The presolve (logistic-presolve.ts): a cold fit starts from the same fit on every s-th row.
 * Only the start may change: the fit must end at the same optimum as one started from zeros
 * (a warm start of zeros skips the presolve), and it must save what it is for, Hessians.
 */
import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { presolveStep } from '../../src/models/logistic-presolve.js';
import { uniformSource } from '../helpers/random.js';
import { maxRelErr } from './logistic-fixtures.js';

const n = 20_000;
const d = 19;
const random = uniformSource('presolve');
// Columns of different scales, so that the path from zero is not a trivial one.
const values = Float64Array.from({ length: n * d }, (_, i) => (2 * random() - 1) * (1 + (i % d)));
const score = (i: number): number => values[i * d]! + 0.05 * values[i * d + 5]! - 0.02 * values[i * d + 11]! + 0.4 * (random() - 0.5);
const scores = Float64Array.from({ length: n }, (_, i) => score(i));
const X = ndarray('float64', [n, d], values);
const binary = ndarray('float64', [n], Float64Array.from(scores, (z) => (z > 0.3 ? 1 : 0)));
const fourClasses = ndarray('float64', [n], Float64Array.from(scores, (z) => (z < -0.6 ? 0 : z < 0 ? 1 : z < 0.6 ? 2 : 3)));


describe('the presolve', () => {
  test('thins to every 4th to 32nd row, keeping 30 rows per unknown and 2,000 in all; none below that', () => {
    expect(presolveStep(160_000, 33)).toBe(32);
    expect(presolveStep(80_000, 129)).toBe(16); // 80,000 / 3,870 = 20.7
    expect(presolveStep(80_000, 330)).toBe(8); // 80,000 / 9,900 = 8.1
    expect(presolveStep(20_000, 80)).toBe(8);
    expect(presolveStep(7_999, 20)).toBe(0); // every 4th row would keep 1,999
    expect(presolveStep(1_437, 650)).toBe(0); // digits
  });

  for (const [name, y] of [['binary', binary], ['four classes', fourClasses]] as const) {
    for (const classWeight of [null, 'balanced'] as const) {
      test(`${name}, classWeight ${classWeight}: a cold fit ends at the optimum a fit from zeros reaches, with fewer Hessians`, () => {
        const params = { C: 0.05, tol: 1e-8, maxIter: 200, classWeight };
        const cold = new LogisticRegression(params).fit(X, y);
        const size = cold.packedCoef.length;
        const fromZeros = new LogisticRegression(params).fit(X, y, { warmStart: new Float64Array(size) });
        expect(maxRelErr(cold.packedCoef, fromZeros.packedCoef, 0)).toBeLessThan(1e-8);
        expect(cold.solverReport()!.hessianPasses).toBeLessThan(fromZeros.solverReport()!.hessianPasses);
      });
    }
  }

  test('weights that vanish on the thinned rows: the fit starts from zero and ends at the same optimum', () => {
    // Zero weight on every 8th row (the presolve's, at step 8): its problem would have no weight at all.
    const weights = Float64Array.from({ length: n }, (_, i) => (i % 8 === 0 ? 0 : 1 + (i % 3)));
    const params = { C: 0.05, tol: 1e-8, maxIter: 200 };
    const cold = new LogisticRegression(params).fit(X, binary, { sampleWeight: weights });
    const fromZeros = new LogisticRegression(params).fit(X, binary, { sampleWeight: weights, warmStart: new Float64Array(d + 1) });
    expect(maxRelErr(cold.packedCoef, fromZeros.packedCoef, 0)).toBeLessThan(1e-8);
  });

  test('a class absent from the thinned rows: no presolve (its intercept would run to −∞), the fit is the one from zeros', () => {
    // Class 2 only on rows 3, 11, 19, ...: every 8th row from row 0 (the presolve's) holds none of it.
    const labels = ndarray('float64', [n], Float64Array.from(scores, (z, i) => (i % 8 === 3 ? 2 : z > 0.3 ? 1 : 0)));
    const params = { C: 0.05, tol: 1e-8, maxIter: 200 };
    const cold = new LogisticRegression(params).fit(X, labels);
    const fromZeros = new LogisticRegression(params).fit(X, labels, { warmStart: new Float64Array(cold.packedCoef.length) });
    expect(cold.converged).toBe(true);
    expect(Array.from(cold.packedCoef)).toEqual(Array.from(fromZeros.packedCoef));
  });

  test('a path\'s first C starts from the presolve; a given start is taken instead', () => {
    const Cs = [0.05, 1, 100];
    const params = { fitIntercept: true, maxIter: 200, tol: 1e-8 };
    const presolved = fitLogisticPathDetailed(X, fourClasses, undefined, Cs, params);
    const size = presolved.coefficients[0]!.length;
    const zeros = fitLogisticPathDetailed(X, fourClasses, undefined, Cs, params, { start: new Float64Array(size) });
    presolved.coefficients.forEach((c, i) => expect(maxRelErr(c, zeros.coefficients[i]!, 0)).toBeLessThan(1e-8));
    expect(presolved.reports[0]!.hessianPasses).toBeLessThan(zeros.reports[0]!.hessianPasses);
  });
});
