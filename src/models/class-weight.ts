/**
 * LogisticRegression's per-row fit weights: scikit-learn's `sample_weight` times its
 * `class_weight` of each row's label, with scikit-learn 1.2's rules (`compute_class_weight`):
 * "balanced" weighs class c by n / (k · n_c) over the rows fitted on (unweighted counts); a dict
 * weighs the labels it names and leaves the others at 1, unless it names a label the rows do not
 * have while some class of theirs goes unweighted, which is an error.
 */
import { DataError } from '../errors.js';
import type { LabelWeights, Rows } from './estimator.js';
import type { EncodedLabels } from './logistic-labels.js';

/** scikit-learn's `class_weight`: none, "balanced", or a weight per label. */
export type ClassWeight = null | 'balanced' | LabelWeights;

/**
 * The weight of each class (in `labels.classes` order), or undefined when every class weighs 1.
 * @throws DataError when a dict names labels the rows lack while some of their classes go unweighted.
 * @example
 * ```ts
 * classWeights('balanced', encodeLabels(y, rows), rows); // Float64Array [n/(k·n_0), n/(k·n_1)]
 * ```
 */
export function classWeights(classWeight: ClassWeight | undefined, labels: EncodedLabels, rows: Rows): Float64Array | undefined {
  if (classWeight === null || classWeight === undefined) return undefined;
  const k = labels.classes.length;
  if (classWeight === 'balanced') {
    const counts = new Float64Array(k);
    const n = rows === undefined ? (labels.target ?? labels.label!).length : rows.length;
    for (let r = 0; r < n; r++) counts[classOf(labels, rows === undefined ? r : rows[r]!)]! += 1;
    return counts.map((count) => n / (k * count));
  }
  const out = new Float64Array(k).fill(1);
  const unweighted: number[] = [];
  labels.classes.forEach((label, c) => {
    const weight = weightOf(classWeight, label);
    if (weight === undefined) unweighted.push(label);
    else out[c] = weight;
  });
  if (unweighted.length > 0 && k - unweighted.length !== Object.keys(classWeight).length) {
    throw new DataError(`classWeight names labels the rows fitted on do not have (${Object.keys(classWeight).join(', ')}), and the classes ${unweighted.join(', ')} are not in it`);
  }
  return out;
}

/**
 * Per-row weights by row id (`sampleWeight` times the row's class weight), or undefined when
 * neither weighs anything. Only the rows fitted on are filled.
 * @example
 * ```ts
 * const weights = fitWeights(labels, rows, sampleWeight, 'balanced');
 * ```
 */
export function fitWeights(
  labels: EncodedLabels, rows: Rows, sampleWeight: Float64Array | undefined, classWeight: ClassWeight | undefined,
): Float64Array | undefined {
  const perClass = classWeights(classWeight, labels, rows);
  if (perClass === undefined) return sampleWeight;
  const nIds = (labels.target ?? labels.label!).length;
  const out = new Float64Array(nIds);
  const n = rows === undefined ? nIds : rows.length;
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    out[i] = (sampleWeight?.[i] ?? 1) * perClass[classOf(labels, i)]!;
  }
  return out;
}

/** The class index of row id `i`. */
function classOf(labels: EncodedLabels, i: number): number {
  return labels.target !== undefined ? labels.target[i]! : labels.label![i]!;
}

/** The dict's weight for `label`, matching keys numerically ("1", "1.0" and 1 are one label). */
function weightOf(classWeight: LabelWeights, label: number): number | undefined {
  for (const [key, weight] of Object.entries(classWeight)) if (Number(key) === label) return weight;
  return undefined;
}
