/**
 * Warnings from metrics and splitters. Like Python's default warning filter, each distinct
 * message is shown once per thread, so a search over many folds does not flood stderr.
 *
 * Inside a search, a fit's warnings are collected instead ({@link collectWarnings}) and travel
 * back with its record, so the coordinator can report each one once per metric
 * (`search.warnings`), whichever thread or host raised it.
 */

/** One warning as raised: its category (Python's warning class name) and text. */
export interface RaisedWarning {
  readonly type: string;
  readonly message: string;
}

const seen = new Set<string>();
let sink: RaisedWarning[] | undefined;

/** Emit `message` as a process warning of `type` (e.g. `UndefinedMetricWarning`), once per message. */
export function warnOnce(type: string, message: string): void {
  const key = `${type}\u0000${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  process.emitWarning(message, { type });
}

/**
 * Raise a warning: collected when a {@link collectWarnings} call is running, else emitted once.
 * @example
 * ```ts
 * warn('UndefinedMetricWarning', 'R^2 score is not well-defined with less than two samples.');
 * ```
 */
export function warn(type: string, message: string): void {
  if (sink) sink.push({ type, message });
  else warnOnce(type, message);
}

/**
 * Runs `fn` and returns its value with the warnings it raised (none are emitted). Calls nest:
 * an inner call keeps its own warnings.
 * @example
 * ```ts
 * const { value, warnings } = collectWarnings(() => precision(yTrue, yPred, { average: 'macro' }));
 * ```
 */
export function collectWarnings<T>(fn: () => T): { value: T; warnings: RaisedWarning[] } {
  const outer = sink;
  const warnings: RaisedWarning[] = [];
  sink = warnings;
  try {
    return { value: fn(), warnings };
  } finally {
    sink = outer;
  }
}

/**
 * Forget which warnings were shown, so the next of each is shown again (tests start every
 * case from a clean slate; a long-lived program may call it between runs).
 * @example
 * ```ts
 * forgetWarnings();
 * ```
 */
export function forgetWarnings(): void {
  seen.clear();
}
