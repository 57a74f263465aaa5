import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { ValueError } from '../../src/errors.js';
import type { Classifier, Estimator, FloatMatrix, Params, Rows } from '../../src/models/estimator.js';
import { accuracy, logLoss, meanSquaredError, r2, rocAuc } from '../../src/search/metrics.js';
import { SCORERS, getScorer, labelsAt } from '../../src/search/scorers.js';
import { resolveScoring, scoreFit, scoreMany } from '../../src/search/scoring.js';

/** scikit-learn's own scorer objects on fixed outputs (scripts/scorer_fixtures.py). */
interface ScoreRef { value?: number | null; error?: string; warnings: { type: string; message: string }[] }
interface CaseRef {
  name: string;
  kind: 'classifier' | 'regressor';
  y: number[];
  classes?: number[];
  decision?: number[] | number[][];
  proba?: number[][];
  predict: number[];
  scores: Record<string, ScoreRef>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/search/scorers.json', import.meta.url), 'utf8')) as { names: string[]; cases: CaseRef[] };

/** Compared with scikit-learn at this tolerance, absolute or relative (numpy sums pairwise, we sum in order). */
const TOL = 1e-12;

/** Picks `rows` (or all) of a per-row vector. */
const pick = (v: Float64Array, rows: Rows, width = 1): Float64Array => {
  if (rows === undefined) return v.slice();
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => out.set(v.subarray(r * width, (r + 1) * width), i * width));
  return out;
};

/** A fake fitted model whose outputs are fixed per row: enough to test scorers without src/models. */
function fake(kind: 'regressor' | 'classifier', outputs: { predict: Float64Array; proba?: Float64Array; decision?: Float64Array; classes?: number[] }): Classifier {
  const classes = Float64Array.from(outputs.classes ?? [0, 1]);
  const width = (outputs.decision?.length ?? 0) / outputs.predict.length;
  const base = {
    name: kind === 'regressor' ? 'ridge' : 'logistic',
    kind,
    fitted: true,
    classes,
    fit() { return this; },
    predict: (_X: FloatMatrix, rows?: Rows) => pick(outputs.predict, rows),
    predictProba: (_X: FloatMatrix, rows?: Rows) => pick(outputs.proba!, rows, classes.length),
    decisionFunction: (_X: FloatMatrix, rows?: Rows) => pick(outputs.decision!, rows, width),
    score: () => Number.NaN,
    getParams: (): Params => ({}),
    setParams() { return this; },
    clone() { return this as unknown as Estimator; },
    state: () => { throw new Error('not needed'); },
  };
  return base as unknown as Classifier;
}

function fromCase(c: CaseRef): { model: Classifier; X: FloatMatrix; y: NdArray } {
  const f64 = (a: number[] | number[][]): Float64Array => Float64Array.from(a.flat());
  const model = c.kind === 'regressor'
    ? fake('regressor', { predict: f64(c.predict) })
    : fake('classifier', { predict: f64(c.predict), decision: f64(c.decision!), proba: f64(c.proba!), classes: c.classes! });
  return { model, X: ndarray('float64', [c.y.length, 1]), y: ndarray('float64', [c.y.length], Float64Array.from(c.y)) };
}

const X = ndarray('float64', [6, 1]);
const yReg = ndarray('float64', [6], Float64Array.from([1, 2, 3, 4, 5, 6]));
const predReg = Float64Array.from([1.5, 2, 2.5, 4, 6, 5]);
const yCls: NdArray = ndarray('int32', [6], Int32Array.from([0, 1, 1, 0, 1, 0]));
const yClsF = Float64Array.from([0, 1, 1, 0, 1, 0]);
const decision = Float64Array.from([-2, 0.5, 1, 0.5, -0.1, -1]);
const proba = Float64Array.from([...decision].flatMap((d) => [1 / (1 + Math.exp(d)), 1 / (1 + Math.exp(-d))]));
const classifier = fake('classifier', { predict: Float64Array.from([0, 1, 1, 1, 0, 0]), proba, decision });
const regressor = fake('regressor', { predict: predReg });

afterEach(() => vi.restoreAllMocks());

describe('scorers match scikit-learn 1.2\'s scorer objects', () => {
  it('offer scikit-learn\'s names for regressors and classifiers (no clustering, no _samples), plus d2_absolute_error_score', () => {
    expect([...SCORERS.keys()].sort()).toEqual(fixture.names);
    expect(Object.isFrozen(getScorer('r2'))).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: every scorer's value, failure and warnings`, () => {
      const { model, X: Xc, y } = fromCase(c);
      for (const [name, ref] of Object.entries(c.scores)) {
        const { scores, warnings } = scoreFit(new Map([[name, getScorer(name)]]), model, Xc, y, undefined, Number.NaN);
        const got = scores[name]!;
        const context = `${c.name} / ${name}`;
        if (ref.error !== undefined) {
          expect(got, context).toBeNaN();
          expect(warnings.filter((w) => w.message.startsWith('Scoring failed. The score on this train-test partition for these parameters will be set to nan. Details: ')), context).toHaveLength(1);
          continue;
        }
        if (ref.value === null) expect(got, context).toBeNaN();
        else expect(Math.abs(got - ref.value!) / Math.max(1, Math.abs(ref.value!)), context).toBeLessThanOrEqual(TOL);
        expect(warnings.map((w) => ({ type: w.type, message: w.message })), context).toEqual(ref.warnings);
        expect(warnings.every((w) => w.metric === name), context).toBe(true);
      }
    });
  }
});

describe('scorers', () => {
  it('score regressors with the metric and scikit-learn\'s sign', () => {
    expect(getScorer('r2').score(regressor, X, yReg)).toBe(r2(yReg.data, predReg));
    const mse = getScorer('neg_mean_squared_error');
    expect(mse.greaterIsBetter).toBe(false);
    expect(mse.score(regressor, X, yReg)).toBe(-meanSquaredError(yReg.data, predReg));
    expect(getScorer('max_error').score(regressor, X, yReg)).toBe(-1);
  });

  it('score only the given rows', () => {
    const rows = Int32Array.from([5, 1, 3]);
    const want = -meanSquaredError(Float64Array.from([6, 2, 4]), Float64Array.from([5, 2, 4]));
    expect(getScorer('neg_mean_squared_error').score(regressor, X, yReg, rows)).toBe(want);
    expect(getScorer('neg_mean_absolute_error').score(regressor, X, yReg, rows)).toBeCloseTo(-1 / 3, 15);
  });

  it('score classifiers from predictions, probabilities (the positive column) and decision values', () => {
    expect(getScorer('accuracy').score(classifier, X, yCls)).toBe(accuracy(yClsF, Float64Array.from([0, 1, 1, 1, 0, 0])));
    expect(getScorer('neg_log_loss').needs).toBe('proba');
    expect(getScorer('neg_log_loss').score(classifier, X, yCls)).toBe(-logLoss(yClsF, proba));
    expect(getScorer('roc_auc').needs).toBe('decision');
    expect(getScorer('roc_auc').score(classifier, X, yCls)).toBe(rocAuc(yClsF, decision));
    expect(getScorer('roc_auc_ovr').score(classifier, X, yCls)).toBe(rocAuc(yClsF, pick(proba, undefined, 2).filter((_, i) => i % 2 === 1)));
  });

  it('follow scikit-learn where a binary test fold holds one class: neg_log_loss cannot score it', () => {
    const rows = Int32Array.from([1, 2]); // both class 1
    expect(() => getScorer('neg_log_loss').score(classifier, X, yCls, rows)).toThrow('logLoss: yTrue contains only one label (1): pass the classes explicitly');
  });

  it('refuse probability scorers on regressors; threshold scorers read a regressor\'s predictions, as scikit-learn\'s do', () => {
    expect(() => getScorer('neg_log_loss').score(regressor, X, yReg)).toThrow("scoring 'neg_log_loss' needs a classifier, found the regressor 'ridge'");
    const yBin = ndarray('float64', [6], Float64Array.from([0, 0, 1, 0, 1, 1]));
    expect(getScorer('roc_auc').score(regressor, X, yBin)).toBe(rocAuc(yBin.data, predReg));
  });
});

describe('getScorer and resolveScoring', () => {
  it('suggest near misses and list valid names', () => {
    const valid = `valid names: ${[...SCORERS.keys()].join(', ')}`;
    expect(valid).toMatch(/^valid names: explained_variance, r2, max_error, /);
    expect(() => getScorer('acuracy')).toThrow(new ValueError(`unknown scoring "acuracy" (did you mean "accuracy"?); ${valid}`));
    expect(() => getScorer('mean_squared_error')).toThrow(new ValueError(`unknown scoring "mean_squared_error" (did you mean "neg_mean_squared_error"?); ${valid}`));
    expect(() => getScorer('neg_mean_square_error')).toThrow(new ValueError(`unknown scoring "neg_mean_square_error" (did you mean "neg_mean_squared_error"?); ${valid}`));
    expect(() => getScorer('MAE')).toThrow(new ValueError(`unknown scoring "MAE" (did you mean "neg_mean_absolute_error"?); ${valid}`));
    expect(() => getScorer('mape')).toThrow(new ValueError(`unknown scoring "mape" (did you mean "neg_mean_absolute_percentage_error"?); ${valid}`));
    expect(() => getScorer('constructor')).toThrow(new ValueError(`unknown scoring "constructor"; ${valid}`));
    expect(() => getScorer('banana')).toThrow(new ValueError(`unknown scoring "banana"; ${valid}`));
  });

  it('refuse the _samples averages and clustering scores, saying why', () => {
    expect(() => getScorer('f1_samples')).toThrow(new ValueError(
      "unsupported scoring: 'f1_samples' averages over the samples of a multilabel target; memgrid's targets are one label per row "
      + "(binary or multiclass), on which scikit-learn fails every fold: use 'f1_macro', 'f1_micro' or 'f1_weighted'",
    ));
    expect(() => getScorer('adjusted_rand_score')).toThrow(new ValueError("unsupported scoring: 'adjusted_rand_score' is a clustering score; memgrid searches regressors and classifiers"));
  });

  it('default to the estimator\'s own score', () => {
    expect(resolveScoring(undefined, 'regressor')).toEqual(['r2']);
    expect(resolveScoring(undefined, 'classifier')).toEqual(['accuracy']);
    expect(resolveScoring('roc_auc', 'classifier')).toEqual(['roc_auc']);
    expect(resolveScoring(['r2', 'neg_mean_absolute_error'], 'regressor')).toEqual(['r2', 'neg_mean_absolute_error']);
  });

  it('refuse empty lists, duplicates and classification scorers for regressors', () => {
    expect(() => resolveScoring([], 'regressor')).toThrow('scoring must be a scorer name or a non-empty list of names, found []');
    expect(() => resolveScoring(['r2', 'r2'], 'regressor')).toThrow("scoring lists 'r2' twice: scorer names must be unique");
    expect(() => resolveScoring('accuracy', 'regressor')).toThrow("scoring 'accuracy' is a classification metric and the estimator is a regressor");
  });

  it('labelsAt reads any dtype in place', () => {
    const y = ndarray('int64', [3], BigInt64Array.from([5n, 6n, 7n]));
    expect([...labelsAt(y, Int32Array.from([2, 0]))]).toEqual([7, 5]);
    expect([...labelsAt(y)]).toEqual([5, 6, 7]);
  });

  it('labelsAt gathers from the float64 values a caller already converted, not from y', () => {
    const y = ndarray('int64', [3], BigInt64Array.from([5n, 6n, 7n]));
    // Values that differ from y's show which array was read.
    expect([...labelsAt(y, Int32Array.from([2, 0]), Float64Array.from([50, 60, 70]))]).toEqual([70, 50]);
    expect([...labelsAt(y, undefined, Float64Array.from([50, 60, 70]))]).toEqual([50, 60, 70]);
  });
});

describe('scoreFit', () => {
  it('gives a failing metric errorScore with one warning and still reports the others; errorScore raise rethrows', () => {
    const y3 = ndarray('float64', [6], Float64Array.from([0, 1, 2, 0, 1, 2]));
    const scorers = new Map([['accuracy', getScorer('accuracy')], ['roc_auc', getScorer('roc_auc')]]);
    const { scores, warnings } = scoreFit(scorers, classifier, X, y3, undefined, -1);
    expect(scores).toEqual({ accuracy: accuracy(y3.data, Float64Array.from([0, 1, 1, 1, 0, 0])), roc_auc: -1 });
    expect(warnings).toEqual([{
      type: 'UserWarning', metric: 'roc_auc',
      message: 'Scoring failed. The score on this train-test partition for these parameters will be set to -1. Details: multiclass format is not supported',
    }]);
    expect(() => scoreFit(scorers, classifier, X, y3, undefined, 'raise')).toThrow('multiclass format is not supported');
  });
});

describe('scoreMany with a real classifier', () => {
  it("shares one decision pass for labels and probabilities and gives what predict and predictProba give", async () => {
    const { LogisticRegression } = await import('../../src/models/logistic.js');
    const n = 200;
    const Xr = ndarray('float64', [n, 3], Float64Array.from({ length: 3 * n }, (_, i) => Math.sin(i * 0.7) + (i % 3)));
    const y = ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 2.1) > 0 ? 1 : 0)));
    const model = new LogisticRegression({ C: 0.5 }).fit(Xr, y);
    const rows = Int32Array.from({ length: 50 }, (_, i) => i * 3);
    let decisions = 0;
    const counted = new Proxy(model, {
      get(target, key, receiver) {
        if (key === 'decisionFunction') return (...args: [FloatMatrix, Rows]) => { decisions++; return target.decisionFunction(...args); };
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const scores = scoreMany(['accuracy', 'neg_log_loss', 'neg_brier_score'], counted, Xr, y, rows);
    expect(decisions).toBe(1);
    const truth = labelsAt(y, rows);
    expect(scores['accuracy']).toBe(accuracy(truth, model.predict(Xr, rows)));
    expect(scores['neg_log_loss']).toBe(-logLoss(truth, model.predictProba(Xr, rows), model.classes));
  });
});
