/**
 * scikit-learn's `RepeatedKFold` and `RepeatedStratifiedKFold`: the shuffled splitter run
 * `nRepeats` times on ONE numpy RandomState (scikit-learn hands the same generator to every
 * repetition), so repeat r continues the stream where repeat r - 1 stopped.
 */
import { checkInteger } from './option-checks.js';
import { checkNumpySeed, RandomState } from './random-state.js';
import { checkSampleCount, shuffledKFold, stratifiedKFold } from './splitters.js';
import type { Fold, Splitter } from './types.js';

/** Options of the repeated splitters. */
export interface RepeatedKFoldOptions {
  /** Folds per repetition, >= 2. Default 5. */
  readonly nSplits?: number;
  /** Repetitions, >= 1. Default 10. */
  readonly nRepeats?: number;
  /** numpy's `random_state` (an integer in [0, 2**32 - 1]). Default 0. */
  readonly seed?: number;
}

abstract class RepeatedSplits implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number;

  constructor(options: RepeatedKFoldOptions = {}) {
    const perRepeat = checkInteger('options.nSplits', options.nSplits ?? 5, 2);
    this.nRepeats = checkInteger('options.nRepeats', options.nRepeats ?? 10, 1);
    this.seed = checkNumpySeed('options.seed', options.seed ?? 0);
    this.nSplits = perRepeat * this.nRepeats;
  }

  /** Folds per repetition. */
  get foldsPerRepeat(): number { return this.nSplits / this.nRepeats; }

  split(nSamples: number, y?: Float64Array): Fold[] {
    const rng = new RandomState(this.seed);
    const out: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++) out.push(...this.once(nSamples, y, rng));
    return out;
  }

  protected abstract once(nSamples: number, y: Float64Array | undefined, rng: RandomState): Fold[];
}

/**
 * Shuffled KFold repeated `nRepeats` times (scikit-learn's `RepeatedKFold`): `nSplits * nRepeats`
 * folds, repetition by repetition.
 * @example
 * ```ts
 * new RepeatedKFold({ nSplits: 2, nRepeats: 3, seed: 0 }).split(10).length; // 6
 * ```
 */
export class RepeatedKFold extends RepeatedSplits {
  protected once(nSamples: number, _y: Float64Array | undefined, rng: RandomState): Fold[] {
    checkSampleCount('RepeatedKFold', nSamples, this.foldsPerRepeat);
    return shuffledKFold(nSamples, this.foldsPerRepeat, rng);
  }
}

/**
 * Shuffled StratifiedKFold repeated `nRepeats` times (scikit-learn's `RepeatedStratifiedKFold`).
 * @example
 * ```ts
 * new RepeatedStratifiedKFold({ nSplits: 2, nRepeats: 2, seed: 1 }).split(8, Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1]));
 * ```
 */
export class RepeatedStratifiedKFold extends RepeatedSplits {
  protected once(nSamples: number, y: Float64Array | undefined, rng: RandomState): Fold[] {
    return stratifiedKFold(nSamples, y, this.foldsPerRepeat, rng);
  }
}
