/**
 * Small dense solves (d×d, d = number of features): Cholesky on flat row-major arrays, one
 * implementation shared by ridge and the Newton solver; ml-matrix's SVD for the rare matrix
 * that is not positive definite.
 */
import { createRequire } from 'node:module';
import { choleskyInPlace, choleskySolveInPlace } from './kernels/index.js';

export { choleskyInPlace, choleskySolveInPlace };

/**
 * ml-matrix, loaded the first time a matrix needs the SVD: importing it costs every worker
 * thread ~40 ms at start-up, for a path almost no search takes.
 */
const loadMlMatrix = (): typeof import('ml-matrix') => createRequire(import.meta.url)('ml-matrix') as typeof import('ml-matrix');

/**
 * Solve A x = b for a symmetric positive semi-definite row-major d×d `A`: Cholesky
 * when A is positive definite (scikit-learn's `cholesky` solver), otherwise the
 * minimum-norm least-squares solution by SVD (what scikit-learn falls back to).
 * Neither input is modified.
 * @example
 * ```ts
 * solveSymmetric(new Float64Array([4, 1, 1, 3]), new Float64Array([1, 2]), 2); // [1/11, 7/11]
 * ```
 */
export function solveSymmetric(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const L = A.slice(0, d * d);
  const x = b.slice(0, d);
  if (choleskyInPlace(L, d)) {
    choleskySolveInPlace(L, d, x);
    if (x.every(Number.isFinite)) return x;
  }
  return svdSolve(A, b, d);
}

function svdSolve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const { Matrix, SingularValueDecomposition } = loadMlMatrix();
  const M = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M.set(i, j, A[i * d + j]!);
  const x = new SingularValueDecomposition(M, { autoTranspose: true }).solve(Matrix.columnVector(Array.from(b.subarray(0, d))));
  return Float64Array.from(x.getColumn(0));
}
