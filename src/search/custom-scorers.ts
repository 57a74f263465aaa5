/**
 * Custom scorers: `makeScorer(fn, {greaterIsBetter, needs})` (scikit-learn's `make_scorer`),
 * and the two ways one reaches the threads that fit and score:
 * - inline: a scorer object made in this thread; it runs only where the search's tasks run in
 *   this thread (`workers: 0`), because a closure cannot be sent to another thread or host;
 * - by module: `{ module: './my-scorer.js', name: 'score' }`, a file that exports the scorer;
 *   the coordinator resolves the path to a file URL and every worker imports it itself.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValueError } from '../errors.js';
import { describe } from './option-checks.js';
import { defineScorer, type ScoreFunction, type Scorer, type ScorerNeeds } from './scorers.js';

/** Options of {@link makeScorer}. */
export interface MakeScorerOptions {
  /** False for a loss: the score is negated so that greater is better. Default true. */
  readonly greaterIsBetter?: boolean;
  /** The estimator output `fn` receives. Default 'predict'. */
  readonly needs?: ScorerNeeds;
  /** The scorer's name (a column name when it is the only metric). Default `fn.name`, else 'custom'. */
  readonly name?: string;
}

const NEEDS: readonly ScorerNeeds[] = ['predict', 'proba', 'decision'];

/**
 * A scorer from a metric function, as scikit-learn's `make_scorer`. `fn(yTrue, yPred, input)`
 * gets the true labels and the estimator's output for the scored rows: `predict`'s values;
 * with `needs: 'proba'` the probabilities (the positive class's column for a binary target,
 * else row-major [n, classes]); with `needs: 'decision'` the decision values (binary targets
 * only, as scikit-learn's threshold scorers). `input.classes` holds the classifier's classes.
 * @example
 * ```ts
 * const within10 = makeScorer((y, p) => y.filter((v, i) => Math.abs(v - p[i]!) < 10).length / y.length, { name: 'within10' });
 * await new GridSearch(new Ridge(), grid, { scoring: within10, workers: 0 }).fit(X, y);
 * ```
 */
export function makeScorer(fn: ScoreFunction, options: MakeScorerOptions = {}): Scorer {
  if (typeof fn !== 'function') throw new ValueError(`makeScorer needs a metric function, found ${describe(fn)}`);
  const needs = options.needs ?? 'predict';
  if (!NEEDS.includes(needs)) throw new ValueError(`makeScorer: options.needs must be one of ${NEEDS.join(', ')}, found ${describe(needs)}`);
  const greaterIsBetter = options.greaterIsBetter ?? true;
  if (typeof greaterIsBetter !== 'boolean') {
    throw new ValueError(`makeScorer: options.greaterIsBetter must be true or false, found ${describe(greaterIsBetter)}`);
  }
  const name = options.name ?? (fn.name || 'custom');
  if (typeof name !== 'string' || name.length === 0) throw new ValueError(`makeScorer: options.name must be a non-empty string, found ${describe(name)}`);
  return defineScorer({ name, needs, greaterIsBetter, task: needs === 'proba' ? 'classification' : 'any' }, fn);
}

/**
 * A scorer exported by a module, for searches whose tasks run in worker threads or on Redis
 * workers: `module` is a path (relative to the working folder, or absolute) or a `file:` URL,
 * `name` the export. The export is a scorer made by {@link makeScorer}, or a plain metric
 * function, which `needs` and `greaterIsBetter` then describe (as makeScorer's options).
 */
export interface ScorerModuleRef {
  readonly module: string;
  readonly name: string;
  readonly needs?: ScorerNeeds;
  readonly greaterIsBetter?: boolean;
}

/** True for a scorer object (made by makeScorer or a built-in one), from this or another copy of memgrid. */
export function isScorer(value: unknown): value is Scorer {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<Scorer>;
  return typeof s.fromOutput === 'function' && typeof s.score === 'function' && typeof s.name === 'string'
    && typeof s.greaterIsBetter === 'boolean' && NEEDS.includes(s.needs as ScorerNeeds);
}

/** True for `{module, name}`. */
export function isScorerModuleRef(value: unknown): value is ScorerModuleRef {
  if (value === null || typeof value !== 'object' || isScorer(value)) return false;
  const ref = value as Partial<ScorerModuleRef>;
  return typeof ref.module === 'string' && typeof ref.name === 'string';
}

/**
 * The file URL a module reference names: a relative path resolves against `baseDir`. Bare
 * package names are refused: a worker thread would resolve them from memgrid's own folder.
 * @example
 * ```ts
 * moduleUrl('./scorers/within10.js', '/home/me/project'); // 'file:///home/me/project/scorers/within10.js'
 * ```
 */
export function moduleUrl(module: string, baseDir: string): string {
  if (module.startsWith('file:')) return new URL(module).href;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (module.startsWith('./') || module.startsWith('../')) return pathToFileURL(resolve(baseDir, module)).href;
  throw new ValueError(`scorer module ${JSON.stringify(module)} must be a path ('./my-scorer.js', '/abs/path.js') or a file: URL`);
}

/** Scorers already imported in this thread, by `url#export`. */
const loaded = new Map<string, Promise<Scorer>>();

/**
 * Imports the scorer a module exports (once per thread) and checks it.
 * @throws ValueError when the module cannot be imported or its export is not a scorer or function.
 * @example
 * ```ts
 * const scorer = await importScorer('file:///home/me/within10.js', 'within10');
 * ```
 */
export function importScorer(url: string, exportName: string, options: Omit<ScorerModuleRef, 'module' | 'name'> = {}): Promise<Scorer> {
  const key = `${url}#${exportName}#${options.needs ?? ''}#${String(options.greaterIsBetter ?? '')}`;
  let scorer = loaded.get(key);
  if (!scorer) {
    scorer = importExport(url, exportName, options);
    loaded.set(key, scorer);
    // A failed import is reported to the task that asked; the next one tries again.
    scorer.catch(() => loaded.delete(key));
  }
  return scorer;
}

async function importExport(url: string, exportName: string, options: Omit<ScorerModuleRef, 'module' | 'name'>): Promise<Scorer> {
  let module: Record<string, unknown>;
  try {
    module = await import(url) as Record<string, unknown>;
  } catch (error) {
    const where = url.startsWith('file:') ? fileURLToPath(url) : url;
    throw new ValueError(`cannot import scorer module ${where}: ${(error as Error).message}`, { cause: error });
  }
  const value = module[exportName];
  if (isScorer(value)) return value;
  if (typeof value === 'function') return makeScorer(value as ScoreFunction, { ...options, name: exportName });
  const exports = Object.keys(module).join(', ') || 'none';
  throw new ValueError(`scorer module ${fileURLToPath(url)} has no scorer or function export ${JSON.stringify(exportName)} (its exports: ${exports})`);
}

/** Inline scorers of the searches running in this thread, by id (tasks name them, never carry them). */
const inline = new Map<string, Scorer>();
let nextInline = 0;

/**
 * Makes `scorer` reachable by tasks run in this thread under the returned id, until `release`.
 * @example
 * ```ts
 * const { id, release } = registerInlineScorer(scorer);
 * try { await runTasks(); } finally { release(); }
 * ```
 */
export function registerInlineScorer(scorer: Scorer): { readonly id: string; release(): void } {
  const id = `inline-${nextInline++}`;
  inline.set(id, scorer);
  return { id, release: () => inline.delete(id) };
}

/**
 * The inline scorer registered under `id`.
 * @throws ValueError when this thread has none (the task reached another thread or host).
 */
export function inlineScorer(id: string): Scorer {
  const scorer = inline.get(id);
  if (!scorer) throw new ValueError(`inline scorer ${id} is not available here: a scorer made by makeScorer runs only in the thread that made it (use { module, name } for workers)`);
  return scorer;
}
