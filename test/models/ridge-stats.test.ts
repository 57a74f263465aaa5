/**
 * residualSums: Σ(y − ŷ)² and Σ(y − ȳ)² from a GramStats, against the same sums over the rows
 * themselves (1e-10 relative: the statistics reorder the sums), and with a precomputed
 * centredGram the same numbers bit for bit (a fold's test statistics score every alpha).
 */
import { describe, expect, it } from 'vitest';
import { accumulateGram, gramStats } from '../../src/models/kernels/index.js';
import { centredGram, residualSums } from '../../src/models/ridge-stats.js';
import { randoms } from '../helpers/random.js';

describe('residualSums', () => {
  const n = 300;
  const d = 7;
  const X = randoms(n * d, 1).map((v) => 5 + 2 * v);
  const y = randoms(n, 2).map((v) => 10 + v);
  const rows = Int32Array.from({ length: 120 }, (_, i) => 2 * i + 1);
  const shift = Float64Array.from({ length: d }, (_, j) => 4.5 + 0.1 * j);
  const yShift = 9.8;
  const stats = gramStats(d);
  accumulateGram({ data: X, nRows: n, nCols: d, order: 'C' }, rows, y, shift, yShift, stats);

  it('equals the sums over the rows, and the same bit for bit with the centred Gram given', () => {
    const centred = centredGram(stats);
    for (const seed of [3, 4, 5]) {
      const packed = randoms(d + 1, seed);
      let sse = 0;
      let mean = 0;
      for (const i of rows) mean += y[i]! / rows.length;
      let sst = 0;
      for (const i of rows) {
        let yHat = packed[d]!;
        for (let j = 0; j < d; j++) yHat += packed[j]! * X[i * d + j]!;
        sse += (y[i]! - yHat) ** 2;
        sst += (y[i]! - mean) ** 2;
      }
      const sums = residualSums(stats, packed, shift, yShift);
      expect(Math.abs(sums.sse - sse) / sse).toBeLessThan(1e-10);
      expect(Math.abs(sums.sst - sst) / sst).toBeLessThan(1e-10);
      expect(residualSums(stats, packed, shift, yShift, centred)).toEqual(sums);
    }
  });
});
