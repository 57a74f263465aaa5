/**
 * LogisticRegression with sample weights, class weights and inside a Pipeline, on its own and
 * in searches, against scikit-learn 1.2's converged newton-cg (tol 1e-10) on the same data
 * (test/fixtures/search/logistic-weights.json, written by scripts/pipeline_fixtures.py).
 * Searches must take the fast plan (logistic-path tasks), never fall back to per-fit tasks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NdArray } from '../../src/data/ndarray.js';
import { DataError, ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { makePipeline, type Pipeline } from '../../src/models/pipeline.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { learningCurve } from '../../src/search/curves.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { StratifiedKFold } from '../../src/search/splitters.js';
import { matrixOf, scoreColumnsDiff, vectorOf, type SearchRef } from '../helpers/pipelines.js';
import { CountingExecutor } from '../helpers/counting-executor.js';
import { maxAbsErr } from '../models/fixtures.js';

/**
 * Both sides at their optimum (memgrid's Newton at tol 1e-10, scikit-learn's newton-cg with a
 * gradient below 2e-8): scores and coefficients meet within this, relative to max(1, |ref|).
 */
const TOL = 1e-6;
const CONVERGED = { tol: 1e-10, maxIter: 10000 };
const Cs = [0.01, 0.1, 1, 10];

interface Fixture {
  datasets: Record<'cancer' | 'imbalanced', { X: number[][]; y: number[]; weights?: number[] }>;
  predictRows: number[];
  searches: SearchRef[];
  fits: { name: string; C: number; coef: number[]; intercept: number[]; gradientMax: number }[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/search/logistic-weights.json', import.meta.url), 'utf8')) as Fixture;
const cancer = { X: matrixOf(fixture.datasets.cancer.X), y: vectorOf(fixture.datasets.cancer.y), w: Float64Array.from(fixture.datasets.cancer.weights!) };
const imbalanced = { X: matrixOf(fixture.datasets.imbalanced.X), y: vectorOf(fixture.datasets.imbalanced.y) };
const rows = Int32Array.from(fixture.predictRows);

function ref(name: string): SearchRef {
  const found = fixture.searches.find((s) => s.name === name);
  if (!found) throw new Error(`no search fixture ${name}`);
  return found;
}

/** The direct-fit fixture whose name starts with `kind` at this C. */
function fitRef(kind: string, C: number): Fixture['fits'][number] {
  const found = fixture.fits.find((f) => f.name.startsWith(kind) && f.C === C);
  if (!found) throw new Error(`no fit fixture ${kind} at C=${C}`);
  return found;
}

function relDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  return maxAbsErr(got, want) / Math.max(1, ...Array.from(want, Math.abs));
}

function expectModel(model: LogisticRegression, want: { coef: number[]; intercept: number[] }): void {
  expect(relDiff(model.coef, want.coef.flat())).toBeLessThan(TOL);
  expect(relDiff(model.intercept, want.intercept)).toBeLessThan(TOL);
}

describe('LogisticRegression.fit with weights, as scikit-learn', () => {
  const standardized = new StandardScaler().fitTransform(cancer.X) as NdArray<'float64'>;
  for (const C of [0.1, 1]) {
    it(`sampleWeight, C=${C}, on standardized breast_cancer`, () => {
      const model = new LogisticRegression({ C, ...CONVERGED }).fit(standardized, cancer.y, { sampleWeight: cancer.w });
      expectModel(model, fitRef('sample_weight', C));
      expect(model.converged).toBe(true);
    });

    it(`classWeight "balanced", C=${C}, on a 9:1 imbalanced set`, () => {
      const model = new LogisticRegression({ C, classWeight: 'balanced', ...CONVERGED }).fit(imbalanced.X, imbalanced.y);
      expectModel(model, fitRef('class_weight balanced', C));
    });
  }

  it('"balanced" is the dict n / (k · n_c), and a dict weighs as sampleWeight per row does', () => {
    const y = imbalanced.y.data as Float64Array;
    const n1 = y.reduce((s, v) => s + v, 0);
    const dict = { 0: y.length / (2 * (y.length - n1)), 1: y.length / (2 * n1) };
    const balanced = new LogisticRegression({ classWeight: 'balanced', ...CONVERGED }).fit(imbalanced.X, imbalanced.y);
    const byDict = new LogisticRegression({ classWeight: dict, ...CONVERGED }).fit(imbalanced.X, imbalanced.y);
    const byRow = new LogisticRegression(CONVERGED).fit(imbalanced.X, imbalanced.y, { sampleWeight: Float64Array.from(y, (v) => (v === 1 ? dict[1] : dict[0])) });
    expect(relDiff(byDict.coef, balanced.coef)).toBeLessThan(1e-10);
    expect(relDiff(byRow.coef, balanced.coef)).toBeLessThan(1e-10);
    // Class weights multiply sample weights.
    const both = new LogisticRegression({ classWeight: { 1: 3 }, ...CONVERGED }).fit(imbalanced.X, imbalanced.y, { sampleWeight: 2 });
    const rowWise = new LogisticRegression(CONVERGED).fit(imbalanced.X, imbalanced.y, { sampleWeight: Float64Array.from(y, (v) => (v === 1 ? 6 : 2)) });
    expect(relDiff(both.coef, rowWise.coef)).toBeLessThan(1e-10);
  });

  it('"balanced" counts the rows fitted on, not all of y', () => {
    const train = Int32Array.from({ length: 200 }, (_, i) => i);
    const y = imbalanced.y.data as Float64Array;
    let n1 = 0;
    for (const i of train) n1 += y[i]!;
    const dict = { 0: 200 / (2 * (200 - n1)), 1: 200 / (2 * n1) };
    const onRows = new LogisticRegression({ classWeight: 'balanced', ...CONVERGED }).fit(imbalanced.X, imbalanced.y, train);
    const byDict = new LogisticRegression({ classWeight: dict, ...CONVERGED }).fit(imbalanced.X, imbalanced.y, train);
    expect(relDiff(onRows.coef, byDict.coef)).toBeLessThan(1e-10);
  });

  it('bad weights and options are refused with the value at fault', () => {
    expect(() => new LogisticRegression({ classWeight: 'balance' as never })).toThrow(
      'logistic param classWeight must be null, "balanced" or an object of weights by label ({ "0": 1, "1": 5 }), found "balance"');
    expect(() => new LogisticRegression({ classWeight: { 1: -2 } })).toThrow(
      'logistic param classWeight has weight -2 for label 1: weights must be finite numbers >= 0');
    expect(() => new LogisticRegression({ classWeight: { yes: 2 } })).toThrow('logistic param classWeight has label "yes", which is not a number');
    // scikit-learn: "The classes, [0.0], are not in class_weight" when a dict names a label y lacks.
    expect(() => new LogisticRegression({ classWeight: { 1: 2, 7: 3 } }).fit(imbalanced.X, imbalanced.y)).toThrow(DataError);
    expect(() => new LogisticRegression().fit(imbalanced.X, imbalanced.y, { sampleWeight: 0 })).toThrow('sampleWeight sums to zero');
    const fit = new LogisticRegression().fit as (...args: unknown[]) => unknown;
    expect(() => fit.call(new LogisticRegression(), imbalanced.X, imbalanced.y, undefined, new Float64Array(7))).toThrow(ValueError);
    expect(() => new LogisticRegression().fit(imbalanced.X, imbalanced.y, { sampleWieght: 1 } as never)).toThrow('unknown option "sampleWieght" (did you mean "sampleWeight"?)');
  });
});

describe('searches with weights and pipelines take the path plan and agree with GridSearchCV', () => {
  it('Pipeline(StandardScaler, LogisticRegression) on unscaled breast_cancer: every column, the refit, its predictions', async () => {
    const want = ref('pipeline logistic unscaled breast_cancer');
    const executor = new CountingExecutor();
    const search = await new GridSearch(makePipeline(new StandardScaler(), new LogisticRegression(CONVERGED)), { logisticregression__C: Cs }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['accuracy', 'neg_log_loss', 'roc_auc'], refit: 'neg_log_loss', returnTrainScore: true, executor,
    }).fit(cancer.X, cancer.y);
    expect(executor.kinds()).toEqual(['logistic-path']);
    expect(scoreColumnsDiff(search.cvResults, want.cvResults)).toBeLessThan(TOL);
    expect(search.bestIndex).toBe(want.bestIndex);
    const best = search.bestEstimator as Pipeline;
    expectModel(best.finalStep as LogisticRegression, want.model);
    expect(relDiff((best.namedSteps['standardscaler'] as StandardScaler).mean, want.scaler!.mean)).toBeLessThan(1e-12);
    expect(maxAbsErr(search.predictProba(cancer.X, rows), want.predictProba!.flat())).toBeLessThan(TOL);
    expect(search.warnings).toEqual([]);
  });

  it('Pipeline with logisticregression__sampleWeight', async () => {
    const want = ref('pipeline logistic sample weights');
    const executor = new CountingExecutor();
    const search = await new GridSearch(makePipeline(new StandardScaler(), new LogisticRegression(CONVERGED)), { logisticregression__C: Cs }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', executor,
    }).fit(cancer.X, cancer.y, { logisticregression__sampleWeight: cancer.w });
    expect(executor.kinds()).toEqual(['logistic-path']);
    expect(scoreColumnsDiff(search.cvResults, want.cvResults)).toBeLessThan(TOL);
    expectModel((search.bestEstimator as Pipeline).finalStep as LogisticRegression, want.model);
  });

  const weighted = [
    ['class_weight balanced imbalanced', 'balanced', 'balanced_accuracy'], ['class_weight dict imbalanced', { 0: 1, 1: 5 }, 'f1'],
  ] as const;
  for (const [name, classWeight, refit] of weighted) {
    it(`${name}: classWeight ${JSON.stringify(classWeight)}`, async () => {
      const want = ref(name);
      const executor = new CountingExecutor();
      const search = await new GridSearch(new LogisticRegression({ classWeight, ...CONVERGED }), { C: Cs }, {
        cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['balanced_accuracy', 'f1', 'roc_auc'], refit, executor,
      }).fit(imbalanced.X, imbalanced.y);
      expect(executor.kinds()).toEqual(['logistic-path']);
      expect(scoreColumnsDiff(search.cvResults, want.cvResults)).toBeLessThan(TOL);
      expect(search.bestIndex).toBe(want.bestIndex);
      expectModel(search.bestEstimator as LogisticRegression, want.model);
    });
  }

  it('classWeight as a grid dimension: the balanced and dict candidates equal their own searches', async () => {
    const search = await new GridSearch(new LogisticRegression(CONVERGED), { C: Cs, classWeight: [null, 'balanced', { 0: 1, 1: 5 }] }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['balanced_accuracy', 'f1', 'roc_auc'], refit: 'f1', workers: 0,
    }).fit(imbalanced.X, imbalanced.y);
    const column = search.cvResults['param_class_weight']!;
    expect(column.slice(0, 3)).toEqual([null, 'balanced', { 0: 1, 1: 5 }]);
    for (const [name, value] of [['class_weight balanced imbalanced', 'balanced'], ['class_weight dict imbalanced', '{"0":1,"1":5}']] as const) {
      const want = ref(name).cvResults['mean_test_roc_auc'] as number[];
      const ids = column.flatMap((v, i) => ((typeof v === 'string' ? v : JSON.stringify(v)) === value ? [i] : []));
      const got = ids.map((i) => (search.cvResults['mean_test_roc_auc'] as number[])[i]!);
      expect(relDiff(got, want)).toBeLessThan(TOL);
    }
  });

  it('a weighted learning curve (plain plan) agrees with single weighted fits', async () => {
    const curve = await learningCurve(new LogisticRegression({ C: 1, classWeight: 'balanced', ...CONVERGED }), imbalanced.X, imbalanced.y, {
      trainSizes: [1.0], cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'roc_auc', workers: 0,
    });
    const want = ref('class_weight balanced imbalanced').cvResults;
    const atC1 = Cs.indexOf(1);
    const folds = [0, 1, 2, 3, 4].map((k) => (want[`split${k}_test_roc_auc`] as number[])[atC1]!);
    expect(relDiff(curve.testScores[0]!, folds)).toBeLessThan(TOL);
  });
});
