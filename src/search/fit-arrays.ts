/**
 * The worker side of a search's fit params: the per-row arrays (sample weights) a task names,
 * mapped from its fold set, each checked to exist (a queue message may name anything).
 */
import { ValueError } from '../errors.js';
import type { TaskMessage } from '../workers/protocol.js';
import { mappedFitArrays } from '../workers/store-cache.js';

/**
 * The fit options a task's fits take beside their rows: each fit param's per-row array.
 * @example
 * ```ts
 * model.fit(X, y, { rows: fold.train, ...taskFitParams(task) });
 * ```
 */
export function taskFitParams(task: Pick<TaskMessage, 'store' | 'foldSet' | 'fitParams'>): Record<string, Float64Array> {
  if (!task.fitParams || task.fitParams.length === 0) return {};
  const arrays = mappedFitArrays(task.store, task.foldSet);
  return Object.fromEntries(task.fitParams.map((key) => {
    const values = arrays[key];
    if (values === undefined) throw new ValueError(`refused task: fitParams: fold set ${task.foldSet} holds no fit array ${JSON.stringify(key)}`);
    return [key, values];
  }));
}
