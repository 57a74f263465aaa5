/**
 * The `cv` key of an experiment config: the fold-count form (`{"folds": 5, "shuffle": true,
 * "seed": 0}`: KFold, or StratifiedKFold for classifiers), any scikit-learn splitter by name
 * with its options (`{"name": "time_series_split", "nSplits": 5, "gap": 2}`), or explicit
 * folds from a JSON file (`{"file": "folds.json"}`: a list of `{"train": [...], "test": [...]}`).
 * @example
 * ```ts
 * splitterFromConfig({ name: 'shuffle_split', nSplits: 10, testSize: 0.2, seed: 1 }, 'regressor', '/exp');
 * ```
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readNpy } from '../data/npy.js';
import { toFloat64 } from '../data/ndarray.js';
import { MemgridError, ValueError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { GroupKFold, StratifiedGroupKFold } from '../search/group-splitters.js';
import { LeaveOneOut, LeavePOut, PredefinedSplit, TimeSeriesSplit } from '../search/ordered-splitters.js';
import { RepeatedKFold, RepeatedStratifiedKFold } from '../search/repeated-splitters.js';
import { ShuffleSplit, StratifiedShuffleSplit } from '../search/shuffle-split.js';
import { KFold, PredefinedFolds, StratifiedKFold } from '../search/splitters.js';
import type { Splitter } from '../search/types.js';
import { found } from './issues.js';

/** The `cv` object as written (every key optional; which apply depends on `name`). */
export interface CvConfig {
  readonly folds?: number;
  readonly shuffle?: boolean;
  readonly seed?: number;
  readonly name?: string;
  readonly nSplits?: number;
  readonly testSize?: number;
  readonly trainSize?: number;
  readonly gap?: number;
  readonly maxTrainSize?: number;
  readonly nRepeats?: number;
  readonly p?: number;
  readonly testFold?: string | readonly number[];
  readonly file?: string;
}

type Options = Record<string, unknown>;

/** Each splitter's config name, the option keys it takes, and how to build it. */
const SPLITTERS: Readonly<Record<string, { readonly keys: readonly string[]; readonly groups?: true; readonly make: (o: Options, dir: string) => Splitter }>> = {
  kfold: { keys: ['nSplits', 'shuffle', 'seed'], make: (o) => new KFold(o) },
  stratified_kfold: { keys: ['nSplits', 'shuffle', 'seed'], make: (o) => new StratifiedKFold(o) },
  group_kfold: { keys: ['nSplits'], groups: true, make: (o) => new GroupKFold(o) },
  stratified_group_kfold: { keys: ['nSplits', 'shuffle', 'seed'], groups: true, make: (o) => new StratifiedGroupKFold(o) },
  shuffle_split: { keys: ['nSplits', 'testSize', 'trainSize', 'seed'], make: (o) => new ShuffleSplit(o) },
  stratified_shuffle_split: { keys: ['nSplits', 'testSize', 'trainSize', 'seed'], make: (o) => new StratifiedShuffleSplit(o) },
  time_series_split: { keys: ['nSplits', 'testSize', 'gap', 'maxTrainSize'], make: (o) => new TimeSeriesSplit(o) },
  repeated_kfold: { keys: ['nSplits', 'nRepeats', 'seed'], make: (o) => new RepeatedKFold(o) },
  repeated_stratified_kfold: { keys: ['nSplits', 'nRepeats', 'seed'], make: (o) => new RepeatedStratifiedKFold(o) },
  leave_one_out: { keys: [], make: () => new LeaveOneOut() },
  leave_p_out: { keys: ['p'], make: (o) => new LeavePOut(o as { p: number }) },
  predefined_split: { keys: ['testFold'], make: (o, dir) => new PredefinedSplit(readTestFold(o['testFold'], dir)) },
};

/** The splitter names a config accepts. */
export const SPLITTER_NAMES = Object.keys(SPLITTERS);

const LEGACY_KEYS = ['folds', 'shuffle', 'seed'];

function readTestFold(value: unknown, dir: string): ArrayLike<number> {
  if (typeof value !== 'string') return value as ArrayLike<number>;
  return toFloat64(readNpy(resolve(dir, value)));
}

function readFoldsFile(file: string, dir: string): PredefinedFolds {
  const path = resolve(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValueError(`cv.file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let folds: unknown;
  try {
    folds = JSON.parse(text);
  } catch (error) {
    throw new ValueError(`cv.file: ${path} is not JSON (${(error as Error).message})`);
  }
  try {
    return new PredefinedFolds(folds as never);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`cv.file: ${path}: ${error.message}`);
    throw error;
  }
}

/** Which keys of `cv` are set, besides `name`. */
function givenKeys(cv: Options): string[] {
  return Object.keys(cv).filter((k) => k !== 'name' && cv[k] !== undefined);
}

/**
 * The splitter a config's `cv` describes. `kind` picks KFold or StratifiedKFold for the
 * fold-count form, as scikit-learn's `cv=5` does; `dir` resolves file paths.
 * @throws ValueError naming the cv key at fault.
 */
export function splitterFromConfig(cv: CvConfig, kind: 'regressor' | 'classifier', dir: string): Splitter {
  const options = cv as unknown as Options;
  if (cv.file !== undefined) return readFoldsFile(cv.file, dir);
  if (cv.name === undefined) {
    const legacy = { nSplits: cv.folds ?? 5, shuffle: cv.shuffle ?? false, ...(cv.shuffle && cv.seed !== undefined ? { seed: cv.seed } : {}) };
    return kind === 'classifier' ? new StratifiedKFold(legacy) : new KFold(legacy);
  }
  const spec = SPLITTERS[cv.name];
  if (spec === undefined) throw new ValueError(`cv.name: unknown splitter ${found(cv.name)}`);
  const picked = Object.fromEntries(spec.keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  try {
    return spec.make(picked, dir);
  } catch (error) {
    // Splitters name their options `options.x`; in a config the same option is `cv.x`.
    if (error instanceof ValueError) throw new ValueError(error.message.replace(/^options\./, 'cv.').replace(/^testFold/, 'cv.testFold'));
    throw error;
  }
}

/**
 * Every problem of a raw `cv` value, as `cv.key: message` lines (unknown names, keys the
 * named splitter does not take, options its constructor refuses, a group splitter without
 * data.groups).
 */
export function cvIssues(cv: unknown, kind: 'regressor' | 'classifier', dir: string, hasGroups: boolean): string[] {
  if (cv === null || typeof cv !== 'object' || Array.isArray(cv)) return [];
  const options = cv as Options;
  const given = givenKeys(options);
  if (options['file'] !== undefined) {
    const extra = given.filter((k) => k !== 'file');
    if (extra.length > 0) return [`cv.${extra[0]}: not used with cv.file (the folds come from the file)`];
    if (typeof options['file'] !== 'string') return [];
    try {
      readFoldsFile(options['file'], dir);
    } catch (error) {
      if (error instanceof ValueError) return [error.message];
      throw error;
    }
    return [];
  }
  const name = options['name'];
  if (name === undefined) {
    if (options['seed'] !== undefined && options['shuffle'] !== true) {
      return [`cv.seed: has no effect unless cv.shuffle is true, found shuffle ${found(options['shuffle'] ?? false)}`];
    }
    const extra = given.filter((k) => !LEGACY_KEYS.includes(k));
    return extra.length > 0 ? [`cv.${extra[0]}: needs cv.name (the splitter it is an option of); cv without a name takes folds, shuffle and seed`] : [];
  }
  if (typeof name !== 'string') return [];
  const spec = SPLITTERS[name];
  if (spec === undefined) return [`cv.name: unknown splitter ${found(name)}${didYouMean(name, SPLITTER_NAMES)}; known: ${SPLITTER_NAMES.join(', ')}`];
  const issues = given.filter((k) => !spec.keys.includes(k))
    .map((k) => `cv.${k}: not an option of ${name}${spec.keys.length > 0 ? ` (it takes ${spec.keys.join(', ')})` : ' (it takes none)'}`);
  if (spec.groups && !hasGroups) issues.push(`cv.name: ${name} needs group labels: add data.groups`);
  if (issues.length > 0) return issues;
  try {
    splitterFromConfig(cv as CvConfig, kind, dir);
  } catch (error) {
    if (!(error instanceof MemgridError)) throw error;
    // A splitter's own message names `cv.key ...`; a file that cannot be read names itself.
    return [/^cv\.\w+ /.test(error.message) ? error.message.replace(/^(cv\.\w+) /, '$1: ') : `cv.${name === 'predefined_split' ? 'testFold' : 'name'}: ${error.message}`];
  }
  return [];
}
