/**
 * The warnings of a search's fits, gathered: each distinct warning once, with the metric that
 * raised it and how many fits did (scikit-learn shows each once too, through Python's filter).
 */
import type { FitRecord } from '../workers/protocol.js';

/** One warning of a search: what it says, which metric raised it, and on how many fits. */
export interface SearchWarning {
  /** Python's warning class name: `UndefinedMetricWarning`, `UserWarning`, ... */
  readonly type: string;
  readonly message: string;
  /** The metric whose scoring raised it; absent for warnings of the fit itself. */
  readonly metric?: string;
  /** Fits that raised it. */
  readonly count: number;
}

/**
 * Each distinct (metric, type, message) of the records' warnings once, with the number of
 * fits that raised it, in order of first appearance.
 * @example
 * ```ts
 * gatherWarnings(records); // [{ type: 'UserWarning', metric: 'roc_auc', message: 'Scoring failed. ...', count: 10 }]
 * ```
 */
export function gatherWarnings(records: readonly FitRecord[]): SearchWarning[] {
  const byKey = new Map<string, { type: string; message: string; metric?: string; count: number }>();
  for (const record of records) {
    const seen = new Set<string>();
    for (const w of record.warnings ?? []) {
      const key = `${w.metric ?? ''}\u0000${w.type}\u0000${w.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = byKey.get(key);
      if (entry) entry.count++;
      else byKey.set(key, { type: w.type, message: w.message, ...(w.metric === undefined ? {} : { metric: w.metric }), count: 1 });
    }
  }
  return [...byKey.values()];
}

/**
 * One line for a warning, naming the metric and the fits: what stderr and reports show.
 * @example
 * ```ts
 * formatWarning(w, 10); // "roc_auc, 10 of 10 fits: UserWarning: Scoring failed. ..."
 * ```
 */
export function formatWarning(warning: SearchWarning, fits?: number): string {
  const count = fits === undefined ? `${warning.count} fit${warning.count === 1 ? '' : 's'}` : `${warning.count} of ${fits} fits`;
  return `${warning.metric === undefined ? '' : `${warning.metric}, `}${count}: ${warning.type}: ${warning.message}`;
}
