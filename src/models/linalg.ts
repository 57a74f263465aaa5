/**
 * Small dense solves (d×d, d = number of features) delegated to ml-matrix.
 */
import { CholeskyDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Solve A x = b for a symmetric positive semi-definite row-major d×d `A`: Cholesky
 * when A is positive definite (scikit-learn's `cholesky` solver), otherwise the
 * minimum-norm least-squares solution by SVD (what scikit-learn falls back to).
 * @example
 * ```ts
 * solveSymmetric(new Float64Array([4, 1, 1, 3]), new Float64Array([1, 2]), 2); // [1/11, 7/11]
 * ```
 */
export function solveSymmetric(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M.set(i, j, A[i * d + j]!);
  const rhs = Matrix.columnVector(Array.from(b));
  const chol = new CholeskyDecomposition(M);
  const x = chol.isPositiveDefinite() && allFinite(chol.lowerTriangularMatrix)
    ? chol.solve(rhs)
    : new SingularValueDecomposition(M, { autoTranspose: true }).solve(rhs);
  return Float64Array.from(x.getColumn(0));
}

function allFinite(M: Matrix): boolean {
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) if (!Number.isFinite(M.get(i, j))) return false;
  return true;
}
