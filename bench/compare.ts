/**
 * Do the two sides agree? The best candidate (exactly, or as a tie within the workload's
 * tolerance) and the mean test scores (largest relative difference).
 */
import type { SideResult, WorkloadSpec } from './common.js';

/** How memgrid's pick relates to scikit-learn's. */
export interface BestAgreement {
  readonly verdict: 'same' | 'tie' | 'differs' | 'n/a';
  /** Human-readable detail for the table: indexes, params, the score gap. */
  readonly detail: string;
}

/** Largest |a − b| / max(|b|, 1e-300) over the metrics and entries both sides report; NaN if none shared. */
export function maxRelativeDifference(memgrid: SideResult, sklearn: SideResult): number {
  let worst = Number.NaN;
  for (const [metric, theirs] of Object.entries(sklearn.mean_test)) {
    const ours = memgrid.mean_test[metric];
    if (!ours || ours.length !== theirs.length) continue;
    for (let i = 0; i < theirs.length; i++) {
      const diff = Math.abs(ours[i]! - theirs[i]!) / Math.max(Math.abs(theirs[i]!), 1e-300);
      worst = Number.isNaN(worst) || diff > worst || Number.isNaN(diff) ? diff : worst;
    }
  }
  return worst;
}

function params(p: Readonly<Record<string, unknown>> | undefined): string {
  return p ? Object.entries(p).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(5) : String(v)}`).join(', ') : '?';
}

/**
 * Compares the best candidates. Scores near the optimum are often flat to 1e-9 (W1) or 1e-6
 * (W2), so a different pick whose scikit-learn score is within `spec.tieTolerance` of
 * scikit-learn's best is a tie, not a disagreement.
 */
export function compareBest(memgrid: SideResult, sklearn: SideResult, spec: WorkloadSpec): BestAgreement {
  if (memgrid.train_sizes || sklearn.train_sizes) return compareSizes(memgrid, sklearn);
  const ours = memgrid.best_index;
  const theirs = sklearn.best_index;
  const refit = sklearn.refit ?? '';
  const theirScores = sklearn.mean_test[refit];
  if (ours === undefined || theirs === undefined || !theirScores) return { verdict: 'n/a', detail: 'no best candidate reported' };
  if (ours === theirs) return { verdict: 'same', detail: `#${ours} (${params(sklearn.best_params)})` };
  const gap = Math.abs(theirScores[theirs]! - theirScores[ours]!) / Math.abs(theirScores[theirs]!);
  const both = `memgrid #${ours} (${params(memgrid.best_params)}), scikit-learn #${theirs} (${params(sklearn.best_params)}); `
    + `scikit-learn's ${refit} differs by ${gap.toExponential(1)} between them`;
  return { verdict: gap <= spec.tieTolerance ? 'tie' : 'differs', detail: both };
}

function compareSizes(memgrid: SideResult, sklearn: SideResult): BestAgreement {
  const a = memgrid.train_sizes ?? [];
  const b = sklearn.train_sizes ?? [];
  const same = a.length === b.length && a.every((v, i) => v === b[i]);
  return same
    ? { verdict: 'same', detail: `train sizes ${b[0]}..${b[b.length - 1]} (${b.length})` }
    : { verdict: 'differs', detail: `train sizes differ: memgrid [${a.join(', ')}], scikit-learn [${b.join(', ')}]` };
}
