/**
 * Fitted estimators inside `dump`/`load`: a dump type handler that stores a model as
 * its `state()` (the arrays become `.npy` files) and rebuilds it with `modelFromState`.
 *
 * The data layer may not import models (layers point downward), so the handler is
 * registered from above: `registerEstimatorDumpType(registerDumpType)`.
 */
import type { Estimator, EstimatorState } from './estimator.js';
import { modelFromState } from './registry.js';

/** The tag under which dump manifests record estimators. */
export const ESTIMATOR_DUMP_TAG = 'memgrid.estimator';

/** The shape of a dump type handler (as `registerDumpType` in src/data/dump.ts takes it). */
export interface DumpTypeHandler {
  test(value: unknown): boolean;
  encode(value: unknown): unknown;
  decode(data: unknown): unknown;
}

/** True for a memgrid estimator (an object with the estimator lifecycle and a known kind). */
export function isEstimator(value: unknown): value is Estimator {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Estimator>;
  return typeof v.fit === 'function' && typeof v.state === 'function'
    && (v.kind === 'regressor' || v.kind === 'classifier') && typeof v.name === 'string';
}

/** Encode a fitted estimator as its state; decode a state back into a fitted estimator. */
export const estimatorDumpType: DumpTypeHandler = {
  test: isEstimator,
  encode: (value) => (value as Estimator).state(),
  decode: (data) => modelFromState(data as EstimatorState),
};

/**
 * Register estimators with the dump registry (call once at start-up).
 * @example
 * ```ts
 * import { registerDumpType } from '../data/dump.js';
 * registerEstimatorDumpType(registerDumpType);
 * ```
 */
export function registerEstimatorDumpType(register: (tag: string, handler: DumpTypeHandler) => void): void {
  register(ESTIMATOR_DUMP_TAG, estimatorDumpType);
}
