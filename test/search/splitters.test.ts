import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { ShuffleSplit } from '../../src/search/shuffle-split.js';
import { KFold, PredefinedFolds, StratifiedKFold, resolveCv } from '../../src/search/splitters.js';
import type { Fold } from '../../src/search/types.js';

interface FoldJson { train: number[]; test: number[] }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/search/folds.json', import.meta.url), 'utf8')) as {
  kfold: { n: number; nSplits: number; folds: FoldJson[] }[];
  stratified: { name: string; y: number[]; nSplits: number; folds: FoldJson[]; warned: boolean }[];
};

const plain = (folds: Fold[]): FoldJson[] => folds.map((f) => ({ train: [...f.train], test: [...f.test] }));

afterEach(() => vi.restoreAllMocks());

describe('KFold', () => {
  it.each(fixtures.kfold)('matches scikit-learn for n=$n, nSplits=$nSplits', ({ n, nSplits, folds }) => {
    const got = new KFold({ nSplits }).split(n);
    expect(got.every((f) => f.train instanceof Int32Array && f.test instanceof Int32Array)).toBe(true);
    expect(plain(got)).toEqual(folds);
  });

  it('shuffles deterministically per seed, keeping indices sorted and a partition', () => {
    const a = new KFold({ nSplits: 4, shuffle: true, seed: 7 }).split(50);
    const b = new KFold({ nSplits: 4, shuffle: true, seed: 7 }).split(50);
    const c = new KFold({ nSplits: 4, shuffle: true, seed: 8 }).split(50);
    expect(plain(a)).toEqual(plain(b));
    expect(plain(a)).not.toEqual(plain(c));
    const tests = a.flatMap((f) => [...f.test]).sort((x, y) => x - y);
    expect(tests).toEqual([...Array(50).keys()]);
    for (const f of a) {
      expect([...f.test]).toEqual([...f.test].sort((x, y) => x - y));
      expect(f.train.length + f.test.length).toBe(50);
    }
    expect(a.map((f) => f.test.length)).toEqual([13, 13, 12, 12]);
  });

  it('validates options and sample counts', () => {
    expect(() => new KFold({ nSplits: 1 })).toThrow(new ValueError('options.nSplits must be an integer >= 2, found 1'));
    expect(() => new KFold({ nSplits: 2.5 })).toThrow(/options.nSplits must be an integer >= 2, found 2.5/);
    expect(() => new KFold({ shuffle: 'yes' as never })).toThrow(/options.shuffle must be true or false, found "yes"/);
    expect(() => new KFold({ seed: 3 })).toThrow(/seed has no effect/);
    expect(() => new KFold({ shuffle: true, seed: -1 })).toThrow(
      "options.seed must be an integer between 0 and 2**32 - 1 (numpy's random_state), found -1");
    expect(() => new KFold({ nSplits: 5 }).split(4)).toThrow(/nSplits=5 greater than the number of samples: nSamples=4/);
  });
});

describe('StratifiedKFold', () => {
  it.each(fixtures.stratified)('matches scikit-learn: $name, nSplits=$nSplits', ({ y, nSplits, folds }) => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(plain(new StratifiedKFold({ nSplits }).split(y.length, Float64Array.from(y)))).toEqual(folds);
  });

  it('warns when the smallest class is smaller than nSplits', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    new StratifiedKFold({ nSplits: 4 }).split(9, Float64Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1]));
    expect(warn).toHaveBeenCalledWith(
      'The least populated class in y has only 3 members, which is less than nSplits=4.', { type: 'UserWarning' });
  });

  it('raises when every class is smaller than nSplits, like scikit-learn', () => {
    const y = Float64Array.from([0, 0, 1, 1, 2, 2]);
    expect(() => new StratifiedKFold({ nSplits: 3 }).split(6, y)).toThrow(
      /nSplits=3 cannot be greater than the number of members in each class \(largest class has 2\)/);
  });

  it('refuses continuous or missing labels', () => {
    expect(() => new StratifiedKFold({ nSplits: 2 }).split(4, Float64Array.from([0, 0.5, 0, 0.5]))).toThrow(/continuous values \(y\[1\] = 0.5\)/);
    expect(() => new StratifiedKFold({ nSplits: 2 }).split(4, Float64Array.from([0, 1, NaN, 1]))).toThrow(/y\[2\] is NaN/);
    expect(() => new StratifiedKFold().split(4)).toThrow(/needs the labels y/);
    expect(() => new StratifiedKFold().split(4, new Float64Array(3))).toThrow(/y has 3 labels, expected nSamples=4/);
  });

  it('shuffles each class deterministically and stays stratified', () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const a = new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 9 }).split(40, y);
    expect(plain(a)).toEqual(plain(new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 9 }).split(40, y)));
    expect(plain(a)).not.toEqual(plain(new StratifiedKFold({ nSplits: 5 }).split(40, y)));
    for (const f of a) expect([...f.test].filter((i) => y[i] === 1).length).toBe(2);
  });
});

describe('ShuffleSplit', () => {
  it('draws disjoint train/test sets of the asked sizes, deterministic per seed', () => {
    const folds = new ShuffleSplit({ nSplits: 3, testSize: 0.25, seed: 1 }).split(10);
    expect(folds).toHaveLength(3);
    for (const f of folds) {
      expect(f.test.length).toBe(3); // ceil(0.25 * 10), as scikit-learn
      expect(f.train.length).toBe(7);
      expect(new Set([...f.train, ...f.test]).size).toBe(10);
    }
    expect(plain(folds)).toEqual(plain(new ShuffleSplit({ nSplits: 3, testSize: 0.25, seed: 1 }).split(10)));
    const sized = new ShuffleSplit({ nSplits: 2, testSize: 2, trainSize: 0.5 }).split(10)[0]!;
    expect([sized.train.length, sized.test.length]).toEqual([5, 2]);
  });

  it('validates sizes', () => {
    expect(() => new ShuffleSplit({ testSize: 1.5 })).toThrow(/options.testSize must be a fraction in \(0, 1\) or an integer count >= 1, found 1.5/);
    expect(() => new ShuffleSplit({ testSize: 0.6, trainSize: 0.6 })).toThrow(/at most 1/);
    expect(() => new ShuffleSplit({ testSize: 10 }).split(10)).toThrow(/testSize=10 must be smaller than the number of samples 10/);
    expect(() => new ShuffleSplit({ testSize: 5, trainSize: 6 }).split(10)).toThrow(/11 rows, more than the 10 samples/);
  });
});

describe('PredefinedFolds and resolveCv', () => {
  it('keeps explicit folds and checks their indices', () => {
    const cv = new PredefinedFolds([{ train: [2, 3], test: [0, 1] }, { train: Int32Array.from([0, 1]), test: [3, 2] }]);
    expect(cv.nSplits).toBe(2);
    expect(plain(cv.split(4))).toEqual([{ train: [2, 3], test: [0, 1] }, { train: [0, 1], test: [3, 2] }]);
    expect(() => cv.split(3)).toThrow(/cv folds\[0\].train\[1\] = 3 is out of range for 3 rows/);
    expect(() => new PredefinedFolds([{ train: [1], test: [] }])).toThrow(/cv folds\[0\].test is empty/);
    expect(() => new PredefinedFolds([{ train: [1.5], test: [0] }])).toThrow(/cv folds\[0\].train\[0\] must be a non-negative integer/);
    expect(() => new PredefinedFolds([])).toThrow(/non-empty list/);
  });

  it('applies scikit-learn\'s rule for fold counts', () => {
    const cls = resolveCv(undefined, true);
    expect(cls).toBeInstanceOf(StratifiedKFold);
    expect(cls.nSplits).toBe(5);
    const reg = resolveCv(3, false);
    expect(reg).toBeInstanceOf(KFold);
    expect(reg.nSplits).toBe(3);
    const custom = new KFold({ nSplits: 4, shuffle: true, seed: 1 });
    expect(resolveCv(custom, true)).toBe(custom);
    expect(resolveCv([{ train: [1], test: [0] }], false)).toBeInstanceOf(PredefinedFolds);
    expect(() => resolveCv(1, false)).toThrow(/cv must be an integer >= 2, a splitter or a list of folds, found 1/);
    expect(() => resolveCv('5' as never, false)).toThrow(/found "5"/);
  });
});
