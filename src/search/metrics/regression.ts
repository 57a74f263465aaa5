/**
 * Regression metrics as pure functions over float64 vectors, with scikit-learn 1.2's values
 * (within 1e-12: numpy sums pairwise, these sum in order), conventions for constant targets
 * (`force_finite=True`) and the inputs it refuses.
 */
import { ValueError } from '../../errors.js';
import { warn } from '../warnings.js';
import { checkPair } from './labels.js';

/**
 * Coefficient of determination (scikit-learn's `r2_score`, `force_finite=True`): 1 for a
 * perfect fit, 0 when y is constant and the fit is not perfect, NaN (with a warning) for
 * fewer than two samples.
 * @example
 * ```ts
 * r2(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4])); // 0.5
 * ```
 */
export function r2(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('r2', yTrue, yPred);
  if (n < 2) {
    warn('UndefinedMetricWarning', 'R^2 score is not well-defined with less than two samples.');
    return Number.NaN;
  }
  const mean = meanOf(yTrue);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]!;
    const d = yTrue[i]! - mean;
    residual += e * e;
    total += d * d;
  }
  return finiteRatioScore(residual, total);
}

/**
 * Explained variance (`explained_variance_score`, `force_finite=True`): 1 − Var(y − ŷ) / Var(y),
 * so a constant offset is not penalised; 1 when the residual varies not at all, 0 when y is
 * constant and the residual varies.
 * @example
 * ```ts
 * explainedVariance(new Float64Array([1, 2, 3]), new Float64Array([2, 3, 4])); // 1
 * ```
 */
export function explainedVariance(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('explainedVariance', yTrue, yPred);
  let diffMean = 0;
  for (let i = 0; i < n; i++) diffMean += yTrue[i]! - yPred[i]!;
  diffMean /= n;
  const mean = meanOf(yTrue);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]! - diffMean;
    const d = yTrue[i]! - mean;
    numerator += e * e;
    denominator += d * d;
  }
  return finiteRatioScore(numerator / n, denominator / n);
}

/** `_assemble_r2_explained_variance` with force_finite: 1 − num/den, 1 when num is 0, 0 when only den is. */
function finiteRatioScore(numerator: number, denominator: number): number {
  if (numerator === 0) return 1;
  if (denominator === 0) return 0;
  return 1 - numerator / denominator;
}

/**
 * Mean of squared errors (`mean_squared_error`).
 * @example
 * ```ts
 * meanSquaredError(new Float64Array([0, 0]), new Float64Array([1, 3])); // 5
 * ```
 */
export function meanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanSquaredError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]!;
    s += e * e;
  }
  return s / n;
}

/**
 * Square root of the mean squared error (`mean_squared_error(squared=False)`).
 * @example
 * ```ts
 * rootMeanSquaredError(new Float64Array([0, 0]), new Float64Array([3, 3])); // 3
 * ```
 */
export function rootMeanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/**
 * Mean squared error of log(1 + y) (`mean_squared_log_error`).
 * @throws ValueError when a target or prediction is negative, as scikit-learn does.
 * @example
 * ```ts
 * meanSquaredLogError(new Float64Array([0, Math.E - 1]), new Float64Array([0, 0])); // 0.5
 * ```
 */
export function meanSquaredLogError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanSquaredLogError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (yTrue[i]! < 0 || yPred[i]! < 0) {
      throw new ValueError('Mean Squared Logarithmic Error cannot be used when targets contain negative values.');
    }
    const e = Math.log1p(yTrue[i]!) - Math.log1p(yPred[i]!);
    s += e * e;
  }
  return s / n;
}

/**
 * Mean of absolute errors (`mean_absolute_error`).
 * @example
 * ```ts
 * meanAbsoluteError(new Float64Array([0, 0]), new Float64Array([1, -3])); // 2
 * ```
 */
export function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanAbsoluteError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / n;
}

/**
 * Mean of |y − ŷ| / max(|y|, ε), ε machine epsilon (`mean_absolute_percentage_error`): a
 * fraction, not a percentage, and huge rather than infinite where y is 0.
 * @example
 * ```ts
 * meanAbsolutePercentageError(new Float64Array([1, 2]), new Float64Array([1.5, 2])); // 0.25
 * ```
 */
export function meanAbsolutePercentageError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanAbsolutePercentageError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yPred[i]! - yTrue[i]!) / Math.max(Math.abs(yTrue[i]!), Number.EPSILON);
  return s / n;
}

/**
 * Median of absolute errors (`median_absolute_error`; the mean of the middle two for an even count).
 * @example
 * ```ts
 * medianAbsoluteError(new Float64Array([0, 0, 0]), new Float64Array([1, -5, 2])); // 2
 * ```
 */
export function medianAbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('medianAbsoluteError', yTrue, yPred);
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) errors[i] = Math.abs(yPred[i]! - yTrue[i]!);
  return median(errors);
}

/**
 * Largest absolute error (`max_error`).
 * @example
 * ```ts
 * maxError(new Float64Array([0, 0]), new Float64Array([1, -3])); // 3
 * ```
 */
export function maxError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('maxError', yTrue, yPred);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(yTrue[i]! - yPred[i]!));
  return worst;
}

/**
 * Mean Poisson deviance 2(y log(y/ŷ) − y + ŷ) (`mean_poisson_deviance`).
 * @throws ValueError unless y ≥ 0 and ŷ > 0.
 * @example
 * ```ts
 * meanPoissonDeviance(new Float64Array([1, 0]), new Float64Array([1, 1])); // 1
 * ```
 */
export function meanPoissonDeviance(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanPoissonDeviance', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const p = yPred[i]!;
    if (y < 0 || !(p > 0)) {
      throw new ValueError('Mean Tweedie deviance error with power=1 can only be used on non-negative y and strictly positive y_pred.');
    }
    s += 2 * ((y === 0 ? 0 : y * Math.log(y / p)) - y + p);
  }
  return s / n;
}

/**
 * Mean Gamma deviance 2(log(ŷ/y) + y/ŷ − 1) (`mean_gamma_deviance`).
 * @throws ValueError unless y > 0 and ŷ > 0.
 * @example
 * ```ts
 * meanGammaDeviance(new Float64Array([1]), new Float64Array([1])); // 0
 * ```
 */
export function meanGammaDeviance(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanGammaDeviance', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const p = yPred[i]!;
    if (!(y > 0) || !(p > 0)) {
      throw new ValueError('Mean Tweedie deviance error with power=2 can only be used on strictly positive y and y_pred.');
    }
    s += 2 * (Math.log(p / y) + y / p - 1);
  }
  return s / n;
}

/**
 * D² of the absolute error (`d2_absolute_error_score`): 1 − Σ|y − ŷ| / Σ|y − median(y)|, with
 * r2's conventions (1 for a perfect fit, 0 for a constant y fitted imperfectly) and NaN, with
 * a warning, for fewer than two samples.
 * @example
 * ```ts
 * d2AbsoluteError(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4])); // 0.5
 * ```
 */
export function d2AbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('d2AbsoluteError', yTrue, yPred);
  if (n < 2) {
    warn('UndefinedMetricWarning', 'D^2 score is not well-defined with less than two samples.');
    return Number.NaN;
  }
  const m = percentile50(Float64Array.from(yTrue));
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    numerator += pinballHalf(yTrue[i]! - yPred[i]!);
    denominator += pinballHalf(yTrue[i]! - m);
  }
  return finiteRatioScore(numerator / n, denominator / n);
}

/** The pinball loss at alpha = 0.5, as scikit-learn computes it (so that rounding matches). */
function pinballHalf(diff: number): number {
  return diff >= 0 ? 0.5 * diff : -0.5 * diff;
}

/** Median of `values` (sorted in place): numpy's, the mean of the middle two for an even count. */
function median(values: Float64Array): number {
  values.sort();
  const n = values.length;
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * numpy's `percentile(values, 50)` (sorts in place): for an even count, its linear
 * interpolation b − (b − a)·0.5, which may differ from the median's (a + b)/2 in the last bit.
 */
function percentile50(values: Float64Array): number {
  values.sort();
  const n = values.length;
  const mid = n >> 1;
  if (n % 2 === 1) return values[mid]!;
  const a = values[mid - 1]!;
  const b = values[mid]!;
  return b - (b - a) * 0.5;
}

function meanOf(y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i]!;
  return sum / y.length;
}
