/**
 * JavaScript loss + gradient sweeps of binary and multinomial log-loss (no Hessian): one read
 * of each row serves its margin, loss and gradient. The per-row formulas are logistic-math.ts's.
 * Rows are [x − shift, 1] and count with their weight (see {@link SweepRows}). No penalty is
 * added; gradients are accumulated (`+=`) into the packed layout (types.ts).
 */
import { fastExp } from '../fast-math.js';
import { logisticPointLoss, logisticResidual, softmaxRow } from '../logistic-math.js';
import { rowCount, rowId, type SweepRows } from '../types.js';

/** Rows the binary sweep keeps in flight: four independent margins, one gradient update. */
const LANES = 4;

/**
 * Binary log-loss over the chosen rows: for each, z = (x − shift)·w + b, loss += ω·(log(1+e^z) − t·z)
 * and grad += ω·(σ(z) − t)·[x − shift, 1], ω the row's weight. Returns the summed loss.
 * `target[i]` ∈ {0, 1} by row id.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = logisticLossGradJs({ X, rows }, t, coef, grad);
 * ```
 */
export function logisticLossGradJs(
  { X, rows, shift, weight }: SweepRows, target: Float64Array, coef: Float64Array, grad: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  // (x − m)·w + b = x·w + (b − m·w): the shift costs nothing in the margins.
  let b = coef[d]!;
  if (shift !== undefined) for (let j = 0; j < d; j++) b -= shift[j]! * coef[j]!;
  let loss = 0;
  let gb = 0;
  let r = 0;
  // C and F order run the same loops (F pays its stride), so they sum in the same order.
  for (; r + LANES <= n; r += LANES) {
    const i0 = rowId(rows, r), i1 = rowId(rows, r + 1), i2 = rowId(rows, r + 2), i3 = rowId(rows, r + 3);
    const o0 = i0 * rowStride, o1 = i1 * rowStride, o2 = i2 * rowStride, o3 = i3 * rowStride;
    let s0 = b, s1 = b, s2 = b, s3 = b;
    for (let j = 0; j < d; j++) {
      const w = coef[j]!;
      const c = j * colStride;
      s0 += data[o0 + c]! * w; s1 += data[o1 + c]! * w; s2 += data[o2 + c]! * w; s3 += data[o3 + c]! * w;
    }
    const t0 = target[i0]!, t1 = target[i1]!, t2 = target[i2]!, t3 = target[i3]!;
    const w0 = weight === undefined ? 1 : weight[i0]!, w1 = weight === undefined ? 1 : weight[i1]!;
    const w2 = weight === undefined ? 1 : weight[i2]!, w3 = weight === undefined ? 1 : weight[i3]!;
    const e0 = fastExp(-Math.abs(s0)), e1 = fastExp(-Math.abs(s1));
    const e2 = fastExp(-Math.abs(s2)), e3 = fastExp(-Math.abs(s3));
    const g0 = w0 * logisticResidual(s0, e0, t0), g1 = w1 * logisticResidual(s1, e1, t1);
    const g2 = w2 * logisticResidual(s2, e2, t2), g3 = w3 * logisticResidual(s3, e3, t3);
    loss += w0 * logisticPointLoss(s0, e0, t0) + w1 * logisticPointLoss(s1, e1, t1)
      + w2 * logisticPointLoss(s2, e2, t2) + w3 * logisticPointLoss(s3, e3, t3);
    if (shift === undefined) {
      for (let j = 0; j < d; j++) {
        const c = j * colStride;
        grad[j]! += g0 * data[o0 + c]! + g1 * data[o1 + c]! + g2 * data[o2 + c]! + g3 * data[o3 + c]!;
      }
    } else {
      // Subtracting per value (not m·Σg afterwards) keeps a large mean from cancelling digits.
      for (let j = 0; j < d; j++) {
        const c = j * colStride;
        const m = shift[j]!;
        grad[j]! += g0 * (data[o0 + c]! - m) + g1 * (data[o1 + c]! - m) + g2 * (data[o2 + c]! - m) + g3 * (data[o3 + c]! - m);
      }
    }
    gb += g0 + g1 + g2 + g3;
  }
  for (; r < n; r++) {
    const i = rowId(rows, r);
    const base = i * rowStride;
    let s = b;
    for (let j = 0; j < d; j++) s += data[base + j * colStride]! * coef[j]!;
    const t = target[i]!;
    const w = weight === undefined ? 1 : weight[i]!;
    const e = fastExp(-Math.abs(s));
    const g = w * logisticResidual(s, e, t);
    loss += w * logisticPointLoss(s, e, t);
    for (let j = 0; j < d; j++) grad[j]! += g * (data[base + j * colStride]! - (shift === undefined ? 0 : shift[j]!));
    gb += g;
  }
  grad[d]! += gb;
  return loss;
}

/**
 * Multinomial (softmax) log-loss over k classes: for each chosen row, z_c = (x − shift)·w_c + b_c,
 * loss += ω·(logΣe^z − z_label) and grad_c += ω·(p_c − [c = label])·[x − shift, 1]. Returns
 * the summed loss. `label[i]` is the class index of row id i; `scratch` holds 2k numbers.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = softmaxLossGradJs({ X, rows }, labels, 3, coef, grad, new Float64Array(6));
 * ```
 */
export function softmaxLossGradJs(
  { X, rows, shift, weight }: SweepRows, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, scratch: Float64Array,
): number {
  const d = X.nCols;
  const D = d + 1;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const p = scratch;
  // Each class's intercept with the shift folded in, at scratch[k + c].
  for (let c = 0; c < k; c++) {
    let b = coef[c * D + d]!;
    if (shift !== undefined) for (let j = 0; j < d; j++) b -= shift[j]! * coef[c * D + j]!;
    p[k + c] = b;
  }
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    const base = i * rowStride;
    for (let c = 0; c < k; c++) {
      const off = c * D;
      let z = p[k + c]!;
      for (let j = 0; j < d; j++) z += data[base + j * colStride]! * coef[off + j]!;
      p[c] = z;
    }
    const y = label[i]!;
    const w = weight === undefined ? 1 : weight[i]!;
    loss += w * softmaxRow(p, 0, 1, k, y);
    for (let c = 0; c < k; c++) {
      const off = c * D;
      const g = w * (p[c]! - (c === y ? 1 : 0));
      for (let j = 0; j < d; j++) grad[off + j]! += g * (data[base + j * colStride]! - (shift === undefined ? 0 : shift[j]!));
      grad[off + d]! += g;
    }
  }
  return loss;
}
