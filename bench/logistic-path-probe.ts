/**
 * Probe (not a test): one fold's logistic path (12 C, logspace(-4, 2), fold 0 of a 5-fold
 * StratifiedKFold), single-threaded, on any X.npy/y.npy folder. Prints per C the milliseconds,
 * Newton steps, gradient and Hessian passes and the held-out log-loss, then the same fits cold
 * (one C each, from zeros) and the largest held-out log-loss difference between the two: the
 * solver's path-independence, and where its time goes.
 *
 *   npm run build && node dist/bench/logistic-path-probe.js DIR [--tol 1e-8] [--f32] [--no-cold] [--backend js|wasm]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ndarray, type NdArray } from '../src/data/ndarray.js';
import { readNpy } from '../src/data/npy.js';
import { withBackend } from '../src/models/kernels/index.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { fitLogisticPathDetailed } from '../src/models/logistic-path.js';
import { StratifiedKFold } from '../src/search/splitters.js';
import { CS } from './common.js';

function heldOutLogLoss(m: LogisticRegression, X: NdArray<'float64'> | NdArray<'float32'>, y: Float64Array, rows: Int32Array): number {
  const p = m.predictProba(X, rows);
  const classes = m.classes;
  const k = classes.length;
  let s = 0;
  for (let r = 0; r < rows.length; r++) s -= Math.log(Math.max(p[r * k + classes.indexOf(y[rows[r]!]!)]!, 1e-300));
  return s / rows.length;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tol: { type: 'string', default: '1e-8' }, f32: { type: 'boolean', default: false }, 'no-cold': { type: 'boolean', default: false }, backend: { type: 'string' } },
  });
  const dir = positionals[0] ?? join(process.cwd(), '.cache', 'bench', 'full', 'w2');
  let X = readNpy(join(dir, 'X.npy')) as NdArray<'float64'> | NdArray<'float32'>;
  if (values.f32) X = ndarray('float32', X.shape, Float32Array.from(X.data), X.order);
  const yRaw = readNpy(join(dir, 'y.npy'));
  const y = ndarray('float64', [yRaw.shape[0]!], Float64Array.from(yRaw.data as ArrayLike<number | bigint>, Number));
  const fold = new StratifiedKFold({ nSplits: 5 }).split(X.shape[0]!, y.data)[0]!;
  const params = { fitIntercept: true, maxIter: 100, tol: Number(values.tol) };
  const run = <T>(fn: () => T): T => (values.backend === 'js' || values.backend === 'wasm' ? withBackend(values.backend, fn) : fn());
  console.log(`${dir}: X ${X.shape.join('x')} ${X.dtype}, fold 0: ${fold.train.length} train / ${fold.test.length} test rows, tol ${params.tol}`);

  const t0 = performance.now();
  const path = run(() => fitLogisticPathDetailed(X, y, fold.train, CS, params));
  const pathMs = performance.now() - t0;
  const pathLoss = path.models.map((m) => heldOutLogLoss(m, X, y.data, fold.test));
  let steps = 0, grads = 0, hessians = 0;
  CS.forEach((C, i) => {
    const r = path.reports[i]!;
    steps += r.nIter; grads += r.gradientPasses; hessians += r.hessianPasses;
    console.log(`  C=${C.toExponential(2)} ${(r.seconds * 1000).toFixed(1)} ms steps=${r.nIter} grad=${r.gradientPasses} hess=${r.hessianPasses} δ=${r.decrement.toExponential(1)}${r.converged ? '' : ' NOT CONVERGED'} test log-loss=${pathLoss[i]!.toFixed(12)}`);
  });
  console.log(`path: ${pathMs.toFixed(0)} ms for ${CS.length} C; per C ${(steps / CS.length).toFixed(2)} steps, ${(grads / CS.length).toFixed(2)} gradient + ${(hessians / CS.length).toFixed(2)} Hessian passes`);
  if (values['no-cold']) return;

  const t1 = performance.now();
  const cold = run(() => CS.map((C) => new LogisticRegression({ ...params, C }).fit(X, y, fold.train)));
  const coldMs = performance.now() - t1;
  let worst = 0;
  CS.forEach((_, i) => {
    const lc = heldOutLogLoss(cold[i]!, X, y.data, fold.test);
    worst = Math.max(worst, Math.abs(lc - pathLoss[i]!) / Math.abs(lc));
  });
  console.log(`cold: ${coldMs.toFixed(0)} ms for ${CS.length} single fits (${(coldMs / pathMs).toFixed(2)}x the path); largest relative held-out log-loss difference path vs cold: ${worst.toExponential(2)}`);
}

main();
