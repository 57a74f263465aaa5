import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/run/config.js';
import { stripComments } from '../../src/run/jsonc.js';
import { tempDir } from '../helpers/temp.js';
import { configIssues } from '../helpers/config-issues.js';

const dir = tempDir('memgrid-config-');
const file = join(dir, 'exp.json');
writeFileSync(join(dir, 'x.npy'), '');
writeFileSync(join(dir, 'y.npy'), '');
writeFileSync(join(dir, 'table.csv'), '"age",bmi,price\n1,2,3\n');

const synthetic = { synthetic: { kind: 'regression', nSamples: 100, nFeatures: 3, seed: 0 } };
const base = { data: synthetic, model: { name: 'ridge' }, grid: { alpha: [0.1, 1] } };

const issuesOf = (raw: unknown): string[] => configIssues(raw, file);

describe('parseConfig', () => {
  it('fills defaults and resolves paths against the config folder', () => {
    const config = parseConfig({ ...base, data: { X: 'x.npy', y: 'y.npy' } }, file);
    expect(config.name).toBe('exp');
    expect(config.data).toEqual({ kind: 'npy', X: join(dir, 'x.npy'), y: join(dir, 'y.npy') });
    expect(config.cv).toEqual({ folds: 5, shuffle: false });
    expect(config.model).toEqual({ name: 'ridge', params: {} });
    expect(config.refit).toBe(true);
  });

  it('names inherited property names (constructor, toString, __proto__) as unknown params', () => {
    const raw = JSON.parse(`{"data": {"synthetic": {"kind": "regression", "nSamples": 100, "nFeatures": 3}}, "model": {"name": "ridge",
      "params": {"toString": 1}}, "grid": {"constructor": [1], "__proto__": [2]}, "validationCurve": {"param": "hasOwnProperty", "values": [1]}}`) as unknown;
    expect(issuesOf(raw)).toEqual([
      'model.params.toString: unknown ridge param; known params: alpha, fitIntercept',
      'grid.constructor: unknown ridge param; known params: alpha, fitIntercept',
      'grid.__proto__: unknown ridge param; known params: alpha, fitIntercept',
      'validationCurve.param: "hasOwnProperty" is not a ridge param; known params: alpha, fitIntercept',
    ]);
  });

  it('reads a CSV source whose target is in the header', () => {
    const config = parseConfig({ ...base, data: { csv: 'table.csv', target: 'age' } }, file);
    expect(config.data).toEqual({ kind: 'csv', csv: join(dir, 'table.csv'), target: 'age' });
  });

  it('reports every problem at once, each with its key path', () => {
    const issues = issuesOf({
      data: synthetic, modle: {}, model: { name: 'ridge', params: { alpha: -1 } },
      grid: { alpha: [1, -2], alhpa: [1] }, cv: { folds: 1 }, scoring: ['r2', 'acuracy'],
    });
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^modle: unknown key \(did you mean "model"\?\)/),
      'model.params.alpha: must be a finite number >= 0, found -1',
      'grid.alpha[1]: must be a finite number >= 0, found -2',
      expect.stringMatching(/^grid\.alhpa: unknown ridge param \(did you mean "alpha"\?\)/),
      'cv.folds: must be >= 2, found 1',
      expect.stringMatching(/^scoring\[1\]: unknown scorer "acuracy" \(did you mean "accuracy"\?\)/),
    ]));
    expect(issues).toHaveLength(6);
  });

  it.each([
    ['C <= 0', { model: { name: 'logistic', params: { C: 0 } } }, 'model.params.C: must be a finite number > 0, found 0'],
    ['a wrong type', { cv: { folds: 'five' } }, 'cv.folds: must be a number, found "five"'],
    ['a fractional fold count', { cv: { folds: 2.5 } }, 'cv.folds: must be an integer, found 2.5'],
    ['an unknown nested key', { cv: { folds: 3, shufle: true } }, 'cv.shufle: unknown key (did you mean "shuffle"?)'],
    ['a misspelt model', { model: { name: 'ridj' } }, 'model.name: must be one of "ridge", "logistic", found "ridj" (did you mean "ridge"?)'],
    ['a missing npy file', { data: { X: 'nope.npy', y: 'y.npy' } }, `data.X: file not found: ${join(dir, 'nope.npy')}`],
    ['a missing CSV', { data: { csv: 'nope.csv', target: 'age' } }, `data.csv: file not found: ${join(dir, 'nope.csv')}`],
    ['a target not in the CSV header', { data: { csv: 'table.csv', target: 'prise' } }, 'data.target: column "prise" is not in the header'],
    ['X without y', { data: { X: 'x.npy' } }, 'data.y: is required with data.X'],
    ['two data sources', { data: { X: 'x.npy', y: 'y.npy', ...synthetic } }, 'data: give exactly one data source'],
    ['a cv seed without shuffle', { cv: { folds: 3, seed: 1 } }, 'cv.seed: has no effect unless cv.shuffle is true'],
    ['refit not among the scorers', { refit: 'accuracy' }, 'refit: must be true, false or one of the scoring names (r2)'],
    ['a classification scorer for ridge', { scoring: 'accuracy' }, 'scoring: "accuracy" is a classification metric'],
    ['an empty grid list', { grid: { alpha: [] } }, 'grid.alpha: must hold at least 1 value(s), found []'],
    ['a bad distribution', { grid: undefined, search: { kind: 'random', distributions: { alpha: { dist: 'loguniform', low: 0, high: 1 } } } },
      'search.distributions.alpha.low: must be > 0 for loguniform, found 0'],
    ['a validation curve on an unknown param', { validationCurve: { param: 'C', values: [1] } }, 'validationCurve.param: "C" is not a ridge param'],
    ['nothing to run', { grid: undefined }, '(top level): nothing to run'],
    ['halving with two scorers', { halving: {}, scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2' },
      'halving: takes one scorer (as scikit-learn), found scoring ["r2","neg_mean_squared_error"]'],
    ['halving nCandidates on a grid', { halving: { nCandidates: 10 } }, 'halving.nCandidates: only with a random search'],
    ['a halving factor of 1', { halving: { factor: 1 } }, 'halving.factor: must be > 1, found 1'],
    ['a fractional trainSize > 1', { learningCurve: { trainSizes: [0.5, 2.5] } },
      'learningCurve.trainSizes[1]: must be a fraction in (0, 1] or a whole number of rows > 1, found 2.5'],
  ])('rejects %s', (_what, patch, expected) => {
    const issues = issuesOf({ ...base, ...patch });
    expect(issues.some((i) => i.startsWith(expected)), `${JSON.stringify(issues)} has ${expected}`).toBe(true);
  });

  it('accepts a random search with distributions and lists', () => {
    const config = parseConfig({
      data: { synthetic: { kind: 'classification', nSamples: 100, nFeatures: 3, nClasses: 3, seed: 1 } },
      model: { name: 'logistic' },
      search: { kind: 'random', distributions: { C: { dist: 'loguniform', low: 1e-3, high: 1e2 }, fitIntercept: [true, false] }, nIter: 5 },
    }, file);
    expect(config.search).toMatchObject({ kind: 'random', nIter: 5, seed: 0 });
  });
});

describe('loadConfig', () => {
  it('reads JSON with // and /* */ comments, leaving strings alone', () => {
    writeFileSync(file, `// an experiment
{
  "name": "with-comments", /* inline */
  "data": { "synthetic": { "kind": "regression", "nSamples": 50, "nFeatures": 2, "seed": 0 } },
  "model": { "name": "ridge" }, // trailing
  "grid": { "alpha": [1] }
}`);
    expect(loadConfig(file).name).toBe('with-comments');
    expect(stripComments('{"url": "http://x//y /* z */"}')).toBe('{"url": "http://x//y /* z */"}');
  });

  it('names the file, line and column of a JSON syntax error', () => {
    writeFileSync(file, '{\n  "name": "x",,\n}');
    expect(() => loadConfig(file)).toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}:2:\\d+: not valid JSON`));
  });

  it('names a missing config file', () => {
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the config \(no such file\)/);
  });
});
