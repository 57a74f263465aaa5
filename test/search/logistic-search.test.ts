/**
 * Logistic searches and curves against scikit-learn's GridSearchCV, learning_curve and
 * validation_curve run with a converged estimator (test/fixtures/search/logistic_parity.json,
 * scripts/logistic_fixtures.py), on unscaled data; and the solver contract across APIs: a
 * candidate's scores do not depend on the grid around it, on the API that fitted it, or on
 * where it ran.
 *
 * Tolerances: with tol 1e-8 every fit is at the optimum to the rounding floor, so scores agree
 * with the references to 1e-10 relative (measured ≤ 3e-12); accuracy and ranks exactly. At the
 * default tol (1e-4, fits within ~1e-8 of the optimum), the same candidate's mean test
 * log-loss from different routes agrees to 1e-8 relative (the contract).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '../../src/models/logistic.js';
import { learningCurve, validationCurve } from '../../src/search/curves.js';
import { createExecutor } from '../../src/search/engine.js';
import { handleTask } from '../../src/search/task-runner.js';
import { InlineExecutor } from '../../src/workers/inline-executor.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { StratifiedKFold } from '../../src/search/splitters.js';
import type { Executor, TaskMessage } from '../../src/workers/protocol.js';
import { ndarray } from '../../src/data/ndarray.js';
import { dataset, maxRelErr } from '../models/logistic-fixtures.js';
import { uniformSource } from '../helpers/random.js';

interface LogisticGridCase {
  name: string;
  dataset: string;
  grid: Record<string, number[]> | Record<string, unknown[]>[];
  scoring: string | string[];
  refit: string | boolean;
  cvResults: Record<string, unknown[]>;
  bestIndex: number;
  bestScore: number;
  bestCoef: number[][];
  bestIntercept: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/search/logistic_parity.json', import.meta.url), 'utf8')) as {
  grids: LogisticGridCase[];
  learningCurve: { requested: number[]; trainSizes: number[]; trainScores: number[][]; testScores: number[][] };
  validationCurve: { values: number[]; trainScores: number[][]; testScores: number[][] };
};

const TIGHT = { tol: 1e-8 };
// Fold scores on unscaled data against GridSearchCV with newton-cg at tol 1e-10: the solver stops
// within δ ≈ 1e-9 of the optimum (PRECISION_FLOOR), which on unscaled wine (ill-conditioned: a
// held-out score moves with the coefficients' error, not the objective's) puts them 3.2e-10 apart.
const SCORE_REL = 1e-9;

/** An executor that records the kind of every task it runs (which plan ran). */
function counting(inner: Executor): Executor & { kinds: Map<string, number> } {
  const kinds = new Map<string, number>();
  return {
    kinds,
    concurrency: inner.concurrency,
    run: (task: TaskMessage, signal?: AbortSignal) => {
      kinds.set(task.kind, (kinds.get(task.kind) ?? 0) + 1);
      return inner.run(task, signal);
    },
    close: () => inner.close(),
  };
}

/** The grid in memgrid's param names (scikit-learn's fit_intercept is fitIntercept). */
function memgridGrid(grid: LogisticGridCase['grid']): Record<string, unknown[]>[] {
  const list = Array.isArray(grid) ? grid : [grid];
  return list.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k === 'fit_intercept' ? 'fitIntercept' : k, v])));
}

describe('GridSearch on unscaled data matches GridSearchCV with a converged estimator, every column', () => {
  for (const expected of fixture.grids) {
    it(`${expected.name} (on 2 threads, the logistic path plan)`, async () => {
      const { X, y } = dataset(expected.dataset);
      const executor = counting(createExecutor(2));
      let search;
      try {
        search = await new GridSearch(new LogisticRegression(TIGHT), memgridGrid(expected.grid) as never, {
          cv: new StratifiedKFold({ nSplits: 5 }), scoring: expected.scoring, refit: expected.refit, returnTrainScore: true, executor,
        }).fit(X, y);
      } finally {
        await executor.close();
      }
      expect(executor.kinds.get('logistic-path')).toBeGreaterThan(0);
      expect(executor.kinds.get('cv') ?? 0).toBe(0);
      for (const [column, want] of Object.entries(expected.cvResults)) {
        if (column === 'params') continue;
        const got = search.cvResults[column] as number[];
        if (/accuracy|rank_/.test(column)) expect(got, column).toEqual(want);
        else expect(maxRelErr(got, want as number[]), column).toBeLessThan(SCORE_REL);
      }
      expect(search.bestIndex).toBe(expected.bestIndex);
      expect(Math.abs(search.bestScore - expected.bestScore)).toBeLessThan(SCORE_REL * Math.abs(expected.bestScore));
      const best = search.bestEstimator as LogisticRegression;
      expect(maxRelErr(best.coef, expected.bestCoef.flat())).toBeLessThan(1e-8);
      expect(maxRelErr(best.intercept, expected.bestIntercept)).toBeLessThan(1e-8);
      expect(search.warnings).toEqual([]);
    });
  }
});

describe('curves on unscaled breast cancer match scikit-learn\'s with a converged estimator', () => {
  const { X, y } = dataset('breast_cancer');
  it('learningCurve', async () => {
    const expected = fixture.learningCurve;
    const curve = await learningCurve(new LogisticRegression({ C: 1, ...TIGHT }), X, y, {
      trainSizes: expected.requested, cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', workers: 0,
    });
    expect(curve.trainSizes).toEqual(expected.trainSizes);
    expect(maxRelErr(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(SCORE_REL);
    expect(maxRelErr(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(SCORE_REL);
    expect(curve.warnings).toEqual([]);
  });
  it('validationCurve over C', async () => {
    const expected = fixture.validationCurve;
    const curve = await validationCurve(new LogisticRegression(TIGHT), X, y, 'C', expected.values, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', workers: 0,
    });
    expect(maxRelErr(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(SCORE_REL);
    expect(maxRelErr(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(SCORE_REL);
  });
});

describe('one candidate, the same scores whatever else is in the grid and whichever API ran it', () => {
  // The example: unscaled breast_cancer, C=1, default tol and maxIter, same folds.
  const { X, y } = dataset('breast_cancer');
  const cv = new StratifiedKFold({ nSplits: 5 });
  const at1 = (scores: readonly number[], Cs: readonly number[]): number => scores[Cs.indexOf(1)]!;

  it('alone, in a grid, in a validation curve, in a learning curve at full size, inline or on threads: 1e-8', async () => {
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const alone = await new GridSearch(new LogisticRegression(), { C: [1] }, { cv, scoring: 'neg_log_loss', workers: 0 }).fit(X, y);
    const Cs = [0.1, 1, 10];
    const inGrid = await new GridSearch(new LogisticRegression(), { C: Cs }, { cv, scoring: 'neg_log_loss', workers: 2 }).fit(X, y);
    const vc = await validationCurve(new LogisticRegression(), X, y, 'C', Cs, { cv, scoring: 'neg_log_loss', workers: 0 });
    const lc = await learningCurve(new LogisticRegression({ C: 1 }), X, y, { cv, scoring: 'neg_log_loss', trainSizes: [0.5, 1], workers: 2 });
    const reference = (alone.cvResults['mean_test_score'] as number[])[0]!;
    const routes = {
      grid: at1(inGrid.cvResults['mean_test_score'] as number[], Cs),
      validationCurve: mean(vc.testScores[Cs.indexOf(1)]!),
    };
    for (const [route, value] of Object.entries(routes)) expect(Math.abs(value - reference) / Math.abs(reference), route).toBeLessThan(1e-8);
    // A learning curve's largest size is the smallest training fold's (scikit-learn's rule): the
    // folds of that size train on the same rows as the grid's, and score the same.
    const full = lc.trainSizes[lc.trainSizes.length - 1]!;
    const folds = cv.split(569, y.data as Float64Array);
    const same = folds.flatMap((f, k) => (f.train.length === full ? [k] : []));
    expect(same.length).toBeGreaterThan(0);
    for (const k of same) {
      const split = (alone.cvResults[`split${k}_test_score`] as number[])[0]!;
      expect(Math.abs(lc.testScores[lc.testScores.length - 1]![k]! - split) / Math.abs(split), `learning curve, fold ${k}`).toBeLessThan(1e-8);
    }
    // The refit of C=1 (best of the one-candidate grid) is the single fit on all rows.
    const single = new LogisticRegression({ C: 1 }).fit(X, y);
    expect(maxRelErr((alone.bestEstimator as LogisticRegression).predictProba(X), single.predictProba(X))).toBeLessThan(5e-8);
  });

  it('where classes are almost separated (unscaled digits, C = 100): alone, every fit converges to the grid\'s answer', async () => {
    // Alone, each fold's fit starts cold at C = 100; in the grid it comes at the end of a path.
    // Before the solver took its wanted Hessians where the line search landed, the cold fits
    // stopped at maxIter = 100 (a ConvergenceWarning line) with scores off the path's. At tol 1e-8
    // the two agree to 1e-8; at the default tol (fits within ~1e-8 of the optimum in Newton's
    // decrement) this ill-conditioned score moved 1.1e-7 between the routes.
    const digits = dataset('digits');
    const Cs = [0.01, 1, 100];
    const alone = await new GridSearch(new LogisticRegression(TIGHT), { C: [100] }, { cv, scoring: 'neg_log_loss', workers: 0 }).fit(digits.X, digits.y);
    const inGrid = await new GridSearch(new LogisticRegression(TIGHT), { C: Cs }, { cv, scoring: 'neg_log_loss', workers: 2 }).fit(digits.X, digits.y);
    expect(alone.warnings).toEqual([]);
    const reference = (inGrid.cvResults['mean_test_score'] as number[])[Cs.indexOf(100)]!;
    const value = (alone.cvResults['mean_test_score'] as number[])[0]!;
    expect(Math.abs(value - reference) / Math.abs(reference)).toBeLessThan(1e-8);
  });
});

describe('the refit of a multinomial search', () => {
  it('starts from the first fold\'s curvature (no Hessian) and ends at the fit on all rows, on threads', async () => {
    // 6 classes over 20 features on 20,000 rows: the solver samples the Hessian (every 2nd row, ~6
    // gradient passes' cost), so a fold's serves the refit as well.
    const n = 20_000;
    const d = 20;
    const random = uniformSource('multinomial refit');
    const values = Float64Array.from({ length: n * d }, (_, i) => (2 * random() - 1) * (1 + (i % d)));
    const X = ndarray('float64', [n, d], values);
    const scores = Float64Array.from({ length: n }, (_, i) => values[i * d]! - 0.3 * values[i * d + 3]! + 0.5 * (random() - 0.5));
    const cuts = [1, 2, 3, 4, 5].map((q) => Float64Array.from(scores).sort()[Math.floor((q * n) / 6)]!);
    const y = ndarray('float64', [n], Float64Array.from(scores, (z) => cuts.filter((t) => z >= t).length));
    const search = await new GridSearch(new LogisticRegression(TIGHT), { C: [0.01, 0.1] }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', workers: 2,
    }).fit(X, y);
    const refit = search.bestEstimator as LogisticRegression;
    expect(refit.solverReport()).toMatchObject({ converged: true, hessianPasses: 0 });
    const alone = new LogisticRegression({ ...TIGHT, C: search.bestParams['C'] as number }).fit(X, y);
    expect(alone.solverReport()!.hessianPasses).toBeGreaterThanOrEqual(1);
    expect(maxRelErr(refit.state().coef!.data as Float64Array, alone.state().coef!.data as Float64Array)).toBeLessThan(1e-8);
  });
});

describe('the refit does not depend on the order the fold tasks finish in', () => {
  it('the same coefficients, bit for bit, with the tasks finishing last-submitted first', async () => {
    const { X, y } = dataset('breast_cancer');
    const fit = async (executor: Executor): Promise<Float64Array> => {
      const search = await new GridSearch(new LogisticRegression(TIGHT), { C: [0.01, 0.1, 1] }, {
        cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', executor,
      }).fit(X, y);
      return (search.bestEstimator as LogisticRegression).coef;
    };
    const inOrder = await fit(new InlineExecutor(handleTask));
    // Each task's result is held back longer the earlier it was submitted: they arrive in reverse.
    let submitted = 0;
    const inner = new InlineExecutor(handleTask);
    const reversed: Executor = {
      concurrency: 8,
      run: async (task, signal) => {
        const hold = 20 * (10 - submitted++);
        const result = await inner.run(task, signal);
        await new Promise((resolve) => setTimeout(resolve, hold));
        return result;
      },
      close: async () => {},
    };
    expect(Array.from(await fit(reversed))).toEqual(Array.from(inOrder));
  });
});

describe('what a logistic search reports', () => {
  const { X, y } = dataset('breast_cancer');
  it('fits that stop at maxIter: one warning line naming the count, maxIter and candidates; n_iter per fit', async () => {
    const search = await new GridSearch(new LogisticRegression({ maxIter: 2 }), { C: [0.01, 100] }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', workers: 0,
    }).fit(X, y);
    expect(search.warnings[0]).toBe('10 of 10 fits did not converge within maxIter=2 (2 candidates: C=0.01; C=100): '
      + 'their scores are of unfinished fits; raise maxIter or scale the features (n_iter per fit is in the fit records)');
    expect(search.warnings[1]).toBe('the refit of the best candidate did not converge within maxIter=2: raise maxIter');
    expect(search.fitRecords.map((r) => r.solver?.nIter)).toEqual(new Array(10).fill(2));
    expect(search.solverStats).toMatchObject({ fits: 10, newtonSteps: 20, notConverged: 10 });
  });

  it('per-candidate fit times on a path are each C\'s own, not the path\'s time split evenly', async () => {
    const search = await new GridSearch(new LogisticRegression(TIGHT), { C: [1e-3, 1e-2, 0.1, 1, 10, 100] }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', workers: 0,
    }).fit(X, y);
    const times = search.cvResults['mean_fit_time'] as number[];
    expect(new Set(times).size).toBe(times.length);
    expect(search.solverStats?.fits).toBe(30);
    expect(search.solverStats?.notConverged).toBe(0);
    expect(search.warnings).toEqual([]);
  });
});
