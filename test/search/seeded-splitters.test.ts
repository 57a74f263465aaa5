import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupKFold, StratifiedGroupKFold } from '../../src/search/group-splitters.js';
import { LeavePOut, PredefinedSplit, TimeSeriesSplit } from '../../src/search/ordered-splitters.js';
import { RepeatedKFold, RepeatedStratifiedKFold } from '../../src/search/repeated-splitters.js';
import { ShuffleSplit, StratifiedShuffleSplit } from '../../src/search/shuffle-split.js';
import { KFold, StratifiedKFold } from '../../src/search/splitters.js';
import { trainTestSplitIndices } from '../../src/search/train-test-split.js';
import type { Fold, Splitter } from '../../src/search/types.js';

interface FoldJson { train: number[]; test: number[] }
interface Case {
  kind: string; seed?: number; n: number; nSplits?: number; y?: number[]; groups?: number[] | string[]; folds: FoldJson[];
  testSize?: number | null; trainSize?: number | null; nRepeats?: number; shuffle?: boolean; maxTrainSize?: number | null;
  gap?: number; p?: number; testFold?: number[];
}
interface TrainTestCase {
  seed?: number; n: number; testSize: number | null; trainSize: number | null; stratify?: number[]; shuffle?: boolean;
  train: number[]; test: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/search/random.json', import.meta.url), 'utf8')) as {
  splitters: Case[]; trainTestSplit: TrainTestCase[];
};

const plain = (folds: Fold[]): FoldJson[] => folds.map((f) => ({ train: [...f.train], test: [...f.test] }));
const size = (v: number | null | undefined): number | undefined => v ?? undefined;
const sizes = (c: { testSize?: number | null; trainSize?: number | null }): { testSize?: number; trainSize?: number } => ({
  ...(size(c.testSize) === undefined ? {} : { testSize: size(c.testSize)! }),
  ...(size(c.trainSize) === undefined ? {} : { trainSize: size(c.trainSize)! }),
});

function splitterFor(c: Case): Splitter {
  const seed = c.seed!;
  switch (c.kind) {
    case 'kfold': return new KFold({ nSplits: c.nSplits!, shuffle: true, seed });
    case 'stratified_kfold': return new StratifiedKFold({ nSplits: c.nSplits!, shuffle: true, seed });
    case 'shuffle_split': return new ShuffleSplit({ nSplits: c.nSplits!, seed, ...sizes(c) });
    case 'stratified_shuffle_split': return new StratifiedShuffleSplit({ nSplits: c.nSplits!, seed, ...sizes(c) });
    case 'repeated_kfold': return new RepeatedKFold({ nSplits: c.nSplits!, nRepeats: c.nRepeats!, seed });
    case 'repeated_stratified_kfold': return new RepeatedStratifiedKFold({ nSplits: c.nSplits!, nRepeats: c.nRepeats!, seed });
    case 'group_kfold': return new GroupKFold({ nSplits: c.nSplits! });
    case 'stratified_group_kfold': return new StratifiedGroupKFold({ nSplits: c.nSplits!, ...(c.shuffle ? { shuffle: true, seed } : {}) });
    case 'time_series_split': return new TimeSeriesSplit({
      nSplits: c.nSplits!, gap: c.gap!, ...(c.maxTrainSize ? { maxTrainSize: c.maxTrainSize } : {}), ...(c.testSize ? { testSize: c.testSize } : {}),
    });
    case 'leave_p_out': return new LeavePOut({ p: c.p! });
    case 'predefined_split': return new PredefinedSplit(c.testFold!);
    default: throw new Error(`unknown kind ${c.kind}`);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('seeded, group and ordered splitters equal scikit-learn 1.2 exactly', () => {
  it.each(fixtures.splitters.map((c) => [`${c.kind} n=${c.n} k=${c.nSplits ?? c.p ?? ''} seed=${c.seed ?? '-'}`, c] as const))('%s', (_name, c) => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const y = c.y === undefined ? undefined : Float64Array.from(c.y);
    expect(plain(splitterFor(c).split(c.n, y, c.groups))).toEqual(c.folds);
  });

  it('covers every kind and seed the fixture script writes', () => {
    const kinds = new Set(fixtures.splitters.map((c) => c.kind));
    expect(kinds.size).toBe(11);
    const seeds = new Set(fixtures.splitters.filter((c) => c.kind === 'kfold').map((c) => c.seed));
    expect([...seeds]).toEqual([0, 1, 42, 7, 2 ** 31 - 1, 2 ** 32 - 1, 123456789]);
  });
});

describe('trainTestSplit indices', () => {
  it.each(fixtures.trainTestSplit.map((c, i) => [i, c] as const))('case %i equals train_test_split', (_i, c) => {
    const got = trainTestSplitIndices(c.n, {
      ...sizes(c), ...(c.seed === undefined ? {} : { seed: c.seed }), ...(c.shuffle === false ? { shuffle: false } : {}),
      ...(c.stratify ? { stratify: Float64Array.from(c.stratify) } : {}),
    });
    expect({ train: [...got.train], test: [...got.test] }).toEqual({ train: c.train, test: c.test });
  });
});

describe('splitter errors name the problem', () => {
  it('group splitters need one group per row and enough groups', () => {
    expect(() => new GroupKFold({ nSplits: 3 }).split(4)).toThrow(
      'GroupKFold needs groups: pass fit(X, y, { groups }) (or data.groups in a config)');
    expect(() => new GroupKFold({ nSplits: 2 }).split(4, undefined, [1, 2, 3])).toThrow(
      'GroupKFold: groups has 3 labels, expected one per row (4)');
    expect(() => new GroupKFold({ nSplits: 3 }).split(4, undefined, [1, 1, 2, 2])).toThrow(
      'GroupKFold: cannot have nSplits=3 greater than the number of groups: 2');
    const y = Float64Array.from([0, 0, 1, 1]);
    expect(() => new StratifiedGroupKFold({ nSplits: 3 }).split(4, y, ['a', 'a', 'b', 'c'])).toThrow(
      'StratifiedGroupKFold: nSplits=3 cannot be greater than the number of members in each class');
  });

  it('time series splits need room for every test set', () => {
    expect(() => new TimeSeriesSplit({ nSplits: 5 }).split(5)).toThrow(
      'TimeSeriesSplit: cannot have number of folds=6 greater than the number of samples=5');
    expect(() => new TimeSeriesSplit({ nSplits: 3, testSize: 3, gap: 2 }).split(10)).toThrow(
      'TimeSeriesSplit: too many splits=3 for number of samples=10 with testSize=3 and gap=2');
    expect(() => new TimeSeriesSplit({ gap: -1 })).toThrow('options.gap must be an integer >= 0, found -1');
  });

  it('leave-out splitters refuse combinatorially huge fold sets', () => {
    expect(new LeavePOut({ p: 2 }).split(5)).toHaveLength(10);
    expect(() => new LeavePOut({ p: 3 }).split(3)).toThrow('LeavePOut: p=3 must be strictly less than the number of samples=3');
    expect(() => new LeavePOut({ p: 4 }).split(200)).toThrow(
      'LeavePOut(p=4): 64684950 splits of 200 rows would hold 12936990000 row indices, more than memgrid keeps (134217728): '
      + 'use KFold or ShuffleSplit for data this size');
  });

  it('predefined splits check their labels', () => {
    expect(() => new PredefinedSplit([-1, -1])).toThrow('testFold has no test fold: every label is -1');
    expect(() => new PredefinedSplit([0, -2])).toThrow('testFold[1] must be an integer >= -1, found -2');
    expect(() => new PredefinedSplit([0, 1]).split(3)).toThrow('PredefinedSplit: testFold has 2 labels, expected one per row (3)');
  });

  it('stratified shuffles need two members per class', () => {
    expect(() => new StratifiedShuffleSplit({ testSize: 0.5 }).split(5, Float64Array.from([0, 0, 1, 1, 2]))).toThrow(
      'StratifiedShuffleSplit: the least populated class in y has only 1 member, which is too few (each class needs at least 2)');
  });
});
