/**
 * Warnings from metrics and splitters. Like Python's default warning filter, each distinct
 * message is shown once per thread, so a search over many folds does not flood stderr.
 */
const seen = new Set<string>();

/** Emit `message` as a process warning of `type` (e.g. `UndefinedMetricWarning`), once per message. */
export function warnOnce(type: string, message: string): void {
  const key = `${type}\u0000${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  process.emitWarning(message, { type });
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
