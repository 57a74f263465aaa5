/**
 * StandardScaler, scikit-learn's: x' = (x − mean) / std per feature, with the population
 * standard deviation and near-constant features (variance within rounding of zero) scaled by 1.
 * Inside a pipeline it is never applied to X: its `affineMap()` is handed to the model, which
 * applies it as it reads the rows.
 */
import { ndarray, type NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { checkRows, matrixView } from './checks.js';
import { columnMoments, type ColumnMoments } from './column-moments.js';
import type { AffineMap, FitOptions, FloatMatrix, Params, Rows, TransformerState } from './estimator.js';
import { readFitOptions } from './fit-options.js';
import { rowCount } from './kernels/index.js';
import { resolveParams, validateParams } from './params.js';
import { checkRowSegments } from './segments.js';

/** StandardScaler's parameters (scikit-learn's names in camelCase, same defaults). */
export interface StandardScalerParams {
  /** Subtract each feature's mean. Default true. */
  readonly withMean: boolean;
  /** Divide by each feature's standard deviation. Default true. */
  readonly withStd: boolean;
}

interface Fit {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  readonly nSamplesSeen: number;
  readonly map: AffineMap;
}

/**
 * The map a StandardScaler with `params` learns from columns' moments: shift = mean (or 0),
 * scale = std (or 1), 1 for near-constant features (`_is_constant_feature`: var ≤ n·ε·var + (n·mean·ε)²).
 * @example
 * ```ts
 * scalerMap(columnMoments(view, rows), { withMean: true, withStd: true });
 * ```
 */
export function scalerMap(moments: ColumnMoments, params: StandardScalerParams): AffineMap {
  const d = moments.mean.length;
  const shift = params.withMean ? Float64Array.from(moments.mean) : new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (params.withStd) {
    const n = moments.count;
    for (let j = 0; j < d; j++) {
      const v = moments.var[j]!;
      const constant = v <= n * Number.EPSILON * v + (n * moments.mean[j]! * Number.EPSILON) ** 2;
      scale[j] = constant ? 1 : Math.sqrt(v);
    }
  }
  return { shift, scale };
}

/**
 * Standardizes features (scikit-learn's `StandardScaler`).
 * @example
 * ```ts
 * const scaler = new StandardScaler().fit(X);
 * scaler.mean; scaler.scale; const Xs = scaler.transform(X);
 * ```
 */
export class StandardScaler {
  readonly name = 'standard_scaler';
  readonly kind = 'transformer';
  private params: StandardScalerParams;
  private fitted: Fit | undefined;

  constructor(params: Partial<StandardScalerParams> = {}) {
    this.params = resolveParams('standard_scaler', params as Params) as unknown as StandardScalerParams;
  }

  /** Whether `fit` has run. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  /** Per-feature means seen in fit (scikit-learn's `mean_`; computed even with `withMean: false`). */
  get mean(): Float64Array {
    return this.fittedState().mean.slice();
  }

  /** Per-feature population variances (`var_`). */
  get var(): Float64Array {
    return this.fittedState().var.slice();
  }

  /** Per-feature divisors (`scale_`): the standard deviation, 1 for near-constant features; undefined with `withStd: false`. */
  get scale(): Float64Array | undefined {
    return this.params.withStd ? this.fittedState().map.scale.slice() : undefined;
  }

  /** Rows (or the sum of their weights) seen in fit (`n_samples_seen_`). */
  get nSamplesSeen(): number {
    return this.fittedState().nSamplesSeen;
  }

  /**
   * Learn the means and standard deviations of all rows, or of `rows` (`{ rows, sampleWeight }`
   * as for models). `y` is ignored, as in scikit-learn. Returns `this`.
   */
  fit(X: FloatMatrix, _y?: unknown, options?: Rows | FitOptions, ...extra: unknown[]): this {
    const { rows, weights } = readFitOptions('StandardScaler', options, extra, ['rows', 'sampleWeight'], X.shape[0]!);
    return this.fitMoments(columnMoments(checkRowSegments(X, rows), X.shape[1]!, weights));
  }

  /** Fit from moments already computed (a pipeline computes them once per step). Returns `this`. */
  fitMoments(moments: ColumnMoments): this {
    this.fitted = { mean: moments.mean, var: moments.var, nSamplesSeen: moments.count, map: scalerMap(moments, this.params) };
    return this;
  }

  /** The learned map x' = (x − shift) / scale (shift 0 without `withMean`, scale 1 without `withStd`). */
  affineMap(): AffineMap {
    const { map } = this.fittedState();
    return { shift: map.shift.slice(), scale: map.scale.slice() };
  }

  /** A scaled copy of X (all rows or `rows`, in that order), C order float64. */
  transform(X: FloatMatrix, rows?: Rows): NdArray<'float64'> {
    const { map } = this.fittedState();
    const view = matrixView(X);
    if (view.nCols !== map.shift.length) {
      throw new ValueError(`X has ${view.nCols} features, but StandardScaler was fitted with ${map.shift.length}`);
    }
    checkRows(rows, view.nRows);
    return applyMap(view, rows, map);
  }

  /** `fit` then `transform` on the same rows. */
  fitTransform(X: FloatMatrix, y?: unknown, options?: Rows | FitOptions): NdArray<'float64'> {
    this.fit(X, y, options);
    return this.transform(X, options instanceof Int32Array ? options : options?.rows);
  }

  getParams(): Params {
    return { ...this.params };
  }

  /** Set some params; unknown names throw a ValueError naming them. Returns `this`. */
  setParams(params: Params): this {
    validateParams('standard_scaler', params);
    this.params = { ...this.params, ...params } as StandardScalerParams;
    return this;
  }

  /** An unfitted copy with the same params. */
  clone(): StandardScaler {
    return new StandardScaler(this.params);
  }

  /** The fitted state, as a pipeline persists it under step name `step`. */
  state(step: string): TransformerState {
    const f = this.fittedState();
    const d = f.mean.length;
    return {
      step, kind: 'standard_scaler', params: this.getParams(), nSamplesSeen: f.nSamplesSeen,
      shift: ndarray('float64', [d], f.map.shift.slice()), scale: ndarray('float64', [d], f.map.scale.slice()),
      mean: ndarray('float64', [d], f.mean.slice()), var: ndarray('float64', [d], f.var.slice()),
    };
  }

  /** A fitted StandardScaler from `state()` output. */
  static fromState(state: TransformerState): StandardScaler {
    const scaler = new StandardScaler(state.params as Partial<StandardScalerParams>);
    const d = state.mean.data.length;
    for (const key of ['shift', 'scale', 'var'] as const) {
      if (state[key].data.length !== d) throw new ValueError(`standard_scaler state: ${key} has ${state[key].data.length} values, mean has ${d}`);
    }
    scaler.fitted = {
      mean: Float64Array.from(state.mean.data), var: Float64Array.from(state.var.data), nSamplesSeen: state.nSamplesSeen,
      map: { shift: Float64Array.from(state.shift.data), scale: Float64Array.from(state.scale.data) },
    };
    return scaler;
  }

  private fittedState(): Fit {
    if (!this.fitted) throw new ValueError('this StandardScaler is not fitted yet: call fit(X) first');
    return this.fitted;
  }
}

/**
 * (x − shift) / scale for the chosen rows, copied into a new C-order float64 array: what a
 * model that cannot take a feature map is given.
 */
export function applyMap(view: ReturnType<typeof matrixView>, rows: Rows, map: AffineMap): NdArray<'float64'> {
  const n = rowCount(view, rows);
  const d = view.nCols;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    for (let j = 0; j < d; j++) {
      const x = view.order === 'C' ? view.data[i * d + j]! : view.data[j * view.nRows + i]!;
      out[r * d + j] = (x - map.shift[j]!) / map.scale[j]!;
    }
  }
  return ndarray('float64', [n, d], out);
}
