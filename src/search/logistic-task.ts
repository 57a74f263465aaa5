/**
 * The worker side of logistic regression's fast plan: one fold's warm-started C path, then
 * scoring. For a pipeline the fold's scalers are fitted once and every model on the path reads
 * X through their map; the search's weights (`sampleWeight`, `<step>__sampleWeight`) are the
 * fold set's arrays, read in place.
 */
import { ValueError } from '../errors.js';
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';
import { reusedDecisionFunctions, reusedStackedDecisions, type LogisticRegression } from '../models/logistic.js';
import type { FeatureMap } from '../models/logistic-problem.js';
import { fitLogisticPathDetailed, solverReport, type LogisticPathFit } from '../models/logistic-path.js';
import type { Pipeline } from '../models/pipeline.js';
import { markCheckedFinite } from '../models/segments.js';
import { buildModel } from '../models/registry.js';
import type { FitRecord, LogisticPathTask, LogisticRefitTask, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore, storeLabels, storeTarget } from '../workers/store-cache.js';
import type { EncodedLabels } from '../models/logistic-labels.js';
import { stackedBinaryScores } from './decision-scores.js';
import { taskFitParams } from './fit-arrays.js';
import { pathParams, pathTarget, refitLogistic } from './logistic-plan.js';
import { errorRecords, messageOf } from './plan.js';
import { labelsAt, type Scorer } from './scorers.js';
import { recordScores, type GivenOutputs } from './scoring.js';

/** Runs a `logistic-path` task in this thread. */
export function runLogisticPathTask(task: LogisticPathTask, scorers: ReadonlyMap<string, Scorer>): TaskResult {
  const store = mappedStore(task.store);
  const fold = mappedFolds(task.store, task.foldSet)[task.fold]!;
  const X = store.X as FloatMatrix;
  // The search checked the store's X up front (as `inputsChecked` below says): scoring need not scan the test rows again.
  markCheckedFinite(X);
  const base = task.model.params;
  const target = pathTarget(task.model);
  if (target === undefined) throw new ValueError(`refused task: a logistic-path task needs a LogisticRegression or a pipeline ending in one, found ${task.model.name}`);
  const Cs = task.candidates.map((c) => (c.params[target.cKey] ?? base[target.cKey] ?? 1) as number);
  // Candidates of one path share every param but C (the planner groups them so).
  const params = pathParams({ ...base, ...task.candidates[0]!.params }, target.prefix);
  const fitParams = taskFitParams(task);
  const fits = task.candidates.map((c) => ({ candidate: c.id, fold: task.fold }));
  const t0 = performance.now();
  let path;
  let scalers: Pipeline | undefined;
  try {
    let featureMap: FeatureMap | undefined;
    if (target.prefix !== '') {
      scalers = buildModel(task.model, task.candidates[0]!.params) as Pipeline;
      const map = scalers.fitScalers(X, { rows: fold.train, ...fitParams });
      featureMap = { mean: map.shift, scale: map.scale };
    }
    const sampleWeight = fitParams[`${target.prefix}sampleWeight`];
    path = fitLogisticPathDetailed(X, store.y, fold.train, Cs, params, {
      inputsChecked: true, target: storeTarget(task.store), ...labelsOption(task.store), ...(sampleWeight ? { sampleWeight } : {}), ...(featureMap ? { featureMap } : {}),
      ...(task.start ? { start: Float64Array.from(task.start) } : {}), ...(task.keepCurvatures === true ? { keepCurvatures: true } : {}),
    });
  } catch (error) {
    if (task.errorScore === 'raise') throw error;
    return { records: errorRecords(fits, task, task.errorScore, messageOf(error), (performance.now() - t0) / 1000 / fits.length) };
  }
  // Each candidate's fit time is the time the path spent on its C, warm-started from the
  // candidates before it on the path (README: "fit times on a path").
  const given = pathOutputs(path.models, scalers, X, store.y, fold.test, storeTarget(task.store), scorers);
  const records: FitRecord[] = path.models.map((fitted, i) => {
    const report = path.reports[i]!;
    const model: Estimator = scalers === undefined ? fitted : scalers.withFittedModel(fitted);
    return {
      ...fits[i]!, ...recordScores(scorers, task, model, X, store.y, fold.test, fold.train, given[i]), fitTime: report.seconds,
      solver: solverReport(report), ...(task.keepSolutions ? { solution: Array.from(path.coefficients[i]!) } : {}),
    };
  });
  return { records, coefficients: concat(path.coefficients), ...(path.curvatures ? distinctCurvatures(path.curvatures) : {}) };
}

/**
 * Runs a `logistic-refit` task in this thread: the plan's refit (refitLogistic) on the store's
 * rows, from the task's start and curvature; the model comes back as its state.
 */
export function runLogisticRefitTask(task: LogisticRefitTask): TaskResult {
  const store = mappedStore(task.store);
  if (task.model.name !== 'logistic') throw new ValueError(`refused task: a logistic-refit task needs a LogisticRegression, found ${task.model.name}`);
  const params = { ...task.model.params, ...task.candidate.params };
  const model = refitLogistic(store.X as FloatMatrix, store.y, storeTarget(task.store), params, task.start, task.curvature, storeLabels(task.store));
  const report = model.solverReport();
  return { records: [], model: { state: model.state(), ...(report ? { report } : {}) } };
}

/** The store's encoded labels as a path's option (PathOptions.labels), when y has two classes or more. */
function labelsOption(store: string): { labels?: EncodedLabels } {
  const labels = storeLabels(store);
  return labels ? { labels } : {};
}

/** A path's per-candidate curvatures as a result carries them: each distinct array once, and each candidate's index. */
function distinctCurvatures(curvatures: NonNullable<LogisticPathFit['curvatures']>): Pick<TaskResult, 'curvatures' | 'curvatureOf' | 'weightSum'> {
  const distinct: Float64Array[] = [];
  const curvatureOf = curvatures.hess.map((hess) => {
    if (hess === undefined) return -1;
    const at = distinct.indexOf(hess);
    return at >= 0 ? at : distinct.push(hess) - 1;
  });
  return { curvatures: concat(distinct), curvatureOf, weightSum: curvatures.weightSum };
}

/**
 * The test rows' labels, once for the path, and each model's decision values there from one
 * read of the rows for all of them, in memory the thread reuses task after task (scoring a dozen models one by one read the fold's test rows,
 * and sorted their labels, a dozen times). Binary models scored by accuracy and neg_log_loss
 * only get their scores, all models in one pass over those values (no per-model arrays: dealing
 * 40,000 rows × 12 models into them took ~14 ms a task single-threaded). Behind scalers
 * each model scores on its own.
 */
function pathOutputs(
  models: readonly LogisticRegression[], scalers: Pipeline | undefined, X: FloatMatrix, y: NdArray, test: Int32Array, values: Float64Array,
  scorers: ReadonlyMap<string, Scorer>,
): GivenOutputs[] {
  const yTrue = labelsAt(y, test, values);
  if (scalers !== undefined) return models.map(() => ({ yTrue }));
  const scores = stackedBinaryScores(scorers, models, yTrue, () => reusedStackedDecisions(models, X, test).values);
  if (scores !== undefined) return scores.map((given) => ({ yTrue, scores: given }));
  // Views of this thread's reused buffer: the records below read them before the next task.
  const decisions = reusedDecisionFunctions(models, X, test);
  return decisions.map((decision) => ({ yTrue, decision }));
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
