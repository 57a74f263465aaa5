/**
 * Metrics as pure functions over float64 vectors, matching scikit-learn 1.2's values
 * (within 1e-12; numpy sums pairwise, we sum in order) and its edge cases: which inputs
 * raise, which give 0 or NaN with a warning. One module per family under ./metrics/.
 */
export {
  r2, explainedVariance, meanSquaredError, rootMeanSquaredError, meanSquaredLogError, meanAbsoluteError,
  meanAbsolutePercentageError, medianAbsoluteError, maxError, meanPoissonDeviance, meanGammaDeviance, d2AbsoluteError,
} from './metrics/regression.js';
export {
  accuracy, balancedAccuracy, precision, recall, fbeta, f1, jaccard, matthewsCorrcoef, classLikelihoodRatios,
  brierScoreLoss, logLoss, LOG_LOSS_EPS, type Average, type ZeroDivision, type SetMetricOptions,
} from './metrics/classification.js';
export { rocAuc, rocAucMulticlass, averagePrecision, topKAccuracy, type MulticlassRocOptions } from './metrics/ranking.js';
export { uniqueSorted } from './metrics/labels.js';
