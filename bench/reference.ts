/**
 * The newton-cg reference of a logistic workload (bench/logistic_reference.py: scikit-learn's
 * converged solver at tol 1e-10, computed once outside the timed runs and cached beside the
 * data) and how far each side's answer is from it.
 */
import type { SideResult } from './common.js';
import { REFERENCE_TIE } from './logistic-specs.js';

/** FOLDER/reference.json as bench/logistic_reference.py writes it. */
export interface Reference {
  readonly settings: Readonly<Record<string, unknown>>;
  /** How long it took (not part of any comparison). */
  readonly seconds: number;
  readonly best_index: number;
  readonly best_params: Readonly<Record<string, number>>;
  readonly mean_test: Readonly<Record<string, readonly number[]>>;
  /** The most Newton steps one fit took. */
  readonly newton_steps_max: number;
  /** The largest |gradient| of scikit-learn 1.2's objective (summed loss + ‖w‖²/2C) left at any fit's answer. */
  readonly grad_max: number;
}

const METRIC = 'neg_log_loss';

/** Largest |side − reference| / |reference| of the mean test neg_log_loss over the candidates; NaN when not comparable. */
export function referenceDiff(result: SideResult, reference: Reference): number {
  const ours = result.mean_test[METRIC];
  const theirs = reference.mean_test[METRIC];
  if (!ours || !theirs || ours.length !== theirs.length) return Number.NaN;
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) {
    const diff = Math.abs(ours[i]! - theirs[i]!) / Math.abs(theirs[i]!);
    // NaN (a blown-up score) must win over any number.
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

/** Does the side pick the reference's best C: `same`, a `tie` (within {@link REFERENCE_TIE} on the reference's own scores) or `differs`? */
export function bestVsReference(result: SideResult, reference: Reference): { verdict: 'same' | 'tie' | 'differs' | 'n/a'; gap: number } {
  const scores = reference.mean_test[METRIC];
  const pick = result.best_index;
  if (pick === undefined || !scores || scores[pick] === undefined) return { verdict: 'n/a', gap: Number.NaN };
  if (pick === reference.best_index) return { verdict: 'same', gap: 0 };
  const best = scores[reference.best_index]!;
  const gap = Math.abs(best - scores[pick]!) / Math.abs(best);
  return { verdict: gap <= REFERENCE_TIE ? 'tie' : 'differs', gap };
}

/** Every mean test score the side reports is a finite number (no blow-up). */
export function allFinite(result: SideResult): boolean {
  return Object.values(result.mean_test).every((scores) => scores.every(Number.isFinite));
}
