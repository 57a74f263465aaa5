/**
 * Issue 10's logistic workloads: memgrid's converged GridSearch against each of scikit-learn's
 * ways to run the same search (bench/sklearn_logistic.py), judged against a newton-cg
 * reference (bench/logistic_reference.py), with the issue's targets as data.
 */
import type { LogisticWorkload } from './common.js';

/** scikit-learn's ways to search C (bench/sklearn_logistic.py's CONTENDERS). */
export type Contender = 'lbfgs' | 'newton-cholesky' | 'lrcv' | 'default';

export const CONTENDER_LABELS: Readonly<Record<Contender, string>> = {
  lbfgs: 'GridSearchCV(lbfgs)',
  'newton-cholesky': 'GridSearchCV(newton-cholesky)',
  lrcv: 'LogisticRegressionCV(lbfgs)',
  default: 'GridSearchCV(LogisticRegression()) default tol 1e-4, max_iter 100',
};

/** The contenders run at tol 1e-8, max_iter 10000: "the best scikit-learn" is the fastest of these. */
export const CONVERGED: readonly Contender[] = ['lbfgs', 'newton-cholesky', 'lrcv'];

/**
 * One clause of a target: memgrid at least `atLeast` times faster (search wall) than the
 * fastest of `against`, or converged: every mean test score finite, neg_log_loss within
 * `maxRelDiff` of the newton-cg reference and the reference's best C (or a tie).
 */
export type Clause =
  | { readonly kind: 'speed'; readonly against: readonly Contender[]; readonly atLeast: number }
  | { readonly kind: 'converges'; readonly maxRelDiff: number };

export interface LogisticSpec {
  readonly title: string;
  /** Candidates × folds, for the heading. */
  readonly shape: string;
  /** The contenders run, in the table's order (newton-cholesky only for binary: scikit-learn 1.2 has no multinomial one). */
  readonly contenders: readonly Contender[];
  /** Issue 10's target: all clauses must hold. */
  readonly target: readonly Clause[];
}

const GRID = '12 C logspace(-4, 2, 12) × 5-fold StratifiedKFold, accuracy + neg_log_loss, refit neg_log_loss';
const BINARY: readonly Contender[] = ['lbfgs', 'newton-cholesky', 'lrcv'];
const MULTI: readonly Contender[] = ['lbfgs', 'lrcv'];

/**
 * Relative tolerance under which two C count as a tie on the reference's mean test
 * neg_log_loss (the reference is newton-cg at tol 1e-10; see bench/logistic_reference.py).
 */
export const REFERENCE_TIE = 1e-9;

export const LOGISTIC_SPECS: Readonly<Record<LogisticWorkload, LogisticSpec>> = {
  LB: {
    title: 'LB binary, n ≫ d, well-conditioned (200,000 × 32)', shape: GRID, contenders: BINARY,
    target: [{ kind: 'speed', against: ['lbfgs'], atLeast: 6 }, { kind: 'speed', against: ['lrcv', 'newton-cholesky'], atLeast: 2 }],
  },
  LW: {
    title: 'LW binary, wide, correlated features (100,000 × 128)', shape: GRID, contenders: BINARY,
    target: [{ kind: 'speed', against: CONVERGED, atLeast: 3 }],
  },
  LM: {
    title: 'LM multinomial, 10 classes (100,000 × 32)', shape: GRID, contenders: MULTI,
    target: [{ kind: 'speed', against: CONVERGED, atLeast: 2 }],
  },
  LD: {
    title: "LD scikit-learn's digits, unscaled (1,797 × 64, 10 classes)", shape: GRID, contenders: [...MULTI, 'default'],
    target: [{ kind: 'speed', against: ['default'], atLeast: 1 }],
  },
  LC: {
    title: "LC scikit-learn's breast_cancer, unscaled, ill-conditioned (569 × 30)", shape: GRID, contenders: [...BINARY, 'default'],
    target: [{ kind: 'converges', maxRelDiff: 1e-6 }],
  },
};

/** A clause as the table prints it. */
export function clauseText(clause: Clause): string {
  if (clause.kind === 'converges') {
    return `converges: scores finite, neg_log_loss within ${clause.maxRelDiff.toExponential(0)} of newton-cg, same best C`;
  }
  const names = clause.against.map((c) => CONTENDER_LABELS[c].split(' ')[0]!);
  return `≥ ${clause.atLeast}× ${names.length === 1 ? names[0] : `the fastest of ${names.join(', ')}`}`;
}
