/**
 * The refit, run on a pool thread while the search's last tasks still run. Threads finish a
 * search unevenly: once a thread has no task left it idles until the last task ends, and the
 * refit used to start only then, on the caller's thread. Now, as soon as a thread is free, the
 * candidate leading on the scores so far is refitted there, by a task the plan makes
 * (`Plan.refitTask`: the same fit, to the bit, as the plan's refit on the caller's thread), and
 * the runner-up is queued for the next thread to free (on a shared pool: run once the leader's
 * is done, if tasks still run). When the last task confirms a
 * candidate refitted (or being refitted) early, the search takes that refit; otherwise it refits
 * the winner as before, and the early work cost a thread that would have idled.
 *
 * Only on executors whose threads are this process's (`Executor.runsEarlyRefits`: a thread
 * pool): a queue's workers are not idle threads of this search. On a pool the caller shares, the
 * search waits for every early refit it started before it returns, so that none still holds a
 * thread when the next search starts; on its own pool, only for the winner's, and closing the
 * pool ends the others.
 */
import type { Estimator } from '../models/estimator.js';
import type { Executor, FitRecord, TaskResult } from '../workers/protocol.js';
import type { Plan } from './plan.js';

/** At most this many candidates are refitted early: the leader, then the runner-up while tasks still run. */
const MAX_EARLY_REFITS = 2;

/** When and what to refit early. */
export interface EarlyRefitOptions {
  readonly plan: Plan;
  readonly executor: Executor;
  /** The scorer whose mean test score picks the best candidate. */
  readonly metric: string;
  /** The search's fold count: candidates are compared on all folds but the last (see next). */
  readonly folds: number;
  /** The executor is the caller's, not closed by the search: `settle` waits for every early refit. */
  readonly shared: boolean;
}

/** Refits the leading candidates on free pool threads while the last tasks run (see the module's comment). */
export class EarlyRefit {
  private finished = 0;
  private stopped = false;
  private readonly running = new Map<number, Promise<void>>();
  private readonly done = new Map<number, Estimator>();

  constructor(private readonly options: EarlyRefitOptions) {}

  /**
   * Called after each finished task with the search's records so far (the array it keeps
   * adding to): once a thread has no task left, starts the leader's refit.
   */
  taskFinished(records: readonly FitRecord[]): void {
    this.finished++;
    const { plan, executor } = this.options;
    if (this.running.size > 0 || this.finished < plan.tasks.length - executor.concurrency + 1) return;
    this.next(records);
    // On its own pool the search also queues the runner-up at once: it runs on the next thread
    // to free, as the last task ends, warm there (LB's runner-up wins: its refit then takes ~40 ms
    // on that thread against 55-130 on the caller's cold code), and the pool's closing ends it
    // when it lost. A shared pool runs it only on a thread that is free anyway (see keep in next).
    if (!this.options.shared) this.next(records);
  }

  /**
   * After the last task: waits for the early refit of `winner` when one is running, and leaves
   * the others to the pool's closing (on a shared executor, waits for them all).
   */
  async settle(winner: number | undefined): Promise<void> {
    this.stopped = true;
    if (this.options.shared) await Promise.all(this.running.values());
    else if (winner !== undefined) await this.running.get(winner);
  }

  /** The estimator an early refit of `candidate` gave, if one did. */
  refitted(candidate: number): Estimator | undefined {
    return this.done.get(candidate);
  }

  /**
   * Starts the refit of the best candidate not yet started, where the plan can give it now.
   * Candidates are compared on the folds every one of them has finished by now, all but the
   * last: with part of the last fold's scores in, the candidates that have them would be
   * compared on other folds than the rest (on LB, 200,000 × 32, that put the winner third).
   */
  private next(records: readonly FitRecord[]): void {
    const { plan, executor, metric, folds } = this.options;
    if (this.stopped || this.running.size >= MAX_EARLY_REFITS) return;
    const candidate = leadingCandidate(records, metric, new Set(this.running.keys()), Math.max(1, folds - 1));
    const task = candidate === undefined ? undefined : plan.refitTask?.(candidate);
    if (candidate === undefined || task === undefined) return;
    const keep = (result: TaskResult): void => {
      const estimator = plan.refitResult?.(result);
      if (estimator !== undefined) this.done.set(candidate, estimator);
      if (this.options.shared) this.next(records);
    };
    // A refit that fails or is cut short by the pool's closing is only lost: the search refits the winner itself.
    this.running.set(candidate, executor.run(task).then(keep, () => undefined));
  }
}

/**
 * The candidate with the highest mean test score on `metric` over the `records` of folds before
 * `beforeFold` (all by default; the first of equals, as the search's ranking picks), among
 * those with no NaN score and not in `skip`; undefined when there is none or the records are a
 * learning curve's.
 */
export function leadingCandidate(
  records: readonly FitRecord[], metric: string, skip: ReadonlySet<number> = new Set(), beforeFold = Number.POSITIVE_INFINITY,
): number | undefined {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const record of records) {
    if (record.trainSize !== undefined) return undefined;
    if (skip.has(record.candidate) || record.fold >= beforeFold) continue;
    const entry = sums.get(record.candidate) ?? { sum: 0, count: 0 };
    entry.sum += record.test[metric] ?? Number.NaN;
    entry.count++;
    sums.set(record.candidate, entry);
  }
  let best: number | undefined;
  let bestMean = Number.NEGATIVE_INFINITY;
  for (const [candidate, { sum, count }] of [...sums].sort(([a], [b]) => a - b)) {
    const mean = sum / count;
    if (mean > bestMean) {
      best = candidate;
      bestMean = mean;
    }
  }
  return best;
}
