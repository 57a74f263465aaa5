/**
 * The binary scores' row sums on wasm (src/models/kernels/wasm/binary-scores.ts) and the
 * Math.log they take (wasm/ieee-log-module.ts): the same bits as JavaScript's Math.log and as
 * the JavaScript loop (search/decision-scores.ts's sumBinaryRowsJs), on every kind of value.
 */
import { describe, expect, it } from 'vitest';
import { kernelInstance } from '../../../src/models/kernels/wasm/kernel.js';
import { BINARY_SCORES_WASM_MIN, binaryScoresWasm } from '../../../src/models/kernels/wasm/binary-scores.js';
import { sumBinaryRowsJs } from '../../../src/search/decision-scores.js';

/** A deterministic stream of 32-bit words (xorshift). */
function words(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** Math.log of every value in `values` by the wasm module's `logs`. */
function wasmLogs(values: Float64Array): Float64Array {
  const n = values.length;
  const { buffer, exports } = kernelInstance(2 * n);
  const logs = exports['logs'] as (src: number, dst: number, n: number) => void;
  new Float64Array(buffer, 0, n).set(values);
  logs(0, 8 * n, n);
  return new Float64Array(buffer, 8 * n, n).slice();
}

/** The indices where `values`' wasm logs differ from Math.log's in any bit (NaN equals NaN). */
function logMismatches(values: Float64Array): number[] {
  const got = wasmLogs(values);
  const bad: number[] = [];
  values.forEach((v, i) => { if (!Object.is(got[i], Math.log(v))) bad.push(i); });
  return bad;
}

describe('Math.log on wasm', () => {
  it('equals Math.log bit for bit on random bit patterns (every sign, exponent and mantissa)', () => {
    const next = words(17);
    const values = new Float64Array(200_000);
    const halves = new Uint32Array(values.buffer);
    for (let i = 0; i < halves.length; i++) halves[i] = next();
    expect(logMismatches(values)).toEqual([]);
  });

  it('equals Math.log bit for bit where the algorithm branches: (0, 1], near 1, near √2 and √2/2, near eps', () => {
    const next = words(5);
    const unit = (): number => (next() + 1) / 2 ** 32;
    const values = Float64Array.from({ length: 200_000 }, (_, i) => {
      switch (i % 4) {
        case 0: return unit();
        case 1: return 1 + (unit() - 0.5) * 2 ** -(unit() * 50); // |f| < 2^-20 and just past it
        case 2: return Math.SQRT2 * (1 + (unit() - 0.5) * 1e-6) * 2 ** Math.floor(unit() * 60 - 30);
        default: return Number.EPSILON * (1 + unit() * 10); // the clipped probabilities' range
      }
    });
    expect(logMismatches(values)).toEqual([]);
  });

  it('gives Math.log\'s special values: ±0, negatives, ±Infinity, NaN, subnormals, 1, the largest double', () => {
    const values = Float64Array.from([
      0, -0, -1, -Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, Number.MIN_VALUE,
      2.225073858507201e-308, 2.2250738585072014e-308, 1, Number.MAX_VALUE, 1 - Number.EPSILON, 1 + Number.EPSILON, 0.5, 2, Math.E,
    ]);
    expect(logMismatches(values)).toEqual([]);
    expect(wasmLogs(Float64Array.of(0, -1, 1))).toEqual(Float64Array.of(Number.NEGATIVE_INFINITY, Number.NaN, 0));
  });
});

/** Margins over several scales, with the values the clip and fastExp's ends decide. */
function margins(n: number, M: number, seed: number): Float64Array {
  const next = words(seed);
  const z = Float64Array.from({ length: n * M }, () => {
    const u = next() / 2 ** 32;
    return (u - 0.5) * [2, 20, 80, 1600][next() % 4]!;
  });
  const edges = [Number.NaN, Infinity, -Infinity, -0, 0, 708, -708, -745.5, 36.5, -36.7, 1e-300, -1e-300];
  edges.forEach((v, i) => { z[(i * 37) % z.length] = v; });
  return z;
}

/** Labels -1 and 2 (the two classes), and 5 (neither) on a few rows. */
function labels(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 5 : (i * 7919) % 3 === 0 ? 2 : -1));
}

describe('the binary scores\' row sums on wasm', () => {
  const classes = Float64Array.of(-1, 2);
  // Rows past one 2,048-row chunk and not a multiple of it; one model; many models (chunks of
  // 818 rows at 40, of 64 at 700); then fewer models on the workspace the 700 made.
  const shapes = [[4 * 1024 + 77, 3], [5000, 1], [1500, 12], [4096, 40], [150, 700], [3000, 5]] as const;

  for (const [n, M] of shapes) {
    it(`equals the JavaScript loop bit for bit: ${n} rows × ${M} models, with and without the loss, from non-zero sums`, () => {
      const y = labels(n);
      const z = margins(n, M, n + M);
      for (const withLoss of [true, false]) {
        const hits = Float64Array.from({ length: M }, (_, m) => m + 0.5);
        const losses = withLoss ? Float64Array.from({ length: M }, (_, m) => 0.25 * m) : undefined;
        const jsHits = hits.slice(), jsLosses = losses?.slice();
        sumBinaryRowsJs(y, z, M, classes, jsHits, jsLosses);
        expect(binaryScoresWasm(y, z, M, classes, hits, losses)).toBe(true);
        hits.forEach((h, m) => expect(Object.is(h, jsHits[m])).toBe(true));
        losses?.forEach((l, m) => expect(Object.is(l, jsLosses![m])).toBe(true));
        // The sums moved: the test compares work done, not two untouched arrays.
        expect(hits[0]).toBeGreaterThan(1);
      }
    });
  }

  it('declines (false, sums untouched) for fewer values than its minimum: the JavaScript loop sums those', () => {
    const n = BINARY_SCORES_WASM_MIN - 1;
    const hits = new Float64Array(1), losses = new Float64Array(1);
    expect(binaryScoresWasm(labels(n), margins(n, 1, 3), 1, classes, hits, losses)).toBe(false);
    expect([...hits, ...losses]).toEqual([0, 0]);
  });
});
