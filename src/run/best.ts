/** The best mean score so far, over candidates whose folds are all done: what progress shows. */
import type { FitKey } from '../search/options.js';
import type { FitRecord } from '../workers/protocol.js';
import { canonicalJson } from './journal.js';

/**
 * Collects fit records by candidate (params and train size) and knows the best complete mean.
 * @example
 * ```ts
 * const best = new BestTracker(5, 'r2');
 * best.add(key, record); best.score; // undefined until a candidate has all 5 folds
 * ```
 */
export class BestTracker {
  private readonly sums = new Map<string, { n: number; sum: number }>();
  private bestScore: number | undefined;

  constructor(private readonly nFolds: number, private readonly metric: string) {}

  /** Count one finished fit. */
  add(key: FitKey, record: FitRecord): void {
    const id = canonicalJson([key.params, key.trainSize ?? null]);
    const entry = this.sums.get(id) ?? { n: 0, sum: 0 };
    entry.n++;
    entry.sum += record.test[this.metric] ?? Number.NaN;
    this.sums.set(id, entry);
    if (entry.n === this.nFolds) {
      const mean = entry.sum / this.nFolds;
      if (Number.isFinite(mean) && (this.bestScore === undefined || mean > this.bestScore)) this.bestScore = mean;
    }
  }

  /** Best complete mean so far (scores are "greater is better" for every scorer, as in scikit-learn). */
  get score(): number | undefined {
    return this.bestScore;
  }
}
