/**
 * LogisticRegression against converged references of scikit-learn's objective
 * (scripts/logistic_fixtures.py: newton-cg at tol 1e-10 polished by Newton to the rounding
 * floor, since scikit-learn's own solvers stop short on unscaled data), and the solver contract:
 * one optimum whatever the start, a fit that stops at maxIter says so.
 *
 * Tolerances are what was measured, with headroom. At tol 1e-8 a fit ends within 1e-10 of the
 * optimum (the solver's precision floor: see logistic-solver.ts), so probabilities agree to
 * 2.9e-10 (1e-9 allowed; 1.6e-12 when the floor was 1e-12, which cost the multinomial paths 40%
 * more time); coefficients to 3e-11 relative and the intercepts of unscaled wine at
 * C = 100 to 1.8e-9 (1e-8 allowed); decision values
 * to 1e-8 relative at worst (unscaled wine at C = 100, whose optimum is ill-conditioned: the
 * probabilities still agree to 1e-15; 1e-7 allowed).
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, test, vi } from 'vitest';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { DataError } from '../../src/errors.js';
import { LogisticRegression, reusedDecisionFunctions } from '../../src/models/logistic.js';
import { modelFromState } from '../../src/models/registry.js';
import { markCheckedFinite } from '../../src/models/segments.js';
import { converged, dataset, maxRelErr, type ConvergedCase } from './logistic-fixtures.js';
import { copyRows, maxAbsErr, toFortran } from './fixtures.js';

const PROBA_ABS = 1e-9;
// The solver stops within δ ≈ 1e-9 of the optimum (logistic-solver.ts, PRECISION_FLOOR): on
// unscaled digits (650 unknowns) the coefficients then sit 1.1e-8 from newton-cg's at tol 1e-10.
const COEF_REL = 3e-8;
const DECISION_REL = 1e-7;
const TIGHT = { tol: 1e-8, maxIter: 100 };

function fitCase(c: ConvergedCase, params: object = TIGHT): LogisticRegression {
  const { X, y } = dataset(c.dataset);
  return new LogisticRegression({ C: c.C, fitIntercept: c.fitIntercept, ...params }).fit(X, y, c.rows ? Int32Array.from(c.rows) : undefined);
}

describe('LogisticRegression reaches the optimum of scikit-learn\'s objective', () => {
  for (const c of converged.cases.filter((k) => k.sampleWeight === null)) {
    test(`${c.dataset} C=${c.C} fitIntercept=${c.fitIntercept}${c.rows ? ` on ${c.rows.length} rows` : ''}`, () => {
      const { X, y } = dataset(c.dataset);
      const m = fitCase(c);
      const probe = Int32Array.from(c.predictRows);
      expect(m.converged).toBe(true);
      expect(m.classes).toEqual(Float64Array.from(c.classes));
      expect(maxRelErr(m.coef, c.coef.flat())).toBeLessThan(COEF_REL);
      expect(maxRelErr(m.intercept, c.intercept)).toBeLessThan(COEF_REL);
      expect(maxAbsErr(m.predictProba(X, probe), c.predictProba.flat())).toBeLessThan(PROBA_ABS);
      expect(maxRelErr(m.decisionFunction(X, probe), c.decisionFunction.flat())).toBeLessThan(DECISION_REL);
      expect([...m.predict(X, probe)]).toEqual(c.predict);
      expect(m.score(X, y)).toBe(c.score);
    });
  }
});

describe('one optimum whatever the start (the solver contract)', () => {
  // At the default tol (1e-4) a fit ends within ~tol² = 1e-8 of the optimum (Newton's
  // decrement, an estimate): a cold fit and one warm-started from another C's solution each
  // sit that close to it, so their probabilities agree to a few 1e-8 (measured: 1.5e-8 on digits).
  const cases: [string, number, number][] = [['breast_cancer', 1, 100], ['wine', 10, 0.01], ['digits', 1, 0.01]];
  for (const [name, C, fromC] of cases) {
    test(`${name}, C=${C}: cold and warm-started from C=${fromC} agree to ~1e-8 at the default tol`, () => {
      const { X, y } = dataset(name);
      const cold = new LogisticRegression({ C }).fit(X, y);
      const other = new LogisticRegression({ C: fromC }).fit(X, y);
      const warm = new LogisticRegression({ C }).fit(X, y, { warmStart: other.packedCoef });
      expect(maxAbsErr(warm.predictProba(X), cold.predictProba(X))).toBeLessThan(5e-8);
      const ref = converged.cases.find((k) => k.dataset === name && k.C === C && k.fitIntercept && !k.rows && !k.sampleWeight);
      if (ref) expect(maxAbsErr(cold.predictProba(X, Int32Array.from(ref.predictRows)), ref.predictProba.flat())).toBeLessThan(5e-8);
    });
  }

  test('a looser tol ends further from the optimum, a tighter one nearer (tol is Newton\'s decrement)', () => {
    const ref = converged.cases.find((k) => k.dataset === 'breast_cancer' && k.C === 100 && k.fitIntercept && !k.rows)!;
    const { X } = dataset('breast_cancer');
    const probe = Int32Array.from(ref.predictRows);
    const err = (tol: number): number => maxAbsErr(fitCase(ref, { tol, maxIter: 100 }).predictProba(X, probe), ref.predictProba.flat());
    expect(err(1e-1)).toBeGreaterThan(1e-6);
    expect(err(1e-4)).toBeLessThan(1e-8);
    expect(err(1e-8)).toBeLessThan(PROBA_ABS);
  });

  test('starting at the solution takes at most one step and stays there', () => {
    const { X, y } = dataset('breast_cancer');
    const cold = new LogisticRegression({ C: 1, ...TIGHT }).fit(X, y);
    const warm = new LogisticRegression({ C: 1, ...TIGHT }).fit(X, y, { warmStart: cold.packedCoef });
    expect(warm.nIter).toBeLessThanOrEqual(1);
    expect(maxRelErr(warm.coef, cold.coef)).toBeLessThan(1e-9); // measured 8e-11: the floor's one last step
  });

  test('a warm start of the wrong length is refused', () => {
    const { X, y } = dataset('breast_cancer');
    expect(() => new LogisticRegression().fit(X, y, { warmStart: new Float64Array(30) }))
      .toThrow('warmStart has 30 values, expected 1 x (30 + 1) = 31');
  });
});

describe('decisionFunctions: several models over one read of the rows', () => {
  test('equals each model\'s decisionFunction bit for bit (binary and multinomial, C and F order, a subset)', () => {
    for (const name of ['breast_cancer', 'wine'] as const) {
      const { X, y } = dataset(name);
      const models = [0.01, 1, 100].map((C) => new LogisticRegression({ C }).fit(X, y));
      const rows = Int32Array.from([5, 0, 3, 3, 40, 41, 42, 43, 44, 11]);
      for (const view of [X, toFortran(X)]) {
        for (const which of [undefined, rows]) {
          const together = LogisticRegression.decisionFunctions(models, view, which);
          models.forEach((m, i) => expect(together[i]).toEqual(m.decisionFunction(view, which)));
        }
      }
    }
  });
  test('reusedDecisionFunctions gives the same values; the main thread keeps no buffer between calls', () => {
    const { X, y } = dataset('wine');
    const models = [0.01, 1, 100].map((C) => new LogisticRegression({ C }).fit(X, y));
    const many = reusedDecisionFunctions(models, X);
    expect(many.map((z) => Array.from(z))).toEqual(LogisticRegression.decisionFunctions(models, X).map((z) => Array.from(z)));
    expect(new Set(many.map((z) => z.buffer)).size).toBe(1);
    const rows = Int32Array.from([7, 3, 100]);
    const few = reusedDecisionFunctions(models, X, rows);
    expect(few[0]!.buffer).not.toBe(many[0]!.buffer); // nothing kept here, so nothing overwritten
    few.forEach((z, i) => expect(Array.from(z)).toEqual(Array.from(models[i]!.decisionFunction(X, rows))));
  });
  test('in a worker thread reusedDecisionFunctions reuses one buffer, overwritten by the next call, with the same values', async () => {
    // Plain JavaScript for the thread: it imports the compiled modules (npm test builds dist/ first).
    const root = new URL('../../dist/src/', import.meta.url).href;
    const script = `
      const { parentPort } = require('node:worker_threads');
      (async () => {
        const { LogisticRegression, reusedDecisionFunctions } = await import('${root}models/logistic.js');
        const { ndarray } = await import('${root}data/ndarray.js');
        const n = 200, d = 3;
        const X = ndarray('float64', [n, d], Float64Array.from({ length: n * d }, (_, i) => Math.sin(i)));
        const y = ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => (Math.sin(3 * i) > 0 ? 1 : 0)));
        const models = [0.1, 10].map((C) => new LogisticRegression({ C }).fit(X, y));
        const first = reusedDecisionFunctions(models, X);
        const firstValues = first.map((z) => Array.from(z));
        const second = reusedDecisionFunctions(models, X, Int32Array.from([5, 6]));
        const plain = LogisticRegression.decisionFunctions(models, X).map((z) => Array.from(z));
        const plainFew = LogisticRegression.decisionFunctions(models, X, Int32Array.from([5, 6])).map((z) => Array.from(z));
        parentPort.postMessage({
          sameBuffer: second[0].buffer === first[0].buffer, firstMatches: JSON.stringify(firstValues) === JSON.stringify(plain),
          secondMatches: JSON.stringify(second.map((z) => Array.from(z))) === JSON.stringify(plainFew),
          overwritten: first[0][0] !== firstValues[0][0] || first[0][1] !== firstValues[0][1],
        });
      })();`;
    const seen = await new Promise<Record<string, boolean>>((resolve, reject) => {
      const worker = new Worker(script, { eval: true });
      worker.once('message', (v: Record<string, boolean>) => { resolve(v); void worker.terminate(); });
      worker.once('error', reject);
    });
    expect(seen).toEqual({ sameBuffer: true, firstMatches: true, secondMatches: true, overwritten: true });
  });
  test('models of different shapes are refused', () => {
    const a = dataset('breast_cancer');
    const b = dataset('wine');
    const models = [new LogisticRegression().fit(a.X, a.y), new LogisticRegression().fit(b.X, b.y)];
    expect(() => LogisticRegression.decisionFunctions(models, a.X)).toThrow('decisionFunctions: the models differ in features or outputs');
  });
});

describe('a fit that stops at maxIter says so (scikit-learn\'s ConvergenceWarning)', () => {
  test('converged is false, nIter is maxIter, and one process warning names maxIter and tol', () => {
    const { X, y } = dataset('breast_cancer');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const m = new LogisticRegression({ C: 100, maxIter: 2 }).fit(X, y);
      expect(m.converged).toBe(false);
      expect(m.nIter).toBe(2);
      expect(m.solverReport()).toMatchObject({ nIter: 2, converged: false });
      expect(warn).toHaveBeenCalledTimes(1);
      const [message, type] = warn.mock.calls[0]!;
      expect(type).toBe('ConvergenceWarning');
      expect(String(message)).toMatch(/^LogisticRegression did not converge within maxIter=2 Newton steps \(Newton decrement \d\.\d\de[-+]\d+ > tol=0\.0001\): raise maxIter, or scale the features$/);
      warn.mockClear();
      expect(new LogisticRegression({ C: 100 }).fit(X, y).converged).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('float32 X, memory order, row subsets, label types', () => {
  const { X, y } = dataset('breast_cancer');

  test('F-order X gives the C-order model bit for bit', () => {
    const a = new LogisticRegression({ C: 2 }).fit(X, y);
    const b = new LogisticRegression({ C: 2 }).fit(toFortran(X), y);
    expect(b.coef).toEqual(a.coef);
    expect(b.nIter).toBe(a.nIter);
  });

  test('float32 X fits the float32 values (as scikit-learn fits them in float64)', () => {
    const x32 = ndarray('float32', X.shape, Float32Array.from(X.data));
    const widened = ndarray('float64', X.shape, Float64Array.from(x32.data));
    const a = new LogisticRegression({ C: 1, ...TIGHT }).fit(x32, y);
    const b = new LogisticRegression({ C: 1, ...TIGHT }).fit(widened, y);
    expect(maxRelErr(a.coef, b.coef)).toBeLessThan(1e-12);
  });

  test('fitting on rows equals fitting on a copy of those rows, bit for bit', () => {
    const rows = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 569);
    const a = new LogisticRegression({ C: 0.5 }).fit(X, y, rows);
    const b = new LogisticRegression({ C: 0.5 }).fit(copyRows(X, rows), ndarray('float64', [300], Float64Array.from(rows, (i) => y.data[i]!)));
    expect(a.coef).toEqual(b.coef);
    expect(a.intercept).toEqual(b.intercept);
  });

  test('labels of any numeric dtype, and relabelled classes, give the same model', () => {
    const w = dataset('wine');
    const base = new LogisticRegression().fit(w.X, w.y);
    const n = w.y.shape[0]!;
    const labels = Array.from(w.y.data as Float64Array);
    for (const yy of [
      ndarray('int64', [n], BigInt64Array.from(labels, (v) => BigInt(v))), ndarray('int32', [n], Int32Array.from(labels)),
      ndarray('uint8', [n], Uint8Array.from(labels)), ndarray('float32', [n], Float32Array.from(labels)),
    ] as NdArray[]) {
      expect(new LogisticRegression().fit(w.X, yy).coef).toEqual(base.coef);
    }
    const names = [-5, 2.5, 40];
    const renamed = new LogisticRegression().fit(w.X, ndarray('float64', [n], Float64Array.from(labels, (v) => names[v]!)));
    expect(renamed.classes).toEqual(Float64Array.from(names));
    expect(renamed.coef).toEqual(base.coef);
  });

  test('binary with labels (7, 3): the positive class is the larger one, coef has one row', () => {
    const a = new LogisticRegression().fit(X, y);
    const b = new LogisticRegression().fit(X, ndarray('int64', [569], BigInt64Array.from(y.data as Float64Array, (v) => (v ? 7n : 3n))));
    expect(b.classes).toEqual(Float64Array.from([3, 7]));
    expect(b.coef).toEqual(a.coef);
    expect(b.state().coef.shape).toEqual([1, 30]);
  });
});

describe('state and failures', () => {
  const { X, y } = dataset('iris_scaled');
  test('state() round-trips through modelFromState', () => {
    const m = new LogisticRegression({ C: 3 }).fit(X, y);
    const s = m.state();
    expect(s.coef.shape).toEqual([3, 4]);
    expect(s.intercept.shape).toEqual([3]);
    const back = modelFromState(s) as LogisticRegression;
    expect(back.predictProba(X)).toEqual(m.predictProba(X));
    expect(back.nIter).toBe(m.nIter);
  });
  test('a single class in the rows used is a DataError', () => {
    expect(() => new LogisticRegression().fit(X, y, Int32Array.from([0, 1, 2])))
      .toThrow(new DataError('y has a single class (0) in the rows used: a classifier needs at least 2 classes'));
  });
  test('NaN in X, length mismatch, unknown or bad params', () => {
    const bad = Float64Array.from(X.data);
    bad[3] = Number.NaN;
    expect(() => new LogisticRegression().fit(ndarray('float64', [150, 4], bad), y)).toThrow('X contains NaN at row 0, column 3');
    expect(() => new LogisticRegression().fit(X, ndarray('float64', [100], new Float64Array(100)))).toThrow('X has 150 rows but y has 100 values');
    expect(() => new LogisticRegression({ c: 1 } as never)).toThrow('unknown param "c" (did you mean "C"?)');
    expect(() => new LogisticRegression({ maxIter: 0 })).toThrow('logistic param maxIter must be an integer >= 1, found 0');
  });
  test('predicting on NaN is a DataError, unless a search marked that X as checked (it scans X once, up front)', () => {
    const m = new LogisticRegression().fit(X, y);
    const bad = Float64Array.from(X.data);
    bad[4 * 7 + 2] = Number.NaN;
    expect(() => m.decisionFunction(ndarray('float64', [150, 4], bad), Int32Array.from([7]))).toThrow('X contains NaN at row 7, column 2');
    const marked = ndarray('float64', [150, 4], bad);
    markCheckedFinite(marked);
    // Not scanned: row 7's NaN goes through to its decision value instead of an error.
    expect(Array.from(m.decisionFunction(marked, Int32Array.from([6, 7])), Number.isNaN)).toEqual([false, false, false, true, true, true]);
  });
});
