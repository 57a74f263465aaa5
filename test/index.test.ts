/** The public API: its list of exports (changed on purpose only) and joblib-style dumps of fitted models. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as memgrid from '../src/index.js';
import * as redis from '../src/redis.js';

it('exports this list of runtime values from memgrid and memgrid/redis', () => {
  expect(Object.keys(memgrid).sort()).toEqual([
    'AbortError', 'AccessError', 'ConfigError', 'DTYPES', 'DTypeError', 'DataError', 'FitError', 'GridSearch', 'GroupKFold',
    'HalvingGridSearch', 'HalvingRandomSearch', 'InlineExecutor', 'KFold', 'LeaveOneOut', 'LeavePOut', 'LogisticRegression',
    'MODEL_NAMES', 'MemgridError', 'NATIVE_LITTLE_ENDIAN', 'NPY_ALIGN', 'NPY_MAGIC', 'NPY_MAX_HEADER_SIZE', 'NpyFormatError',
    'Pipeline', 'PredefinedFolds', 'PredefinedSplit', 'PyTuple', 'QueueError', 'RandomState', 'RandomizedSearch',
    'RepeatedKFold', 'RepeatedStratifiedKFold', 'Ridge', 'SCORERS', 'STORE_ROOT_ENV', 'ShuffleSplit', 'StandardScaler',
    'StratifiedGroupKFold', 'StratifiedKFold', 'StratifiedShuffleSplit', 'ThreadPoolExecutor', 'TimeSeriesSplit', 'ValueError',
    'WriteError', 'accuracy', 'allFiniteInFile', 'allocate', 'averagePrecision', 'balancedAccuracy', 'brierScoreLoss',
    'checkStoreUnchanged', 'choice', 'classLikelihoodRatios', 'columnMeans', 'createExecutor', 'createModel', 'crossValPredict',
    'crossValScore', 'crossValidate', 'cvResultsToCsv', 'd2AbsoluteError', 'defaultStoreRoot', 'descrOf', 'dtypeOfTypedArray',
    'dump', 'elementAsNumber', 'encodeNpyHeader', 'explainedVariance', 'f1', 'fbeta', 'firstNonFinite', 'getScorer', 'gridSize',
    'importCsv', 'importCsvToStore', 'isBigIntDType', 'isClassifier', 'isDType', 'isFloatDType', 'isMapped', 'itemSize',
    'jaccard', 'learningCurve', 'listStores', 'load', 'logLoss', 'loguniform', 'makeClassification', 'makePipeline',
    'makeRegression', 'makeScorer', 'matthewsCorrcoef', 'maxError', 'mean', 'meanAbsoluteError', 'meanAbsolutePercentageError',
    'meanGammaDeviance', 'meanPoissonDeviance', 'meanSquaredError', 'meanSquaredLogError', 'medianAbsoluteError', 'memmap',
    'modelFromState', 'ndarray', 'openNpy', 'openStore', 'parameterGrid', 'parseDescr', 'parseDistribution', 'parseNpyHeader',
    'parsePyLiteral', 'persistDataset', 'precision', 'pruneStores', 'r2', 'randint', 'readFoldSet', 'readNpy', 'readNpyHeader',
    'recall', 'registerDumpType', 'resolveCv', 'resolveScoring', 'rocAuc', 'rocAucMulticlass', 'rootMeanSquaredError',
    'sampleCandidates', 'sampleWithoutReplacement', 'saveNpy', 'scoreMany', 'shapeSize', 'std', 'stridesOf', 'sum', 'swapBytes',
    'toFloat64', 'toNested', 'topKAccuracy', 'trainTestSplit', 'trainTestSplitIndices', 'uniform', 'validateParams',
    'validationCurve', 'verifyStores', 'viewOf', 'writeFoldSet',
  ]);
  expect(Object.keys(redis).sort()).toEqual(['RedisExecutor', 'runRedisWorker']);
});

it('dumps fitted models inside nested data and loads them back with mapped arrays', () => {
  const { X, y } = memgrid.makeClassification({ nSamples: 300, nFeatures: 5, seed: 1 });
  const model = new memgrid.LogisticRegression({ C: 0.5 }).fit(X, y);
  const ridge = new memgrid.Ridge({ alpha: 2 }).fit(X, memgrid.ndarray('float64', [300], memgrid.toFloat64(y)));
  const path = join(mkdtempSync(join(tmpdir(), 'memgrid-dump-')), 'models.json');
  memgrid.dump({ note: 'two models', models: [model, ridge], X }, path);
  const back = memgrid.load(path, { mmapMode: 'r' }) as { note: string; models: [memgrid.Classifier, memgrid.Estimator]; X: memgrid.NdArray };
  expect(back.note).toBe('two models');
  expect(memgrid.isMapped(back.X)).toBe(true);
  expect(Array.from(back.models[0].predictProba(X))).toEqual(Array.from(model.predictProba(X)));
  expect(Array.from(back.models[1].predict(X))).toEqual(Array.from(ridge.predict(X)));
  expect(back.models[0].getParams()).toEqual(model.getParams());
});
