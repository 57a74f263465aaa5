/**
 * Probe (not a test): one W2-sized fold path (12 C, 5-fold stratified, fold 0's ~160,000
 * training rows) single-threaded. Prints ms, Newton steps and data sweeps per C for the
 * warm-started Newton path, and optionally the same 12 fits cold (L-BFGS, as
 * scikit-learn's lbfgs) and an L-BFGS path warm-started the same way, with each
 * method's held-out log-loss so the answers can be compared.
 *
 *   npx tsc -p . && node dist/bench/logistic-path-probe.js [quick|full] [--lbfgs] [--f32] [--no-reuse]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ndarray, type NdArray } from '../src/data/ndarray.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { fitLogisticPathDetailed } from '../src/models/logistic-path.js';
import { StratifiedKFold } from '../src/search/splitters.js';
import { CS, LOGISTIC } from './common.js';

const NPY_MAGIC = '\x93NUMPY';

/** A little-endian C- or F-order .npy file read into memory (the probe needs no mapping). */
function readNpyFile(path: string): NdArray {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 6) !== NPY_MAGIC) throw new Error(`${path}: not a .npy file`);
  const major = buf[6]!;
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').filter((s) => s.trim() !== '').map(Number);
  const bytes = buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length);
  const order = fortran ? 'F' : 'C';
  if (descr === '<f8') return ndarray('float64', shape, new Float64Array(bytes), order);
  if (descr === '<i8') return ndarray('float64', shape, Float64Array.from(new BigInt64Array(bytes), Number), order);
  throw new Error(`${path}: unsupported dtype ${descr}`);
}

function heldOutLogLoss(m: LogisticRegression, X: NdArray<'float64'> | NdArray<'float32'>, y: Float64Array, rows: Int32Array): number {
  const p = m.predictProba(X, rows);
  const classes = m.classes;
  const k = classes.length;
  let s = 0;
  for (let r = 0; r < rows.length; r++) {
    const c = classes.indexOf(y[rows[r]!]!);
    s -= Math.log(Math.min(Math.max(p[r * k + c]!, 1e-15), 1 - 1e-15));
  }
  return s / rows.length;
}

function main(): void {
  const args = process.argv.slice(2);
  const size = args.includes('quick') ? 'quick' : 'full';
  const dir = join(process.cwd(), '.cache', 'bench', size, 'w2');
  let X = readNpyFile(join(dir, 'X.npy')) as NdArray<'float64'> | NdArray<'float32'>;
  if (args.includes('--f32')) X = ndarray('float32', X.shape, Float32Array.from(X.data), X.order);
  const y = readNpyFile(join(dir, 'y.npy')) as NdArray<'float64'>;
  const fold = new StratifiedKFold({ nSplits: 5 }).split(X.shape[0]!, y.data)[0]!;
  const params = { fitIntercept: true, maxIter: 100, tol: LOGISTIC.tol };
  console.log(`W2 ${size}: X ${X.shape.join('x')} ${X.dtype}, fold 0: ${fold.train.length} train / ${fold.test.length} test rows`);

  const t0 = performance.now();
  const path = fitLogisticPathDetailed(X, y, fold.train, CS, params, { reuseHessian: !args.includes('--no-reuse') });
  const newtonMs = performance.now() - t0;
  console.log(`Newton path: ${newtonMs.toFixed(0)} ms total for ${CS.length} C (${(newtonMs / CS.length).toFixed(1)} ms per fit)`);
  const newtonLoss = path.models.map((m) => heldOutLogLoss(m, X, y.data, fold.test));
  CS.forEach((C, i) => {
    const s = path.solves[i]!;
    console.log(`  C=${C.toExponential(2)} steps=${s.nIter} sweeps=${s.nSweeps} hessians=${s.nHessians} stop=${s.stop} test log-loss=${newtonLoss[i]!.toFixed(10)}`);
  });

  if (!args.includes('--lbfgs')) return;
  const lb = { C: 1, fitIntercept: true, maxIter: LOGISTIC.maxIter, tol: LOGISTIC.tol };
  let t = performance.now();
  const cold = CS.map((C) => new LogisticRegression({ ...lb, C }).fit(X, y, fold.train));
  const coldMs = performance.now() - t;
  t = performance.now();
  let warm: Float64Array | undefined;
  const warmFits = CS.map((C) => {
    const m = new LogisticRegression({ ...lb, C }).fit(X, y, fold.train, warm);
    warm = m.packedCoef;
    return m;
  });
  const warmMs = performance.now() - t;
  console.log(`L-BFGS (scipy-faithful, as sklearn) 12 cold fits: ${coldMs.toFixed(0)} ms; warm-started path: ${warmMs.toFixed(0)} ms`);
  console.log(`speed-up of the Newton path: ${(coldMs / newtonMs).toFixed(1)}x vs cold, ${(warmMs / newtonMs).toFixed(1)}x vs warm L-BFGS`);
  let worst = 0;
  CS.forEach((C, i) => {
    const lc = heldOutLogLoss(cold[i]!, X, y.data, fold.test);
    const rel = Math.abs(lc - newtonLoss[i]!) / Math.abs(lc);
    worst = Math.max(worst, rel);
    console.log(`  C=${C.toExponential(2)} cold iters=${cold[i]!.nIter} warm iters=${warmFits[i]!.nIter} cold log-loss=${lc.toFixed(10)} rel diff vs Newton=${rel.toExponential(2)}`);
  });
  console.log(`largest relative test log-loss difference, Newton path vs cold L-BFGS: ${worst.toExponential(2)}`);
}

main();
