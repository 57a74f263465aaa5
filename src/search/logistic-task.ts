/** The worker side of logistic regression's fast plan: one fold's warm-started C path, then scoring. */
import type { FloatMatrix } from '../models/estimator.js';
import { fitLogisticPathDetailed, solverReport } from '../models/logistic-path.js';
import type { FitRecord, LogisticPathTask, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore } from '../workers/store-cache.js';
import { pathParams } from './logistic-plan.js';
import { errorRecords, messageOf } from './plan.js';
import type { Scorer } from './scorers.js';
import { recordScores } from './scoring.js';

/** Runs a `logistic-path` task in this thread. */
export function runLogisticPathTask(task: LogisticPathTask, scorers: ReadonlyMap<string, Scorer>): TaskResult {
  const store = mappedStore(task.store);
  const fold = mappedFolds(task.store, task.foldSet)[task.fold]!;
  const X = store.X as FloatMatrix;
  const base = task.model.params;
  const Cs = task.candidates.map((c) => (c.params['C'] ?? base['C'] ?? 1) as number);
  // Candidates of one path share every param but C (the planner groups them so).
  const params = pathParams({ ...base, ...task.candidates[0]!.params });
  const fits = task.candidates.map((c) => ({ candidate: c.id, fold: task.fold }));
  const t0 = performance.now();
  let path;
  try {
    path = fitLogisticPathDetailed(X, store.y, fold.train, Cs, params, { inputsChecked: true });
  } catch (error) {
    if (task.errorScore === 'raise') throw error;
    return { records: errorRecords(fits, task, task.errorScore, messageOf(error), (performance.now() - t0) / 1000 / fits.length) };
  }
  // Each candidate's fit time is the time the path spent on its C, warm-started from the
  // candidates before it on the path (README: "fit times on a path").
  const records: FitRecord[] = path.models.map((model, i) => {
    const report = path.reports[i]!;
    return { ...fits[i]!, ...recordScores(scorers, task, model, X, store.y, fold.test, fold.train), fitTime: report.seconds, solver: solverReport(report) };
  });
  return { records, coefficients: concat(path.coefficients) };
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
