/**
 * Labels encoded once for every row (a worker, once per store) and read by each fold's path
 * (labelsForRows): a fold whose rows hold every class gets the very classes and codes encoding
 * its own rows gives, so its fits match bit for bit; a fold that lacks a class encodes its own.
 */
import { describe, expect, test } from 'vitest';
import { encodeLabels, labelsForRows } from '../../src/models/logistic-labels.js';
import { fitLogisticPathDetailed } from '../../src/models/logistic-path.js';
import { targetValues } from '../../src/models/checks.js';
import { dataset } from './logistic-fixtures.js';

const TIGHT = { fitIntercept: true, maxIter: 100, tol: 1e-8 };

/** Every `step`-th row id below n, from `from` on. */
function everyNth(n: number, step: number, from = 0): Int32Array {
  return Int32Array.from({ length: Math.ceil((n - from) / step) }, (_, i) => from + i * step);
}

describe('labelsForRows', () => {
  test('rows that hold every class: the all-rows encoding, with the codes encoding those rows gives', () => {
    for (const name of ['breast_cancer', 'wine']) {
      const { X, y } = dataset(name);
      const target = targetValues(y, X.shape[0]!);
      const all = encodeLabels(target, undefined);
      const rows = everyNth(target.length, 3, 1);
      const own = encodeLabels(target, rows);
      const shared = labelsForRows(all, rows)!;
      expect(shared).toBe(all);
      expect(Array.from(shared.classes)).toEqual(Array.from(own.classes));
      expect(shared.nOutputs).toBe(own.nOutputs);
      const codes = shared.target ?? shared.label!;
      const ownCodes = own.target ?? own.label!;
      for (const i of rows) expect(codes[i]).toBe(ownCodes[i]);
    }
  });

  test('rows that lack a class, or no encoding given: undefined (the rows are encoded on their own)', () => {
    const { X, y } = dataset('wine');
    const target = targetValues(y, X.shape[0]!);
    const all = encodeLabels(target, undefined);
    const twoClasses = Int32Array.from(Array.from(target.keys()).filter((i) => target[i] !== all.classes[2]));
    expect(labelsForRows(all, twoClasses)).toBeUndefined();
    expect(labelsForRows(undefined, twoClasses)).toBeUndefined();
    expect(labelsForRows(all, undefined)).toBe(all);
  });
});

describe('a path given every row\'s labels', () => {
  for (const name of ['breast_cancer', 'wine']) {
    test(`${name}: the same fits, bit for bit, as encoding its rows itself`, () => {
      const { X, y } = dataset(name);
      const target = targetValues(y, X.shape[0]!);
      const labels = encodeLabels(target, undefined);
      const rows = everyNth(target.length, 5, 2);
      const Cs = [0.1, 1, 10];
      const own = fitLogisticPathDetailed(X, y, rows, Cs, TIGHT, { inputsChecked: true, target });
      const shared = fitLogisticPathDetailed(X, y, rows, Cs, TIGHT, { inputsChecked: true, target, labels });
      for (let i = 0; i < Cs.length; i++) expect(Array.from(shared.coefficients[i]!)).toEqual(Array.from(own.coefficients[i]!));
      expect(Array.from(shared.classes)).toEqual(Array.from(own.classes));
    });
  }

  test('on rows that lack a class, it fits the classes those rows hold', () => {
    const { X, y } = dataset('wine');
    const target = targetValues(y, X.shape[0]!);
    const labels = encodeLabels(target, undefined);
    const rows = Int32Array.from(Array.from(target.keys()).filter((i) => target[i] !== labels.classes[0]));
    const fit = fitLogisticPathDetailed(X, y, rows, [1], TIGHT, { inputsChecked: true, target, labels });
    expect(Array.from(fit.classes)).toEqual(Array.from(labels.classes.subarray(1)));
    expect(fit.models[0]!.coef.length).toBe(X.shape[1]); // one binary output
  });
});
