/**
 * Searches and curves on pipelines and with sample weights, against scikit-learn 1.2's
 * GridSearchCV / learning_curve (scripts/pipeline_fixtures.py), on the fast plan and the plain one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogisticRegression } from '../../src/models/logistic.js';
import { makePipeline, Pipeline } from '../../src/models/pipeline.js';
import { Ridge, RidgeSystem } from '../../src/models/ridge.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { crossValidate, crossValPredict } from '../../src/search/cross-validate.js';
import { learningCurve } from '../../src/search/curves.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { KFold, StratifiedKFold } from '../../src/search/splitters.js';
import { pipelineData, pipelines, scoreColumnsDiff, searchRef } from '../helpers/pipelines.js';
import { CountingExecutor } from '../helpers/counting-executor.js';
import { maxAbsErr } from '../models/fixtures.js';

/** Ridge searches: both sides solve the same equations in float64 (statistics vs numpy's lstsq-free Cholesky). */
const RIDGE_TOL = 1e-9;
/**
 * Logistic searches: memgrid's solver and scikit-learn's newton-cg, both converged (tol 1e-10),
 * meet within this (measured on wine: 1.4e-9 in probabilities).
 */
const LOGISTIC_TOL = 1e-6;

const diabetes = pipelineData('diabetes');
const alphas = [0.01, 0.3, 10, 300];
const rows = Int32Array.from(pipelines.predictRows);

function relDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  return maxAbsErr(got, want) / Math.max(1, ...Array.from(want, Math.abs));
}

describe('Pipeline(StandardScaler, Ridge) on diabetes, as GridSearchCV', () => {
  const ref = searchRef('pipeline ridge diabetes');
  const grid = [
    { ridge__alpha: alphas }, { ridge__alpha: [1], standardscaler__withStd: [false] }, { ridge__alpha: [1], ridge__fitIntercept: [false] },
  ];

  it('the fast plan gives every score column, the refit scaler and ridge, and its predictions', async () => {
    const executor = new CountingExecutor();
    const search = await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), grid, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2', 'neg_mean_squared_error', 'explained_variance'], refit: 'r2', returnTrainScore: true, executor,
    }).fit(diabetes.X, diabetes.y);
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
    expect(search.bestIndex).toBe(ref.bestIndex);
    expect(Object.keys(search.cvResults).filter((k) => k.startsWith('param_'))).toEqual([
      'param_ridge__alpha', 'param_ridge__fit_intercept', 'param_standardscaler__with_std',
    ]);
    const best = search.bestEstimator as Pipeline;
    const scaler = best.namedSteps['standardscaler'] as StandardScaler;
    // The best candidate does not divide by the standard deviation (withStd: false), as scikit-learn's.
    expect(ref.scaler!.scale).toBeNull();
    expect(scaler.scale).toBeUndefined();
    expect(relDiff(scaler.mean, ref.scaler!.mean)).toBeLessThan(1e-12);
    expect(relDiff((best.finalStep as Ridge).coef, ref.model.coef)).toBeLessThan(RIDGE_TOL);
    expect(relDiff(search.predict(diabetes.X, rows), ref.predict)).toBeLessThan(RIDGE_TOL);
  });

  it('the plain plan (a scorer that needs predictions) agrees with the fast plan', async () => {
    const executor = new CountingExecutor();
    const search = await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), grid, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2', 'neg_mean_squared_error', 'explained_variance', 'neg_mean_absolute_error'],
      refit: 'r2', returnTrainScore: true, executor,
    }).fit(diabetes.X, diabetes.y);
    expect(executor.kinds()).toEqual(['cv']);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
  });
});

describe('many alphas on 30 columns (breast_cancer): one shared reduction per fold serves them all', () => {
  const cancer = pipelineData('cancer');
  const wideAlphas = [1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];
  afterEach(() => { vi.restoreAllMocks(); });

  it('Ridge on raw features (a Gram spanning ~10 orders of magnitude): every column and the refit', async () => {
    const ref = searchRef('ridge wide cancer many alphas');
    const shared = vi.spyOn(RidgeSystem.prototype, 'solveShared');
    const search = await new GridSearch(new Ridge(), { alpha: wideAlphas }, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2', returnTrainScore: true, workers: 0,
    }).fit(cancer.X, cancer.y);
    expect(shared).toHaveBeenCalledTimes(wideAlphas.length * 5);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
    expect(search.bestIndex).toBe(ref.bestIndex);
    expect(relDiff((search.bestEstimator as Ridge).coef, ref.model.coef)).toBeLessThan(RIDGE_TOL);
  });

  it('Pipeline(StandardScaler, Ridge): the scaled system is shared too', async () => {
    const ref = searchRef('pipeline ridge wide cancer many alphas');
    const shared = vi.spyOn(RidgeSystem.prototype, 'solveShared');
    const search = await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), { ridge__alpha: wideAlphas }, {
      cv: new KFold({ nSplits: 5 }), scoring: 'r2', workers: 0,
    }).fit(cancer.X, cancer.y);
    expect(shared).toHaveBeenCalledTimes(wideAlphas.length * 5);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
    expect(relDiff(search.predict(cancer.X, rows), ref.predict)).toBeLessThan(RIDGE_TOL);
  });
});

describe('sample weights routed to every fit (scikit-learn\'s fit_params), scored unweighted', () => {
  it('Ridge, plain plan on 2 threads (MAE needs predictions)', async () => {
    const ref = searchRef('ridge sample weights');
    const search = await new GridSearch(new Ridge(), { alpha: alphas }, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2', 'neg_mean_absolute_error'], refit: 'r2', returnTrainScore: true, workers: 2,
    }).fit(diabetes.X, diabetes.y, { sampleWeight: diabetes.w! });
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
    expect(relDiff((search.bestEstimator as Ridge).coef, ref.model.coef)).toBeLessThan(RIDGE_TOL);
  });

  it('Ridge, fast plan: weighted statistics for the fits, unweighted ones for the scores', async () => {
    const ref = searchRef('ridge sample weights');
    const executor = new CountingExecutor();
    const search = await new GridSearch(new Ridge(), { alpha: alphas }, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2'], returnTrainScore: true, executor,
    }).fit(diabetes.X, diabetes.y, { sampleWeight: diabetes.w! });
    expect(executor.kinds()).toEqual(['ridge-stats']);
    const r2Only = Object.fromEntries(Object.entries(ref.cvResults).filter(([k]) => k.endsWith('_r2')));
    expect(scoreColumnsDiff(search.cvResults, r2Only)).toBeLessThan(RIDGE_TOL);
    expect(relDiff((search.bestEstimator as Ridge).coef, ref.model.coef)).toBeLessThan(RIDGE_TOL);
  });

  it('a pipeline step by name (ridge__sampleWeight), fast plan, scoring a string: _score columns', async () => {
    const ref = searchRef('pipeline ridge weighted step');
    const executor = new CountingExecutor();
    const search = await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), { ridge__alpha: alphas }, {
      cv: new KFold({ nSplits: 5 }), scoring: 'r2', executor,
    }).fit(diabetes.X, diabetes.y, { ridge__sampleWeight: diabetes.w! });
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(RIDGE_TOL);
    expect(relDiff(search.predict(diabetes.X, rows), ref.predict)).toBeLessThan(RIDGE_TOL);
  });

  it('a learning curve', async () => {
    const ref = pipelines.learningCurveWeights;
    const curve = await learningCurve(new Ridge({ alpha: ref.alpha }), diabetes.X, diabetes.y, {
      trainSizes: ref.requested, cv: new KFold({ nSplits: 5 }), sampleWeight: diabetes.w!, workers: 0,
    });
    expect(curve.trainSizes).toEqual(ref.trainSizes);
    expect(relDiff(curve.testScores.flat(), ref.testScores.flat())).toBeLessThan(RIDGE_TOL);
    expect(relDiff(curve.trainScores.flat(), ref.trainScores.flat())).toBeLessThan(RIDGE_TOL);
  });

  it('crossValidate and crossValPredict route them too (to the returned estimators as well)', async () => {
    const ref = searchRef('ridge sample weights');
    const cv = await crossValidate(new Ridge({ alpha: 0.3 }), diabetes.X, diabetes.y, {
      cv: new KFold({ nSplits: 5 }), scoring: ['r2'], sampleWeight: diabetes.w!, returnEstimator: true, workers: 0,
    });
    const r2 = (ref.cvResults['split0_test_r2'] as number[])[1]!;
    expect(Math.abs(cv['test_r2']![0]! - r2)).toBeLessThan(RIDGE_TOL);
    const fold0 = new KFold({ nSplits: 5 }).split(442)[0]!;
    const weighted = new Ridge({ alpha: 0.3 }).fit(diabetes.X, diabetes.y, { rows: fold0.train, sampleWeight: diabetes.w! });
    expect(relDiff(cv.estimator![0]!.predict(diabetes.X, fold0.test), weighted.predict(diabetes.X, fold0.test))).toBeLessThan(1e-12);
    const predicted = crossValPredict(new Ridge({ alpha: 0.3 }), diabetes.X, diabetes.y, { cv: new KFold({ nSplits: 5 }), sampleWeight: diabetes.w! });
    expect(relDiff(Array.from(fold0.test, (i) => predicted[i]!), weighted.predict(diabetes.X, fold0.test))).toBeLessThan(1e-12);
  });

  it('are refused where they cannot go, before anything runs', async () => {
    const pipe = new GridSearch(makePipeline(new StandardScaler(), new Ridge()), { ridge__alpha: [1] }, { workers: 0 });
    await expect(pipe.fit(diabetes.X, diabetes.y, { sampleWeight: diabetes.w! })).rejects.toThrow(
      "fit: a Pipeline does not take sampleWeight; route it to a step by name, as ridge__sampleWeight (scikit-learn's step__param fit params)",
    );
    const ridge = new GridSearch(new Ridge(), { alpha: [1] }, { workers: 0 });
    await expect(ridge.fit(diabetes.X, diabetes.y, { sampleWieght: 1 } as never)).rejects.toThrow('fit: unknown option "sampleWieght" (did you mean "sampleWeight"?); searches take sampleWeight');
    await expect((ridge.fit as (...a: unknown[]) => Promise<unknown>)(diabetes.X, diabetes.y, undefined, { sampleWeight: 1 })).rejects.toThrow(
      'fit takes (X, y, options); found 4 arguments. Pass fit params as one object, e.g. { sampleWeight }',
    );
    await expect(ridge.fit(diabetes.X, diabetes.y, { sampleWeight: [1, 2] })).rejects.toThrow('sampleWeight has 2 values, expected 442 (one per row of X)');
  });
});

describe('multiclass scorers on wine through Pipeline(StandardScaler, LogisticRegression)', () => {
  it('every scorer as scikit-learn scores it; roc_auc cannot be computed: NaN with one warning naming it', async () => {
    const ref = searchRef('wine multiclass scorers');
    const { X, y } = pipelineData('wine');
    const scoring = [
      'accuracy', 'balanced_accuracy', 'f1_macro', 'f1_micro', 'f1_weighted', 'precision_macro', 'recall_weighted', 'jaccard_macro',
      'matthews_corrcoef', 'neg_log_loss', 'roc_auc_ovr', 'roc_auc_ovo', 'roc_auc_ovr_weighted', 'roc_auc_ovo_weighted', 'roc_auc',
    ];
    const search = await new GridSearch(makePipeline(new StandardScaler(), new LogisticRegression({ tol: 1e-10, maxIter: 10000 })), {
      logisticregression__C: [0.01, 0.1, 1],
    }, { cv: new StratifiedKFold({ nSplits: 5 }), scoring, refit: 'neg_log_loss', workers: 0 }).fit(X, y);
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(LOGISTIC_TOL);
    expect(search.bestIndex).toBe(ref.bestIndex);
    expect(maxAbsErr(search.predictProba(X, rows), ref.predictProba!.flat())).toBeLessThan(LOGISTIC_TOL);
    expect(search.scoringWarnings).toEqual([{
      type: 'UserWarning', metric: 'roc_auc', count: 15,
      message: 'Scoring failed. The score on this train-test partition for these parameters will be set to nan. Details: multiclass format is not supported',
    }]);
    expect(search.fitErrors).toEqual([]);
  });
});
