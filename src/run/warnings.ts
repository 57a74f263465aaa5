/**
 * Failed fits of a run: collected from every phase (run now or restored from the journal) for
 * results.json's `fitErrors`, and summed up in one line of results.json's `warnings`, which the
 * CLI prints once at the end of the run (scikit-learn's FitFailedWarning).
 */
import type { FitKey } from '../search/options.js';
import type { RunFitError } from '../report/types.js';
import type { FitRecord } from '../workers/protocol.js';
import type { Phase } from './journal.js';

/** Longest failure message quoted in the one-line summary. */
const MESSAGE_CHARS = 120;
/** Distinct failure messages quoted before "and N other error(s)". */
const MESSAGES_SHOWN = 2;

/**
 * Failed fits of every phase of a run, whether run now or restored from the journal: one per
 * fit key, so a fit seen twice (restored, then reported again) counts once.
 * @example
 * ```ts
 * const failures = new FitFailureLog();
 * failures.add('search', record, key); // ignored unless record.error is set
 * ```
 */
export class FitFailureLog {
  private readonly byKey = new Map<string, RunFitError>();

  add(phase: Phase, record: FitRecord, key: FitKey): void {
    if (record.error === undefined) return;
    const id = JSON.stringify([phase, key.params, key.fold, key.trainSize ?? null]);
    this.byKey.set(id, {
      phase, params: key.params, fold: key.fold, ...(key.trainSize === undefined ? {} : { trainSize: key.trainSize }), message: record.error,
    });
  }

  /** Every failure, in the order they were first seen. */
  list(): RunFitError[] {
    return [...this.byKey.values()];
  }
}

/**
 * scikit-learn's FitFailedWarning in one line (none when no fit failed): how many failed out
 * of how many, the commonest messages, and where the list is.
 * @example
 * ```ts
 * failedFitsWarning(errors, 180); // ['3 of 180 fits failed: y has a single class ... (3 fits); see results.json fitErrors']
 * ```
 */
export function failedFitsWarning(errors: readonly RunFitError[], total: number): string[] {
  if (errors.length === 0) return [];
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.message, (counts.get(e.message) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, MESSAGES_SHOWN).map(([message, n]) => `${oneLine(message)} (${n} fit${n === 1 ? '' : 's'})`);
  const more = ranked.length > MESSAGES_SHOWN ? `; and ${ranked.length - MESSAGES_SHOWN} other error(s)` : '';
  return [`${errors.length} of ${total} fits failed: ${shown.join('; ')}${more}; see results.json fitErrors`];
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_CHARS ? `${flat.slice(0, MESSAGE_CHARS - 1)}…` : flat;
}
