/** Small dense-vector helpers the iterative solvers share (length-d work, not passes over rows). */

/**
 * Σ a[i]·b[i].
 * @example
 * ```ts
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 * ```
 */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Largest |a[i]|, or NaN if any entry is NaN (so a stopping test on it never passes).
 * @example
 * ```ts
 * maxAbs(new Float64Array([1, -3])); // 3
 * ```
 */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || v !== v) m = v;
  }
  return m;
}
