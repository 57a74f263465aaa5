/**
 * fast-math.ts against the library's Math.exp, Math.log1p and Math.log: exp within 4 ulp relative
 * (2⁻⁵⁰) over its whole range, log1p within 2⁻⁵¹ absolute on [0, 1] (what a summed log-loss
 * sees), log within 2 ulp of its result from 1 to 2⁶⁰ (a softmax row's Σ e^(z − max) is 1 to k),
 * and both exact where the library's answer is exact or special (0, 1, ±Infinity, NaN, the
 * subnormal and overflow ends).
 */
import { describe, expect, test } from 'vitest';
import { fastExp, fastLog, log1pUnit } from '../../../src/models/kernels/fast-math.js';
import { randoms } from '../../helpers/random.js';

const EXP_REL = 2 ** -50;
const LOG1P_ABS = 2 ** -51;

describe('fastExp', () => {
  test('is within 4 ulp of Math.exp from −708 to 709', () => {
    const u = randoms(60_000, 11); // in [−1, 1)
    let worst = 0;
    for (let i = 0; i < u.length; i++) {
      // Three scales: the whole range, the logistic range, and near 0 where r is tiny.
      const x = u[i]! * (i % 3 === 0 ? 708 : i % 3 === 1 ? 40 : 1e-3);
      const want = Math.exp(x);
      worst = Math.max(worst, Math.abs(fastExp(x) - want) / want);
    }
    expect(worst).toBeLessThanOrEqual(EXP_REL);
  });

  test('is exact at 0 and on every table node k·ln2/32 (to the node’s rounding)', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    for (let m = -2000; m <= 2000; m += 7) {
      const x = (m * Math.LN2) / 32;
      expect(Math.abs(fastExp(x) - Math.exp(x)) / Math.exp(x)).toBeLessThanOrEqual(EXP_REL);
    }
  });

  test('matches Math.exp at the ends of the range and on special values', () => {
    for (const x of [-708.5, -745.1, -745.2, -800, 709.5, 709.8, 710, -Infinity, Infinity]) expect(fastExp(x)).toBe(Math.exp(x));
    expect(fastExp(Number.NaN)).toBeNaN();
  });
});

describe('log1pUnit', () => {
  test('is within 2^-51 of Math.log1p on [0, 1], including tiny arguments', () => {
    const u = randoms(60_000, 12);
    let worst = 0;
    for (let i = 0; i < u.length; i++) {
      const e = Math.abs(u[i]!) * (i % 2 === 0 ? 1 : 1e-9);
      worst = Math.max(worst, Math.abs(log1pUnit(e) - Math.log1p(e)));
    }
    expect(worst).toBeLessThanOrEqual(LOG1P_ABS);
  });

  test('keeps full relative precision for tiny e (log1p(e) ≈ e) and is exact at the table nodes', () => {
    for (const e of [1e-300, 1e-20, 2 ** -60]) expect(log1pUnit(e)).toBe(Math.log1p(e));
    for (let i = 0; i <= 256; i++) expect(log1pUnit(i / 256)).toBe(Math.log1p(i / 256));
  });

  test('defers to Math.log1p outside [0, 1]', () => {
    for (const e of [-0.5, 1.5, 1e6, Infinity]) expect(log1pUnit(e)).toBe(Math.log1p(e));
    expect(log1pUnit(Number.NaN)).toBeNaN();
  });
});

describe('fastLog', () => {
  /** Two units in the last place of log(x) (at least of 1). */
  const twoUlp = (x: number): number => 2 * Number.EPSILON * Math.max(1, Math.log(x));

  test('is within 2 ulp of Math.log from 1 to 1,000, at every power of two and next to it', () => {
    const u = randoms(60_000, 13);
    let worst = 0;
    for (let i = 0; i < u.length; i++) {
      // Softmax sums of 2 to 1,000 classes, and [1, 2) where log1pUnit does all the work.
      const x = 1 + Math.abs(u[i]!) * (i % 2 === 0 ? 999 : 1);
      worst = Math.max(worst, Math.abs(fastLog(x) - Math.log(x)) / twoUlp(x));
    }
    for (let e = 0; e < 60; e++) {
      for (const x of [2 ** e, 2 ** e * (1 + Number.EPSILON), 2 ** e * (2 - Number.EPSILON)]) {
        worst = Math.max(worst, Math.abs(fastLog(x) - Math.log(x)) / twoUlp(x));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  test('is exact at 1 and defers to Math.log below 1, at +Infinity and for NaN', () => {
    expect(fastLog(1)).toBe(0);
    for (const x of [0.5, 1e-300, 0, Infinity]) expect(fastLog(x)).toBe(Math.log(x));
    expect(fastLog(Number.NaN)).toBeNaN();
  });
});
