/**
 * Seeded randomness for splitters and samplers. memgrid uses `seedrandom` (ARC4), so
 * shuffles are deterministic per seed on every platform but do not equal numpy's.
 */
import seedrandom from 'seedrandom';
import type { Seed } from './option-checks.js';

/** A generator of doubles in [0, 1). */
export type Rng = () => number;

/**
 * A deterministic generator for `seed`.
 * @example
 * ```ts
 * const rng = makeRng(42); rng(); // same value on every run
 * ```
 */
export function makeRng(seed: Seed): Rng {
  return seedrandom(String(seed));
}

/** A uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
