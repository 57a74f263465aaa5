/**
 * What a Redis worker accepts from the queue. Anyone who can write to the queue can send a
 * message, so a worker runs only memgrid's own models with params the registry accepts, and
 * reads stores only inside the roots it was started with (see redis-stores.ts). Everything
 * else is refused with a message naming the field at fault.
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import type { ModelName, Params } from '../models/estimator.js';
import { validateParams } from '../models/registry.js';
import type { TaskMessage } from './protocol.js';

/** Fold-set ids and store folder names become path parts: no separators, no dots-only names. */
const SAFE_NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;
const SCORER_NAME = /^[a-z][a-z0-9_]{0,63}$/;

const scalar = z.union([z.number(), z.nan(), z.string().max(256), z.boolean(), z.null()]);
const params = z.record(z.string().max(64), scalar);
const index = z.number().int().nonnegative();

const base = {
  store: z.string().min(1).max(4096),
  foldSet: z.string().regex(SAFE_NAME, 'must be a plain fold-set id'),
  model: z.object({ name: z.string(), params }).strict(),
  scoring: z.array(z.string().regex(SCORER_NAME, 'must be a scorer name')).min(1).max(32),
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
  }).strict(),
} as const;

type Kind = keyof typeof SCHEMAS;
const KINDS = Object.keys(SCHEMAS) as Kind[];

/**
 * `value` as a task message, or a ValueError saying why the worker refuses it.
 * `scorers`, when given, lists the scorer names allowed.
 * @example
 * ```ts
 * const task = checkTaskMessage(decodeMessage(job.data.task), { scorers: [...SCORERS.keys()] });
 * ```
 */
export function checkTaskMessage(value: unknown, options: { scorers?: readonly string[] } = {}): TaskMessage {
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
    // validateParams checks the model name first (a known model, with a "did you mean").
    validateParams(task.model.name as ModelName, sent.model.params);
    const candidates = task.kind === 'ridge-stats' ? [] : sent.candidates ?? [];
    for (const candidate of candidates) validateParams(task.model.name as ModelName, { ...sent.model.params, ...candidate.params });
  } catch (error) {
    throw new ValueError(`refused task: ${(error as Error).message}`, { cause: error });
  }
  const unknown = options.scorers && task.scoring.find((s) => !options.scorers!.includes(s));
  if (unknown) throw new ValueError(`refused task: unknown scoring '${unknown}'; known: ${options.scorers!.join(', ')}`);
  return task as TaskMessage;
}

/** True for a name safe to use as one path part (a store hash, a fold-set id). */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !/^\.+$/.test(name);
}
