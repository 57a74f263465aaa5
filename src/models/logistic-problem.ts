/**
 * One logistic regression problem as memgrid's Newton solver sees it: scikit-learn's objective
 * Σ ω_i·loss_i + ‖W‖²/(2C) over a set of rows (ω the sample weights, 1 by default; intercepts
 * unpenalised), in coordinates chosen for accuracy.
 *
 * Coordinates. The kernels read each row as [x − s, 1] for a per-feature shift s: the training
 * rows' means when the intercept is fitted (a free reparametrisation, since the intercept is
 * unpenalised, which keeps the intercept direction from swamping the Hessian on unscaled data),
 * or a scaler's mean when the model is fitted behind one. The solver's unknowns β are the
 * coefficients on those rows; the penalty on β_j is λ·π_j with π_j = σ_j² for a scaler's scale
 * σ_j (‖W‖² in scaled coordinates, exactly what scikit-learn penalises behind a StandardScaler)
 * and π_j = 1 otherwise. {@link LogisticProblem.packed} turns β back into a model's
 * coefficients.
 */
import { isMainThread } from 'node:worker_threads';
import {
  accumulateGram, columnSums, gramStats, logisticNewtonSweep, newtonScratchLength, releaseKeptRows, softmaxNewtonSweep, symmetrizeUpper,
  type SweepRows,
} from './kernels/index.js';
import { checkWeightTotal } from './fit-options.js';
import type { EncodedLabels } from './logistic-labels.js';
import { segmentRows, type RowSegment } from './segments.js';
import { maxAbs } from './vectors.js';

/** A standardisation applied to X's columns before the model sees them: (x − mean) / scale. */
export interface FeatureMap {
  /** Subtracted from each column (a StandardScaler's `mean_`); absent: not centred. */
  readonly mean?: Float64Array;
  /** Each column divided by it (a StandardScaler's `scale_`); absent: 1. */
  readonly scale?: Float64Array;
}

/** What defines a logistic problem. */
export interface LogisticProblemSpec {
  /**
   * The training rows of X, split by X's row windows (models/segments.ts): one segment for an
   * X in one window, one per window for a mapping past the window size.
   */
  readonly segments: readonly RowSegment[];
  readonly labels: EncodedLabels;
  readonly fitIntercept: boolean;
  /** Per-row weights by row id of X (scikit-learn's sample_weight times class weights). */
  readonly sampleWeight?: Float64Array;
  /** A scaler fitted on the same rows, applied implicitly (X is never copied). */
  readonly featureMap?: FeatureMap;
  /**
   * Let the wasm kernel keep the rows between passes (kernels/wasm/kept-rows.ts). Default true.
   * `'existing'` for a fit expected to take a few passes (a refit from its folds' solutions),
   * for which the first touch of fresh memory would cost more than the later passes save: it keeps
   * what the kernel's kept memory holds already (a pool thread's, from its paths) and streams the
   * rest. False: stream every pass.
   */
  readonly keepRows?: boolean | 'existing';
}

/**
 * Loss, gradient and (optionally) Hessian of the data term at a point, in solver coordinates.
 * `hessTolerance` (default 0) is how far, in spectral norm, the Hessian may be from the exact
 * one: a multinomial sweep leaves out the row terms whose sum stays below it (see
 * {@link negligibleTerm}). `roundingTolerance` (default 0) is how far, in spectral norm, the
 * Hessian's rounding may take it: its products are summed in single precision where their
 * rounding provably stays below it (kernels/wasm/single-gram-module.ts), in double elsewhere.
 */
export type DataTerm = (
  beta: Float64Array, grad: Float64Array, hess: Float64Array | undefined, hessTolerance?: number, roundingTolerance?: number,
) => number;

/**
 * A problem ready to solve: its size, data term, penalty layout and the map from solver
 * coordinates back to the model's.
 */
export interface LogisticProblem {
  /** Outputs: 1 (binary) or the number of classes. */
  readonly k: number;
  /** Features. */
  readonly d: number;
  /** Unknowns: k·(d + 1). */
  readonly size: number;
  /** Rows the data term sums over. */
  readonly nRows: number;
  /** Σ ω over the rows: the mean objective is the objective over this. */
  readonly weightSum: number;
  /** π per coordinate (0 on intercepts): the penalty is (λ/2)·Σ π_i β_i². */
  readonly penaltyWeight: Float64Array;
  /** 1 where a coordinate is held at 0 (intercepts without fitIntercept). */
  readonly fixed: Uint8Array;
  /**
   * Writes ∇L(β) and, when `hess` is given, the full symmetric ∇²L(β) (over the Hessian sample
   * when there is one); returns L(β). Overwrites.
   */
  readonly evaluate: DataTerm;
  /**
   * The fraction of the rows a Hessian is taken over: 1, or less for multinomial problems with
   * many rows, whose full Hessian (O(k²·d²) per row) costs tens of gradient passes. The
   * solver's quasi-Newton corrections make up for what the sample misses; the gradient, and so
   * the optimum, always cover every row. 1 once {@link wholeHessian} was called.
   */
  readonly hessianFraction: number;
  /**
   * Takes every later Hessian over all rows: the solver calls it when the sample's steps show it
   * misses the curvature (see logistic-solver.ts). No-op without a sample.
   */
  wholeHessian(): void;
  /**
   * The coefficients a model stores for β: per output [w_0..w_{d-1}, b] acting on raw x
   * (`space: 'raw'`), or on the scaler's output (`'model'`, what a pipeline's final step keeps).
   */
  packed(beta: Float64Array, space: 'raw' | 'model'): Float64Array;
  /** β for a model's packed coefficients (the inverse of {@link packed}): to warm-start from them. */
  fromPacked(packed: Float64Array, space: 'raw' | 'model'): Float64Array;
  /**
   * The same problem on every `step`-th row of each segment (its own shift): a cold fit's
   * presolve (logistic-presolve.ts). Its rows are kept only in room the kernel has already
   * (keepRows `'existing'`: a pool thread's, from its last path), streamed otherwise: its 5-8
   * passes re-gathered 5,000 scattered rows each (~2 ms a pass on LW). Undefined when those rows
   * lack one of the classes or all their weight.
   */
  thinned(step: number): LogisticProblem | undefined;
  /**
   * The data term's Hessian at β = 0 as {@link evaluate} writes it, for a multinomial problem
   * (undefined for binary): every probability is 1/k there, so it is (X̃ᵀΩX̃) ⊗ (I/k − 11ᵀ/k²),
   * one Gram pass over the D columns instead of k(k−1)/2 of them. A cold multinomial fit may
   * start from it instead of taking a Hessian (see logistic-path.ts).
   */
  curvatureAtZero(): Float64Array | undefined;
}

/**
 * Sets a problem up: the shift (one pass over the rows when the intercept is fitted and no
 * scaler gives one), the penalty layout, the sweep scratch.
 * @example
 * ```ts
 * const problem = logisticProblem({ X: view, rows: fold.train, labels: encodeLabels(y, fold.train), fitIntercept: true });
 * ```
 */
export function logisticProblem(spec: LogisticProblemSpec): LogisticProblem {
  const { segments, labels, fitIntercept, sampleWeight, featureMap, keepRows = true } = spec;
  const d = segments[0]!.view.nCols;
  const D = d + 1;
  const k = labels.nOutputs;
  const size = k * D;
  const nRows = segments.reduce((n, s) => n + segmentRows(s), 0);
  const shift = rowShift(segments, d, nRows, fitIntercept, featureMap?.mean);
  const scale = featureMap?.scale;
  // Weights that sum to zero leave the mean objective undefined.
  const weightSum = sampleWeight === undefined ? nRows : checkWeightTotal(sumWeights(sampleWeight, segments));
  const penaltyWeight = new Float64Array(size);
  const fixed = new Uint8Array(size);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) penaltyWeight[c * D + j] = scale === undefined ? 1 : scale[j]! * scale[j]!;
    if (!fitIntercept) fixed[c * D + d] = 1;
  }
  // The solver sweeps these rows dozens of times: the wasm kernel may keep them (kernels/wasm/kept-rows.ts).
  const parts = sweepParts(segments, labels, shift, sampleWeight, keepRows);
  const scratch = new Float64Array(Math.max(newtonScratchLength(d, k), 2 * k));
  const sample = k > 1 ? hessianSample(segments, nRows, size) : undefined;
  let sampleParts = sample === undefined ? undefined : sweepParts(sample, labels, shift, sampleWeight, false);
  const sampleGrad = sample === undefined ? undefined : new Float64Array(size);
  const sweep = (
    on: readonly SweepPart[], beta: Float64Array, grad: Float64Array, hess: Float64Array | undefined, negligible = 0, roundingPerRow = 0,
  ): number => {
    let loss = 0;
    for (const part of on) {
      loss += part.target !== undefined
        ? logisticNewtonSweep(part.rows, part.target, beta, grad, hess, scratch, roundingPerRow)
        : softmaxNewtonSweep(part.rows, part.label!, k, beta, grad, hess, scratch, negligible, roundingPerRow);
    }
    return loss;
  };
  const sampleScale = sample === undefined ? 1 : weightSum / sumWeights(sampleWeight, sample);
  const sampleRows = sample === undefined ? nRows : sample.reduce((n, s) => n + segmentRows(s), 0);
  const sampledFraction = sampleRows / nRows;
  /**
   * L(β), adding ∇L into `grad` and writing the swept Hessian (over the sample when there is
   * one) into `hess`, within `tolerance` of the exact one (the sample's share of it scaled down
   * by as much as its sums are scaled up).
   */
  const sweptHessian = (beta: Float64Array, grad: Float64Array, hess: Float64Array, tolerance: number, rounding: number): number => {
    hess.fill(0);
    let loss: number;
    if (sampleParts !== undefined) {
      loss = sweep(parts, beta, grad, undefined);
      sampleGrad!.fill(0);
      sweep(sampleParts, beta, sampleGrad!, hess, negligibleTerm(tolerance / sampleScale, sampleRows, k), rounding / sampleScale / sampleRows);
      for (let i = 0; i < hess.length; i++) hess[i]! *= sampleScale;
    } else {
      loss = sweep(parts, beta, grad, hess, negligibleTerm(tolerance, nRows, k), rounding / nRows);
    }
    symmetrizeUpper(hess, size);
    if (k > 1 && fitIntercept) addInterceptGauge(hess, k, D);
    return loss;
  };
  const evaluate: DataTerm = (beta, grad, hess, hessTolerance = 0, roundingTolerance = 0) => {
    grad.fill(0);
    let loss: number;
    if (hess === undefined) {
      loss = sweep(parts, beta, grad, undefined);
    } else if (k > 1 && maxAbs(beta) === 0) {
      // Every probability is 1/k at β = 0: the Hessian is one Gram pass over the d + 1 columns
      // (zeroPointHessian), exact on all rows, instead of a softmax sweep over k·(d + 1).
      loss = sweep(parts, beta, grad, undefined);
      zeroPointHessian(segments, shift, sampleWeight, k, fitIntercept, hess);
    } else {
      loss = sweptHessian(beta, grad, hess, hessTolerance, roundingTolerance);
    }
    for (let i = 0; i < size; i++) if (fixed[i] === 1) grad[i] = 0;
    return loss;
  };
  const mean = featureMap?.mean;
  return {
    k, d, size, nRows, weightSum, penaltyWeight, fixed, evaluate,
    get hessianFraction() {
      return sampleParts === undefined ? 1 : sampledFraction;
    },
    wholeHessian: () => {
      sampleParts = undefined;
    },
    packed: (beta, space) => {
      // On rows [x − s, 1]: w·(x − s) + b. Raw: w·x + (b − w·s). Model (z = (x − m)/σ): (w σ)·z + b − w·(s − m).
      const out = new Float64Array(size);
      for (let c = 0; c < k; c++) {
        let b = beta[c * D + d]!;
        for (let j = 0; j < d; j++) {
          const w = beta[c * D + j]!;
          const sj = shift?.[j] ?? 0;
          const target = space === 'raw' ? 0 : (mean?.[j] ?? 0);
          b -= w * (sj - target);
          out[c * D + j] = space === 'raw' ? w : w * (scale?.[j] ?? 1);
        }
        out[c * D + d] = fitIntercept ? b : 0;
      }
      return out;
    },
    thinned: (step) => {
      const rows = thinSegments(segments, step);
      if (!holdsEveryClass(rows, labels)) return undefined;
      // Weights that sum to zero on these rows are a DataError for a problem of their own.
      return sumWeights(sampleWeight, rows) > 0 ? logisticProblem({ ...spec, segments: rows, keepRows: 'existing' }) : undefined;
    },
    curvatureAtZero: () => (k > 1 ? zeroPointHessian(segments, shift, sampleWeight, k, fitIntercept, new Float64Array(size * size)) : undefined),
    fromPacked: (packed, space) => {
      const beta = new Float64Array(size);
      for (let c = 0; c < k; c++) {
        let b = packed[c * D + d]!;
        for (let j = 0; j < d; j++) {
          const w = space === 'raw' ? packed[c * D + j]! : packed[c * D + j]! / (scale?.[j] ?? 1);
          beta[c * D + j] = w;
          b += w * ((shift?.[j] ?? 0) - (space === 'raw' ? 0 : (mean?.[j] ?? 0)));
        }
        beta[c * D + d] = fitIntercept ? b : 0;
      }
      return beta;
    },
  };
}

/**
 * Runs a fit (`solve`), then, however it ends, lets go of the rows the kernel kept for it when
 * on the main thread (up to MEMGRID_KEPT_ROWS_MIB would otherwise stay with the process for
 * good); a pool thread keeps them, the same size, for its next path.
 * @example
 * ```ts
 * const fits = fitting(() => solveLogisticPath(problem, Cs, settings));
 * ```
 */
export function fitting<T>(solve: () => T): T {
  try {
    return solve();
  } finally {
    if (isMainThread) releaseKeptRows();
  }
}

/**
 * Rows per unknown a sampled Hessian aims for: 60 (a quarter of 80,000 rows × 330 unknowns).
 * Its steps shrink Newton's decrement by enough that the fits take a sampled Hessian about a
 * third as often as with 30 rows per unknown (LM's fold path: 15 → 4 Hessian sweeps for 63 → 67
 * gradient passes, 2.1-2.3 → 1.6 s; 5 classes × 21 on 64,000 rows: 42 → 34, 597 → 568 ms).
 */
const HESSIAN_SAMPLE_PER_UNKNOWN = 60;
/**
 * Fewest rows per unknown a sample may keep: below this its Hessian misses too much (steps no
 * longer shrink the decrement reliably); where even every second row falls short, the Hessian
 * reads all rows.
 */
const HESSIAN_SAMPLE_FLOOR_PER_UNKNOWN = 30;
const HESSIAN_SAMPLE_MIN = 4000;

/**
 * Every s-th training row of each segment, as segments of their own: s = ⌊n / max(60·size,
 * 4000)⌋, at least 2 (half the rows still halve the Hessian's cost: 60,000 × 650 unknowns keeps
 * every second row, 5.6 s against 8.0 s on all), undefined when every second row would keep
 * fewer than 30 per unknown or 4,000 in all.
 */
function hessianSample(segments: readonly RowSegment[], nRows: number, size: number): RowSegment[] | undefined {
  const floor = Math.max(HESSIAN_SAMPLE_FLOOR_PER_UNKNOWN * size, HESSIAN_SAMPLE_MIN);
  if (Math.floor(nRows / 2) < floor) return undefined;
  return thinSegments(segments, Math.max(2, Math.floor(nRows / Math.max(HESSIAN_SAMPLE_PER_UNKNOWN * size, HESSIAN_SAMPLE_MIN))));
}

/** Every `step`-th row of each segment, as segments of their own. */
function thinSegments(segments: readonly RowSegment[], step: number): RowSegment[] {
  return segments.map((s) => {
    const n = segmentRows(s);
    const rows = new Int32Array(Math.ceil(n / step));
    for (let r = 0, at = 0; r < n; r += step) rows[at++] = s.rows === undefined ? r : s.rows[r]!;
    return { ...s, rows };
  });
}

/** Whether the segments' rows hold every class of `labels` (a class with no row would drive its intercept to −∞). */
function holdsEveryClass(segments: readonly RowSegment[], labels: EncodedLabels): boolean {
  const seen = new Uint8Array(labels.classes.length);
  let missing = seen.length;
  for (const s of segments) {
    const n = segmentRows(s);
    for (let r = 0; r < n && missing > 0; r++) {
      const id = s.rowStart + (s.rows === undefined ? r : s.rows[r]!);
      const c = labels.target !== undefined ? labels.target[id]! : labels.label![id]!;
      if (seen[c] === 0) { seen[c] = 1; missing--; }
    }
  }
  return missing === 0;
}

/** One segment's rows as a sweep reads them, with its labels and weights indexed by window-local row. */
interface SweepPart {
  readonly rows: SweepRows;
  readonly target?: Float64Array;
  readonly label?: Int32Array;
}

/**
 * The largest row term of a multinomial Hessian a sweep over `rows` rows may leave out, in
 * |ω·p_c·p_c'|·‖[x̃, 1]‖² (class pair c < c'), so that all it leaves out stays within `tolerance`
 * in spectral norm: a pair's term for one row, ω·p_c·p_c'·[x̃,1][x̃,1]ᵀ ⊗ (e_c − e_c')(e_c − e_c')ᵀ,
 * has norm 2·|ω·p_c·p_c'|·‖[x̃,1]‖², and there are rows·k(k−1)/2 of them. 0 for binary problems,
 * whose Hessians sum every row.
 * @example
 * ```ts
 * negligibleTerm(1e-8, 48_000, 10); // 1e-8 / (2 · 48,000 · 45)
 * ```
 */
export function negligibleTerm(tolerance: number, rows: number, k: number): number {
  if (k < 2 || !(tolerance > 0) || rows < 1) return 0;
  return tolerance / (rows * k * (k - 1));
}

/** Per segment: the kernel's view of its rows (to `keep` between passes or not), and the labels and weights from its first row on (no copies). */
function sweepParts(
  segments: readonly RowSegment[], labels: EncodedLabels, shift: Float64Array | undefined, weight: Float64Array | undefined, keep: boolean | 'existing',
): SweepPart[] {
  return segments.map((s) => ({
    rows: { X: s.view, rows: s.rows, keep, ...(shift ? { shift } : {}), ...(weight ? { weight: weight.subarray(s.rowStart) } : {}) },
    ...(labels.target !== undefined ? { target: labels.target.subarray(s.rowStart) } : { label: labels.label!.subarray(s.rowStart) }),
  }));
}

/**
 * The shift s the kernels subtract: without an intercept it must be the map's own shift (the
 * model is w·(x − m)/σ, nothing to absorb a difference); with one, any s is exact, and a centred
 * one keeps the Hessian well conditioned: a scaler's mean when it centres, else the row means.
 */
function rowShift(
  segments: readonly RowSegment[], d: number, nRows: number, fitIntercept: boolean, mapShift: Float64Array | undefined,
): Float64Array | undefined {
  if (!fitIntercept) return mapShift;
  if (mapShift !== undefined && mapShift.some((m) => m !== 0)) return mapShift;
  return rowMeans(segments, d, nRows);
}

/** Rows a shift is averaged over at most: its job is conditioning, for which a sample's mean serves as well as the exact one. */
const SHIFT_SAMPLE_ROWS = 4096;

/**
 * Column means over every s-th row of each segment (s = ⌊nRows / 4096⌋, every row below 8,192):
 * the shift that centres them. Any shift is exact (the intercept absorbs it), and it only has
 * to sit near the rows' centre to keep the intercept from coupling with the features; even the
 * exact mean leaves that coupling in the Hessian (its weights p(1 − p) vary by row). A sample
 * saves a full read of the rows per fit: 80,000 × 128, 20 → 1 ms warm, and on a thread's first
 * fit, where it paid the mapping's page faults besides, ~90 → ~15 ms.
 */
function rowMeans(segments: readonly RowSegment[], d: number, nRows: number): Float64Array {
  const step = Math.floor(nRows / SHIFT_SAMPLE_ROWS);
  const sample = step > 1 ? thinSegments(segments, step) : segments;
  const out = new Float64Array(d);
  let counted = 0;
  for (const s of sample) {
    columnSums(s.view, s.rows, out);
    counted += segmentRows(s);
  }
  for (let j = 0; j < d; j++) out[j]! /= counted;
  return out;
}

function sumWeights(weight: Float64Array | undefined, segments: readonly RowSegment[]): number {
  let total = 0;
  for (const s of segments) {
    if (weight === undefined) {
      total += segmentRows(s);
    } else if (s.rows === undefined) {
      for (let r = 0; r < s.view.nRows; r++) total += weight[s.rowStart + r]!;
    } else {
      for (let r = 0; r < s.rows.length; r++) total += weight[s.rowStart + s.rows[r]!]!;
    }
  }
  return total;
}

/**
 * The multinomial data Hessian at β = 0 (every p = 1/k): Σ ω·(diag(p) − ppᵀ) ⊗ x̃x̃ᵀ becomes
 * (I/k − 11ᵀ/k²) ⊗ G with G = Σ ω·[x − s, 1][x − s, 1]ᵀ, from one Gram pass (the intercept gauge
 * added as evaluate adds it), written over all of `hess` (K×K) and returned.
 */
function zeroPointHessian(
  segments: readonly RowSegment[], shift: Float64Array | undefined, weight: Float64Array | undefined, k: number, fitIntercept: boolean,
  hess: Float64Array,
): Float64Array {
  const d = segments[0]!.view.nCols;
  const D = d + 1;
  const K = k * D;
  const stats = gramStats(d);
  for (const s of segments) accumulateGram(s.view, s.rows, undefined, shift, 0, stats, undefined, weight?.subarray(s.rowStart));
  symmetrizeUpper(stats.xtx, d);
  const gram = new Float64Array(D * D);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) gram[i * D + j] = stats.xtx[i * d + j]!;
    gram[i * D + d] = stats.xSum[i]!;
    gram[d * D + i] = stats.xSum[i]!;
  }
  gram[d * D + d] = stats.count;
  for (let c = 0; c < k; c++) {
    for (let c2 = 0; c2 < k; c2++) {
      const factor = (c === c2 ? 1 / k : 0) - 1 / (k * k);
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) hess[(c * D + i) * K + c2 * D + j] = factor * gram[i * D + j]!;
    }
  }
  if (fitIntercept) addInterceptGauge(hess, k, D);
  return hess;
}

/**
 * H += μ·vvᵀ, v = 1 on every intercept, μ the mean intercept curvature. Multinomial softmax
 * ignores adding one constant to every intercept (they are unpenalised), so H is singular along
 * v; the gradient is orthogonal to v, so the added term changes no step, and the intercepts keep
 * their sum from the start (0 from a zero start, as scikit-learn's).
 */
function addInterceptGauge(hess: Float64Array, k: number, D: number): void {
  const K = k * D;
  let mu = 0;
  for (let c = 0; c < k; c++) mu += hess[(c * D + D - 1) * (K + 1)]!;
  mu = Math.max(mu / k, 1e-300);
  for (let c = 0; c < k; c++) for (let c2 = 0; c2 < k; c2++) hess[(c * D + D - 1) * K + c2 * D + D - 1]! += mu;
}
