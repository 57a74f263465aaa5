/**
 * memgrid's public API. Everything a user imports comes from here; internal modules may
 * change between versions.
 */
import { registerDumpType } from './data/dump.js';
import { registerEstimatorDumpType } from './models/persist.js';

// Fitted estimators can be dumped and loaded like any other value (joblib-style).
registerEstimatorDumpType(registerDumpType);

export * from './data/index.js';
export {
  MemgridError, NpyFormatError, DTypeError, ValueError, DataError, AccessError, ConfigError, FitError, AbortError, QueueError, WriteError,
} from './errors.js';

export type { Estimator, Classifier, EstimatorState, FloatMatrix, Params, ModelName, Rows } from './models/estimator.js';
export { isClassifier } from './models/estimator.js';
export { Ridge, type RidgeParams } from './models/ridge.js';
export { LogisticRegression, type LogisticParams } from './models/logistic.js';
export { createModel, modelFromState, MODEL_NAMES, validateParams } from './models/registry.js';

export { createExecutor } from './search/engine.js';
export { GridSearch, RandomizedSearch, type RandomizedSearchOptions, type FitFailure } from './search/grid-search.js';
export {
  HalvingGridSearch, HalvingRandomSearch, type HalvingOptions, type HalvingRandomSearchOptions,
} from './search/halving.js';
export { learningCurve, validationCurve, type LearningCurveOptions, type ValidationCurveOptions } from './search/curves.js';
export {
  crossValidate, crossValScore, crossValPredict, type CrossValidateOptions, type CrossValidateResult, type CrossValPredictOptions,
} from './search/cross-validate.js';
export { trainTestSplit, trainTestSplitIndices, type TrainTestSplitOptions, type TrainTestIndices } from './search/train-test-split.js';
export type {
  SearchOptions, SearchFitOptions, SearchProgress, WorkerMemory, HostMemory, FitKey, CvResults, LearningCurveResult, ValidationCurveResult,
} from './search/options.js';
export type { Fold, Splitter, Groups } from './search/types.js';
export { KFold, StratifiedKFold, PredefinedFolds, resolveCv, type KFoldOptions, type FoldSpec } from './search/splitters.js';
export { ShuffleSplit, StratifiedShuffleSplit, type ShuffleSplitOptions } from './search/shuffle-split.js';
export { GroupKFold, StratifiedGroupKFold } from './search/group-splitters.js';
export { RepeatedKFold, RepeatedStratifiedKFold, type RepeatedKFoldOptions } from './search/repeated-splitters.js';
export {
  TimeSeriesSplit, LeaveOneOut, LeavePOut, PredefinedSplit, type TimeSeriesSplitOptions,
} from './search/ordered-splitters.js';
export { RandomState } from './search/random-state.js';
export {
  r2, meanSquaredError, rootMeanSquaredError, meanAbsoluteError, accuracy, balancedAccuracy, logLoss, rocAuc, f1,
} from './search/metrics.js';
export { getScorer, resolveScoring, scoreMany, SCORERS, type Scorer, type ScorerNeeds } from './search/scorers.js';
export { parameterGrid, gridSize, type ParamGrid, type ParamValue } from './search/grid.js';
export {
  uniform, loguniform, randint, choice, sampleCandidates, sampleWithoutReplacement, parseDistribution, type Distribution, type ParamDistributions,
} from './search/distributions.js';

export type { Executor, TaskMessage, TaskResult, FitRecord } from './workers/protocol.js';
export { InlineExecutor } from './workers/inline-executor.js';
export { ThreadPoolExecutor, type ThreadPoolOptions } from './workers/thread-executor.js';
