/**
 * Binary logistic loss at one row, from its margin s = x·w + b and e = exp(−|s|): the
 * pieces every logistic kernel shares (JavaScript and wasm-backed alike).
 */

/** σ(s) − t from e = exp(−|s|), stable for large |s|. */
export function logisticResidual(s: number, e: number, t: number): number {
  return (s >= 0 ? 1 / (1 + e) : e / (1 + e)) - t;
}

/** log(1 + e^s) − t·s from e = exp(−|s|), stable for large |s|. */
export function logisticPointLoss(s: number, e: number, t: number): number {
  return (s > 0 ? s : 0) - t * s + Math.log1p(e);
}
