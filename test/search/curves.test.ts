/** learningCurve's trainSizes rule and groups reaching the splitters of searches and curves. */
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { learningCurve, translateTrainSizes, validationCurve } from '../../src/search/curves.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { GroupKFold } from '../../src/search/group-splitters.js';
import { KFold } from '../../src/search/splitters.js';

const regression = makeRegression({ nSamples: 120, nFeatures: 3, noise: 1, seed: 5 });

describe('translateTrainSizes', () => {
  it('reads (0, 1] as fractions and integers > 1 as counts, each on its own', () => {
    expect(translateTrainSizes([1], 80)).toEqual([80]); // 1.0 === 1 in JavaScript: the whole fold
    expect(translateTrainSizes([0.1, 0.5, 1], 80)).toEqual([8, 40, 80]);
    expect(translateTrainSizes([2, 10, 80], 80)).toEqual([2, 10, 80]);
    expect(translateTrainSizes([0.5, 10, 40], 80)).toEqual([10, 40]);
    expect(translateTrainSizes([0.001], 80)).toEqual([1]);
  });

  it('names the size at fault', () => {
    expect(() => translateTrainSizes([0.5, 2.5], 80)).toThrow(
      new ValueError('trainSizes[1] must be a fraction in (0, 1] or a whole number of rows > 1, found 2.5'));
    expect(() => translateTrainSizes([0], 80)).toThrow('trainSizes[0] must be a fraction in (0, 1] or a whole number of rows > 1, found 0');
    expect(() => translateTrainSizes([10, 81], 80)).toThrow('trainSizes[1] = 81 rows is more than the largest training fold (80 rows)');
  });
});

describe('learningCurve', () => {
  it('trainSizes [1] fits the whole training fold', async () => {
    const curve = await learningCurve(new Ridge(), regression.X, regression.y, { trainSizes: [1], cv: 4, workers: 0 });
    expect(curve.trainSizes).toEqual([90]);
  });

  it('refuses a size whose first training rows hold one class, naming the size and the fold', async () => {
    // Sorted labels: fold 0 trains on rows 30..119, whose first 20 are all class 0.
    const y = ndarray('float64', [120], Float64Array.from({ length: 120 }, (_, i) => (i < 60 ? 0 : 1)));
    await expect(learningCurve(new LogisticRegression(), regression.X, y, { trainSizes: [20, 90], cv: new KFold({ nSplits: 4 }), workers: 0 }))
      .rejects.toThrow(new ValueError(
        'learningCurve: a training size of 20 rows leaves fold 0 with one class (0): a classifier needs two; use larger trainSizes or a shuffled cv'));
  });
});

describe('groups', () => {
  const classification = makeClassification({ nSamples: 90, nFeatures: 3, seed: 6 });
  const groups = Array.from({ length: 90 }, (_, i) => `g${i % 7}`);

  it('reach GroupKFold from search.fit and from the curves options', async () => {
    const cv = new GroupKFold({ nSplits: 3 });
    const search = await new GridSearch(new Ridge(), { alpha: [0.1, 1] }, { cv, workers: 0 }).fit(regression.X, regression.y, {
      groups: groups.concat(Array.from({ length: 30 }, () => 'g0')),
    });
    expect(search.cvResults['split2_test_score']).toHaveLength(2);
    const curve = await validationCurve(new LogisticRegression(), classification.X, classification.y, 'C', [0.1, 1], { cv, groups, workers: 0 });
    expect(curve.testScores[0]).toHaveLength(3);
    // Each test fold holds whole groups: the fold of a row is a function of its group.
    const folds = cv.split(90, undefined, groups);
    const foldOfGroup = new Map<string, number>();
    folds.forEach((f, k) => f.test.forEach((i) => {
      expect(foldOfGroup.get(groups[i]!) ?? k).toBe(k);
      foldOfGroup.set(groups[i]!, k);
    }));
  });

  it('must be one per row', async () => {
    await expect(new GridSearch(new Ridge(), { alpha: [1] }, { cv: new GroupKFold({ nSplits: 2 }), workers: 0 })
      .fit(regression.X, regression.y, { groups: [1, 2, 3] })).rejects.toThrow('groups has 3 labels, expected one per row of X (120)');
    await expect(new GridSearch(new Ridge(), { alpha: [1] }, { cv: new GroupKFold({ nSplits: 2 }), workers: 0 })
      .fit(regression.X, regression.y)).rejects.toThrow('GroupKFold needs groups: pass fit(X, y, { groups }) (or data.groups in a config)');
  });
});
