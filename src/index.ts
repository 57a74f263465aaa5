/**
 * memgrid's public API (`import ... from 'memgrid'`): what a user of the searches, curves,
 * models and the data layer needs, listed one line each in README.md's "API" section.
 * Internal modules may change between versions; test/index.test.ts pins this list, so a
 * change to it is deliberate (update the README's API section with it).
 */
import { registerDumpType } from './data/dump.js';
import { registerEstimatorDumpType } from './models/persist.js';

// Fitted estimators can be dumped and loaded like any other value (joblib-style).
registerEstimatorDumpType(registerDumpType);

// Data: arrays, .npy files and memmaps, dumps, dataset stores, CSV, synthetic data.
export type { DType, TypedArrayFor, AnyTypedArray, ByteOrder } from './data/dtypes.js';
export {
  ndarray, toNested, rowWindows, isSingleWindow, get, type NdArray, type MappedArray, type MapMode, type MapAdvice, type Order, type RowWindow,
} from './data/ndarray.js';
export type { NpyHeader } from './data/npy-header.js';
export { readNpy, saveNpy, openNpy, readNpyHeader, isMapped, type OpenNpyOptions } from './data/npy.js';
export { memmap, type MemmapOptions } from './data/memmap.js';
export { sum, mean, std, columnMeans } from './data/reduce.js';
export { dump, load, registerDumpType, type DumpType, type LoadOptions } from './data/dump.js';
export {
  persistDataset, openStore, type DatasetStore, type OpenedStore, type StoreManifest, type StoreArrayEntry,
} from './data/store.js';
export { defaultStoreRoot } from './data/store-root.js';
export {
  listStores, verifyStores, pruneStores, type StoreInfo, type StoreCheck, type PruneOptions, type PruneOutcome,
} from './data/store-admin.js';
export { importCsv, importCsvToStore, type ImportCsvOptions, type ImportedCsv } from './data/csv.js';
export { importCsvToNpy, type StreamedCsv } from './data/csv-stream.js';
export { makeRegression, makeClassification, type MakeRegressionOptions, type MakeClassificationOptions } from './data/synthetic.js';

export {
  MemgridError, NpyFormatError, DTypeError, ValueError, DataError, AccessError, ConfigError, FitError, AbortError, QueueError,
  WriteError,
} from './errors.js';

// Models.
export type {
  Estimator, Classifier, EstimatorState, FloatMatrix, Params, ModelName, Rows, FitOptions, SampleWeight, TransformerState,
} from './models/estimator.js';
export { isClassifier } from './models/estimator.js';
export { Ridge, type RidgeParams } from './models/ridge.js';
export { StandardScaler, type StandardScalerParams } from './models/standard-scaler.js';
export { Pipeline, makePipeline, type PipelineStep, type PipelineFitOptions } from './models/pipeline.js';
export { LogisticRegression, type LogisticParams } from './models/logistic.js';
export { createModel, modelFromState, MODEL_NAMES } from './models/registry.js';

// Searches, curves, cross-validation, splitters, scoring, grids and distributions.
export { createExecutor } from './search/engine.js';
export { GridSearch, RandomizedSearch, type RandomizedSearchOptions, type FitFailure } from './search/grid-search.js';
export {
  HalvingGridSearch, HalvingRandomSearch, type HalvingOptions, type HalvingRandomSearchOptions,
} from './search/halving.js';
export {
  learningCurve, validationCurve, type LearningCurveOptions, type ValidationCurveOptions, type CurveOptions,
} from './search/curves.js';
export {
  crossValidate, crossValScore, crossValPredict, type CrossValidateOptions, type CrossValidateResult, type CrossValPredictOptions,
} from './search/cross-validate.js';
export { trainTestSplit, trainTestSplitIndices, type TrainTestSplitOptions, type TrainTestIndices } from './search/train-test-split.js';
export type {
  SearchOptions, SearchFitOptions, SearchProgress, WorkerMemory, HostMemory, FitKey, CvResults, LearningCurveResult, ValidationCurveResult,
} from './search/options.js';
export type { Fold, Splitter, Groups } from './search/types.js';
export type { SearchWarning } from './search/search-warnings.js';
export { cvResultsToCsv } from './report/csv.js';
export { KFold, StratifiedKFold, PredefinedFolds, type KFoldOptions, type FoldSpec } from './search/splitters.js';
export { ShuffleSplit, StratifiedShuffleSplit, type ShuffleSplitOptions } from './search/shuffle-split.js';
export { GroupKFold, StratifiedGroupKFold } from './search/group-splitters.js';
export { RepeatedKFold, RepeatedStratifiedKFold, type RepeatedKFoldOptions } from './search/repeated-splitters.js';
export {
  TimeSeriesSplit, LeaveOneOut, LeavePOut, PredefinedSplit, type TimeSeriesSplitOptions,
} from './search/ordered-splitters.js';
export { RandomState } from './search/random-state.js';
export {
  r2, explainedVariance, meanSquaredError, rootMeanSquaredError, meanSquaredLogError, meanAbsoluteError,
  meanAbsolutePercentageError, medianAbsoluteError, maxError, meanPoissonDeviance, meanGammaDeviance, d2AbsoluteError,
  accuracy, balancedAccuracy, precision, recall, fbeta, f1, jaccard, matthewsCorrcoef, classLikelihoodRatios, brierScoreLoss,
  logLoss, rocAuc, rocAucMulticlass, averagePrecision, topKAccuracy,
  type Average, type ZeroDivision, type SetMetricOptions, type MulticlassRocOptions,
} from './search/metrics.js';
export { getScorer, SCORERS, type Scorer, type ScorerNeeds, type ScoreFunction, type ScoreInput } from './search/scorers.js';
export type { ScoringOption, ScorerLike } from './search/scoring.js';
export { makeScorer, type MakeScorerOptions, type ScorerModuleRef } from './search/custom-scorers.js';
export { parameterGrid, type ParamGrid, type ParamValue } from './search/grid.js';
export {
  uniform, loguniform, randint, choice, sampleCandidates, type Distribution, type ParamDistributions,
} from './search/distributions.js';

// Executors are made by createExecutor (threads or this thread) or RedisExecutor (memgrid/redis);
// the types let a program wrap one.
export type { Executor, TaskMessage, TaskResult, FitRecord } from './workers/protocol.js';
