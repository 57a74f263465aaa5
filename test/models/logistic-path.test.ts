/**
 * The logistic path (every C on one set of rows, warm-started along ascending C) against the
 * converged references of scripts/logistic_fixtures.py and against single fits: a model on a
 * path is the optimum a single fit reaches, to the same tolerance (the solver contract).
 * Tolerances as in logistic.test.ts (measured there): probabilities 1e-9 at tol 1e-8 (4e-11 measured here).
 */
import { describe, expect, test } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { makeClassification } from '../../src/data/synthetic.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { fitLogisticPath, fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { bestPathPower, tangentLength } from '../../src/models/logistic-solver.js';
import { converged, dataset, maxRelErr } from './logistic-fixtures.js';
import { maxAbsErr, toFortran } from './fixtures.js';

const TIGHT = { maxIter: 100, tol: 1e-8 };

describe('every model on a path is the converged optimum', () => {
  for (const name of ['breast_cancer', 'wine', 'iris_raw', 'synthetic']) {
    for (const fitIntercept of [true, false]) {
      test(`${name}, fitIntercept=${fitIntercept}: one path through the fixture's C values, given unsorted`, () => {
        const { X, y } = dataset(name);
        const refs = converged.cases.filter((c) => c.dataset === name && c.fitIntercept === fitIntercept && !c.rows && !c.sampleWeight);
        const Cs = refs.map((c) => c.C).reverse();
        const { models, reports } = fitLogisticPathDetailed(X, y, undefined, Cs, { fitIntercept, ...TIGHT });
        Cs.forEach((C, i) => {
          const ref = refs.find((c) => c.C === C)!;
          expect(models[i]!.getParams()).toMatchObject({ C, fitIntercept, ...TIGHT });
          expect(reports[i]!.converged).toBe(true);
          expect(maxAbsErr(models[i]!.predictProba(X, Int32Array.from(ref.predictRows)), ref.predictProba.flat())).toBeLessThan(1e-9);
          expect(maxRelErr(models[i]!.coef, ref.coef.flat())).toBeLessThan(1e-8);
          if (!fitIntercept) expect([...models[i]!.intercept].every((v) => v === 0)).toBe(true);
        });
      });
    }
  }

  test('on a row subset, the path gives the single fit on those rows (default tol: to ~1e-8)', () => {
    const { X, y } = dataset('breast_cancer');
    const rows = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 569);
    const Cs = [0.01, 0.1, 1, 10, 100];
    const path = fitLogisticPath(X, y, rows, Cs, { fitIntercept: true, maxIter: 100, tol: 1e-4 });
    Cs.forEach((C, i) => {
      const single = new LogisticRegression({ C }).fit(X, y, rows);
      expect(maxAbsErr(path[i]!.predictProba(X), single.predictProba(X))).toBeLessThan(1e-7); // each within ~tol² (δ) of the optimum: measured 5.3e-8
    });
  });

  test('F order and C order give the same path bit for bit', () => {
    const { X, y } = dataset('wine');
    const a = fitLogisticPath(X, y, undefined, [0.1, 1], { fitIntercept: true, ...TIGHT });
    const b = fitLogisticPath(toFortran(X), y, undefined, [0.1, 1], { fitIntercept: true, ...TIGHT });
    for (let i = 0; i < 2; i++) expect(Array.from(b[i]!.packedCoef)).toEqual(Array.from(a[i]!.packedCoef));
  });
});

describe('what a path reports', () => {
  const { X, y } = dataset('breast_cancer');

  test('each C\'s Newton steps, passes and seconds; later Cs start warm and take fewer steps than a cold fit', () => {
    const Cs = [0.01, 0.1, 1, 10];
    const { reports } = fitLogisticPathDetailed(X, y, undefined, Cs, { fitIntercept: true, ...TIGHT });
    for (const r of reports) {
      expect(r.converged).toBe(true);
      expect(r.nIter).toBeGreaterThanOrEqual(1);
      expect(r.gradientPasses + r.hessianPasses).toBeGreaterThanOrEqual(r.nIter - 1);
      expect(r.seconds).toBeGreaterThan(0);
    }
    const cold = new LogisticRegression({ C: 10, ...TIGHT }).fit(X, y);
    expect(reports[3]!.nIter).toBeLessThan(cold.nIter);
  });

  test('with inputsChecked, a float64 target the caller gives is the one fitted (a worker converts y once); one of the wrong length is not', () => {
    const params = { fitIntercept: true, ...TIGHT };
    const plain = fitLogisticPathDetailed(X, y, undefined, [1], params).coefficients[0]!;
    const flipped = Float64Array.from(y.data as ArrayLike<number>, (v) => 1 - Number(v));
    const given = fitLogisticPathDetailed(X, y, undefined, [1], params, { inputsChecked: true, target: flipped }).coefficients[0]!;
    expect(maxAbsErr(given.map((v) => -v), plain)).toBeLessThan(1e-8); // labels swapped: the same model, negated
    const short = fitLogisticPathDetailed(X, y, undefined, [1], params, { inputsChecked: true, target: flipped.subarray(1) }).coefficients[0]!;
    expect(short).toEqual(plain);
  });

  test('returns each solution packed; started there, a fit takes at most one step and stays', () => {
    const cold = fitLogisticPathDetailed(X, y, undefined, [0.5], { fitIntercept: true, ...TIGHT });
    expect(Array.from(cold.coefficients[0]!)).toEqual(Array.from(cold.models[0]!.packedCoef));
    const warm = fitLogisticPathDetailed(X, y, undefined, [0.5], { fitIntercept: true, ...TIGHT }, { start: cold.coefficients[0]! });
    expect(warm.reports[0]!.nIter).toBeLessThanOrEqual(1);
    expect(maxRelErr(warm.coefficients[0]!, cold.coefficients[0]!)).toBeLessThan(1e-9); // measured 4e-11
  });

  test('ignores a start of the wrong length (rows that lacked a class)', () => {
    const cold = fitLogisticPathDetailed(X, y, undefined, [0.5], { fitIntercept: true, ...TIGHT });
    const odd = fitLogisticPathDetailed(X, y, undefined, [0.5], { fitIntercept: true, ...TIGHT }, { start: new Float64Array(3).fill(100) });
    expect(Array.from(odd.coefficients[0]!)).toEqual(Array.from(cold.coefficients[0]!));
  });

  test('where a Hessian pass costs far more than factoring it, the path does not take one in every fit', () => {
    // 6,000 × 32 × 10 classes: 330 unknowns, a Hessian pass ~25 gradient passes, a factorisation ~4.
    // Each fit's early Hessian used to set the rule off for the next: 13 Hessians for 12 fits (now 8).
    const { X: Xm, y: ym } = makeClassification({ nSamples: 6000, nFeatures: 32, nClasses: 10, nInformative: 16, seed: 3 });
    const Cs = Array.from({ length: 12 }, (_, i) => 10 ** (-4 + (6 * i) / 11));
    const { reports } = fitLogisticPathDetailed(Xm, ym, undefined, Cs, { fitIntercept: true, ...TIGHT });
    expect(reports.every((r) => r.converged)).toBe(true);
    expect(reports.reduce((n, r) => n + r.hessianPasses, 0)).toBeLessThan(Cs.length);
  });

  test('a fit that runs out of maxIter is reported, and the path goes on', () => {
    const { reports } = fitLogisticPathDetailed(X, y, undefined, [0.01, 100], { fitIntercept: true, maxIter: 2, tol: 1e-8 });
    expect(reports.map((r) => [r.nIter, r.converged])).toEqual([[2, false], [2, false]]);
  });
});

test('bad Cs and params are ValueErrors naming the value', () => {
  const { X, y } = dataset('breast_cancer');
  expect(() => fitLogisticPath(X, y, undefined, [], { fitIntercept: true, ...TIGHT })).toThrow(new ValueError('Cs must be a non-empty array of numbers > 0'));
  expect(() => fitLogisticPath(X, y, undefined, [1, -1], { fitIntercept: true, ...TIGHT })).toThrow('logistic param C must be a finite number > 0, found -1');
  expect(() => fitLogisticPath(X, y, undefined, [1], { fitIntercept: true, maxIter: 0, tol: 1e-8 })).toThrow('logistic param maxIter must be an integer >= 1, found 0');
});

describe('how a path predicts the next solution', () => {
  // Each of x = a/λ, a·log λ and b + a·λ is followed exactly by the tangent step of its power.
  const paths = [
    { power: -1, x: (l: number) => 3 / l, dx: (l: number) => -3 / (l * l) },
    { power: 0, x: (l: number) => 3 * Math.log(l), dx: (l: number) => 3 / l },
    { power: 1, x: (l: number) => 2 + 3 * l, dx: () => 3 },
  ];

  test('the tangent step of power p is exact on a path that is linear in λ^p (log λ for 0): 1e-12', () => {
    for (const { power, x, dx } of paths) {
      for (const [from, to] of [[100, 100 / 3.5], [0.5, 0.1], [2, 7]] as const) {
        expect(Math.abs(x(from) + tangentLength(power, from, to) * dx(from) - x(to))).toBeLessThan(1e-12 * Math.max(1, Math.abs(x(to))));
      }
    }
  });

  test('each path\'s own power predicts it best', () => {
    for (const { power, x, dx } of paths) {
      const [before, now] = [100, 100 / 3.5];
      expect(bestPathPower(Float64Array.of(x(before)), Float64Array.of(dx(before)), before, Float64Array.of(x(now)), now)).toBe(power);
    }
  });

  test('a binary path steps along the power that fits it: fewer gradient passes than in log λ alone (41 against 45)', () => {
    // 5,000 × 8, 12 C from 1e-4 to 100, tol 1e-8: passes are counted, not timed, so the same everywhere.
    const { X, y } = makeClassification({ nSamples: 5000, nFeatures: 8, nInformative: 4, seed: 2 });
    const Cs = Array.from({ length: 12 }, (_, i) => 10 ** (-4 + (6 * i) / 11));
    const { reports } = fitLogisticPathDetailed(X, y, undefined, Cs, { fitIntercept: true, maxIter: 10000, tol: 1e-8 });
    expect(reports.every((r) => r.converged)).toBe(true);
    expect(reports.reduce((n, r) => n + r.gradientPasses, 0)).toBeLessThanOrEqual(43);
  });
});
