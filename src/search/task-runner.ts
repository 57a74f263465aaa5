/**
 * The task handler: what a worker (or the inline executor) does with one task message.
 * Maps the store through the per-thread cache, fits each candidate on each fold's training
 * rows in place, and scores it. A failing fit becomes an error record unless errorScore is 'raise'.
 */
import { createModel } from '../models/registry.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';
import type { NdArray } from '../data/ndarray.js';
import type { CvTask, FitRecord, TaskMessage, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore } from '../workers/store-cache.js';
import { checkTaskBounds } from '../workers/task-bounds.js';
import { runLogisticPathTask } from './logistic-task.js';
import { runRidgeStatsTask } from './ridge-task.js';
import { errorRecords, messageOf } from './plan.js';
import { scoreMany } from './scorers.js';

/**
 * Runs one task in this thread. Exported for executors as the handler module's `handleTask`.
 * Every index the task carries is checked against the store it names first.
 */
export function handleTask(task: TaskMessage): TaskResult {
  const store = mappedStore(task.store);
  const folds = mappedFolds(task.store, task.foldSet);
  checkTaskBounds(task, { nRows: store.X.shape[0]!, nCols: store.X.shape[1]!, trainSizes: folds.map((f) => f.train.length) });
  switch (task.kind) {
    case 'cv':
      return runCvTask(task);
    case 'ridge-stats':
      return runRidgeStatsTask(task);
    case 'logistic-path':
      return runLogisticPathTask(task);
  }
}

function runCvTask(task: CvTask): TaskResult {
  const store = mappedStore(task.store);
  const folds = mappedFolds(task.store, task.foldSet);
  const X = store.X as FloatMatrix;
  const records: FitRecord[] = [];
  for (const candidate of task.candidates) {
    for (const foldId of task.folds) {
      const fold = folds[foldId]!;
      const train = task.trainSize === undefined ? fold.train : fold.train.subarray(0, task.trainSize);
      const model = createModel(task.model.name, { ...task.model.params, ...candidate.params });
      const base = { candidate: candidate.id, fold: foldId, ...(task.trainSize === undefined ? {} : { trainSize: task.trainSize }) };
      records.push(fitAndScore(task, model, X, store.y, train, fold.test, base));
    }
  }
  return { records };
}

function fitAndScore(
  task: CvTask, model: Estimator, X: FloatMatrix, y: NdArray, train: Int32Array, test: Int32Array,
  base: Pick<FitRecord, 'candidate' | 'fold' | 'trainSize'>,
): FitRecord {
  const t0 = performance.now();
  try {
    model.fit(X, y, train);
  } catch (error) {
    if (task.errorScore === 'raise') throw error;
    return errorRecords([base], task, task.errorScore, messageOf(error), (performance.now() - t0) / 1000)[0]!;
  }
  const t1 = performance.now();
  const testScores = scoreMany(task.scoring, model, X, y, test);
  const t2 = performance.now();
  const trainScores = task.returnTrainScore ? { train: scoreMany(task.scoring, model, X, y, train) } : {};
  const solver = model.solverReport?.();
  return {
    ...base, test: testScores, ...trainScores, fitTime: (t1 - t0) / 1000, scoreTime: (t2 - t1) / 1000, ...(solver ? { solver } : {}),
  };
}
