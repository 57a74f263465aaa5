/**
 * JavaScript loss + gradient sweeps of binary and multinomial log-loss (no Hessian): one read
 * of each row serves its margin, loss and gradient. The per-row formulas are logistic-math.ts's.
 * No penalty is added; gradients are accumulated (`+=`) into the packed layout (types.ts).
 */
import { logisticPointLoss, logisticResidual, softmaxRow } from '../logistic-math.js';
import { rowCount, rowId, type DenseView } from '../types.js';

/**
 * Binary log-loss over the chosen rows: for each, z = x·w + b, loss += log(1+e^z) − t·z and
 * grad += (σ(z) − t)·[x, 1]. Returns the summed loss. `target[i]` ∈ {0, 1} by row id.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = logisticLossGradJs(X, rows, t, coef, grad);
 * ```
 */
export function logisticLossGradJs(
  X: DenseView, rows: Int32Array | undefined, target: Float64Array, coef: Float64Array, grad: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const b = coef[d]!;
  let loss = 0;
  let gb = 0;
  let r = 0;
  // Four rows in flight: four independent margins, one gradient update per four rows. C and F
  // order run the same loop (F pays its stride), so they sum in the same order, bit for bit.
  for (; r + 4 <= n; r += 4) {
    const i0 = rowId(rows, r), i1 = rowId(rows, r + 1), i2 = rowId(rows, r + 2), i3 = rowId(rows, r + 3);
    const o0 = i0 * rowStride, o1 = i1 * rowStride, o2 = i2 * rowStride, o3 = i3 * rowStride;
    let s0 = b, s1 = b, s2 = b, s3 = b;
    for (let j = 0; j < d; j++) {
      const w = coef[j]!;
      const c = j * colStride;
      s0 += data[o0 + c]! * w; s1 += data[o1 + c]! * w; s2 += data[o2 + c]! * w; s3 += data[o3 + c]! * w;
    }
    const t0 = target[i0]!, t1 = target[i1]!, t2 = target[i2]!, t3 = target[i3]!;
    const e0 = Math.exp(-Math.abs(s0)), e1 = Math.exp(-Math.abs(s1));
    const e2 = Math.exp(-Math.abs(s2)), e3 = Math.exp(-Math.abs(s3));
    const g0 = logisticResidual(s0, e0, t0), g1 = logisticResidual(s1, e1, t1);
    const g2 = logisticResidual(s2, e2, t2), g3 = logisticResidual(s3, e3, t3);
    loss += logisticPointLoss(s0, e0, t0) + logisticPointLoss(s1, e1, t1)
      + logisticPointLoss(s2, e2, t2) + logisticPointLoss(s3, e3, t3);
    for (let j = 0; j < d; j++) {
      const c = j * colStride;
      grad[j]! += g0 * data[o0 + c]! + g1 * data[o1 + c]! + g2 * data[o2 + c]! + g3 * data[o3 + c]!;
    }
    gb += g0 + g1 + g2 + g3;
  }
  for (; r < n; r++) {
    const base = rowId(rows, r) * rowStride;
    let s = b;
    for (let j = 0; j < d; j++) s += data[base + j * colStride]! * coef[j]!;
    const t = target[rowId(rows, r)]!;
    const e = Math.exp(-Math.abs(s));
    const g = logisticResidual(s, e, t);
    loss += logisticPointLoss(s, e, t);
    for (let j = 0; j < d; j++) grad[j]! += g * data[base + j * colStride]!;
    gb += g;
  }
  grad[d]! += gb;
  return loss;
}

/**
 * Multinomial (softmax) log-loss over k classes: for each chosen row, z_c = x·w_c + b_c,
 * loss += logΣe^z − z_label and grad_c += (p_c − [c = label])·[x, 1]. Returns the summed loss.
 * `label[i]` is the class index of row id i; `scratch` holds k numbers.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = softmaxLossGradJs(X, rows, labels, 3, coef, grad, new Float64Array(3));
 * ```
 */
export function softmaxLossGradJs(
  X: DenseView, rows: Int32Array | undefined, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, scratch: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const p = scratch;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    const base = i * rowStride;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      let z = coef[off + d]!;
      for (let j = 0; j < d; j++) z += data[base + j * colStride]! * coef[off + j]!;
      p[c] = z;
    }
    const y = label[i]!;
    loss += softmaxRow(p, 0, 1, k, y);
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      const g = p[c]! - (c === y ? 1 : 0);
      for (let j = 0; j < d; j++) grad[off + j]! += g * data[base + j * colStride]!;
      grad[off + d]! += g;
    }
  }
  return loss;
}
