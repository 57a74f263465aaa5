import { describe, expect, it } from 'vitest';
import { columnMeans, mean, std } from '../../src/data/reduce.js';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { ValueError } from '../../src/errors.js';

describe('makeRegression', () => {
  it('is deterministic per seed, float64 C-order, and y is the linear model of the informative columns', () => {
    const a = makeRegression({ nSamples: 200, nFeatures: 5, nInformative: 3, bias: 2, seed: 7 });
    const b = makeRegression({ nSamples: 200, nFeatures: 5, nInformative: 3, bias: 2, seed: 7 });
    const c = makeRegression({ nSamples: 200, nFeatures: 5, nInformative: 3, bias: 2, seed: 8 });
    expect(a.X).toMatchObject({ dtype: 'float64', shape: [200, 5], order: 'C' });
    expect(a.y).toMatchObject({ dtype: 'float64', shape: [200] });
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(b.X.data.buffer))).toBe(true);
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(c.X.data.buffer))).toBe(false);
    expect(Array.from(a.coef.subarray(3))).toEqual([0, 0]);
    for (let i = 0; i < 200; i++) {
      let s = 2;
      for (let j = 0; j < 3; j++) s += a.X.data[i * 5 + j]! * a.coef[j]!;
      expect(a.y.data[i]).toBeCloseTo(s, 9);
    }
  });

  it('X is standard normal (mean within 0.02, std within 0.02 over 40,000 draws) and noise has the asked spread', () => {
    const { X, y } = makeRegression({ nSamples: 20_000, nFeatures: 2, nInformative: 0, noise: 3, seed: 'n' });
    expect(Math.abs(mean(X))).toBeLessThan(0.02);
    expect(Math.abs(std(X) - 1)).toBeLessThan(0.02);
    expect(Math.abs(std(y) - 3)).toBeLessThan(0.1);
  });

  it('validates its options', () => {
    expect(() => makeRegression({ nSamples: 0, nFeatures: 2, seed: 1 })).toThrow(/options\.nSamples must be an integer in \[1, /);
    expect(() => makeRegression({ nSamples: 2, nFeatures: 2, nInformative: 3, seed: 1 }))
      .toThrow(new ValueError('makeRegression: options.nInformative must be an integer in [0, 2], found 3'));
    expect(() => makeRegression({ nSamples: 2, nFeatures: 2, noise: -1, seed: 1 })).toThrow(/options\.noise/);
  });
});

describe('makeClassification', () => {
  it('gives int64 labels 0..k-1 in balanced, shuffled classes whose informative means sit classSep apart', () => {
    const { X, y } = makeClassification({ nSamples: 3000, nFeatures: 6, nInformative: 3, nClasses: 3, classSep: 2, seed: 1 });
    expect(y).toMatchObject({ dtype: 'int64', shape: [3000] });
    expect(X).toMatchObject({ dtype: 'float64', shape: [3000, 6], order: 'C' });
    const counts = [0, 0, 0];
    for (const label of y.data) counts[Number(label)]!++;
    expect(counts).toEqual([1000, 1000, 1000]);
    expect(Array.from(y.data.subarray(0, 12)).map(Number)).not.toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    // Class 0's informative means are near ±2 (tolerance 0.15 for 1000 draws of N(0, 1)); noise columns near 0.
    const rows: number[] = [];
    for (let i = 0; i < 3000; i++) if (y.data[i] === 0n) rows.push(i);
    const sub = new Float64Array(rows.length * 6);
    rows.forEach((r, k) => sub.set(X.data.subarray(r * 6, r * 6 + 6), k * 6));
    const means = columnMeans({ dtype: 'float64', shape: [rows.length, 6], order: 'C', data: sub });
    for (let j = 0; j < 3; j++) expect(Math.abs(Math.abs(means[j]!) - 2)).toBeLessThan(0.15);
    for (let j = 3; j < 6; j++) expect(Math.abs(means[j]!)).toBeLessThan(0.15);
  });

  it('is deterministic per seed and validates nClasses against the hypercube', () => {
    const a = makeClassification({ nSamples: 100, nFeatures: 4, seed: 3 });
    const b = makeClassification({ nSamples: 100, nFeatures: 4, seed: 3 });
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(b.X.data.buffer))).toBe(true);
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    expect(() => makeClassification({ nSamples: 10, nFeatures: 4, nInformative: 2, nClasses: 5, seed: 1 })).toThrow(/options\.nClasses must be an integer in \[2, 4\], found 5/);
  });
});
