/** The public API: its list of exports (changed on purpose only) and joblib-style dumps of fitted models. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as memgrid from '../src/index.js';
import * as redis from '../src/redis.js';

it('exports this list of runtime values from memgrid and memgrid/redis', () => {
  expect(Object.keys(memgrid).sort()).toEqual([
    'AbortError', 'AccessError', 'ConfigError', 'DEFAULT_WINDOW_BYTES', 'DTYPES', 'DTypeError', 'DataError', 'FitError',
    'GridSearch', 'GroupKFold', 'HalvingGridSearch', 'HalvingRandomSearch', 'InlineExecutor', 'KFold', 'LeaveOneOut',
    'LeavePOut', 'LogisticRegression', 'MAX_WINDOW_BYTES', 'MODEL_NAMES', 'MemgridError', 'NATIVE_LITTLE_ENDIAN',
    'NPY_ALIGN', 'NPY_MAGIC', 'NPY_MAX_HEADER_SIZE', 'NpyFormatError', 'PredefinedFolds', 'PredefinedSplit', 'PyTuple',
    'QueueError', 'RandomState', 'RandomizedSearch', 'RepeatedKFold', 'RepeatedStratifiedKFold', 'Ridge', 'SCORERS',
    'STORE_ROOT_ENV', 'ShuffleSplit', 'StratifiedGroupKFold', 'StratifiedKFold', 'StratifiedShuffleSplit',
    'ThreadPoolExecutor', 'TimeSeriesSplit', 'ValueError', 'WriteError', 'accuracy', 'allFiniteInFile', 'allocate',
    'balancedAccuracy', 'checkStoreUnchanged', 'choice', 'columnMeans', 'createExecutor', 'createModel', 'crossValPredict',
    'crossValScore', 'crossValidate', 'defaultStoreRoot', 'descrOf', 'dtypeOfTypedArray', 'dump', 'elementAsNumber',
    'encodeNpyHeader', 'f1', 'firstNonFinite', 'get', 'getScorer', 'gridSize', 'importCsv', 'importCsvToNpy',
    'importCsvToStore', 'isBigIntDType', 'isClassifier', 'isDType', 'isFloatDType', 'isMapped', 'isSingleWindow', 'itemSize',
    'learningCurve', 'listStores', 'load', 'logLoss', 'loguniform', 'makeClassification', 'makeRegression', 'mean',
    'meanAbsoluteError', 'meanSquaredError', 'memmap', 'modelFromState', 'ndarray', 'openNpy', 'openStore', 'parameterGrid',
    'parseDescr', 'parseDistribution', 'parseNpyHeader', 'parsePyLiteral', 'persistDataset', 'pruneStores', 'r2', 'randint',
    'readFoldSet', 'readNpy', 'readNpyHeader', 'registerDumpType', 'resolveCv', 'resolveScoring', 'rocAuc',
    'rootMeanSquaredError', 'rowWindows', 'sampleCandidates', 'sampleWithoutReplacement', 'saveNpy', 'scoreMany',
    'shapeSize', 'std', 'stridesOf', 'sum', 'swapBytes', 'toFloat64', 'toNested', 'trainTestSplit', 'trainTestSplitIndices',
    'uniform', 'validateParams', 'validationCurve', 'verifyStores', 'viewOf', 'writeFoldSet',
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
