/**
 * What every metric checks first: equal, non-empty lengths; and for classification metrics,
 * the labels present and whether the target is binary or multiclass (scikit-learn's
 * `type_of_target` for 1-d labels).
 */
import { ValueError } from '../../errors.js';
import { sortedDistinct } from '../../models/distinct.js';

/**
 * Throws unless `a` and `b` have the same, non-zero length; returns it.
 * @example
 * ```ts
 * const n = checkPair('r2', yTrue, yPred);
 * ```
 */
export function checkPair(metric: string, a: ArrayLike<number>, b: ArrayLike<number>, bName = 'yPred'): number {
  if (a.length !== b.length) throw new ValueError(`${metric}: yTrue has ${a.length} values, ${bName} has ${b.length}`);
  if (a.length === 0) throw new ValueError(`${metric}: yTrue is empty`);
  return a.length;
}

/**
 * Sorted distinct values of the arrays together (numpy's `unique`; labels are few).
 * @example
 * ```ts
 * uniqueSorted(Float64Array.from([2, 0]), Float64Array.from([1, 2])); // [0, 1, 2]
 * ```
 */
export function uniqueSorted(...arrays: ArrayLike<number>[]): Float64Array {
  return sortedDistinct(...arrays);
}

/** scikit-learn's target types for 1-d class labels: two values or fewer are 'binary'. */
export type TargetType = 'binary' | 'multiclass';

/**
 * The target type of one label vector (at most two distinct values: binary).
 * @example
 * ```ts
 * targetType(Float64Array.from([3, 3, 7])); // 'binary'
 * ```
 */
export function targetType(y: ArrayLike<number>): TargetType {
  return labelsTargetType(uniqueSorted(y));
}

/**
 * The target type of labels whose distinct values are `distinct` (at most two: binary).
 * @example
 * ```ts
 * labelsTargetType(Float64Array.from([0, 1, 2])); // 'multiclass'
 * ```
 */
export function labelsTargetType(distinct: ArrayLike<number>): TargetType {
  return distinct.length <= 2 ? 'binary' : 'multiclass';
}

/**
 * The type of yTrue and yPred together, as `_check_targets` gives it: binary when their labels
 * together number at most two.
 * @example
 * ```ts
 * pairType(Float64Array.from([0, 1]), Float64Array.from([1, 2])); // 'multiclass'
 * ```
 */
export function pairType(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): TargetType {
  return uniqueSorted(yTrue, yPred).length <= 2 ? 'binary' : 'multiclass';
}

/** Labels as scikit-learn prints a list: `[0, 1, 2]`. */
export function labelList(labels: ArrayLike<number>): string {
  return `[${Array.from(labels).join(', ')}]`;
}

/**
 * Index of each label in `labels` (sorted, distinct), for counting per class.
 * @example
 * ```ts
 * labelIndex(Float64Array.from([3, 7])).get(7); // 1
 * ```
 */
export function labelIndex(labels: ArrayLike<number>): Map<number, number> {
  const index = new Map<number, number>();
  for (let k = 0; k < labels.length; k++) index.set(labels[k]!, k);
  return index;
}

/**
 * numpy's `np.average(values, weights)`: the plain mean without weights.
 * @throws ValueError when the weights sum to zero (numpy's ZeroDivisionError).
 */
export function average(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sum += values[i]! * w;
    total += w;
  }
  if (total === 0) throw new ValueError('weights sum to zero, cannot be normalized');
  return sum / total;
}
