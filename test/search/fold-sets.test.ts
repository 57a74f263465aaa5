/**
 * Fold sets that are not partitions (shuffle splits, time series, repeats) run on every plan
 * and give the scores of fitting each fold by hand; ridge's plan covers them with role cells.
 */
import { describe, expect, it } from 'vitest';
import { ndarray, toFloat64 } from '../../src/data/ndarray.js';
import { DataError } from '../../src/errors.js';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { foldCells, ROLE_NONE, ROLE_TEST, ROLE_TRAIN } from '../../src/search/fold-cells.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { TimeSeriesSplit } from '../../src/search/ordered-splitters.js';
import { planTasks } from '../../src/search/planner.js';
import { RepeatedKFold, RepeatedStratifiedKFold } from '../../src/search/repeated-splitters.js';
import { ShuffleSplit, StratifiedShuffleSplit } from '../../src/search/shuffle-split.js';
import { KFold } from '../../src/search/splitters.js';
import type { Estimator } from '../../src/models/estimator.js';
import type { Splitter } from '../../src/search/types.js';

const regression = makeRegression({ nSamples: 400, nFeatures: 5, noise: 3, seed: 2 });
const classification = makeClassification({ nSamples: 300, nFeatures: 4, seed: 3 });

function byHand(make: () => Estimator, cv: Splitter, data: typeof regression, labels?: Float64Array): number[] {
  return cv.split(data.y.shape[0]!, labels).map((fold) => make().fit(data.X, data.y, fold.train).score(data.X, data.y, fold.test));
}

describe('foldCells', () => {
  it('lays a partition out as held-out folds and other fold sets as role patterns', () => {
    const partition = foldCells(new KFold({ nSplits: 3 }).split(9), 9)!;
    expect([partition.partition, partition.nCells, Array.from(partition.cellOfRow)]).toEqual([true, 3, [0, 0, 0, 1, 1, 1, 2, 2, 2]]);
    const series = foldCells(new TimeSeriesSplit({ nSplits: 2, testSize: 2 }).split(6), 6)!;
    // Folds: train 0..1 / test 2..3, then train 0..3 / test 4..5.
    expect(Array.from(series.cellOfRow)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(series.roles)).toEqual([ROLE_TRAIN, ROLE_TRAIN, ROLE_TEST, ROLE_TRAIN, ROLE_NONE, ROLE_TEST]);
    const partial = foldCells([{ train: Int32Array.from([0]), test: Int32Array.from([1]) }], 3)!;
    expect([partial.coversAllRows, Array.from(partial.cellOfRow)]).toEqual([false, [0, 1, -1]]);
    expect(foldCells([{ train: Int32Array.from([0, 0]), test: Int32Array.from([1]) }], 3)).toBeUndefined();
  });
});

describe('non-partition fold sets', () => {
  const regressionSplitters: [string, Splitter][] = [
    ['ShuffleSplit', new ShuffleSplit({ nSplits: 4, testSize: 0.2, trainSize: 0.5, seed: 3 })],
    ['TimeSeriesSplit', new TimeSeriesSplit({ nSplits: 4, gap: 5, maxTrainSize: 200 })],
    ['RepeatedKFold', new RepeatedKFold({ nSplits: 3, nRepeats: 2, seed: 1 })],
  ];

  it.each(regressionSplitters)('ridge (fast plan) on %s equals fitting each fold', async (_name, cv) => {
    const folds = cv.split(400);
    const plan = planTasks({
      pending: [{ candidate: 0, fold: 0 }], candidates: [{ alpha: 1 }], concurrency: 1, folds, X: regression.X, y: regression.y,
      context: { store: '', foldSet: '', model: { name: 'ridge', params: {} }, scoring: ['r2'], returnTrainScore: false, errorScore: Number.NaN },
    });
    expect(plan.tasks[0]!.kind).toBe('ridge-stats');
    const search = await new GridSearch(new Ridge(), { alpha: [0.1, 10] }, { cv, workers: 0 }).fit(regression.X, regression.y);
    for (const [i, alpha] of [0.1, 10].entries()) {
      const want = byHand(() => new Ridge({ alpha }), cv, regression);
      want.forEach((score, k) => expect((search.cvResults[`split${k}_test_score`] as number[])[i]).toBeCloseTo(score, 10));
    }
  });

  it.each([
    ['StratifiedShuffleSplit', new StratifiedShuffleSplit({ nSplits: 3, testSize: 0.25, seed: 5 })],
    ['RepeatedStratifiedKFold', new RepeatedStratifiedKFold({ nSplits: 3, nRepeats: 2, seed: 2 })],
  ] as [string, Splitter][])('logistic (path plan) on %s equals fitting each fold', async (_name, cv) => {
    const Cs = [0.1, 1];
    const search = await new GridSearch(new LogisticRegression({ tol: 1e-10, maxIter: 1000 }), { C: Cs }, { cv, scoring: 'neg_log_loss', workers: 0 })
      .fit(classification.X, classification.y);
    const labels = toFloat64(classification.y);
    for (const [i, C] of Cs.entries()) {
      const folds = cv.split(300, labels);
      folds.forEach((fold, k) => {
        const model = new LogisticRegression({ C, tol: 1e-10, maxIter: 1000 }).fit(classification.X, classification.y, fold.train);
        const proba = model.predictProba(classification.X, fold.test);
        let loss = 0;
        fold.test.forEach((row, r) => { loss -= Math.log(proba[r * 2 + labels[row]!]!); });
        expect((search.cvResults[`split${k}_test_score`] as number[])[i]).toBeCloseTo(-loss / fold.test.length, 4); // the path plan stops ~1e-6 from a single fit, on KFold too
      });
    }
  });

  it('refuses NaN in X in a row no fold uses, as the plain plan does', async () => {
    // Past the first 1024 rows, which the plan reads for its shift.
    const big = makeRegression({ nSamples: 1500, nFeatures: 5, seed: 4 });
    const data = Float64Array.from(big.X.data as Float64Array);
    const cv = new ShuffleSplit({ nSplits: 2, testSize: 10, trainSize: 20, seed: 0 });
    const used = new Set(cv.split(1500).flatMap((f) => [...f.train, ...f.test]));
    const unused = [...Array(1500).keys()].find((i) => i >= 1024 && !used.has(i))!;
    data[unused * 5 + 2] = Number.NaN;
    const X = ndarray('float64', [1500, 5], data);
    // refit: false, or the refit on all rows would find the NaN anyway.
    await expect(new GridSearch(new Ridge(), { alpha: [1, 2] }, { cv, refit: false, workers: 0 }).fit(X, big.y))
      .rejects.toThrow(new DataError(`X contains NaN at row ${unused}, column 2: values must be finite`));
  });
});
