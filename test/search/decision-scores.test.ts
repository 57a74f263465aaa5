/**
 * The fused accuracy and neg_log_loss of a LogisticRegression (src/search/decision-scores.ts)
 * against the plain route (predictions / probabilities, then the metric): equal bit for bit,
 * and left to the plain route wherever that one would throw or branch otherwise.
 */
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { DistinctValues, indexInSorted, sortedDistinct } from '../../src/models/distinct.js';
import { LogisticRegression, reusedStackedDecisions } from '../../src/models/logistic.js';
import { decisionScore, stackedBinaryScores } from '../../src/search/decision-scores.js';
import { getScorer, labelsAt } from '../../src/search/scorers.js';

/** A fitted model with k classes (labels `classes`) and fixed coefficients over d features. */
function model(classes: number[], d: number, seed: number): LogisticRegression {
  const outputs = classes.length === 2 ? 1 : classes.length;
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return LogisticRegression.fromState({
    name: 'logistic', params: { C: 1 },
    coef: ndarray('float64', [outputs, d], Float64Array.from({ length: outputs * d }, () => 8 * next())),
    intercept: ndarray('float64', [outputs], Float64Array.from({ length: outputs }, () => next())),
    classes: ndarray('float64', [classes.length], Float64Array.from(classes)), nIter: 1,
  });
}

function rowsOf(n: number, d: number, scale: number): Float64Array {
  return Float64Array.from({ length: n * d }, (_, i) => scale * Math.sin(i * 0.731 + 0.3));
}

/** The plain route: the scorer on the model's own outputs (what scoreFit did before the fused route). */
function plain(name: string, m: LogisticRegression, X: Float64Array, d: number, yTrue: Float64Array): number {
  const Xa = ndarray('float64', [X.length / d, d], X);
  const z = m.decisionFunction(Xa);
  const scorer = getScorer(name);
  const output = scorer.needs === 'proba' ? m.probaFromDecision(z) : m.predictFromDecision(z);
  return scorer.fromOutput(yTrue, output, m.classes);
}

function fused(name: string, m: LogisticRegression, X: Float64Array, d: number, yTrue: Float64Array): number | undefined {
  return decisionScore(getScorer(name), m, yTrue, () => m.decisionFunction(ndarray('float64', [X.length / d, d], X)));
}

describe('accuracy and neg_log_loss from decision values', () => {
  // Margins up to ~±100: probabilities that clip at eps, rows that round to 1.
  const cases = [
    { classes: [0, 1], d: 3, scale: 1 },
    { classes: [-1, 1], d: 5, scale: 12 },
    { classes: [2, 5, 9], d: 4, scale: 1 },
    { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], d: 6, scale: 10 },
  ];
  for (const { classes, d, scale } of cases) {
    it(`equals the plain route bit for bit: ${classes.length} classes, margins x${scale}`, () => {
      const n = 2000;
      const m = model(classes, d, 7 + d);
      const X = rowsOf(n, d, scale);
      const yTrue = labelsAt(ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => classes[(i * 7919) % classes.length]!)));
      for (const name of ['accuracy', 'neg_log_loss']) {
        const value = fused(name, m, X, d, yTrue);
        expect(value).toBeDefined();
        expect(Object.is(value, plain(name, m, X, d, yTrue))).toBe(true);
      }
    });
  }

  it('equals the plain route row by row (pairs of rows, one of each class), margins from -60 to 60', () => {
    // A mean over many rows can hide a last-bit difference of one row: score two rows at a time.
    const m = LogisticRegression.fromState({
      name: 'logistic', params: { C: 1 }, coef: ndarray('float64', [1, 1], Float64Array.of(1)), intercept: ndarray('float64', [1], Float64Array.of(0)),
      classes: ndarray('float64', [2], Float64Array.of(0, 1)), nIter: 1,
    });
    const X = Float64Array.from({ length: 2402 }, (_, i) => Math.sin(i) * 60);
    for (let i = 0; i + 1 < X.length; i += 2) {
      const pair = X.subarray(i, i + 2);
      for (const yTrue of [Float64Array.from([0, 1]), Float64Array.from([1, 0])]) {
        expect(Object.is(fused('neg_log_loss', m, pair, 1, yTrue), plain('neg_log_loss', m, pair, 1, yTrue))).toBe(true);
      }
    }
  });

  it('leaves neg_log_loss to the plain route when the rows miss a class or hold another label', () => {
    const m = model([0, 1, 2], 2, 3);
    const X = rowsOf(6, 2, 1);
    const missing = Float64Array.from([0, 1, 0, 1, 0, 1]);
    expect(fused('neg_log_loss', m, X, 2, missing)).toBeUndefined();
    expect(() => plain('neg_log_loss', m, X, 2, missing)).toThrow(/different numbers of classes/);
    const other = Float64Array.from([0, 1, 2, 7, 0, 1]);
    expect(fused('neg_log_loss', m, X, 2, other)).toBeUndefined();
    // Accuracy has no such condition: a label no class matches is a miss, as in the plain route.
    expect(fused('accuracy', m, X, 2, other)).toBe(plain('accuracy', m, X, 2, other));
  });

  it('applies to LogisticRegression and the built-in accuracy and neg_log_loss only, and not to empty rows', () => {
    const m = model([0, 1], 2, 5);
    const yTrue = Float64Array.from([0, 1]);
    const z = (): Float64Array => Float64Array.from([0.5, -0.5]);
    expect(decisionScore(getScorer('roc_auc'), m, yTrue, z)).toBeUndefined();
    expect(decisionScore({ ...getScorer('accuracy') }, m, yTrue, z)).toBeUndefined();
    const lookalike = { name: 'logistic', kind: 'classifier', classes: Float64Array.from([0, 1]) } as unknown as LogisticRegression;
    expect(decisionScore(getScorer('accuracy'), lookalike, yTrue, z)).toBeUndefined();
    expect(decisionScore(getScorer('accuracy'), m, new Float64Array(0), () => new Float64Array(0))).toBeUndefined();
    expect(decisionScore(getScorer('accuracy'), m, yTrue, () => Float64Array.from([0.5, 0.5]))).toBe(0.5);
  });
});

describe('a path of binary models scored together from their stacked decision values', () => {
  const both = new Map([['accuracy', getScorer('accuracy')], ['neg_log_loss', getScorer('neg_log_loss')]]);
  const d = 4;
  const n = 3001;
  // Margins up to ~±100 (probabilities that clip), labels -1 and 1, seven models of one shape,
  // and one whose margins are all exactly 0 (predicted the first class: z > 0 picks the second).
  const zero = LogisticRegression.fromState({
    name: 'logistic', params: { C: 1 }, coef: ndarray('float64', [1, d], new Float64Array(d)), intercept: ndarray('float64', [1], new Float64Array(1)),
    classes: ndarray('float64', [2], Float64Array.of(-1, 1)), nIter: 1,
  });
  const models = [...Array.from({ length: 7 }, (_, i) => model([-1, 1], d, 11 + i)), zero];
  const X = rowsOf(n, d, 12);
  const Xa = ndarray('float64', [n, d], X);
  const yTrue = labelsAt(ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : -1))));

  it('gives each model decisionScore\'s accuracy and neg_log_loss bit for bit', () => {
    const { values, k } = reusedStackedDecisions(models, Xa);
    expect(k).toBe(1);
    const scores = stackedBinaryScores(both, models, yTrue, () => values)!;
    expect(scores).toHaveLength(models.length);
    models.forEach((m, i) => {
      for (const name of ['accuracy', 'neg_log_loss']) {
        const scorer = getScorer(name);
        expect(Object.is(scores[i]!.get(scorer), fused(name, m, X, d, yTrue))).toBe(true);
        expect(Object.is(scores[i]!.get(scorer), plain(name, m, X, d, yTrue))).toBe(true);
      }
    });
    // The zero model predicts -1 everywhere: its accuracy is the share of -1 rows.
    expect(scores[models.length - 1]!.get(getScorer('accuracy'))).toBe(yTrue.filter((v) => v === -1).length / n);
  });

  it('leaves neg_log_loss out where the rows show one class only, and keeps accuracy', () => {
    const oneClass = new Float64Array(n).fill(1);
    const { values } = reusedStackedDecisions(models, Xa);
    const scores = stackedBinaryScores(both, models, oneClass, () => values)!;
    expect(scores[0]!.has(getScorer('neg_log_loss'))).toBe(false);
    expect(scores[0]!.get(getScorer('accuracy'))).toBe(plain('accuracy', models[0]!, X, d, oneClass));
  });

  it('declines (undefined) for other scorers, multiclass models, models of other classes, or values of another length', () => {
    const { values } = reusedStackedDecisions(models, Xa);
    // Declined before the decision values are asked for: a route that cannot use them does not compute them.
    const unused = (): Float64Array => { throw new Error('decision values computed for nothing'); };
    expect(stackedBinaryScores(new Map([['roc_auc', getScorer('roc_auc')]]), models, yTrue, unused)).toBeUndefined();
    expect(stackedBinaryScores(both, [model([0, 1, 2], d, 1)], yTrue, unused)).toBeUndefined();
    expect(stackedBinaryScores(both, [...models.slice(1), model([0, 1], d, 3)], yTrue, () => values)).toBeUndefined();
    const three = [model([0, 1, 2], d, 1)];
    expect(stackedBinaryScores(both, three, yTrue, () => reusedStackedDecisions(three, Xa).values)).toBeUndefined();
    expect(stackedBinaryScores(both, models, yTrue, () => values.subarray(1))).toBeUndefined();
    expect(stackedBinaryScores(both, [], yTrue, () => new Float64Array(0))).toBeUndefined();
  });
});

describe('sorted distinct values', () => {
  it('agrees with a Set for few and for many values, with -0, NaN and repeats', () => {
    const few = Float64Array.from([3, -0, 1, 3, 0, Number.NaN, 1, Number.NaN, -2]);
    const many = Float64Array.from({ length: 500 }, (_, i) => (i * 37) % 101 - 50);
    for (const values of [few, many, new Float64Array(0)]) {
      const expected = Float64Array.from(new Set(values)).sort();
      expect(Array.from(sortedDistinct(values))).toEqual(Array.from(expected));
      const seen = new DistinctValues();
      values.forEach((v) => seen.add(v));
      expect(Array.from(seen.sorted())).toEqual(Array.from(expected));
    }
    expect(Object.is(sortedDistinct(Float64Array.from([-0, -0]))[0], 0)).toBe(true);
  });

  it('adds a whole array, or the rows it is given, as value-by-value adds do (two values skipped, then more)', () => {
    // Alternating pairs (the skip's fast case), a third value, -0 after 0, NaN twice, and past the list's limit.
    const values = Float64Array.from([
      1, 0, 1, 0, 0, 1, 7, 1, -0, 0, Number.NaN, 1, Number.NaN, 7,
      ...Array.from({ length: 300 }, (_, i) => (i * 13) % 47 - 20),
    ]);
    const rows = Int32Array.from([2, 3, 6, 8, 10, 12, 13, 40, 41, 42, 299]);
    for (const picked of [undefined, rows]) {
      const bySet = new Set(picked === undefined ? values : Array.from(picked, (r) => values[r]!));
      const seen = new DistinctValues();
      seen.addAll(values, picked);
      expect(Array.from(seen.sorted())).toEqual(Array.from(Float64Array.from(bySet).sort()));
    }
  });

  it('finds each value of a sorted list by binary search', () => {
    const sorted = Float64Array.from([-7, -0.5, 0, 2, 5, 9, 1e9]);
    sorted.forEach((v, i) => expect(indexInSorted(sorted, v)).toBe(i));
    expect(indexInSorted(sorted, -0)).toBe(2);
  });
});
