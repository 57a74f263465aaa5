/**
 * What a Redis worker accepts from the queue. Anyone who can write to the queue can send a
 * message, so a worker runs only memgrid's own models (and pipelines of them) with params the
 * registry accepts, reads stores only inside the roots it was started with (see
 * redis-stores.ts), and imports a scorer module only from a folder it was told to trust
 * (`--scorer-dir`): a message naming a module is a request to run its code. Everything else
 * is refused with a message naming the field at fault.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import type { Params } from '../models/estimator.js';
import { validateSpecParams } from '../models/registry.js';
import type { ModelSpec, ScorerSource, TaskMessage } from './protocol.js';

/** Fold-set ids and store folder names become path parts: no separators, no dots-only names. */
const SAFE_NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;
/** Metric names: scikit-learn scorer names, or the keys of a scoring dict (become column names). */
const SCORER_NAME = /^[A-Za-z_][\w.-]{0,63}$/;
/** Fit params routed to every fit: sample weights, of the model or of a pipeline step. */
const FIT_PARAM = /^([A-Za-z0-9][\w.-]{0,63}__)?sampleWeight$/;
const STEP_KINDS = ['ridge', 'logistic', 'standard_scaler'] as const;

/** A class-weight dict: bounded, as every other field of a queue message. */
const labelWeights = z.record(z.string().max(64), z.number()).refine((o) => Object.keys(o).length <= 1024, 'at most 1024 labels');
const scalar = z.union([z.number(), z.nan(), z.string().max(256), z.boolean(), z.null(), labelWeights]);
const params = z.record(z.string().max(64), scalar);
const index = z.number().int().nonnegative();

const source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), name: z.string().regex(SCORER_NAME, 'must be a scorer name') }).strict(),
  z.object({
    kind: z.literal('module'), url: z.string().startsWith('file:', 'must be a file: URL').max(4096),
    export: z.string().regex(/^[A-Za-z_$][\w$]{0,127}$/, 'must be an export name'),
    needs: z.enum(['predict', 'proba', 'decision']).optional(), greaterIsBetter: z.boolean().optional(),
  }).strict(),
], { error: 'must be a built-in or module scorer (inline scorers never leave their thread)' });

const base = {
  store: z.string().min(1).max(4096),
  foldSet: z.string().regex(SAFE_NAME, 'must be a plain fold-set id'),
  fitParams: z.array(z.string().regex(FIT_PARAM, 'must be sampleWeight or <step>__sampleWeight')).max(8).optional(),
  model: z.object({
    name: z.string(), params,
    steps: z.array(z.object({ name: z.string().regex(SAFE_NAME, 'must be a plain step name'), kind: z.enum(STEP_KINDS) }).strict())
      .min(1).max(16).optional(),
  }).strict(),
  scoring: z.array(z.string().regex(SCORER_NAME, 'must be a scorer name')).min(1).max(32),
  scorers: z.record(z.string().regex(SCORER_NAME, 'must be a scorer name'), source).optional(),
  returnTrainScore: z.boolean(),
  errorScore: z.union([z.number(), z.nan(), z.literal('raise')]),
};

const SCHEMAS = {
  cv: z.object({
    ...base,
    kind: z.literal('cv'),
    candidates: z.array(z.object({ id: index, params }).strict()).min(1).max(100_000),
    folds: z.array(index).min(1).max(10_000),
    trainSize: z.number().int().positive().optional(),
  }).strict(),
  'ridge-stats': z.object({
    ...base,
    kind: z.literal('ridge-stats'),
    rowStart: index,
    rowEnd: index,
    cutoffs: z.array(index).max(10_000),
    shift: z.array(z.number()).max(1_000_000),
    yShift: z.number(),
  }).strict().refine((t) => t.rowEnd >= t.rowStart, { message: 'rowEnd must be >= rowStart', path: ['rowEnd'] }),
  'logistic-path': z.object({
    ...base,
    kind: z.literal('logistic-path'),
    candidates: z.array(z.object({ id: index, params }).strict()).min(1).max(100_000),
    fold: index,
    start: z.array(z.number()).max(1_000_000).optional(),
    keepSolutions: z.boolean().optional(),
    keepCurvatures: z.boolean().optional(),
  }).strict(),
} as const;

type Kind = keyof typeof SCHEMAS;
const KINDS = Object.keys(SCHEMAS) as Kind[];

/** What a worker allows beside memgrid's own code. */
export interface TaskPolicy {
  /** Built-in scorer names allowed in tasks; default any well-formed name (the handler rejects unknown ones). */
  readonly scorers?: readonly string[];
  /** Folders whose scorer modules tasks may name (after resolving links); none by default: module scorers are refused. */
  readonly scorerDirs?: readonly string[];
}

/**
 * `value` as a task message, or a ValueError saying why the worker refuses it.
 * @example
 * ```ts
 * const task = checkTaskMessage(decodeMessage(job.data.task), { scorers: [...SCORERS.keys()], scorerDirs: ['/srv/scorers'] });
 * ```
 */
export function checkTaskMessage(value: unknown, options: TaskPolicy = {}): TaskMessage {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (!KINDS.includes(kind as Kind)) {
    throw new ValueError(`refused task: unknown task kind ${JSON.stringify(kind) ?? 'undefined'}; known kinds: ${KINDS.join(', ')}`);
  }
  const parsed = SCHEMAS[kind as Kind].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValueError(`refused task: ${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  const task = parsed.data;
  // Params are checked as sent, not as parsed: the schema's records drop a "__proto__" key
  // that JSON.parse keeps as an own key, and every own key must be a known param.
  const sent = value as { model: { params: Params }; candidates?: readonly { params: Params }[] };
  try {
    // validateSpecParams checks the model name first (a known model, with a "did you mean").
    const spec = task.model as ModelSpec;
    validateSpecParams(spec, sent.model.params);
    const candidates = task.kind === 'ridge-stats' ? [] : sent.candidates ?? [];
    for (const candidate of candidates) validateSpecParams(spec, { ...sent.model.params, ...candidate.params });
  } catch (error) {
    throw new ValueError(`refused task: ${(error as Error).message}`, { cause: error });
  }
  for (const name of task.scoring) {
    const from = (task.scorers as Record<string, ScorerSource> | undefined)?.[name];
    if (from?.kind === 'module') checkScorerModule(name, from.url, options.scorerDirs ?? []);
    const builtin = from === undefined ? name : from.kind === 'builtin' ? from.name : undefined;
    if (builtin !== undefined && options.scorers && !options.scorers.includes(builtin)) {
      throw new ValueError(`refused task: unknown scoring '${builtin}'; known: ${options.scorers.join(', ')}`);
    }
  }
  return task as TaskMessage;
}

/**
 * Refuses a scorer module unless it is a file inside one of `dirs` (after resolving links): a
 * queue message must not make a worker import code from anywhere on its disk.
 */
function checkScorerModule(name: string, url: string, dirs: readonly string[]): void {
  if (dirs.length === 0) {
    throw new ValueError(`refused task: scorers.${name}: this worker takes no scorer modules; start it with --scorer-dir <folder> to allow the modules in that folder`);
  }
  let file: string;
  try {
    file = realpathSync(fileURLToPath(url));
  } catch {
    throw new ValueError(`refused task: scorers.${name}: scorer module ${url} is not on this worker`);
  }
  const inside = dirs.some((dir) => {
    const rel = relative(realpathSync(dir), file);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  });
  if (!inside) {
    throw new ValueError(`refused task: scorers.${name}: scorer module ${file} is outside the worker's scorer folders (${dirs.join(', ')})`);
  }
}

/** True for a name safe to use as one path part (a store hash, a fold-set id). */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !/^\.+$/.test(name);
}
