/**
 * Learning and validation curves (scikit-learn's `learning_curve` and `validation_curve`)
 * on the same engine as the searches: the data is mapped once, fits run on workers.
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';
import { convergenceWarnings } from './convergence.js';
import { evaluate } from './engine.js';
import type { LearningCurveResult, SearchOptions, ValidationCurveResult } from './options.js';
import type { Fold } from './types.js';
import type { FitRecord } from '../workers/protocol.js';

/** Options of {@link learningCurve}. */
export interface LearningCurveOptions extends Omit<SearchOptions, 'refit' | 'returnTrainScore'> {
  /**
   * Training-set sizes: fractions in (0, 1] of the largest training fold when any value is
   * fractional, otherwise absolute counts. Default: 0.1, 0.325, 0.55, 0.775, 1 (scikit-learn's).
   */
  readonly trainSizes?: readonly number[];
}

/** Options of {@link validationCurve}. */
export type ValidationCurveOptions = Omit<SearchOptions, 'refit' | 'returnTrainScore'>;

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
    estimator, X, y, candidates: [{}], options: { ...options, returnTrainScore: true },
    trainSizes: (folds) => (sizes = translateTrainSizes(requested, maxTrainSize(folds))),
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
    warnings: convergenceWarnings(evaluation.records, [{}], estimator.getParams()),
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
  paramRange: readonly (number | string | boolean | null)[], options: ValidationCurveOptions = {},
): Promise<ValidationCurveResult> {
  if (paramRange.length === 0) throw new ValueError(`paramRange for ${JSON.stringify(paramName)} must hold at least one value`);
  const candidates = paramRange.map((value) => ({ [paramName]: value }));
  const evaluation = await evaluate({ estimator, X, y, candidates, options: { ...options, returnTrainScore: true } });
  const scoring = singleScorer(evaluation.scoring);
  const at = recordIndex(evaluation.records);
  const table = (pick: (r: FitRecord) => number): number[][] =>
    candidates.map((_, c) => foldsOf(evaluation.folds).map((fold) => pick(at(c, fold, undefined))));
  return {
    paramName, paramRange: [...paramRange],
    trainScores: table((r) => r.train?.[scoring] ?? Number.NaN),
    testScores: table((r) => r.test[scoring] ?? Number.NaN),
    scoring,
    warnings: convergenceWarnings(evaluation.records, candidates, estimator.getParams()),
  };
}

/**
 * scikit-learn's `_translate_train_sizes`: fractions scale the largest training fold and
 * are floored and clipped to [1, max]; counts must lie in [1, max]; duplicates are dropped.
 */
export function translateTrainSizes(trainSizes: readonly number[], maxSize: number): number[] {
  if (trainSizes.length === 0) throw new ValueError('trainSizes must hold at least one size');
  const fractional = trainSizes.some((s) => !Number.isInteger(s));
  const lo = Math.min(...trainSizes);
  const hi = Math.max(...trainSizes);
  let absolute: number[];
  if (fractional) {
    if (!(lo > 0) || hi > 1) {
      throw new ValueError(`trainSizes were read as fractions of the largest training fold and must lie in (0, 1], found [${lo}, ${hi}]`);
    }
    absolute = trainSizes.map((s) => Math.min(maxSize, Math.max(1, Math.floor(s * maxSize))));
  } else {
    if (lo <= 0 || hi > maxSize) {
      throw new ValueError(`trainSizes were read as counts and must lie in [1, ${maxSize}] (the largest training fold), found [${lo}, ${hi}]`);
    }
    absolute = [...trainSizes];
  }
  return [...new Set(absolute)].sort((a, b) => a - b);
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
