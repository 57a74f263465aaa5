import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { saveNpy } from '../../src/data/npy.js';
import { parseConfig } from '../../src/run/config.js';
import { splitterFromConfig } from '../../src/run/cv-config.js';
import { loadExperimentData } from '../../src/run/data.js';
import { GroupKFold } from '../../src/search/group-splitters.js';
import { PredefinedSplit, TimeSeriesSplit } from '../../src/search/ordered-splitters.js';
import { ShuffleSplit } from '../../src/search/shuffle-split.js';
import { PredefinedFolds, StratifiedKFold } from '../../src/search/splitters.js';
import { configIssues } from '../helpers/config-issues.js';

const dir = mkdtempSync(join(tmpdir(), 'memgrid-cv-config-'));
const storeRoot = join(dir, 'stores');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'exp.json');
saveNpy(join(dir, 'x.npy'), ndarray('float64', [6, 1], Float64Array.from([1, 2, 3, 4, 5, 6])));
saveNpy(join(dir, 'y.npy'), ndarray('float64', [6], Float64Array.from([2, 4, 6, 8, 10, 12])));
saveNpy(join(dir, 'g.npy'), ndarray('int64', [6], BigInt64Array.from([1n, 1n, 2n, 2n, 3n, 3n])));
saveNpy(join(dir, 'fold.npy'), ndarray('int32', [6], Int32Array.from([0, 0, 1, 1, -1, 1])));
writeFileSync(join(dir, 'table.csv'), 'a,store,price\n1,s1,3\n2,s2,4\n3,s1,5\n4,s3,6\n');
writeFileSync(join(dir, 'folds.json'), JSON.stringify([{ train: [0, 1], test: [2, 3] }, { train: [2, 3], test: [0, 1] }]));
writeFileSync(join(dir, 'bad-folds.json'), JSON.stringify([{ train: [0], test: [] }]));

const base = { data: { X: 'x.npy', y: 'y.npy' }, model: { name: 'ridge' }, grid: { alpha: [1] } };

const issuesOf = (raw: unknown): string[] => configIssues(raw, file);

describe('cv in configs', () => {
  it('builds every splitter by name with its options', () => {
    const config = (cv: object): ReturnType<typeof parseConfig> => parseConfig({ ...base, cv }, file);
    const series = splitterFromConfig(config({ name: 'time_series_split', nSplits: 2, gap: 1, testSize: 2 }).cv, 'regressor', dir);
    expect(series).toEqual(new TimeSeriesSplit({ nSplits: 2, gap: 1, testSize: 2 }));
    expect(splitterFromConfig(config({ name: 'shuffle_split', nSplits: 3, testSize: 0.5, seed: 4 }).cv, 'regressor', dir))
      .toEqual(new ShuffleSplit({ nSplits: 3, testSize: 0.5, seed: 4 }));
    const predefined = splitterFromConfig(config({ name: 'predefined_split', testFold: 'fold.npy' }).cv, 'regressor', dir);
    expect(predefined).toEqual(new PredefinedSplit([0, 0, 1, 1, -1, 1]));
    const fromFile = splitterFromConfig(config({ file: 'folds.json' }).cv, 'regressor', dir);
    expect(fromFile).toBeInstanceOf(PredefinedFolds);
    expect(fromFile.nSplits).toBe(2);
    // The fold-count form keeps scikit-learn's rule: stratified for classifiers.
    expect(splitterFromConfig(config({ folds: 3, shuffle: true, seed: 2 }).cv, 'classifier', dir))
      .toEqual(new StratifiedKFold({ nSplits: 3, shuffle: true, seed: 2 }));
  });

  it.each([
    ['an unknown name', { name: 'time_serie_split' }, 'cv.name: unknown splitter "time_serie_split" (did you mean "time_series_split"?)'],
    ['an option of another splitter', { name: 'time_series_split', shuffle: true }, 'cv.shuffle: not an option of time_series_split (it takes nSplits, testSize, gap, maxTrainSize)'],
    ['an option the splitter refuses', { name: 'kfold', nSplits: 1 }, 'cv.nSplits: must be an integer >= 2, found 1'],
    ['a group splitter without groups', { name: 'group_kfold' }, 'cv.name: group_kfold needs group labels: add data.groups'],
    ['a named option without a name', { gap: 2 }, 'cv.gap: needs cv.name'],
    ['options beside a file', { file: 'folds.json', folds: 3 }, 'cv.folds: not used with cv.file'],
    ['a malformed folds file', { file: 'bad-folds.json' }, `cv.file: ${join(dir, 'bad-folds.json')}: cv folds[0].test is empty`],
    ['a missing folds file', { file: 'none.json' }, `cv.file: cannot read ${join(dir, 'none.json')} (ENOENT)`],
    ['a seed out of numpy range', { folds: 3, shuffle: true, seed: 2 ** 32 }, 'cv.seed: must be <= 4294967295, found 4294967296'],
  ])('names the key at fault: %s', (_what, cv, expected) => {
    const issues = issuesOf({ ...base, cv });
    expect(issues.some((i) => i.startsWith(expected)), `${JSON.stringify(issues)} has ${expected}`).toBe(true);
  });
});

describe('data.groups', () => {
  it('reads a .npy beside X and y, or a CSV column kept out of X', () => {
    const npy = parseConfig({ ...base, data: { ...base.data, groups: 'g.npy' }, cv: { name: 'group_kfold', nSplits: 3 } }, file);
    const data = loadExperimentData(npy.data, { storeRoot });
    expect(Array.from(data.groups as Float64Array)).toEqual([1, 1, 2, 2, 3, 3]);
    const folds = (splitterFromConfig(npy.cv, 'regressor', dir) as GroupKFold).split(6, undefined, data.groups);
    // Equal group sizes: numpy's argsort reversed puts the last group first, as scikit-learn.
    expect(folds.map((f) => Array.from(f.test))).toEqual([[4, 5], [2, 3], [0, 1]]);
    const csv = parseConfig({ ...base, data: { csv: 'table.csv', target: 'price', groups: 'store' } }, file);
    const table = loadExperimentData(csv.data, { storeRoot });
    expect(table.groups).toEqual(['s1', 's2', 's1', 's3']);
    expect(table.X.shape).toEqual([4, 1]);
    expect(table.featureNames).toEqual(['a']);
  });

  it('names a missing file or column', () => {
    expect(issuesOf({ ...base, data: { ...base.data, groups: 'none.npy' } })).toContain(`data.groups: file not found: ${join(dir, 'none.npy')}`);
    expect(issuesOf({ ...base, data: { csv: 'table.csv', target: 'price', groups: 'stor' } })).toContain(
      `data.groups: column "stor" is not in the header of ${join(dir, 'table.csv')} (did you mean "store"?)`);
    expect(issuesOf({ ...base, data: { csv: 'table.csv', target: 'price', groups: 'price' } })).toContain(
      'data.groups: "price" is the target column; groups must be another column');
  });
});
