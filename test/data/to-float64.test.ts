/**
 * toFloat64 on 64-bit integers: the two-halves conversion must give exactly what Number(v)
 * gives, including past 2^53 where the double is rounded (ties to even) and at the extremes.
 */
import { describe, expect, it } from 'vitest';
import { ndarray, toFloat64 } from '../../src/data/ndarray.js';

const EDGES = [
  0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n) - 1n,
  2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 3n, -(2n ** 53n) - 1n, -(2n ** 53n) - 3n,
  2n ** 62n + 2n ** 10n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 63n) + 1n,
];

/** Deterministic pseudo-random 64-bit patterns (a 64-bit LCG), so every bit position is exercised. */
function patterns(count: number): bigint[] {
  const out: bigint[] = [];
  let s = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < count; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
    out.push(s);
  }
  return out;
}

describe('toFloat64 on int64 and uint64', () => {
  it('gives Number(v) for every int64, rounded past 2^53 as Number rounds', () => {
    const values = [...EDGES, ...patterns(5000).map((u) => BigInt.asIntN(64, u))];
    const a = ndarray('int64', [values.length], BigInt64Array.from(values));
    const got = toFloat64(a);
    values.forEach((v, i) => expect(got[i]).toBe(Number(v)));
  });

  it('gives Number(v) for every uint64, the top bit included', () => {
    const values = [0n, 1n, 2n ** 32n - 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 2n ** 11n, ...patterns(5000)];
    const a = ndarray('uint64', [values.length], BigUint64Array.from(values));
    const got = toFloat64(a);
    values.forEach((v, i) => expect(got[i]).toBe(Number(v)));
  });

  it('reads a view that starts inside its buffer', () => {
    const whole = BigInt64Array.from([7n, -5n, 2n ** 40n + 3n, -(2n ** 45n)]);
    const view = whole.subarray(1);
    expect(Array.from(toFloat64(ndarray('int64', [3], view)))).toEqual([-5, 2 ** 40 + 3, -(2 ** 45)]);
  });
});
