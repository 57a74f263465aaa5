/**
 * The addon's fold split (native/folds.c through src/search/native-folds.ts): every splitter
 * built on foldsFromLabels must give the same folds with it as with the JavaScript loops, labels
 * outside the folds must train everywhere, and sizes that do not match must be refused.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { nativeFolds, useNativeFolds } from '../../src/search/native-folds.js';
import { foldsFromLabels, KFold, StratifiedKFold } from '../../src/search/splitters.js';
import { GroupKFold } from '../../src/search/group-splitters.js';
import { LeaveOneOut, PredefinedSplit } from '../../src/search/ordered-splitters.js';
import type { Fold } from '../../src/search/types.js';
import { randoms } from '../helpers/random.js';

afterEach(() => {
  useNativeFolds(true);
  vi.restoreAllMocks();
});

/** The folds `split` makes with the addon's loops and with JavaScript's, as plain arrays. */
function bothWays(split: () => Fold[]): { native: number[][][]; js: number[][][] } {
  const plain = (folds: Fold[]): number[][][] => folds.map((f) => [Array.from(f.train), Array.from(f.test)]);
  useNativeFolds(true);
  const native = plain(split());
  useNativeFolds(false);
  const js = plain(split());
  useNativeFolds(true);
  return { native, js };
}

const n = 1003;
const y = Float64Array.from(randoms(n, 5), (v) => (v < -0.4 ? 0 : v < 0.5 ? 1 : 7));
const groups = Array.from(randoms(n, 6), (v) => Math.floor((v + 1) * 40));

describe('native fold split', () => {
  test('the addon has it, and foldsFromLabels takes it', () => {
    expect(nativeFolds()).not.toBeNull();
    const spy = vi.spyOn(nativeFolds()!, 'foldIndices');
    foldsFromLabels(Int32Array.of(0, 1, 0, 1), 2);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  const splits: [string, () => Fold[]][] = [
    ['StratifiedKFold', () => new StratifiedKFold({ nSplits: 5 }).split(n, y)],
    ['shuffled StratifiedKFold', () => new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 3 }).split(n, y)],
    ['shuffled KFold', () => new KFold({ nSplits: 3, shuffle: true, seed: 1 }).split(n)],
    ['GroupKFold', () => new GroupKFold({ nSplits: 5 }).split(n, undefined, groups)],
    ['PredefinedSplit with rows never tested', () => new PredefinedSplit(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i % 3))).split(n)],
    ['LeaveOneOut', () => new LeaveOneOut().split(60)],
  ];
  for (const [name, split] of splits) {
    test(`${name}: the same folds as the JavaScript loops`, () => {
      const { native, js } = bothWays(split);
      expect(native).toEqual(js);
      expect(native.length).toBeGreaterThan(1);
    });
  }

  test('labels outside the folds (negative, or past the last) train in every fold and are tested in none', () => {
    const labels = Int32Array.of(0, -1, 1, 2, 0, 9, 1);
    const folds = foldsFromLabels(labels, 2);
    expect(folds.map((f) => [Array.from(f.test), Array.from(f.train)])).toEqual([
      [[0, 4], [1, 2, 3, 5, 6]],
      [[2, 6], [0, 1, 3, 4, 5]],
    ]);
  });

  test('test and train arrays that do not fit the labels are refused', () => {
    const native = nativeFolds()!;
    const labels = Int32Array.of(0, 1, 0, 1);
    expect(() => native.foldIndices(labels, 0, new Int32Array(1), new Int32Array(3))).toThrow(/more rows carry the fold's label/);
    expect(() => native.foldIndices(labels, 0, new Int32Array(3), new Int32Array(1))).toThrow(/fewer rows carry the fold's label/);
    expect(() => native.foldIndices(labels, 0, new Int32Array(2), new Int32Array(1))).toThrow(/one index per label/);
    expect(() => native.foldIndices(labels, 0.5, new Int32Array(2), new Int32Array(2))).toThrow(/32-bit integer/);
  });
});
