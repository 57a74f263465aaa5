/**
 * Learning and validation curves (scikit-learn's `learning_curve` and `validation_curve`)
 * on the same engine as the searches: the data is mapped once, fits run on workers.
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import type { Estimator, FloatMatrix, ParamValue } from '../models/estimator.js';
import { convergenceWarnings } from './convergence.js';
import { evaluate, type Evaluation } from './engine.js';
import { fitOptionsOf } from './fit-params.js';
import { formatWarning, gatherWarnings } from './search-warnings.js';
import { warnOnce } from './warnings.js';
import type { LearningCurveResult, SearchFitOptions, SearchOptions, ValidationCurveResult } from './options.js';
import type { Fold } from './types.js';
import type { FitRecord } from '../workers/protocol.js';

/**
 * Options of a curve: the search options, groups for a group-aware splitter, and fit params
 * routed to every fit (`sampleWeight`, or `<step>__sampleWeight` for a pipeline: scikit-learn's `fit_params`).
 */
export type CurveOptions = Omit<SearchOptions, 'refit' | 'returnTrainScore'> & SearchFitOptions;

/** Options of {@link learningCurve}. */
export interface LearningCurveOptions extends Omit<SearchOptions, 'refit' | 'returnTrainScore'>, SearchFitOptions {
  /**
   * Training-set sizes, each read on its own: a value in (0, 1] is a fraction of the largest
   * training fold (so `1` is all of it: JavaScript cannot tell `1.0` from `1`), an integer > 1
   * is a row count. Default: 0.1, 0.325, 0.55, 0.775, 1 (scikit-learn's).
   */
  readonly trainSizes?: readonly number[];
}

/** Options of {@link validationCurve}. */
export interface ValidationCurveOptions extends Omit<SearchOptions, 'refit' | 'returnTrainScore'>, SearchFitOptions {}

const DEFAULT_TRAIN_SIZES = [0.1, 0.325, 0.55, 0.775, 1];

/**
 * Train and test scores for growing training sets: fold k's first `size` training rows.
 * @example
 * ```ts
 * const curve = await learningCurve(new Ridge(), X, y, { trainSizes: [0.1, 0.5, 1], cv: 5 });
 * curve.testScores[2]; // five fold scores at the full training size
 * ```
 */
export async function learningCurve(
  estimator: Estimator, X: FloatMatrix, y: NdArray, options: LearningCurveOptions = {},
): Promise<LearningCurveResult> {
  const requested = options.trainSizes ?? DEFAULT_TRAIN_SIZES;
  let sizes: readonly number[] = [];
  const evaluation = await evaluate({
    estimator, X, y, candidates: [{}], options: { ...options, returnTrainScore: true }, fitOptions: fitOptionsOf(options),
    trainSizes: (folds, labels) => {
      sizes = translateTrainSizes(requested, maxTrainSize(folds));
      if (estimator.kind === 'classifier') checkPrefixesHoldTwoClasses(sizes, folds, labels);
      return sizes;
    },
  });
  const scoring = singleScorer(evaluation.scoring);
  const at = recordIndex(evaluation.records);
  const table = (pick: (r: FitRecord) => number): number[][] =>
    sizes.map((size) => foldsOf(evaluation.folds).map((fold) => pick(at(0, fold, size))));
  return {
    trainSizes: sizes,
    trainScores: table((r) => r.train?.[scoring] ?? Number.NaN),
    testScores: table((r) => r.test[scoring] ?? Number.NaN),
    fitTimes: table((r) => r.fitTime),
    scoreTimes: table((r) => r.scoreTime),
    scoring,
    warnings: [...convergenceWarnings(evaluation.records, [{}], estimator.getParams()), ...scoringWarnings(evaluation, options.emitWarnings)],
  };
}

/**
 * Train and test scores for each value of one parameter.
 * @example
 * ```ts
 * const curve = await validationCurve(new Ridge(), X, y, 'alpha', [0.01, 1, 100], { cv: 5 });
 * ```
 */
export async function validationCurve(
  estimator: Estimator, X: FloatMatrix, y: NdArray, paramName: string,
  paramRange: readonly (ParamValue)[], options: ValidationCurveOptions = {},
): Promise<ValidationCurveResult> {
  if (paramRange.length === 0) throw new ValueError(`paramRange for ${JSON.stringify(paramName)} must hold at least one value`);
  const candidates = paramRange.map((value) => ({ [paramName]: value }));
  const evaluation = await evaluate({ estimator, X, y, candidates, options: { ...options, returnTrainScore: true }, fitOptions: fitOptionsOf(options) });
  const scoring = singleScorer(evaluation.scoring);
  const at = recordIndex(evaluation.records);
  const table = (pick: (r: FitRecord) => number): number[][] =>
    candidates.map((_, c) => foldsOf(evaluation.folds).map((fold) => pick(at(c, fold, undefined))));
  return {
    paramName, paramRange: [...paramRange],
    trainScores: table((r) => r.train?.[scoring] ?? Number.NaN),
    testScores: table((r) => r.test[scoring] ?? Number.NaN),
    scoring,
    warnings: [...convergenceWarnings(evaluation.records, candidates, estimator.getParams()), ...scoringWarnings(evaluation, options.emitWarnings)],
  };
}

/** The curve's scoring warnings, one line each (see search.warnings), shown once each unless `emit` is false. */
function scoringWarnings(evaluation: Evaluation, emit: boolean | undefined): string[] {
  const gathered = gatherWarnings(evaluation.records);
  if (emit !== false) for (const w of gathered) warnOnce(w.type, formatWarning(w, evaluation.records.length));
  return gathered.map((w) => formatWarning(w, evaluation.records.length));
}

/**
 * Training sizes in rows, ascending and without duplicates. Each value is read on its own: in
 * (0, 1] a fraction of `maxSize` (floored, at least 1: scikit-learn's rule for floats, so 1
 * means the whole fold), an integer > 1 a count, which must not exceed `maxSize`.
 * @example
 * ```ts
 * translateTrainSizes([0.1, 0.5, 1], 200); // [20, 100, 200]
 * translateTrainSizes([50, 150], 200);     // [50, 150]
 * ```
 */
export function translateTrainSizes(trainSizes: readonly number[], maxSize: number): number[] {
  if (trainSizes.length === 0) throw new ValueError('trainSizes must hold at least one size');
  const absolute = trainSizes.map((s, i) => {
    if (typeof s !== 'number' || !(s > 0) || (s > 1 && !Number.isInteger(s))) {
      throw new ValueError(`trainSizes[${i}] must be a fraction in (0, 1] or a whole number of rows > 1, found ${String(s)}`);
    }
    if (s <= 1) return Math.min(maxSize, Math.max(1, Math.floor(s * maxSize)));
    if (s > maxSize) throw new ValueError(`trainSizes[${i}] = ${s} rows is more than the largest training fold (${maxSize} rows)`);
    return s;
  });
  return [...new Set(absolute)].sort((a, b) => a - b);
}

/**
 * A classifier cannot fit on one class: a size whose first rows of some fold hold a single
 * class is refused up front, naming the size and the fold, instead of every fit failing.
 */
function checkPrefixesHoldTwoClasses(sizes: readonly number[], folds: readonly Fold[], labels: Float64Array): void {
  for (const size of sizes) {
    folds.forEach((fold, k) => {
      const first = labels[fold.train[0]!]!;
      for (let r = 1; r < size; r++) if (labels[fold.train[r]!] !== first) return;
      throw new ValueError(
        `learningCurve: a training size of ${size} rows leaves fold ${k} with one class (${first}): a classifier needs two; `
        + 'use larger trainSizes or a shuffled cv',
      );
    });
  }
}

/** scikit-learn takes the first fold's training size as the maximum. */
function maxTrainSize(folds: readonly Fold[]): number {
  return folds[0]!.train.length;
}

function singleScorer(scoring: readonly string[]): string {
  if (scoring.length !== 1) throw new ValueError(`curves take one scorer, found ${scoring.length} (${scoring.join(', ')})`);
  return scoring[0]!;
}

function foldsOf(folds: readonly Fold[]): number[] {
  return folds.map((_, i) => i);
}

/** Looks records up by (candidate, fold, train size) in constant time. */
function recordIndex(records: readonly FitRecord[]): (candidate: number, fold: number, trainSize: number | undefined) => FitRecord {
  const byKey = new Map(records.map((r) => [`${r.candidate}/${r.fold}/${r.trainSize ?? ''}`, r]));
  return (candidate, fold, trainSize) => {
    const found = byKey.get(`${candidate}/${fold}/${trainSize ?? ''}`);
    if (!found) throw new Error(`internal: no record for candidate ${candidate}, fold ${fold}, size ${String(trainSize)}`);
    return found;
  };
}
