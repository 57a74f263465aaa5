/**
 * Turns the fits a search needs into tasks, and task results back into fit records.
 * The plain plan gives each task one fold and a run of candidates; models with a fast
 * path (ridge) get a plan whose tasks share work between every candidate and fold.
 */
import type { CandidateRef, TaskMessage } from '../workers/protocol.js';
import { planLogisticPaths } from './logistic-plan.js';
import { errorRecords, messageOf, type PendingFit, type Plan, type PlanInput } from './plan.js';
import { planRidgeStats } from './ridge-plan.js';

/** Tasks per worker the plain plan aims for: enough to balance uneven fits. */
const TASKS_PER_WORKER = 8;

/** Picks the fast plan where one applies, the plain plan otherwise. */
export function planTasks(input: PlanInput): Plan {
  return planRidgeStats(input) ?? planLogisticPaths(input) ?? planCvTasks(input);
}

/**
 * The plain plan: fits grouped by (fold, train size), candidates chunked so that there are
 * about `TASKS_PER_WORKER` tasks per worker.
 */
export function planCvTasks(input: PlanInput): Plan {
  const { pending, candidates, context, concurrency } = input;
  const groups = new Map<string, PendingFit[]>();
  for (const fit of pending) {
    const key = `${fit.fold}/${fit.trainSize ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(fit);
    groups.set(key, list);
  }
  const chunk = Math.max(1, Math.floor(pending.length / (concurrency * TASKS_PER_WORKER)));
  const tasks: TaskMessage[] = [];
  for (const fits of groups.values()) {
    for (let i = 0; i < fits.length; i += chunk) {
      const part = fits.slice(i, i + chunk);
      const first = part[0]!;
      const refs: CandidateRef[] = part.map((f) => ({ id: f.candidate, params: candidates[f.candidate]! }));
      tasks.push({
        kind: 'cv', ...context, candidates: refs, folds: [first.fold],
        ...(first.trainSize === undefined ? {} : { trainSize: first.trainSize }),
      });
    }
  }
  const errorScore = context.errorScore;
  return {
    tasks,
    collect: (_task, result) => [...result.records],
    failed: errorScore === 'raise' ? () => undefined : (task, error) => {
      if (task.kind !== 'cv') return undefined;
      const fits = task.candidates.flatMap((c) => task.folds.map((fold) => ({
        candidate: c.id, fold, ...(task.trainSize === undefined ? {} : { trainSize: task.trainSize }),
      })));
      return errorRecords(fits, task, errorScore, `task failed: ${messageOf(error)}`);
    },
  };
}
