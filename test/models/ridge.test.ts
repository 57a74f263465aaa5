import { describe, expect, test } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { DataError, ValueError } from '../../src/errors.js';
import { Ridge } from '../../src/models/ridge.js';
import { modelFromState } from '../../src/models/registry.js';
import { copyRows, loadFixture, matrix, maxAbsErr, maxRelErr, toFortran, vector, type RefCase } from './fixtures.js';

// Tolerances. Float64 data: sklearn and memgrid both solve the centred normal equations
// by Cholesky, so they agree to rounding: 1e-9 relative to the largest coefficient.
// Float32 X: sklearn computes in float32 (≈1e-7 relative precision), memgrid widens
// to float64, so against sklearn's own float32 fit only 1e-5 relative holds; against
// sklearn fitted on the same float32 values widened to float64, 1e-9 holds again.
const REL64 = 1e-9;
const REL32_SKLEARN = 1e-5;

const diabetes = loadFixture('ridge_diabetes.json');
const synthetic = loadFixture('ridge_synthetic.json');

function fitCase(X: Parameters<Ridge['fit']>[0], y: number[], c: RefCase): Ridge {
  return new Ridge({ alpha: c.alpha!, fitIntercept: c.fitIntercept })
    .fit(X, vector(y), c.rows ? Int32Array.from(c.rows) : undefined);
}

function expectMatches(model: Ridge, X: Parameters<Ridge['fit']>[0], y: number[], c: RefCase, rel: number): void {
  const coef = c.coef as number[];
  const scale = Math.max(...coef.map(Math.abs));
  expect(maxAbsErr(model.coef, coef) / scale).toBeLessThan(rel);
  expect(Math.abs(model.intercept - (c.intercept as number)) / Math.max(Math.abs(c.intercept as number), 1)).toBeLessThan(rel);
  expect(maxRelErr(model.predict(X, Int32Array.from(c.predictRows)), c.predict)).toBeLessThan(rel);
  expect(model.score(X, vector(y))).toBeCloseTo(c.score, 9);
}

describe('Ridge matches scikit-learn 1.2 (diabetes)', () => {
  const X = matrix(diabetes.X);
  for (const c of diabetes.cases) {
    const label = `alpha=${c.alpha} fitIntercept=${c.fitIntercept}${c.rows ? ` on ${c.rows.length} rows` : ''}`;
    test(label, () => expectMatches(fitCase(X, diabetes.y, c), X, diabetes.y, c, REL64));
  }
});

describe('Ridge matches scikit-learn 1.2 (synthetic)', () => {
  const X = matrix(synthetic.X);
  const X32 = matrix(synthetic.X32!, 'float32');
  test.each(synthetic.cases)('float64 X, case %#', (c) => expectMatches(fitCase(X, synthetic.y, c), X, synthetic.y, c, REL64));
  test.each(synthetic.cases32Exact!)('float32 X equals the float64 fit of the same values, case %#', (c) => {
    expectMatches(fitCase(X32, synthetic.y, c), X32, synthetic.y, c, REL64);
  });
  test.each(synthetic.cases32Sklearn!)('float32 X within 1e-5 of sklearn\'s float32 fit, case %#', (c) => {
    const m = fitCase(X32, synthetic.y, c);
    const coef = c.coef as number[];
    expect(maxAbsErr(m.coef, coef) / Math.max(...coef.map(Math.abs))).toBeLessThan(REL32_SKLEARN);
    expect(Math.abs(m.intercept - (c.intercept as number))).toBeLessThan(REL32_SKLEARN * Math.max(1, Math.abs(c.intercept as number)));
  });
});

describe('memory layout and row subsets', () => {
  const X = matrix(diabetes.X) as ReturnType<typeof matrix> & { dtype: 'float64' };
  const y = vector(diabetes.y);
  const rows = Int32Array.from(diabetes.cases.find((c) => c.rows)!.rows!);

  test('F-order X gives the C-order result (same values read, same arithmetic)', () => {
    const a = new Ridge({ alpha: 0.3 }).fit(X, y);
    const b = new Ridge({ alpha: 0.3 }).fit(toFortran(X), y);
    expect(b.coef).toEqual(a.coef);
    expect(b.intercept).toBe(a.intercept);
    expect(b.predict(toFortran(X), rows)).toEqual(a.predict(X, rows));
  });

  test('fitting on rows equals fitting on a copy of those rows', () => {
    const inPlace = new Ridge({ alpha: 0.3 }).fit(X, y, rows);
    const copied = new Ridge({ alpha: 0.3 }).fit(copyRows(X, rows), vector([...rows].map((i) => diabetes.y[i]!)));
    // Same rows in the same order through the same kernels: bitwise equal.
    expect(inPlace.coef).toEqual(copied.coef);
    expect(inPlace.intercept).toBe(copied.intercept);
  });

  test('scores on a row subset use only those rows', () => {
    const m = new Ridge().fit(X, y);
    const sub = copyRows(X, rows);
    const ySub = vector([...rows].map((i) => diabetes.y[i]!));
    expect(m.score(X, y, rows)).toBeCloseTo(m.score(sub, ySub), 12);
  });

  test('an intercept-only problem: constant y gives zero weights and R² = 1', () => {
    const yc = vector(new Array(diabetes.y.length).fill(3));
    const m = new Ridge().fit(X, yc);
    expect(maxAbsErr(m.coef, new Array(10).fill(0))).toBeLessThan(1e-12);
    expect(m.intercept).toBeCloseTo(3, 12);
    expect(m.score(X, yc)).toBe(1);
  });
});

describe('estimator lifecycle', () => {
  const X = matrix(diabetes.X);
  const y = vector(diabetes.y);

  test('getParams / setParams / clone', () => {
    const m = new Ridge({ alpha: 2 });
    expect(m.getParams()).toEqual({ alpha: 2, fitIntercept: true });
    expect(m.setParams({ fitIntercept: false })).toBe(m);
    const c = m.clone();
    expect(c.getParams()).toEqual({ alpha: 2, fitIntercept: false });
    expect(c.fitted).toBe(false);
    expect(() => m.setParams({ alhpa: 1 })).toThrow(/unknown param "alhpa" \(did you mean "alpha"\?\)/);
  });

  test('state() round-trips through modelFromState', () => {
    const m = new Ridge({ alpha: 0.7 }).fit(X, y);
    const s = m.state();
    expect(s.coef.shape).toEqual([10]);
    expect(s.intercept.shape).toEqual([]);
    const back = modelFromState(s);
    expect(back).toBeInstanceOf(Ridge);
    expect(back.predict(X)).toEqual(m.predict(X));
    expect(back.getParams()).toEqual(m.getParams());
  });

  test('an unfitted model says so', () => {
    const notFitted = new ValueError('this Ridge is not fitted yet: call fit(X, y) first');
    expect(() => new Ridge().coef).toThrow(notFitted);
    expect(() => new Ridge().predict(X)).toThrow(notFitted);
  });
});

describe('bad input', () => {
  const X = matrix(diabetes.X);
  const y = vector(diabetes.y);
  test('X/y length mismatch', () => {
    expect(() => new Ridge().fit(X, vector(diabetes.y.slice(1)))).toThrow(new DataError('X has 442 rows but y has 441 values'));
  });
  test('X with no features, as scikit-learn refuses it', () => {
    expect(() => new Ridge().fit(ndarray('float64', [4, 0], new Float64Array(0)), vector([1, 2, 3, 4])))
      .toThrow(new DataError('X has 0 features (shape [4, 0]): at least 1 is required'));
  });
  test('NaN or Inf in the rows used, not elsewhere', () => {
    const bad = Float64Array.from(X.data);
    bad[5 * 10 + 3] = Number.NaN;
    const Xb = ndarray('float64', [442, 10], bad);
    expect(() => new Ridge().fit(Xb, y)).toThrow(/X contains NaN at row 5, column 3/);
    expect(() => new Ridge().fit(Xb, y, Int32Array.from([0, 1, 2, 6, 7]))).not.toThrow();
    const yb = Float64Array.from(y.data as Float64Array);
    yb[9] = Infinity;
    expect(() => new Ridge().fit(X, ndarray('float64', [442], yb))).toThrow(/y contains Infinity at row 9/);
  });
  test('X not 2-d, wrong dtype, wrong width at predict, bad rows', () => {
    expect(() => new Ridge().fit(ndarray('float64', [442], y.data as Float64Array) as never, y)).toThrow(/X must be 2-d/);
    expect(() => new Ridge().fit(ndarray('int32', [2, 2], Int32Array.from([1, 2, 3, 4])) as never, vector([1, 2])))
      .toThrow(/X must have dtype float64 or float32, found int32/);
    const m = new Ridge().fit(X, y);
    expect(() => m.predict(ndarray('float64', [1, 3], new Float64Array(3)))).toThrow(/X has 3 features, but the model was fitted with 10/);
    expect(() => m.fit(X, y, Int32Array.from([0, 442]))).toThrow(/rows\[1\] = 442 is out of range/);
  });
  test('bad params name the param and the value', () => {
    expect(() => new Ridge({ alpha: -1 })).toThrow(new ValueError('ridge param alpha must be a finite number >= 0, found -1'));
    expect(() => new Ridge({ fitIntercept: 'yes' as never })).toThrow(/fitIntercept must be true or false, found "yes"/);
  });
});
