/**
 * What both sides of the benchmark agree on: the workloads, their grids (bit-identical to
 * scikit-learn's), where the cached data lives, and the JSON line each side prints. The
 * issue-10 logistic workloads (several scikit-learn contenders each) are described in
 * bench/logistic-specs.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exit code of a side that cannot run here (memgrid API or numpy missing): reported as skipped. */
export const EXIT_SKIP = 3;

/**
 * Workloads compared with one scikit-learn run each: issue 4's (W2b is scikit-learn's
 * `LogisticRegressionCV` on W2's search) and issue 10's wide ridge RW.
 */
export const PAIR_WORKLOADS = ['W1', 'W2', 'W2b', 'W3', 'RW'] as const;
export type PairWorkload = (typeof PAIR_WORKLOADS)[number];

/** Issue 10's logistic workloads, each against several scikit-learn contenders (bench/logistic-specs.ts). */
export const LOGISTIC_WORKLOADS = ['LB', 'LW', 'LM', 'LD', 'LC'] as const;
export type LogisticWorkload = (typeof LOGISTIC_WORKLOADS)[number];

/** Every workload, in the order a full run takes them. */
export const WORKLOADS = [...PAIR_WORKLOADS, ...LOGISTIC_WORKLOADS] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Dataset folders written by bench/data.py. */
export type Dataset = 'w1' | 'w2' | 'rw' | 'lb' | 'lw' | 'lm' | 'digits' | 'cancer';

/** Synthetic sets that `--seed N` regenerates under `<dir>/seed-N/` (bench/data.py's SEEDED). */
const SEEDED: readonly Dataset[] = ['lb', 'lw', 'lm', 'rw'];

/** scikit-learn's bundled sets: one copy under `<dir>/bundled/`, whole in quick runs too. */
const BUNDLED: readonly Dataset[] = ['digits', 'cancer'];

/** Each workload's dataset. */
export const DATASET_OF: Readonly<Record<Workload, Dataset>> = {
  W1: 'w1', W2: 'w2', W2b: 'w2', W3: 'w1', RW: 'rw', LB: 'lb', LW: 'lw', LM: 'lm', LD: 'digits', LC: 'cancer',
};

/**
 * `np.logspace(-3, 4, 25).tolist()`, copied rather than recomputed: V8's `Math.pow` differs
 * from numpy's `power` by one ulp on five of these, and both sides must try the same alphas.
 */
export const ALPHAS: readonly number[] = [
  0.001, 0.0019573417814876598, 0.0038311868495572894, 0.007498942093324559, 0.014677992676220698,
  0.028729848333536655, 0.056234132519034905, 0.11006941712522103, 0.21544346900318845, 0.4216965034285822,
  0.825404185268019, 1.6155980984398746, 3.162277660168379, 6.18965818891261, 12.115276586285901,
  23.71373705661655, 46.41588833612782, 90.85175756516881, 177.82794100389228, 348.07005884284126,
  681.2920690579622, 1333.5214321633239, 2610.1572156825387, 5108.969774506934, 10000.0,
];

/** `np.logspace(-4, 2, 12).tolist()` (see {@link ALPHAS} for why it is a literal). */
export const CS: readonly number[] = [
  9.999999999999999e-5, 0.0003511191734215131, 0.0012328467394420659, 0.004328761281083057,
  0.015199110829529332, 0.05336699231206307, 0.1873817422860383, 0.6579332246575675, 2.310129700083158,
  8.111308307896856, 28.480358684357988, 100.0,
];

/** `np.linspace(0.1, 1.0, 10).tolist()`. */
export const TRAIN_SIZES: readonly number[] = [0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7000000000000001, 0.8, 0.9, 1.0];

/** The scikit-learn settings the logistic workloads share. */
export const LOGISTIC = { tol: 1e-8, maxIter: 10000 } as const;

/** The ridge workloads' scorers (W1, RW) and the one their refit picks by. */
export const RIDGE_SCORING = { scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2' } as const;

/** The logistic workloads' scorers (W2, LB … LC) and the one their refit picks by. */
export const LOGISTIC_SCORING = { scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss' } as const;

/** A pair workload's fixed description: what it reports, and its issue's targets. */
export interface WorkloadSpec {
  readonly title: string;
  /** Candidates × folds, for the table heading. */
  readonly shape: string;
  /** Minimum scikit-learn wall / memgrid wall (issue 4's floor) and the stretch aim. */
  readonly speedTarget: number;
  readonly speedAim?: number;
  /** Peak-PSS ceiling in MiB given the dataset size in MiB, when the issue sets one. */
  readonly pssCeiling?: { readonly label: string; readonly mib: (datasetMib: number) => number };
  /**
   * Relative gap between scikit-learn's best score and its score for memgrid's pick under
   * which two different picks count as a tie: the scores are flat near the optimum, and
   * lbfgs at tol 1e-8 leaves ~1e-6 of slack (GridSearchCV and LogisticRegressionCV differ
   * by that much on W2).
   */
  readonly tieTolerance: number;
  /** Also run memgrid with 1 worker and on warm pools (issue 4's 1 → 2 workers target). */
  readonly scaling: boolean;
}

export const SPECS: Readonly<Record<PairWorkload, WorkloadSpec>> = {
  W1: {
    title: 'W1 ridge grid (r2 + neg_mean_squared_error, refit r2)', shape: '25 alphas × 5-fold KFold',
    speedTarget: 20, speedAim: 50, tieTolerance: 1e-9, scaling: true,
    pssCeiling: { label: '≤ 1.6× dataset', mib: (d) => 1.6 * d },
  },
  W2: {
    title: 'W2 logistic grid (accuracy + neg_log_loss, refit neg_log_loss)', shape: '12 C × 5-fold StratifiedKFold',
    speedTarget: 3, tieTolerance: 1e-5, scaling: true,
    pssCeiling: { label: '≤ dataset + 150 MiB', mib: (d) => d + 150 },
  },
  W2b: {
    title: "W2b memgrid's W2 search vs scikit-learn's warm-started LogisticRegressionCV (neg_log_loss)",
    shape: '12 C × 5-fold StratifiedKFold', speedTarget: 2, tieTolerance: 1e-5, scaling: false,
  },
  W3: {
    title: 'W3 ridge learning curve (alpha 1, r2)', shape: '10 train sizes × 5-fold KFold',
    speedTarget: 10, speedAim: 25, tieTolerance: 1e-9, scaling: true,
  },
  RW: {
    title: 'RW wide ridge grid, 50,000 × 512 (r2 + neg_mean_squared_error, refit r2)',
    shape: '25 alphas × 5-fold KFold', speedTarget: 20, tieTolerance: 1e-9, scaling: false,
  },
};

/**
 * The JSON line each side prints (bench/sklearn_side.py writes the same keys). Searches fill
 * the `best_*` and `candidates` fields; the learning curve fills `train_sizes` and `test_scores`.
 */
export interface SideResult {
  readonly side: 'memgrid' | 'sklearn';
  readonly workload: Workload;
  readonly quick: boolean;
  /** Seconds spent in the search call alone (including the refit), timed inside the process. */
  readonly wall_s: number;
  readonly workers: number;
  /** memgrid `--warm`: wall_s is a second search on the same, already started executor. */
  readonly warm?: boolean;
  readonly rows: number;
  readonly cols: number;
  readonly dataset_bytes: number;
  readonly versions?: Readonly<Record<string, string>>;
  readonly best_index?: number;
  readonly best_params?: Readonly<Record<string, unknown>>;
  readonly best_score?: number;
  readonly refit?: string;
  readonly candidates?: readonly Readonly<Record<string, unknown>>[];
  /** Mean test score per candidate (or per train size), keyed by scorer name. */
  readonly mean_test: Readonly<Record<string, readonly number[]>>;
  readonly train_sizes?: readonly number[];
  readonly test_scores?: readonly (readonly number[])[];
  /** scikit-learn logistic contenders (bench/sklearn_logistic.py): which one ran. */
  readonly contender?: string;
  /** scikit-learn: the largest `n_iter_` of the refit model (every fit's for LogisticRegressionCV), and its cap. */
  readonly n_iter_max?: number;
  readonly max_iter?: number;
  /** memgrid logistic searches: `search.solverStats` when the library reports it. */
  readonly solver_stats?: SolverStats;
  /** memgrid: how many lines `search.warnings` had (about fits stopped by maxIter), when it has the field. */
  readonly warnings?: number;
}

/**
 * Work done by memgrid's logistic solver over a search (`search.solverStats`): passes are in
 * units of one pass over a fit's training rows, summed over the `fits`.
 */
export interface SolverStats {
  readonly fits: number;
  readonly newtonSteps: number;
  readonly gradientPasses: number;
  readonly hessianPasses: number;
  /** Fits that stopped at maxIter before their tolerance (absent in older reports). */
  readonly notConverged?: number;
}

/** The repository root, from this file's place in `dist/bench/` (or `bench/` under tsx). */
export function repoRoot(): string {
  const up2 = fileURLToPath(new URL('../../', import.meta.url));
  return existsSync(join(up2, 'package.json')) ? up2 : fileURLToPath(new URL('../', import.meta.url));
}

/** Where bench/data.py caches the datasets: `$MEMGRID_BENCH_DIR` or `<repo>/.cache/bench`. */
export function benchDir(): string {
  return process.env['MEMGRID_BENCH_DIR'] || join(repoRoot(), '.cache', 'bench');
}

/**
 * The X.npy / y.npy paths of a workload's dataset (bench/data.py's layout): `seed` (from
 * `--seed`) moves the seeded synthetic sets to `<dir>/seed-N/`.
 */
export function datasetPaths(dir: string, workload: Workload, quick: boolean, seed?: number): { X: string; y: string; folder: string } {
  const dataset = DATASET_OF[workload];
  const size = quick ? 'quick' : 'full';
  const folder = BUNDLED.includes(dataset) ? join(dir, 'bundled', dataset)
    : seed !== undefined && SEEDED.includes(dataset) ? join(dir, `seed-${seed}`, size, dataset) : join(dir, size, dataset);
  return { folder, X: join(folder, 'X.npy'), y: join(folder, 'y.npy') };
}

/** Does the workload run on one of scikit-learn's bundled sets (whole in quick runs too)? */
export function isBundled(workload: Workload): boolean {
  return BUNDLED.includes(DATASET_OF[workload]);
}

/** Is `value` one of the workload ids (case as written in the issue)? */
export function isWorkload(value: string): value is Workload {
  return (WORKLOADS as readonly string[]).includes(value);
}

/** Is `workload` one of issue 10's logistic workloads (several scikit-learn contenders)? */
export function isLogisticWorkload(workload: Workload): workload is LogisticWorkload {
  return (LOGISTIC_WORKLOADS as readonly string[]).includes(workload);
}
