/**
 * The message for a scorer name memgrid does not know: a suggestion for a near miss or a common
 * alias (`mse`, `auc`), and the reason for scikit-learn names it deliberately leaves out.
 */
import { closestName } from '../did-you-mean.js';
import { describe } from './option-checks.js';

/** Names people often type for a scorer (metric names, abbreviations). */
const ALIASES: Readonly<Record<string, string>> = {
  mse: 'neg_mean_squared_error', mean_squared_error: 'neg_mean_squared_error', neg_mse: 'neg_mean_squared_error',
  rmse: 'neg_root_mean_squared_error', root_mean_squared_error: 'neg_root_mean_squared_error',
  neg_rmse: 'neg_root_mean_squared_error', mae: 'neg_mean_absolute_error', mean_absolute_error: 'neg_mean_absolute_error',
  neg_mae: 'neg_mean_absolute_error', log_loss: 'neg_log_loss', logloss: 'neg_log_loss', auc: 'roc_auc',
  f1_score: 'f1', r2_score: 'r2', accuracy_score: 'accuracy', balanced_accuracy_score: 'balanced_accuracy',
  mape: 'neg_mean_absolute_percentage_error', msle: 'neg_mean_squared_log_error', brier_score_loss: 'neg_brier_score',
  mcc: 'matthews_corrcoef', median_absolute_error: 'neg_median_absolute_error', explained_variance_score: 'explained_variance',
};

/** scikit-learn 1.2 scorer names memgrid refuses on purpose, and why. */
const LEFT_OUT: readonly { readonly test: RegExp; readonly why: (name: string) => string }[] = [
  {
    test: /^(precision|recall|f1|jaccard)_samples$/,
    why: (name) => `'${name}' averages over the samples of a multilabel target; memgrid's targets are one label per row `
      + `(binary or multiclass), on which scikit-learn fails every fold: use '${name.replace('_samples', '_macro')}', `
      + `'${name.replace('_samples', '_micro')}' or '${name.replace('_samples', '_weighted')}'`,
  },
  {
    test: /^(adjusted_mutual_info_score|adjusted_rand_score|completeness_score|fowlkes_mallows_score|homogeneity_score|mutual_info_score|normalized_mutual_info_score|rand_score|v_measure_score)$/,
    why: (name) => `'${name}' is a clustering score; memgrid searches regressors and classifiers`,
  },
];

/**
 * The error message for an unknown scorer `name`, given the valid ones.
 * @example
 * ```ts
 * didYouMeanScorer('acuracy', ['accuracy', 'r2']); // unknown scoring "acuracy" (did you mean "accuracy"?); valid names: accuracy, r2
 * ```
 */
export function didYouMeanScorer(name: unknown, valid: readonly string[]): string {
  if (typeof name === 'string') {
    const refused = LEFT_OUT.find((entry) => entry.test.test(name));
    if (refused) return `unsupported scoring: ${refused.why(name)}`;
  }
  const hint = typeof name === 'string' ? intendedScorer(name, valid) : undefined;
  return `unknown scoring ${describe(name)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; valid names: ${valid.join(', ')}`;
}

/** An alias's scorer, else the closest valid name. */
function intendedScorer(name: string, valid: readonly string[]): string | undefined {
  const key = name.toLowerCase().replace(/-/g, '_');
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : closestName(name, valid);
}
