/** String order by Unicode code point, as numpy and Python compare str (JavaScript's default compares UTF-16 units). */

/**
 * Negative, zero or positive as `a` sorts before, with or after `b` by code point.
 * @example
 * ```ts
 * ['b', '😀', 'ﬀ'].sort(compareCodePoints); // ['b', 'ﬀ', '😀'] (UTF-16 order puts 😀 first)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
