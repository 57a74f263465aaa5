/**
 * Linear models on affinely mapped features, x' = (x − shift) / scale: a model fitted on x'
 * is the same model on x with coefficients w/scale and intercept b − Σ (w/scale)·shift. That is
 * how a fitted pipeline predicts on raw X without ever scaling a copy of it.
 */
import { ndarray } from '../data/ndarray.js';
import type { AffineMap, EstimatorState } from './estimator.js';

/**
 * The identity map on `d` features.
 * @example
 * ```ts
 * identityMap(3); // shift [0, 0, 0], scale [1, 1, 1]
 * ```
 */
export function identityMap(d: number): AffineMap {
  return { shift: new Float64Array(d), scale: new Float64Array(d).fill(1) };
}

/**
 * `second ∘ first`: the map that applies `first`, then `second` (a pipeline's scalers in order):
 * ((x − a)/s − b)/t = (x − (a + b·s)) / (s·t).
 * @example
 * ```ts
 * composeMaps(scaler1.affineMap(), scaler2.affineMap());
 * ```
 */
export function composeMaps(first: AffineMap, second: AffineMap): AffineMap {
  const d = first.shift.length;
  const shift = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    shift[j] = first.shift[j]! + second.shift[j]! * first.scale[j]!;
    scale[j] = first.scale[j]! * second.scale[j]!;
  }
  return { shift, scale };
}

/**
 * Packed coefficients `k` blocks of [w_0 .. w_{d-1}, b] on mapped features, rewritten for raw
 * features (a new array).
 * @example
 * ```ts
 * const raw = packedToRaw(ridgeFromStats(stats, shift, yShift, alpha, true, map), map);
 * ```
 */
export function packedToRaw(packed: Float64Array, map: AffineMap): Float64Array {
  const d = map.shift.length;
  const out = new Float64Array(packed.length);
  for (let at = 0; at < packed.length; at += d + 1) {
    let b = packed[at + d]!;
    for (let j = 0; j < d; j++) {
      const w = packed[at + j]! / map.scale[j]!;
      out[at + j] = w;
      b -= w * map.shift[j]!;
    }
    out[at + d] = b;
  }
  return out;
}

/**
 * A linear model's state (coef [d] or [k, d], intercept) fitted on mapped features, rewritten for
 * raw features: rebuild it with `modelFromState` and it predicts on raw X what the model predicts on mapped X.
 * @example
 * ```ts
 * const onRaw = modelFromState(stateToRaw(ridge.state(), scaler.affineMap()));
 * ```
 */
export function stateToRaw(state: EstimatorState, map: AffineMap): EstimatorState {
  const d = map.shift.length;
  const coef = Float64Array.from(state.coef.data);
  const intercept = Float64Array.from(state.intercept.data);
  for (let c = 0; c < intercept.length; c++) {
    for (let j = 0; j < d; j++) {
      const w = coef[c * d + j]! / map.scale[j]!;
      coef[c * d + j] = w;
      intercept[c]! -= w * map.shift[j]!;
    }
  }
  return { ...state, coef: ndarray('float64', [...state.coef.shape], coef), intercept: ndarray('float64', [...state.intercept.shape], intercept) };
}
