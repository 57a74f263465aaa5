/**
 * The task handler: what a worker (or the inline executor) does with one task message.
 * Maps the store through the per-thread cache, fits each candidate on each fold's training
 * rows in place (with the fold set's sample weights, when the search has them), and scores it.
 * A failing fit becomes an error record unless errorScore is 'raise'; a failing metric scores
 * errorScore with a warning and the others are still reported.
 */
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';
import { buildModel } from '../models/registry.js';
import type { CvTask, FitRecord, FitWarning, TaskMessage, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore } from '../workers/store-cache.js';
import { checkTaskBounds } from '../workers/task-bounds.js';
import { taskFitParams } from './fit-arrays.js';
import { runLogisticPathTask, runLogisticRefitTask } from './logistic-task.js';
import { errorRecords, messageOf } from './plan.js';
import { runRidgeStatsTask } from './ridge-task.js';
import type { Scorer } from './scorers.js';
import { recordScores, taskScorers } from './scoring.js';
import { collectWarnings } from './warnings.js';

/**
 * Runs one task in this thread. Exported for executors as the handler module's `handleTask`.
 * Every index the task carries is checked against the store it names first.
 */
export function handleTask(task: TaskMessage): TaskResult | Promise<TaskResult> {
  const store = mappedStore(task.store);
  const folds = mappedFolds(task.store, task.foldSet);
  checkTaskBounds(task, { nRows: store.X.shape[0]!, nCols: store.X.shape[1]!, trainSizes: folds.map((f) => f.train.length) });
  if (task.kind === 'ridge-stats') return runRidgeStatsTask(task);
  if (task.kind === 'logistic-refit') return runLogisticRefitTask(task);
  const scorers = taskScorers(task);
  if (scorers instanceof Promise) return scorers.then((found) => runScoredTask(task, found));
  return runScoredTask(task, scorers);
}

function runScoredTask(task: Exclude<TaskMessage, { kind: 'ridge-stats' | 'logistic-refit' }>, scorers: ReadonlyMap<string, Scorer>): TaskResult {
  return task.kind === 'cv' ? runCvTask(task, scorers) : runLogisticPathTask(task, scorers);
}

function runCvTask(task: CvTask, scorers: ReadonlyMap<string, Scorer>): TaskResult {
  const store = mappedStore(task.store);
  const folds = mappedFolds(task.store, task.foldSet);
  const fitParams = taskFitParams(task);
  const X = store.X as FloatMatrix;
  const records: FitRecord[] = [];
  for (const candidate of task.candidates) {
    for (const foldId of task.folds) {
      const fold = folds[foldId]!;
      const train = task.trainSize === undefined ? fold.train : fold.train.subarray(0, task.trainSize);
      const model = buildModel(task.model, candidate.params);
      const base = { candidate: candidate.id, fold: foldId, ...(task.trainSize === undefined ? {} : { trainSize: task.trainSize }) };
      records.push(fitAndScore({ task, scorers, model, X, y: store.y, train, test: fold.test, fitParams }, base));
    }
  }
  return { records };
}

interface FitJob {
  readonly task: CvTask;
  readonly scorers: ReadonlyMap<string, Scorer>;
  readonly model: Estimator;
  readonly X: FloatMatrix;
  readonly y: NdArray;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly fitParams: Readonly<Record<string, Float64Array>>;
}

function fitAndScore(job: FitJob, base: Pick<FitRecord, 'candidate' | 'fold' | 'trainSize'>): FitRecord {
  const { task, model, X, y, train, test } = job;
  const t0 = performance.now();
  let fitWarnings: FitWarning[];
  try {
    const options = Object.keys(job.fitParams).length === 0 ? train : { rows: train, ...job.fitParams };
    fitWarnings = collectWarnings(() => model.fit(X, y, options)).warnings;
  } catch (error) {
    if (task.errorScore === 'raise') throw error;
    return errorRecords([base], task, task.errorScore, messageOf(error), (performance.now() - t0) / 1000)[0]!;
  }
  const fitTime = (performance.now() - t0) / 1000;
  const scored = recordScores(job.scorers, task, model, X, y, test, train);
  const warnings = [...fitWarnings, ...(scored.warnings ?? [])];
  const solver = model.solverReport?.();
  return { ...base, ...scored, ...(warnings.length > 0 ? { warnings } : {}), fitTime, ...(solver ? { solver } : {}) };
}
