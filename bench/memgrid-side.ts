/**
 * The memgrid side of the issue-4 benchmark: one workload, one JSON line on stdout with the
 * same keys as bench/sklearn_side.py.
 *
 *     node dist/bench/memgrid-side.js W1|W2|W3|RW|LB|LW|LM|LD|LC [--workers N] [--warm] [--quick]
 *                                     [--data-dir DIR] [--seed N]
 *
 * `--warm` runs the search twice on one executor (createExecutor(N)) and times the second:
 * threads already started, the data already mapped in them, their code already compiled —
 * what a program that shares an executor between searches, or a CLI run's later phases, sees.
 *
 * The cached .npy files are mapped where they are (`openNpy(path, {mode: 'r'})`), never
 * copied. Every logistic workload runs W2's search (tol 1e-8, maxIter 10000) on its own data,
 * and reports `search.solverStats` and the length of `search.warnings` when the library has
 * them; RW runs W1's. `--seed` finds the data of a `--seed` run (bench/data.py). W2b has no memgrid counterpart of its own: the harness compares memgrid's W2 with
 * scikit-learn's LogisticRegressionCV. Exit code 3 and one line on stderr when memgrid's API
 * is missing (see bench/api.ts).
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NdArray } from '../src/data/ndarray.js';
import { loadMemgrid, SkipSide, type FittedSearch, type MemgridApi } from './api.js';
import {
  ALPHAS, benchDir, CS, datasetPaths, EXIT_SKIP, isWorkload, LOGISTIC, LOGISTIC_SCORING, RIDGE_SCORING, TRAIN_SIZES, type SideResult, type Workload,
} from './common.js';
import { isSolverStats } from './format.js';

/** How a search gets its threads: its own pool of N, or a shared, already warm executor. */
type Pool = { readonly workers: number } | { readonly executor: unknown };

type Measured = Omit<SideResult, 'side' | 'workload' | 'quick' | 'workers' | 'rows' | 'cols' | 'dataset_bytes'>;

function seconds(t0: number): number {
  return Math.round(performance.now() - t0) / 1000;
}

/** The columns of a fitted search that sklearn_side.py also prints. */
function searchFields(search: FittedSearch, scoring: readonly string[], refit: string, wall: number): Measured {
  const mean_test: Record<string, number[]> = {};
  for (const metric of scoring) mean_test[metric] = (search.cvResults[`mean_test_${metric}`] ?? []) as number[];
  return {
    wall_s: wall, best_index: search.bestIndex, best_params: search.bestParams, best_score: search.bestScore,
    refit, candidates: search.cvResults.params, mean_test,
  };
}

async function ridgeGrid(api: MemgridApi, X: NdArray, y: NdArray, pool: Pool): Promise<Measured> {
  const { scoring, refit } = RIDGE_SCORING;
  const t0 = performance.now();
  const search = await new api.GridSearch(new api.Ridge({ alpha: 1 }), { alpha: ALPHAS }, {
    cv: new api.KFold({ nSplits: 5 }), scoring: [...scoring], refit, ...pool,
  }).fit(X, y);
  return searchFields(search, scoring, refit, seconds(t0));
}

async function logisticGrid(api: MemgridApi, X: NdArray, y: NdArray, pool: Pool): Promise<Measured> {
  const { scoring, refit } = LOGISTIC_SCORING;
  const t0 = performance.now();
  const search = await new api.GridSearch(new api.LogisticRegression({ C: 1, ...LOGISTIC }), { C: CS }, {
    cv: new api.StratifiedKFold({ nSplits: 5 }), scoring: [...scoring], refit, ...pool,
  }).fit(X, y);
  const wall = seconds(t0);
  return {
    ...searchFields(search, scoring, refit, wall),
    ...(isSolverStats(search.solverStats) ? { solver_stats: search.solverStats } : {}),
    ...(Array.isArray(search.warnings) ? { warnings: search.warnings.length } : {}),
  };
}

async function ridgeCurve(api: MemgridApi, X: NdArray, y: NdArray, pool: Pool): Promise<Measured> {
  const t0 = performance.now();
  const curve = await api.learningCurve(new api.Ridge({ alpha: 1 }), X, y, {
    trainSizes: TRAIN_SIZES, cv: new api.KFold({ nSplits: 5 }), ...pool,
  });
  const wall = seconds(t0);
  const mean = (row: readonly number[]): number => row.reduce((a, b) => a + b, 0) / row.length;
  return {
    wall_s: wall, train_sizes: curve.trainSizes, test_scores: curve.testScores,
    mean_test: { [curve.scoring]: curve.testScores.map(mean) },
  };
}

const RUNNERS: Record<Exclude<Workload, 'W2b'>, typeof ridgeGrid> = {
  W1: ridgeGrid, W2: logisticGrid, W3: ridgeCurve, RW: ridgeGrid,
  LB: logisticGrid, LW: logisticGrid, LM: logisticGrid, LD: logisticGrid, LC: logisticGrid,
};

/** The workload twice on one executor; the second run's measurements. */
async function warmRun(api: MemgridApi, workload: Exclude<Workload, 'W2b'>, X: NdArray, y: NdArray, workers: number): Promise<Measured> {
  const executor = api.createExecutor(workers);
  try {
    await RUNNERS[workload](api, X, y, { executor });
    return await RUNNERS[workload](api, X, y, { executor });
  } finally {
    await executor.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: '2' }, warm: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false },
      'data-dir': { type: 'string' }, seed: { type: 'string' },
    },
  });
  const workload = positionals[0] ?? '';
  const workers = Number(values.workers);
  if (!isWorkload(workload) || workload === 'W2b') throw new RangeError(`workload must be one of ${Object.keys(RUNNERS).join(', ')}, found ${JSON.stringify(workload)}`);
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`--workers must be a non-negative integer, found ${values.workers}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const paths = datasetPaths(values['data-dir'] ?? benchDir(), workload, values.quick, seed);
  const api = await loadMemgrid();
  const X = api.openNpy(paths.X, { mode: 'r' });
  const y = api.openNpy(paths.y, { mode: 'r' });
  const measured = values.warm ? await warmRun(api, workload, X, y, workers) : await RUNNERS[workload](api, X, y, { workers });
  const result: SideResult = {
    side: 'memgrid', workload, quick: values.quick, workers, ...(values.warm ? { warm: true } : {}), rows: X.shape[0] ?? 0, cols: X.shape[1] ?? 0,
    dataset_bytes: statSync(paths.X).size + statSync(paths.y).size,
    versions: { node: process.versions.node }, ...measured,
  };
  // Exit explicitly once the line is out: a pool thread left behind must not hold the timing run open.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  const skip = error instanceof SkipSide;
  const message = error instanceof Error ? (skip ? error.message : `${error.name}: ${error.message}`) : String(error);
  process.stderr.write(`memgrid-side: ${message}\n`);
  if (!skip && error instanceof Error && process.env['MEMGRID_BENCH_DEBUG']) process.stderr.write(`${error.stack}\n`);
  process.exit(skip ? EXIT_SKIP : 1);
});
