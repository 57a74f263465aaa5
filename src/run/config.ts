/**
 * Experiment configs: read a JSON file (with `//` and `/* *\/` comments), check its
 * structure with zod and its meaning with config-checks.ts, and resolve paths relative to
 * the config file. Every problem is reported at once in one ConfigError.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ConfigError, ValueError } from '../errors.js';
import type { ModelName, Params } from '../models/estimator.js';
import type { ParamDistributions } from '../search/distributions.js';
import type { ParamGrid, ParamValue } from '../search/grid.js';
import { configSchema, type RawConfig } from './config-schema.js';
import type { CvConfig } from './cv-config.js';
import { semanticIssues } from './config-checks.js';
import { formatZodIssue } from './issues.js';
import { parseJsonc } from './jsonc.js';

/** Where an experiment's data comes from, with absolute paths. */
export type DataSource =
  | { readonly kind: 'npy'; readonly X: string; readonly y: string; readonly groups?: string }
  | { readonly kind: 'csv'; readonly csv: string; readonly target: string; readonly groups?: string }
  | {
    readonly kind: 'synthetic'; readonly task: 'regression' | 'classification';
    readonly nSamples: number; readonly nFeatures: number; readonly noise?: number; readonly nClasses?: number;
    readonly seed: number | string;
  };

/** The `halving` key: HalvingRandomSearch options for a random search, HalvingGridSearch's for a grid. */
export interface HalvingConfig {
  readonly factor?: number;
  readonly minResources?: 'exhaust' | 'smallest' | number;
  readonly maxResources?: 'auto' | number;
  readonly aggressiveElimination?: boolean;
  readonly nCandidates?: 'exhaust' | number;
  readonly seed?: number;
}

/** A validated experiment config: defaults filled in, paths absolute. */
export interface ExperimentConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** The experiment name: `name`, or the config file's name without extension. */
  readonly name: string;
  readonly data: DataSource;
  /**
   * Transformers fitted on each training fold before the model (scikit-learn's Pipeline): the
   * model then is `make_pipeline(...)`'s, and grid keys name steps, `logisticregression__C`.
   */
  readonly preprocess?: readonly { readonly name: 'standard_scaler'; readonly params: Params }[];
  readonly model: { readonly name: ModelName; readonly params: Params };
  readonly grid?: ParamGrid | readonly ParamGrid[];
  readonly search?: { readonly kind: 'random'; readonly distributions: ParamDistributions; readonly nIter: number; readonly seed: number };
  /** Successive halving instead of the full grid or random search (scikit-learn's Halving*SearchCV options). */
  readonly halving?: HalvingConfig;
  /** The `cv` object, file paths absolute; without `name` or `file`, `folds` and `shuffle` are filled in. */
  readonly cv: CvConfig;
  /**
   * A scorer name (cvResults columns end in `_score`, as GridSearchCV's), a list of names
   * (columns keep each name), or undefined for the model's default (r2 / accuracy).
   */
  readonly scoring?: string | readonly string[];
  readonly refit: boolean | string;
  readonly returnTrainScore: boolean;
  readonly workers?: number;
  readonly errorScore?: number | 'raise';
  readonly learningCurve?: { readonly trainSizes: readonly number[] };
  readonly validationCurve?: { readonly param: string; readonly values: readonly ParamValue[] };
}

/**
 * Read and validate the config at `path`.
 * @throws ConfigError listing every problem as `key.path: message`; ValueError for a file
 *   that cannot be read or is not JSON.
 * @example
 * ```ts
 * const config = loadConfig('experiments/quickstart.json');
 * config.model; // { name: 'ridge', params: {} }
 * ```
 */
export function loadConfig(path: string): ExperimentConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ValueError(`${file}: cannot read the config (${code === 'ENOENT' ? 'no such file' : String(code ?? error)})`);
  }
  return parseConfig(parseJsonc(text, file), file);
}

/**
 * Validate an already-parsed config as if it were read from `file` (paths resolve against its folder).
 * @example
 * ```ts
 * parseConfig({ data: { synthetic: { kind: 'regression', nSamples: 100, nFeatures: 3, seed: 0 } },
 *   model: { name: 'ridge' }, grid: { alpha: [0.1, 1] } }, '/tmp/exp.json');
 * ```
 */
export function parseConfig(raw: unknown, file: string): ExperimentConfig {
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  const issues = parsed.success ? [] : parsed.error.issues.flatMap(formatZodIssue);
  for (const issue of semanticIssues(raw, dirname(file))) if (!issues.includes(issue)) issues.push(issue);
  if (issues.length > 0 || !parsed.success) throw new ConfigError(file, issues);
  return resolveConfig(parsed.data, file);
}

function resolveCvConfig(cv: RawConfig['cv'], dir: string): CvConfig {
  if (cv.file !== undefined) return { ...cv, file: resolve(dir, cv.file) };
  if (cv.name !== undefined) return typeof cv.testFold === 'string' ? { ...cv, testFold: resolve(dir, cv.testFold) } : cv;
  return { ...cv, folds: cv.folds ?? 5, shuffle: cv.shuffle ?? false };
}

function resolveConfig(raw: RawConfig, file: string): ExperimentConfig {
  const dir = dirname(file);
  const { data } = raw;
  let source: DataSource;
  if (data.synthetic !== undefined) {
    const s = data.synthetic;
    source = {
      kind: 'synthetic', task: s.kind, nSamples: s.nSamples, nFeatures: s.nFeatures, seed: s.seed ?? 0,
      ...(s.noise === undefined ? {} : { noise: s.noise }), ...(s.nClasses === undefined ? {} : { nClasses: s.nClasses }),
    };
  } else if (data.csv !== undefined) {
    // With a CSV, groups names a column of it.
    source = { kind: 'csv', csv: resolve(dir, data.csv), target: data.target!, ...(data.groups === undefined ? {} : { groups: data.groups }) };
  } else {
    source = { kind: 'npy', X: resolve(dir, data.X!), y: resolve(dir, data.y!), ...(data.groups === undefined ? {} : { groups: resolve(dir, data.groups) }) };
  }
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    file,
    name: raw.name ?? basename(file, extname(file)),
    data: source,
    model: { name: raw.model.name, params: raw.model.params },
    cv: resolveCvConfig(raw.cv, dir),
    refit: raw.refit,
    returnTrainScore: raw.returnTrainScore,
    ...optional('grid', raw.grid),
    ...optional('search', raw.search as ExperimentConfig['search']),
    ...optional('halving', raw.halving as HalvingConfig | undefined),
    ...optional('scoring', raw.scoring),
    ...optional('preprocess', raw.preprocess),
    ...optional('workers', raw.workers),
    ...optional('errorScore', raw.errorScore),
    ...optional('learningCurve', raw.learningCurve),
    ...optional('validationCurve', raw.validationCurve),
  };
}
