/**
 * Experiment configs a scikit-learn user writes, run by the memgrid binary and compared with
 * scikit-learn 1.2 (scripts/pipeline_fixtures.py): a pipeline from `preprocess`, and a CSV
 * whose target holds text labels, scored with a metric that cannot be computed on it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveNpy } from '../../src/data/npy.js';
import { matrixOf, pipelineData, pipelines, scoreColumnsDiff, searchRef, vectorOf } from '../helpers/pipelines.js';
import { maxAbsErr } from '../models/fixtures.js';
import { memgrid } from './memgrid.js';

const dir = mkdtempSync(join(tmpdir(), 'memgrid-cli-sklearn-'));
process.env.TMPDIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function writeConfig(name: string, config: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(config, null, 2));
  return name;
}

describe('memgrid run with "preprocess"', () => {
  it('runs make_pipeline(StandardScaler(), Ridge()) as GridSearchCV does (1e-9), and shows the pipeline', () => {
    const { X, y } = pipelineData('diabetes');
    saveNpy(join(dir, 'X.npy'), X);
    saveNpy(join(dir, 'y.npy'), y);
    writeConfig('pipe.json', {
      data: { X: 'X.npy', y: 'y.npy' },
      preprocess: [{ name: 'standard_scaler', params: {} }],
      model: { name: 'ridge' },
      grid: [{ ridge__alpha: [0.01, 0.3, 10, 300] }, { ridge__alpha: [1], standardscaler__withStd: [false] }, { ridge__alpha: [1], ridge__fitIntercept: [false] }],
      cv: { folds: 5 },
      scoring: ['r2', 'neg_mean_squared_error', 'explained_variance'], refit: 'r2', returnTrainScore: true,
    });
    const r = memgrid(['run', 'pipe.json', '--workers', '1', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const ref = searchRef('pipeline ridge diabetes');
    const results = readJson(join(dir, 'runs', 'pipe', 'results.json'));
    expect(scoreColumnsDiff(results.cvResults as Record<string, unknown[]>, ref.cvResults)).toBeLessThan(1e-9);
    expect(results.model).toMatchObject({ pipeline: 'Pipeline(standardscaler=StandardScaler(), ridge=Ridge())' });
    const best = results.bestEstimator as { coef: number[]; steps: { step: string; mean: number[] }[] };
    expect(maxAbsErr(best.coef, ref.model.coef) / Math.max(...ref.model.coef.map(Math.abs))).toBeLessThan(1e-9);
    expect(best.steps[0]!.step).toBe('standardscaler');
    expect(maxAbsErr(best.steps[0]!.mean, ref.scaler!.mean)).toBeLessThan(1e-9);
    expect(readFileSync(join(dir, 'runs', 'pipe', 'cv_results.csv'), 'utf8').split('\n')[0]).toContain('param_ridge__alpha');
    expect(readFileSync(join(dir, 'runs', 'pipe', 'report.html'), 'utf8')).toContain('Pipeline(standardscaler=StandardScaler(), ridge=Ridge())');
  });

  it('points a bare model param in the grid at its step__param name', () => {
    writeConfig('bare.json', {
      data: { X: 'X.npy', y: 'y.npy' }, preprocess: [{ name: 'standard_scaler' }], model: { name: 'ridge' }, grid: { alpha: [1] },
    });
    const r = memgrid(['run', 'bare.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('grid.alpha: unknown pipeline param (did you mean "ridge__alpha"? with "preprocess" the model is a pipeline: name the step); '
      + 'known params: standardscaler__withMean, standardscaler__withStd, ridge__alpha, ridge__fitIntercept');
  });
});

describe('memgrid run with class weights', () => {
  const weights = JSON.parse(readFileSync(new URL('../fixtures/search/logistic-weights.json', import.meta.url), 'utf8')) as {
    datasets: { imbalanced: { X: number[][]; y: number[] } }; searches: { name: string; cvResults: Record<string, unknown[]> }[];
  };

  it('classWeight {"0": 1, "1": 5} in the model params and in the grid, as GridSearchCV(class_weight=...) (1e-6)', () => {
    const { X, y } = weights.datasets.imbalanced;
    saveNpy(join(dir, 'Xi.npy'), matrixOf(X));
    saveNpy(join(dir, 'yi.npy'), vectorOf(y));
    const base = { data: { X: 'Xi.npy', y: 'yi.npy' }, cv: { name: 'stratified_kfold', nSplits: 5 }, scoring: ['balanced_accuracy', 'f1', 'roc_auc'], refit: 'f1' };
    writeConfig('cw.json', { ...base, model: { name: 'logistic', params: { classWeight: { 0: 1, 1: 5 }, tol: 1e-10, maxIter: 10000 } }, grid: { C: [0.01, 0.1, 1, 10] } });
    const r = memgrid(['run', 'cw.json', '--workers', '1', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const ref = weights.searches.find((s) => s.name === 'class_weight dict imbalanced')!;
    const results = readJson(join(dir, 'runs', 'cw', 'results.json'));
    expect(scoreColumnsDiff(results.cvResults as Record<string, unknown[]>, ref.cvResults)).toBeLessThan(1e-6);

    writeConfig('cwgrid.json', { ...base, model: { name: 'logistic', params: { tol: 1e-10, maxIter: 10000 } }, grid: { C: [1], classWeight: [null, 'balanced', { 0: 1, 1: 5 }] } });
    const g = memgrid(['run', 'cwgrid.json', '--workers', '1', '--quiet'], dir);
    expect(g.code, g.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'runs', 'cwgrid', 'cv_results.csv'), 'utf8').split('\n');
    expect(csv[0]).toContain('param_class_weight');
    expect(csv[3]).toContain('"{""0"":1,""1"":5}"');
  });

  it('refuses a class weight that is not one, naming it', () => {
    writeConfig('badcw.json', { data: { X: 'Xi.npy', y: 'yi.npy' }, model: { name: 'logistic', params: { classWeight: { yes: 2 } } }, grid: { C: [1] } });
    const r = memgrid(['run', 'badcw.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('model.params.classWeight: classWeight has label "yes", which is not a number');
  });
});

/** wine as a CSV whose target column `cultivar` holds class_0, class_1, class_2. */
function writeWineCsv(): void {
  const wine = pipelines.datasets.wine;
  const header = [...wine.X[0]!.map((_, j) => `f${j}`), 'cultivar'].join(',');
  const lines = wine.X.map((row, i) => [...row, `class_${wine.y[i]}`].join(','));
  writeFileSync(join(dir, 'wine.csv'), `${header}\n${lines.join('\n')}\n`);
}

describe('memgrid run on a CSV with text class labels', () => {
  it('reports the labels, scores as scikit-learn does, and warns once about the metric it cannot compute', () => {
    writeWineCsv();
    writeConfig('wine.json', {
      data: { csv: 'wine.csv', target: 'cultivar' },
      preprocess: [{ name: 'standard_scaler' }],
      model: { name: 'logistic', params: { tol: 1e-10, maxIter: 10000 } },
      grid: { logisticregression__C: [0.01, 0.1, 1] },
      scoring: ['accuracy', 'roc_auc'], refit: 'accuracy',
    });
    const r = memgrid(['run', 'wine.json', '--workers', '1', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const line = 'search: roc_auc, 15 of 15 fits: UserWarning: Scoring failed. The score on this train-test partition for these parameters '
      + 'will be set to nan. Details: multiclass format is not supported';
    expect(r.stderr).toContain(`warning: ${line}\n`);
    const results = readJson(join(dir, 'runs', 'wine', 'results.json'));
    expect((results.data as { classes: string[] }).classes).toEqual(['class_0', 'class_1', 'class_2']);
    expect((results.bestEstimator as { classes: string[] }).classes).toEqual(['class_0', 'class_1', 'class_2']);
    const cv = results.cvResults as Record<string, (number | null)[]>;
    expect(cv['mean_test_roc_auc']).toEqual([null, null, null]);
    const ref = searchRef('wine multiclass scorers').cvResults;
    expect(maxAbsErr(cv['mean_test_accuracy'] as number[], ref['mean_test_accuracy'] as number[])).toBeLessThan(1e-6);
    expect(results.warnings).toEqual([line]);
  });

  it('memgrid data import streams text labels to y.npy, lists them in dataset.json, and a run on the .npy files reports them', () => {
    writeWineCsv();
    const r = memgrid(['data', 'import', 'wine.csv', '--target', 'cultivar', '--out', 'wine-npy'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('classes: 0 = class_0, 1 = class_1, 2 = class_2 (y holds the numbers)\n');
    expect(readJson(join(dir, 'wine-npy', 'dataset.json')).classes).toEqual(['class_0', 'class_1', 'class_2']);
    writeConfig('wine-npy.json', {
      data: { X: 'wine-npy/X.npy', y: 'wine-npy/y.npy' }, preprocess: [{ name: 'standard_scaler' }],
      model: { name: 'logistic' }, grid: { logisticregression__C: [1] },
    });
    const run = memgrid(['run', 'wine-npy.json', '--workers', '0', '--quiet'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((readJson(join(dir, 'runs', 'wine-npy', 'results.json')).data as { classes: string[] }).classes).toEqual(['class_0', 'class_1', 'class_2']);
  });
});
