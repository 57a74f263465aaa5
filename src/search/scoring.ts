/**
 * A search's `scoring` option, from what the user wrote to what each task computes:
 * - on the coordinator, {@link planScoring} turns a name, a list, a scorer or a dict of them
 *   into metric names (the `<metric>` of the cvResults columns) and where each scorer comes from;
 * - on a worker, {@link taskScorers} finds those scorers again and {@link scoreFit} scores one
 *   fitted estimator with all of them, computing each estimator output once. A metric that
 *   fails scores `errorScore` with a warning and the others are still reported, as scikit-learn's
 *   multimetric scoring does.
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { isClassifier, type Classifier, type Estimator, type FloatMatrix, type Rows } from '../models/estimator.js';
import type { FitWarning, ScorerSource, TaskMessage } from '../workers/protocol.js';
import {
  importScorer, inlineScorer, isScorer, isScorerModuleRef, moduleUrl, registerInlineScorer, type ScorerModuleRef,
} from './custom-scorers.js';
import { decisionScore } from './decision-scores.js';
import { describe } from './option-checks.js';
import { estimatorOutput, getScorer, labelsAt, type Scorer, type ScorerNeeds } from './scorers.js';
import { collectWarnings } from './warnings.js';

/** One scorer: a built-in name, a scorer object (made by makeScorer), or a module reference. */
export type ScorerLike = string | Scorer | ScorerModuleRef;

/**
 * What `scoring` accepts, as scikit-learn: one scorer (cvResults columns end in `_score`), or a
 * list of names or a dict of named scorers (each metric's columns keep its name, even for one).
 */
export type ScoringOption = ScorerLike | readonly string[] | Readonly<Record<string, ScorerLike>>;

/** A search's scoring, resolved. */
export interface ScoringPlan {
  /** Metric names in order: record keys, and `<metric>` in cvResults columns when `multimetric`. */
  readonly names: readonly string[];
  /** False for a single scorer (columns `split0_test_score`, ...), true for a list or dict. */
  readonly multimetric: boolean;
  /** The scorer of each name (on the coordinator). */
  readonly scorers: ReadonlyMap<string, Scorer>;
  /** What tasks carry for names that are not built-in scorer names. */
  readonly sources: Readonly<Record<string, ScorerSource>>;
  /** True when some scorer exists only in this thread (made by makeScorer): tasks must run here. */
  readonly inline: boolean;
  /** Unregisters this plan's inline scorers (call when the search is done). */
  release(): void;
}

/**
 * The default metric: the estimator's own `score` (r2 for regressors, accuracy for classifiers).
 * @example
 * ```ts
 * defaultScorerName('classifier'); // 'accuracy'
 * ```
 */
export function defaultScorerName(kind: 'regressor' | 'classifier'): string {
  return kind === 'regressor' ? 'r2' : 'accuracy';
}

/**
 * The scorer names of a name-only scoring option: the default, one name, or a list of distinct names.
 * @throws ValueError for unknown names, duplicates, an empty list, or a classification scorer asked of a regressor.
 * @example
 * ```ts
 * resolveScoring(undefined, 'classifier'); // ['accuracy']
 * resolveScoring(['r2', 'neg_mean_absolute_error'], 'regressor');
 * ```
 */
export function resolveScoring(scoring: string | readonly string[] | undefined, kind: 'regressor' | 'classifier'): string[] {
  if (scoring === undefined) return [defaultScorerName(kind)];
  const names = typeof scoring === 'string' ? [scoring] : scoring;
  if (!Array.isArray(names) || names.length === 0) {
    throw new ValueError(`scoring must be a scorer name or a non-empty list of names, found ${describe(scoring)}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    checkTask(name, getScorer(name), kind);
    if (seen.has(name)) throw new ValueError(`scoring lists '${name}' twice: scorer names must be unique`);
    seen.add(name);
  }
  return [...names];
}

function checkTask(name: string, scorer: Scorer, kind: 'regressor' | 'classifier'): void {
  if (scorer.task === 'classification' && kind === 'regressor') {
    throw new ValueError(`scoring '${name}' is a classification metric and the estimator is a regressor`);
  }
}

/**
 * Resolves a search's `scoring` option (importing module scorers once, here, to check them).
 * Relative module paths resolve against `baseDir` (default the working folder).
 * @example
 * ```ts
 * const plan = await planScoring({ acc: 'accuracy', within: { module: './within.js', name: 'within' } }, 'classifier');
 * plan.names; // ['acc', 'within']
 * ```
 */
export async function planScoring(
  scoring: ScoringOption | undefined, kind: 'regressor' | 'classifier', baseDir = process.cwd(),
): Promise<ScoringPlan> {
  const entries = scoringEntries(scoring, kind);
  const scorers = new Map<string, Scorer>();
  const sources: Record<string, ScorerSource> = {};
  const releases: (() => void)[] = [];
  for (const [name, like] of entries.list) {
    if (typeof like === 'string') {
      const scorer = getScorer(like);
      checkTask(name, scorer, kind);
      scorers.set(name, scorer);
      if (name !== like) sources[name] = { kind: 'builtin', name: like };
    } else if (isScorer(like)) {
      checkTask(name, like, kind);
      const registered = registerInlineScorer(like);
      releases.push(registered.release);
      scorers.set(name, like);
      sources[name] = { kind: 'inline', id: registered.id };
    } else {
      const url = moduleUrl(like.module, baseDir);
      const options = { ...(like.needs === undefined ? {} : { needs: like.needs }), ...(like.greaterIsBetter === undefined ? {} : { greaterIsBetter: like.greaterIsBetter }) };
      const scorer = await importScorer(url, like.name, options);
      checkTask(name, scorer, kind);
      scorers.set(name, scorer);
      sources[name] = { kind: 'module', url, export: like.name, ...options };
    }
  }
  return {
    names: entries.list.map(([name]) => name), multimetric: entries.multimetric, scorers, sources,
    inline: Object.values(sources).some((s) => s.kind === 'inline'),
    release: () => releases.forEach((release) => release()),
  };
}

function scoringEntries(scoring: ScoringOption | undefined, kind: 'regressor' | 'classifier'): {
  list: [string, ScorerLike][]; multimetric: boolean;
} {
  if (scoring === undefined) return { list: [[defaultScorerName(kind), defaultScorerName(kind)]], multimetric: false };
  if (typeof scoring === 'string') return { list: [[scoring, scoring]], multimetric: false };
  if (isScorer(scoring)) return { list: [[scoring.name, scoring]], multimetric: false };
  if (isScorerModuleRef(scoring)) return { list: [[scoring.name, scoring]], multimetric: false };
  if (Array.isArray(scoring)) {
    const names = resolveScoring(scoring as readonly string[], kind);
    return { list: names.map((n) => [n, n]), multimetric: true };
  }
  if (scoring === null || typeof scoring !== 'object') {
    throw new ValueError(`scoring must be a scorer name, a list of names, a scorer or an object of named scorers, found ${describe(scoring)}`);
  }
  const list = Object.entries(scoring as Record<string, ScorerLike>);
  if (list.length === 0) throw new ValueError('scoring is an empty object: name at least one scorer');
  for (const [name, like] of list) {
    if (typeof like !== 'string' && !isScorer(like) && !isScorerModuleRef(like)) {
      throw new ValueError(`scoring.${name} must be a scorer name, a scorer (makeScorer) or { module, name }, found ${describe(like)}`);
    }
  }
  return { list, multimetric: true };
}

/**
 * The scorers a task names, found in this thread: built-ins by name, module scorers imported
 * (once per thread), inline ones from this thread's registry. Synchronous unless a module
 * scorer is involved.
 */
export function taskScorers(task: Pick<TaskMessage, 'scoring' | 'scorers'>): Map<string, Scorer> | Promise<Map<string, Scorer>> {
  const found = task.scoring.map((name): [string, Scorer | Promise<Scorer>] => [name, sourceScorer(name, task.scorers?.[name])]);
  if (found.every(([, scorer]) => !(scorer instanceof Promise))) return new Map(found as [string, Scorer][]);
  return Promise.all(found.map(async ([name, scorer]): Promise<[string, Scorer]> => [name, await scorer])).then((entries) => new Map(entries));
}

/** The scorer a task names, from where its source says (a built-in when there is no source). */
function sourceScorer(name: string, source: ScorerSource | undefined): Scorer | Promise<Scorer> {
  if (source === undefined) return getScorer(name);
  if (source.kind === 'builtin') return getScorer(source.name);
  if (source.kind === 'inline') return inlineScorer(source.id);
  const options = { ...(source.needs === undefined ? {} : { needs: source.needs }), ...(source.greaterIsBetter === undefined ? {} : { greaterIsBetter: source.greaterIsBetter }) };
  return importScorer(source.url, source.export, options);
}

/**
 * What a caller scoring many models on the same rows has already computed: the rows' labels
 * (`labelsAt(y, rows)`, shared: no scorer may change it) and this model's decision values there.
 */
export interface GivenOutputs {
  readonly yTrue?: Float64Array;
  readonly decision?: Float64Array;
  /** Scores already computed for this model on these rows (a path's models scored together), taken as they are. */
  readonly scores?: ReadonlyMap<Scorer, number>;
}

/** Scores of one fitted estimator on one set of rows, with what went wrong. */
export interface FitScores {
  readonly scores: Record<string, number>;
  /** One per failed metric (its score is errorScore), and each warning a metric raised. */
  readonly warnings: FitWarning[];
}

/**
 * Scores `estimator` on `rows` with every scorer, computing each output (predictions,
 * probabilities, decision values) once and the labels once. A scorer that throws scores
 * `errorScore`, recorded as scikit-learn's "Scoring failed" UserWarning, unless errorScore is 'raise'.
 * @example
 * ```ts
 * const { scores, warnings } = scoreFit(scorers, model, X, y, fold.test, Number.NaN);
 * ```
 */
export function scoreFit(
  scorers: ReadonlyMap<string, Scorer>, estimator: Estimator, X: FloatMatrix, y: NdArray, rows: Rows, errorScore: number | 'raise',
  given: GivenOutputs = {},
): FitScores {
  const yTrue = given.yTrue ?? labelsAt(y, rows);
  const classes = isClassifier(estimator) ? estimator.classes : undefined;
  const outputs = new Map<ScorerNeeds, Float64Array>();
  // A classifier's labels and probabilities both follow from its decision values: compute those once.
  let decision: Float64Array | undefined = given.decision;
  const decisionOnce = (): Float64Array => (decision ??= (estimator as Classifier).decisionFunction(X, rows));
  const scores: Record<string, number> = {};
  const warnings: FitWarning[] = [];
  for (const [name, scorer] of scorers) {
    const run = collectWarnings(() => {
      try {
        const fused = given.scores?.get(scorer) ?? decisionScore(scorer, estimator, yTrue, decisionOnce);
        if (fused !== undefined) return fused;
        let out = outputs.get(scorer.needs);
        if (!out) {
          out = estimatorOutput(scorer, estimator, X, rows, decisionOnce);
          outputs.set(scorer.needs, out);
        }
        return scorer.fromOutput(yTrue, out, classes);
      } catch (error) {
        if (errorScore === 'raise') throw error;
        const message = error instanceof Error ? error.message : String(error);
        warnings.push({ type: 'UserWarning', metric: name, message: scoringFailed(errorScore, message) });
        return errorScore;
      }
    });
    scores[name] = run.value;
    for (const w of run.warnings) warnings.push({ ...w, metric: name });
  }
  return { scores, warnings };
}

/** scikit-learn's message for a metric that could not be computed on one fit. */
export function scoringFailed(errorScore: number, detail: string): string {
  return `Scoring failed. The score on this train-test partition for these parameters will be set to ${Number.isNaN(errorScore) ? 'nan' : errorScore}. Details: ${detail}`;
}

/**
 * Scores one fitted estimator with several built-in scorers (see {@link scoreFit}); a scorer that
 * throws makes this throw.
 * @example
 * ```ts
 * scoreMany(['r2', 'neg_mean_squared_error'], ridge, X, y, testRows); // { r2: 0.93, neg_mean_squared_error: -4.1 }
 * ```
 */
export function scoreMany(names: readonly string[], estimator: Estimator, X: FloatMatrix, y: NdArray, rows?: Rows): Record<string, number> {
  return scoreFit(new Map(names.map((name) => [name, getScorer(name)])), estimator, X, y, rows, 'raise').scores;
}

/**
 * The test scores (and train scores, when the task asks for them) of one fitted model, with
 * the warnings scoring raised: the scoring fields of its FitRecord.
 * @example
 * ```ts
 * records.push({ candidate, fold, ...recordScores(scorers, task, model, X, y, fold.test, fold.train), fitTime });
 * ```
 */
export function recordScores(
  scorers: ReadonlyMap<string, Scorer>, task: Pick<TaskMessage, 'returnTrainScore' | 'errorScore'>,
  estimator: Estimator, X: FloatMatrix, y: NdArray, test: Rows, train: Rows, givenTest: GivenOutputs = {},
): { test: Record<string, number>; train?: Record<string, number>; warnings?: FitWarning[]; scoreTime: number } {
  const t0 = performance.now();
  const onTest = scoreFit(scorers, estimator, X, y, test, task.errorScore, givenTest);
  // scikit-learn's score_time is the test scoring's.
  const scoreTime = (performance.now() - t0) / 1000;
  const onTrain = task.returnTrainScore ? scoreFit(scorers, estimator, X, y, train, task.errorScore) : undefined;
  const warnings = [...onTest.warnings, ...(onTrain?.warnings ?? [])];
  return { test: onTest.scores, ...(onTrain ? { train: onTrain.scores } : {}), ...(warnings.length > 0 ? { warnings } : {}), scoreTime };
}
