/**
 * What a scikit-learn user reaches for on a fitted search: GridSearchCV's column names,
 * predict & co. on the refit estimator, the records form, and custom scorers (inline and by
 * module, the only form threads can take).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { cvResultsToCsv } from '../../src/report/csv.js';
import { makeScorer } from '../../src/search/custom-scorers.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { getScorer } from '../../src/search/scorers.js';

const regression = makeRegression({ nSamples: 400, nFeatures: 5, noise: 10, seed: 4 });
const classification = makeClassification({ nSamples: 300, nFeatures: 4, seed: 5 });
const temp = mkdtempSync(join(tmpdir(), 'memgrid-scorers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const within10 = (y: Float64Array, p: Float64Array): number => y.filter((v, i) => Math.abs(v - p[i]!) < 10).length / y.length;

describe('cvResults column names follow GridSearchCV', () => {
  it('a string gives _score columns; a list, even of one, keeps the metric name', async () => {
    const one = await new GridSearch(new LogisticRegression(), { C: [0.1, 1] }, { scoring: 'neg_log_loss', workers: 0 }).fit(classification.X, classification.y);
    expect(Object.keys(one.cvResults)).toContain('mean_test_score');
    expect(one.multimetric).toBe(false);
    const list = await new GridSearch(new LogisticRegression(), { C: [0.1, 1] }, { scoring: ['neg_log_loss'], workers: 0 }).fit(classification.X, classification.y);
    expect(Object.keys(list.cvResults).filter((k) => k.includes('test'))).toEqual([
      'split0_test_neg_log_loss', 'split1_test_neg_log_loss', 'split2_test_neg_log_loss', 'split3_test_neg_log_loss',
      'split4_test_neg_log_loss', 'mean_test_neg_log_loss', 'std_test_neg_log_loss', 'rank_test_neg_log_loss',
    ]);
    expect(list.cvResults['mean_test_neg_log_loss']).toEqual(one.cvResults['mean_test_score']);
    expect(list.bestScore).toBe(one.bestScore);
  });
});

describe('one metric that cannot be computed does not sink the search', () => {
  it('roc_auc on three classes (logistic path plan): NaN cells, one warning naming it, accuracy reported', async () => {
    const three = makeClassification({ nSamples: 300, nFeatures: 5, nClasses: 3, seed: 6 });
    const search = await new GridSearch(new LogisticRegression(), { C: [0.1, 1] }, { scoring: ['accuracy', 'roc_auc'], refit: 'accuracy', workers: 0 })
      .fit(three.X, three.y);
    expect((search.cvResults['mean_test_accuracy'] as number[]).every((v) => v > 0.5)).toBe(true);
    expect((search.cvResults['mean_test_roc_auc'] as number[]).every(Number.isNaN)).toBe(true);
    expect(search.scoringWarnings).toEqual([{
      type: 'UserWarning', metric: 'roc_auc', count: 10,
      message: 'Scoring failed. The score on this train-test partition for these parameters will be set to nan. Details: multiclass format is not supported',
    }]);
    expect(search.warnings).toEqual([
      'roc_auc, 10 of 10 fits: UserWarning: Scoring failed. The score on this train-test partition for these parameters will be set to nan. '
      + 'Details: multiclass format is not supported',
    ]);
  });
});

describe('the fitted search delegates to its refit estimator', () => {
  it('predict, predictProba, decisionFunction, classes and score (the refit metric\'s scorer)', async () => {
    const search = await new GridSearch(new LogisticRegression(), { C: [0.01, 1] }, {
      scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', workers: 0,
    }).fit(classification.X, classification.y);
    const best = search.bestEstimator as LogisticRegression;
    const rows = Int32Array.from([3, 1, 4]);
    expect(Array.from(search.predict(classification.X, rows))).toEqual(Array.from(best.predict(classification.X, rows)));
    expect(Array.from(search.predictProba(classification.X))).toEqual(Array.from(best.predictProba(classification.X)));
    expect(Array.from(search.decisionFunction(classification.X))).toEqual(Array.from(best.decisionFunction(classification.X)));
    expect(Array.from(search.classes)).toEqual([0, 1]);
    expect(search.score(classification.X, classification.y)).toBe(getScorer('neg_log_loss').score(best, classification.X, classification.y));
  });

  it('refuses them with refit: false, and class methods on a regressor', async () => {
    const noRefit = await new GridSearch(new Ridge(), { alpha: [1, 2] }, { refit: false, workers: 0 }).fit(regression.X, regression.y);
    expect(() => noRefit.predict(regression.X)).toThrow(
      'search.predict is available only after refitting on the best parameters: this search ran with refit: false. Refit an estimator yourself with search.bestParams',
    );
    const ridge = await new GridSearch(new Ridge(), { alpha: [1, 2] }, { workers: 0 }).fit(regression.X, regression.y);
    expect(() => ridge.predictProba(regression.X)).toThrow("search.predictProba needs a classifier; the best estimator is the regressor 'ridge'");
  });

  it('cvResultsRows gives one object per candidate; cvResultsToCsv the table pandas reads', async () => {
    const search = await new GridSearch(new Ridge(), { alpha: [1, 2, 3] }, { workers: 0 }).fit(regression.X, regression.y);
    const rows = search.cvResultsRows();
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[1]!)).toEqual(Object.keys(search.cvResults));
    expect(rows[1]!['param_alpha']).toBe(2);
    expect(rows[1]!['params']).toEqual({ alpha: 2 });
    expect(rows[2]!['mean_test_score']).toBe(search.cvResults['mean_test_score']![2]);
    expect(cvResultsToCsv(search.cvResults).split('\n')[2]!.split(',')[4]).toBe('2');
  });
});

describe('custom scorers', () => {
  const grid = { alpha: [0.1, 10] };

  it('makeScorer runs inline (workers: 0); a thread pool is refused with the way out', async () => {
    const scorer = makeScorer(within10, { name: 'within10' });
    const search = await new GridSearch(new Ridge(), grid, { scoring: { within10: scorer, mae: 'neg_mean_absolute_error' }, refit: 'within10', workers: 0 })
      .fit(regression.X, regression.y);
    const best = search.bestEstimator!;
    expect(search.multimetric).toBe(true);
    expect(Object.keys(search.cvResults)).toContain('mean_test_mae');
    expect(search.score(regression.X, regression.y)).toBe(within10(regression.y.data as Float64Array, best.predict(regression.X)));
    await expect(new GridSearch(new Ridge(), grid, { scoring: scorer, workers: 2 }).fit(regression.X, regression.y)).rejects.toThrow(
      "scoring 'within10': a scorer made by makeScorer lives in this thread and worker threads cannot receive a closure; run the search with workers: 0, "
      + "or export the scorer from a module and pass { module: './my-scorer.js', name: '...' } (see the README, \"Custom scorers\")",
    );
  });

  it('a scorer by module reference runs on worker threads, and gives what the inline one gives', async () => {
    const distScorers = pathToFileURL(resolve('dist/src/search/custom-scorers.js')).href;
    const file = join(temp, 'my-scorers.mjs');
    writeFileSync(file, [
      `import { makeScorer } from ${JSON.stringify(distScorers)};`,
      'export function within10(y, p) { let n = 0; for (let i = 0; i < y.length; i++) if (Math.abs(y[i] - p[i]) < 10) n++; return n / y.length; }',
      'export const meanError = makeScorer((y, p) => { let s = 0; for (let i = 0; i < y.length; i++) s += y[i] - p[i]; return Math.abs(s / y.length); }, { greaterIsBetter: false });',
    ].join('\n'));
    const scoring = { within10: { module: file, name: 'within10' }, bias: { module: file, name: 'meanError' } };
    const threads = await new GridSearch(new Ridge(), grid, { scoring, refit: 'within10', workers: 2 }).fit(regression.X, regression.y);
    const inline = await new GridSearch(new Ridge(), grid, {
      scoring: {
        within10: makeScorer(within10),
        bias: makeScorer((y, p) => Math.abs(y.reduce((s, v, i) => s + v - p[i]!, 0) / y.length), { greaterIsBetter: false }),
      },
      refit: 'within10', workers: 0,
    }).fit(regression.X, regression.y);
    expect(threads.cvResults['mean_test_within10']).toEqual(inline.cvResults['mean_test_within10']);
    for (const [a, b] of (threads.cvResults['mean_test_bias'] as number[]).map((v, i) => [v, (inline.cvResults['mean_test_bias'] as number[])[i]!])) {
      expect(a).toBeLessThan(0);
      expect(Math.abs(a! - b!)).toBeLessThan(1e-12);
    }
  });

  it('module references must be paths to a scorer or function export', async () => {
    const search = (scoring: unknown): Promise<unknown> => new GridSearch(new Ridge(), grid, { scoring: scoring as never, workers: 0 }).fit(regression.X, regression.y);
    await expect(search({ module: 'some-package', name: 'x' })).rejects.toThrow(
      'scorer module "some-package" must be a path (\'./my-scorer.js\', \'/abs/path.js\') or a file: URL',
    );
    const file = join(temp, 'no-export.mjs');
    writeFileSync(file, 'export const other = 1;\n');
    await expect(search({ module: file, name: 'missing' })).rejects.toThrow(`scorer module ${file} has no scorer or function export "missing" (its exports: other)`);
    await expect(search({ module: join(temp, 'absent.mjs'), name: 'x' })).rejects.toThrow(`cannot import scorer module ${join(temp, 'absent.mjs')}`);
  });
});
