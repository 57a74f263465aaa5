/**
 * The search engine's contracts: results independent of the worker count, fast plans equal
 * to plain fits, error scores, input errors before any worker starts, abort and worker death.
 */
import { describe, expect, it } from 'vitest';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { AbortError, DataError, FitError, ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { learningCurve } from '../../src/search/curves.js';
import { createExecutor } from '../../src/search/engine.js';
import { statsTaskCount } from '../../src/search/ridge-plan.js';
import { GridSearch, RandomizedSearch } from '../../src/search/grid-search.js';
import { loguniform } from '../../src/search/distributions.js';
import { SCORERS } from '../../src/search/scorers.js';
import { KFold, PredefinedFolds } from '../../src/search/splitters.js';
import type { CvResults, FitKey } from '../../src/search/options.js';
import type { FitRecord, TaskMessage } from '../../src/workers/protocol.js';
import { ThreadPoolExecutor } from '../../src/workers/thread-executor.js';
import { CountingExecutor } from '../helpers/counting-executor.js';
import { maxRelDiff } from '../helpers/parity.js';

const regression = makeRegression({ nSamples: 20_000, nFeatures: 12, noise: 5, seed: 1 });
const classification = makeClassification({ nSamples: 3_000, nFeatures: 8, seed: 2 });
const alphas = [0.01, 1, 100, 1e4];
const Cs = [1e-3, 1e-2, 0.1, 1, 10];

function scoreColumns(results: CvResults): Record<string, readonly unknown[]> {
  return Object.fromEntries(Object.entries(results).filter(([k]) => /^(split|mean_test|std_test|mean_train|std_train|rank)/.test(k)));
}

describe('results do not depend on the worker count', () => {
  it('ridge grid (fast plan): inline, 1 and 2 threads give identical numbers', async () => {
    const runs = [];
    for (const workers of [0, 1, 2]) {
      const executor = new CountingExecutor(createExecutor(workers));
      try {
        const search = await new GridSearch(new Ridge(), { alpha: alphas }, {
          cv: new KFold({ nSplits: 5, shuffle: true, seed: 3 }), scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2',
          returnTrainScore: true, executor,
        }).fit(regression.X, regression.y);
        runs.push(scoreColumns(search.cvResults));
      } finally {
        await executor.close();
      }
      expect(executor.kinds(), `${workers} workers`).toEqual(['ridge-stats']);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('a wide X is cut into several stats tasks (by rows × columns², not rows alone), with the plain plan\'s numbers', async () => {
    expect(statsTaskCount(500_000, 64)).toBe(8); // W1: by rows
    expect(statsTaskCount(50_000, 512)).toBe(8); // RW: by work, capped
    expect(statsTaskCount(6_000, 300)).toBe(2);
    expect(statsTaskCount(20_000, 12)).toBe(1);
    const wide = makeRegression({ nSamples: 6_000, nFeatures: 300, noise: 5, seed: 4 });
    const executor = new CountingExecutor();
    const options = { cv: new KFold({ nSplits: 5 }), refit: false, executor } as const;
    const fast = await new GridSearch(new Ridge(), { alpha: [1, 100] }, { ...options, scoring: ['r2'] }).fit(wide.X, wide.y);
    expect(executor.tasks.filter((t) => t.kind === 'ridge-stats')).toHaveLength(2);
    const plain = await new GridSearch(new Ridge(), { alpha: [1, 100] }, { ...options, scoring: ['r2', 'neg_mean_absolute_error'] }).fit(wide.X, wide.y);
    expect(maxRelDiff(fast.cvResults['mean_test_r2'] as number[], plain.cvResults['mean_test_r2'] as number[])).toBeLessThan(1e-9);
  });

  it('logistic grid (path plan): inline and 2 threads give identical numbers', async () => {
    const runs = [];
    for (const workers of [0, 2]) {
      const search = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), { C: Cs }, {
        cv: 5, scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', workers,
      }).fit(classification.X, classification.y);
      runs.push(scoreColumns(search.cvResults));
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe('resuming from completed fits', () => {
  const options = { cv: 5, scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', workers: 0 } as const;
  const keyOf = (k: FitKey): string => JSON.stringify([k.params, k.fold]);
  /** An uninterrupted logistic search and the journal of its fits. */
  const journaled = async (): Promise<{ full: GridSearch; journal: Map<string, FitRecord> }> => {
    const journal = new Map<string, FitRecord>();
    const full = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), { C: Cs }, {
      ...options, onRecord: (record, key) => journal.set(keyOf(key), record),
    }).fit(classification.X, classification.y);
    return { full, journal };
  };
  /** The same search resumed from `kept`, counting the fits it runs again in `onRerun`. */
  const resume = (kept: ReadonlyMap<string, FitRecord>, onRerun: () => void = () => {}): Promise<GridSearch> =>
    new GridSearch(new LogisticRegression({ tol: 1e-8 }), { C: Cs }, {
      ...options, completed: (key) => kept.get(keyOf(key)), onRecord: onRerun,
    }).fit(classification.X, classification.y);

  it('gives the numbers of an uninterrupted run (logistic paths warm-start the same way)', async () => {
    const { full, journal } = await journaled();
    // Keep every other fit, as a journal cut short would.
    const kept = new Map([...journal].filter((_, i) => i % 2 === 0));
    let rerun = 0;
    const resumed = await resume(kept, () => rerun++);
    expect(rerun).toBe(journal.size - kept.size);
    expect(scoreColumns(resumed.cvResults)).toEqual(scoreColumns(full.cvResults));
  });

  it('with every fold but the last journaled, refits from the last fold\'s solutions, the fits that ran, not from a cold start', async () => {
    const { full, journal } = await journaled();
    const resumed = await resume(new Map([...journal].filter(([, record]) => record.fold < 4)));
    const passes = (s: GridSearch): number => {
      const report = (s.bestEstimator as LogisticRegression).solverReport()!;
      return report.gradientPasses + report.hessianPasses;
    };
    expect(resumed.bestIndex).toBe(full.bestIndex);
    // From fold 4's solution the refit takes about the passes it takes from four folds' mean.
    expect(passes(resumed)).toBeLessThanOrEqual(passes(full) + 1);
  });
});

describe('fast plans give the numbers of plain per-candidate fits', () => {
  it('ridge: sufficient statistics equal plain fits to 1e-9 relative (shuffled folds, train scores too)', async () => {
    const cv = new KFold({ nSplits: 4, shuffle: true, seed: 9 });
    // Shifted data: centring has to be careful for the statistics to match.
    const shifted = ndarray('float64', regression.X.shape, regression.X.data.map((v) => v + 1000));
    const fastPlan = new CountingExecutor();
    const fast = await new GridSearch(new Ridge(), { alpha: alphas }, { cv, scoring: 'r2', returnTrainScore: true, executor: fastPlan })
      .fit(shifted, regression.y);
    // neg_mean_absolute_error needs predictions, so this search takes the plain plan.
    const plainPlan = new CountingExecutor();
    const plain = await new GridSearch(new Ridge(), { alpha: alphas }, {
      cv, scoring: ['r2', 'neg_mean_absolute_error'], refit: 'r2', returnTrainScore: true, executor: plainPlan,
    }).fit(shifted, regression.y);
    expect(fastPlan.kinds()).toEqual(['ridge-stats']);
    expect(plainPlan.kinds()).toEqual(['cv']);
    for (let k = 0; k < 4; k++) {
      expect(maxRelDiff(fast.cvResults[`split${k}_test_score`]!, plain.cvResults[`split${k}_test_r2`]!)).toBeLessThan(1e-9);
      expect(maxRelDiff(fast.cvResults[`split${k}_train_score`]!, plain.cvResults[`split${k}_train_r2`]!)).toBeLessThan(1e-9);
    }
  });

  it('ridge learning curve: cumulative statistics equal plain prefix fits to 1e-9 relative', async () => {
    const executor = new CountingExecutor();
    const options = { trainSizes: [0.05, 0.3, 0.7, 1], cv: new KFold({ nSplits: 5, shuffle: true, seed: 4 }), executor };
    const fast = await learningCurve(new Ridge({ alpha: 3 }), regression.X, regression.y, options);
    expect(executor.kinds()).toEqual(['ridge-stats']);
    // Score the same prefixes with plain fits: Ridge.fit on each fold's first `size` training rows.
    const folds = options.cv.split(regression.X.shape[0]!);
    fast.trainSizes.forEach((size, s) => {
      folds.forEach((fold, k) => {
        const model = new Ridge({ alpha: 3 }).fit(regression.X, regression.y, fold.train.subarray(0, size));
        const expected = model.score(regression.X, regression.y, fold.test);
        expect(Math.abs(fast.testScores[s]![k]! - expected) / Math.abs(expected)).toBeLessThan(1e-9);
      });
    });
  });
});

describe('failed fits get the error score', () => {
  // Fold 0 trains on class 0 only: LogisticRegression cannot fit it.
  const y = ndarray('int32', [8], new Int32Array([0, 0, 0, 0, 1, 1, 1, 1]));
  const X = ndarray('float64', [8, 2], Float64Array.from({ length: 16 }, (_, i) => Math.sin(i)));
  const folds = new PredefinedFolds([
    { train: [0, 1, 2, 3], test: [4, 5, 6, 7] },
    { train: [0, 1, 4, 5], test: [2, 3, 6, 7] },
  ]);

  it('records NaN and the message per failed fit, and keeps the others', async () => {
    const search = await new GridSearch(new LogisticRegression(), { C: [0.1, 1] }, { cv: folds, workers: 0 }).fit(X, y);
    expect(search.cvResults['split0_test_score']).toEqual([Number.NaN, Number.NaN]);
    expect((search.cvResults['split1_test_score'] as number[]).every(Number.isFinite)).toBe(true);
    const message = 'y has a single class (0) in the rows used: a classifier needs at least 2 classes';
    expect(search.fitErrors).toEqual([
      { candidate: 0, fold: 0, params: { C: 0.1 }, message },
      { candidate: 1, fold: 0, params: { C: 1 }, message },
    ]);
  });

  it('uses a numeric errorScore, and errorScore "raise" stops at the first failure', async () => {
    const zero = await new GridSearch(new LogisticRegression(), { C: [1] }, { cv: folds, errorScore: 0, workers: 0 }).fit(X, y);
    expect(zero.cvResults['split0_test_score']).toEqual([0]);
    await expect(new GridSearch(new LogisticRegression(), { C: [1] }, { cv: folds, errorScore: 'raise', workers: 0 }).fit(X, y))
      .rejects.toThrow(new DataError('y has a single class (0) in the rows used: a classifier needs at least 2 classes'));
  });

  it('fails loudly when every fit fails', async () => {
    const bad = new PredefinedFolds([{ train: [0, 1, 2, 3], test: [4, 5, 6, 7] }, { train: [4, 5, 6, 7], test: [0, 1, 2, 3] }]);
    await expect(new GridSearch(new LogisticRegression(), { C: [1] }, { cv: bad, workers: 0 }).fit(X, y)).rejects.toThrow(new FitError(
      'all 2 fits failed (first error: y has a single class (0) in the rows used: a classifier needs at least 2 classes); '
      + 'no accuracy score could be computed. Check the data and the parameter grid.',
    ));
  });
});

describe('bad input is rejected before any task runs', () => {
  const { X, y } = regression;
  const small = { X: ndarray('float64', [3, 1], new Float64Array([1, 2, 3])), y: ndarray('float64', [3], new Float64Array([1, 2, 3])) };
  const scorers = [...SCORERS.keys()].join(', ');
  const cases: [string, () => Promise<unknown>, Error][] = [
    ['X/y length mismatch', () => search({}).fit(X, ndarray('float64', [5], new Float64Array(5))), new DataError('X and y have different lengths: X has 20000 rows, y has 5')],
    ['X with no features', () => search({}).fit(ndarray('float64', [3, 0], new Float64Array(0)), small.y), new DataError('X has 0 features (shape [3, 0]): at least 1 is required')],
    // MAE takes the plain plan, which relies on the up-front check (ridge's statistics check X in their pass: below).
    ['NaN in X', () => search({ scoring: 'neg_mean_absolute_error' }).fit(withNaN(X), y), new DataError('X contains NaN at row 1234, column 5: values must be finite')],
    ['Infinity in y', () => search({}).fit(X, withValueAt(y, 77, Number.POSITIVE_INFINITY)), new DataError('y contains Infinity at row 77: values must be finite')],
    ['single-class y', () => new GridSearch(new LogisticRegression(), { C: [1] }, { executor: counter() }).fit(X, ndarray('int64', [20000], new BigInt64Array(20000))),
      new DataError('y has a single class (0): a classifier needs at least two')],
    ['empty grid', () => new GridSearch(new Ridge(), {}, { executor: counter() }).fit(X, y), new ValueError('grid has no parameters: give each parameter name a list of values')],
    ['unknown parameter', () => new GridSearch(new Ridge(), { alpah: [1] }, { executor: counter() }).fit(X, y),
      new ValueError('ridge: unknown param "alpah" (did you mean "alpha"?); known params: alpha, fitIntercept')],
    // Inherited names are no params, however the grid was made (JSON.parse keeps "__proto__" as an own key).
    ['"constructor" in a grid', () => new GridSearch(new Ridge(), JSON.parse('{"constructor": [1]}') as Record<string, number[]>, { executor: counter() }).fit(X, y),
      new ValueError('ridge: unknown param "constructor"; known params: alpha, fitIntercept')],
    ['"__proto__" in a grid', () => new GridSearch(new Ridge(), JSON.parse('{"alpha": [1], "__proto__": [1]}') as Record<string, number[]>, { executor: counter() }).fit(X, y),
      new ValueError('ridge: unknown param "__proto__"; known params: alpha, fitIntercept')],
    ['"toString" in distributions', () => new RandomizedSearch(new Ridge(), JSON.parse('{"toString": [1, 2]}') as Record<string, number[]>, { nIter: 2, executor: counter() }).fit(X, y),
      new ValueError('ridge: unknown param "toString"; known params: alpha, fitIntercept')],
    ['unknown scorer', () => search({ scoring: 'r3' }).fit(X, y), new ValueError(`unknown scoring "r3" (did you mean "r2"?); valid names: ${scorers}`)],
    ['more folds than rows', () => search({ cv: 5 }).fit(small.X, small.y), new ValueError('KFold: cannot have nSplits=5 greater than the number of samples: nSamples=3')],
  ];
  let executor: CountingExecutor;
  function counter(): CountingExecutor {
    executor = new CountingExecutor();
    return executor;
  }
  function search(options: object): GridSearch {
    return new GridSearch(new Ridge(), { alpha: [1] }, { ...options, executor: counter() });
  }
  for (const [name, run, error] of cases) {
    it(name, async () => {
      await expect(run()).rejects.toThrow(error);
      expect(executor.tasks).toEqual([]);
    });
  }
});

function withNaN(X: NdArray<'float64'>): NdArray<'float64'> {
  return withValueAt(X, 1234 * X.shape[1]! + 5, Number.NaN);
}

function withValueAt<A extends NdArray<'float64'>>(a: A, flat: number, value: number): A {
  const data = new Float64Array(a.data);
  data[flat] = value;
  return ndarray('float64', a.shape, data) as A;
}

describe("ridge's statistics plan checks X in its own pass", () => {
  for (const workers of [0, 2]) {
    it(`rejects NaN and ±Inf in X with the up-front check's message (${workers} workers)`, async () => {
      const fit = (X: NdArray<'float64'>): Promise<unknown> =>
        new GridSearch(new Ridge(), { alpha: [0.1, 1] }, { cv: 5, scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2', workers }).fit(X, regression.y);
      await expect(fit(withNaN(regression.X))).rejects.toThrow(new DataError('X contains NaN at row 1234, column 5: values must be finite'));
      const last = (regression.X.shape[0]! - 1) * regression.X.shape[1]!;
      await expect(fit(withValueAt(regression.X, last, Number.NEGATIVE_INFINITY)))
        .rejects.toThrow(new DataError('X contains -Infinity at row 19999, column 0: values must be finite'));
      // Finite but too large to square: no value to name, a message that says what to do.
      await expect(fit(withValueAt(regression.X, 7, 1e200)))
        .rejects.toThrow(new DataError('X has values too large for float64 ridge statistics (their squares overflow): scale the features down'));
    });
  }

  it('the learning curve plan too', async () => {
    await expect(learningCurve(new Ridge(), withNaN(regression.X), regression.y, { trainSizes: [0.5, 1], cv: 5, workers: 0 }))
      .rejects.toThrow(new DataError('X contains NaN at row 1234, column 5: values must be finite'));
  });
});

describe('the pool survives aborts, throwing tasks and dying workers', () => {
  it('an aborted search rejects with AbortError and the same executor runs the next search', async () => {
    const executor = createExecutor(2);
    try {
      const controller = new AbortController();
      const grid = { C: [1e-3, 1e-2, 0.1, 1, 10, 100] };
      const running = new GridSearch(new LogisticRegression({ tol: 1e-10 }), grid, {
        cv: 5, executor, signal: controller.signal, onProgress: () => controller.abort(),
      }).fit(classification.X, classification.y);
      await expect(running).rejects.toThrow(new AbortError('search aborted: finished fits were reported, the rest did not run'));
      const next = await new GridSearch(new Ridge(), { alpha: [1, 10] }, { cv: 3, executor }).fit(regression.X, regression.y);
      const fresh = await new GridSearch(new Ridge(), { alpha: [1, 10] }, { cv: 3, workers: 0 }).fit(regression.X, regression.y);
      expect(scoreColumns(next.cvResults)).toEqual(scoreColumns(fresh.cvResults));
      expect(next.bestIndex).toBe(fresh.bestIndex);
    } finally {
      await executor.close();
    }
  });

  it('a task that throws or whose worker exits rejects, and the pool keeps working', async () => {
    const handlerModule = new URL('../helpers/crash-handler.mjs', import.meta.url).href;
    const pool = new ThreadPoolExecutor({ threads: 2, handlerModule });
    const task = (crash?: string): TaskMessage => ({
      kind: 'cv', store: '/nowhere', foldSet: 'f', model: { name: 'ridge', params: {} }, scoring: ['r2'],
      returnTrainScore: false, errorScore: Number.NaN, folds: [0], candidates: [{ id: 0, params: crash ? { crash } : {} }],
    });
    try {
      await expect(pool.run(task('throw'))).rejects.toThrow(new Error('handler threw on purpose'));
      await expect(pool.run(task('exit'))).rejects.toThrow(new Error('worker exited with code: 7'));
      const results = await Promise.all([pool.run(task()), pool.run(task()), pool.run(task())]);
      expect(results.map((r) => r.records.length)).toEqual([1, 1, 1]);
    } finally {
      await pool.close();
    }
  });
});

describe('RandomizedSearch', () => {
  it('samples nIter candidates, the same ones for the same seed', async () => {
    const run = (seed: number) => new RandomizedSearch(new Ridge(), { alpha: loguniform(1e-3, 1e3) }, { nIter: 6, seed, cv: 3, workers: 0 })
      .fit(regression.X, regression.y);
    const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
    expect(a.cvResults.params).toHaveLength(6);
    expect(a.cvResults.params).toEqual(b.cvResults.params);
    expect(a.cvResults.params).not.toEqual(c.cvResults.params);
    expect(a.cvResults['mean_test_score']).toEqual(b.cvResults['mean_test_score']);
  });
});

describe('in-memory data is persisted once', () => {
  it('a re-run on the same data reuses the store; changed data gets a new one', async () => {
    const first = await new GridSearch(new Ridge(), { alpha: [1] }, { cv: 3, workers: 0 }).fit(regression.X, regression.y);
    const again = await new GridSearch(new Ridge(), { alpha: [2] }, { cv: 3, workers: 0 }).fit(regression.X, regression.y);
    const changed = new Float64Array(regression.y.data);
    changed[0]! += 1;
    const other = await new GridSearch(new Ridge(), { alpha: [1] }, { cv: 3, workers: 0 })
      .fit(regression.X, ndarray('float64', regression.y.shape, changed));
    expect(again.storeHash).toBe(first.storeHash);
    expect(other.storeHash).not.toBe(first.storeHash);
  });
});
