/**
 * The public API as users get it (the built dist/, which `npm test` builds first): its list of
 * runtime exports, changed on purpose only (with README.md's API section), and joblib-style
 * dumps of fitted models.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as memgrid from '../dist/src/index.js';
import * as redis from '../dist/src/redis.js';
import { tempDir } from './helpers/temp.js';

it('exports this list of runtime values from memgrid and memgrid/redis', () => {
  expect(Object.keys(memgrid).sort()).toEqual([
    'AbortError', 'AccessError', 'ConfigError', 'DTypeError', 'DataError', 'FitError', 'GridSearch', 'GroupKFold',
    'HalvingGridSearch', 'HalvingRandomSearch', 'KFold', 'LeaveOneOut', 'LeavePOut', 'LogisticRegression', 'MODEL_NAMES',
    'MemgridError', 'NpyFormatError', 'Pipeline', 'PredefinedFolds', 'PredefinedSplit', 'QueueError', 'RandomState',
    'RandomizedSearch', 'RepeatedKFold', 'RepeatedStratifiedKFold', 'Ridge', 'SCORERS', 'ShuffleSplit', 'StandardScaler',
    'StratifiedGroupKFold', 'StratifiedKFold', 'StratifiedShuffleSplit', 'TimeSeriesSplit', 'ValueError', 'WriteError',
    'accuracy', 'averagePrecision', 'balancedAccuracy', 'brierScoreLoss', 'choice', 'classLikelihoodRatios', 'columnMeans',
    'createExecutor', 'createModel', 'crossValPredict', 'crossValScore', 'crossValidate', 'cvResultsToCsv',
    'd2AbsoluteError', 'defaultStoreRoot', 'dump', 'explainedVariance', 'f1', 'fbeta', 'get', 'getScorer', 'importCsv',
    'importCsvToNpy', 'importCsvToStore', 'isClassifier', 'isMapped', 'isSingleWindow', 'jaccard', 'learningCurve',
    'listStores', 'load', 'logLoss', 'loguniform', 'makeClassification', 'makePipeline', 'makeRegression', 'makeScorer',
    'matthewsCorrcoef', 'maxError', 'mean', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanGammaDeviance',
    'meanPoissonDeviance', 'meanSquaredError', 'meanSquaredLogError', 'medianAbsoluteError', 'memmap', 'modelFromState',
    'ndarray', 'openNpy', 'openStore', 'parameterGrid', 'persistDataset', 'precision', 'pruneStores', 'r2', 'randint',
    'readNpy', 'readNpyHeader', 'recall', 'registerDumpType', 'rocAuc', 'rocAucMulticlass', 'rootMeanSquaredError',
    'rowWindows', 'sampleCandidates', 'saveNpy', 'std', 'sum', 'toNested', 'topKAccuracy', 'trainTestSplit',
    'trainTestSplitIndices', 'uniform', 'validationCurve', 'verifyStores',
  ]);
  expect(Object.keys(redis).sort()).toEqual(['RedisExecutor', 'runRedisWorker']);
});

it('README.md\'s API section names every runtime export', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('\n## ', readme.indexOf('\n## API\n') + 1));
  const missing = [...Object.keys(memgrid), ...Object.keys(redis)].filter((name) => !new RegExp(`\`${name}[\`(.]`).test(section));
  expect(missing).toEqual([]);
});

it('dumps fitted models inside nested data and loads them back with mapped arrays', () => {
  const { X, y } = memgrid.makeClassification({ nSamples: 300, nFeatures: 5, seed: 1 });
  const model = new memgrid.LogisticRegression({ C: 0.5 }).fit(X, y);
  const ridge = new memgrid.Ridge({ alpha: 2 }).fit(X, memgrid.ndarray('float64', [300], Float64Array.from(y.data, Number)));
  const path = join(tempDir('memgrid-dump-'), 'models.json');
  memgrid.dump({ note: 'two models', models: [model, ridge], X }, path);
  const back = memgrid.load(path, { mmapMode: 'r' }) as { note: string; models: [memgrid.Classifier, memgrid.Estimator]; X: memgrid.NdArray };
  expect(back.note).toBe('two models');
  expect(memgrid.isMapped(back.X)).toBe(true);
  expect(Array.from(back.models[0].predictProba(X))).toEqual(Array.from(model.predictProba(X)));
  expect(Array.from(back.models[1].predict(X))).toEqual(Array.from(ridge.predict(X)));
  expect(back.models[0].getParams()).toEqual(model.getParams());
});
