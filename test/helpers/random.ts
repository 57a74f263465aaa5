/**
 * The tests' one seeded random source: a 32-bit LCG. Tests need the same numbers on every run,
 * not statistical quality (memgrid's own randomness, numpy's, is tested against numpy).
 */

/**
 * A function returning uniform numbers in [0, 1), the same sequence for the same seed.
 * @example
 * ```ts
 * const random = uniformSource('f8-C');
 * random(); // 0.2...
 * ```
 */
export function uniformSource(seed: number | string): () => number {
  let s = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * `n` uniform numbers in [-1, 1).
 * @example
 * ```ts
 * const X = ndarray('float64', [100, 3], randoms(300, 1));
 * ```
 */
export function randoms(n: number, seed: number | string): Float64Array {
  const random = uniformSource(seed);
  return Float64Array.from({ length: n }, () => 2 * random() - 1);
}

/** FNV-1a: a string seed as a 32-bit integer. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
