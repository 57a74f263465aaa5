/**
 * The structure of an experiment config as a zod schema: keys, types and simple ranges.
 * Checks that need the model, the scorers or the file system live in config-checks.ts.
 */
import { z } from 'zod';

/** Known keys of every strict object, by key path pattern (`[]` for array indices): for "did you mean". */
export const KNOWN_KEYS = new Map<string, readonly string[]>();

function strict<T extends z.ZodRawShape>(pattern: string, shape: T) {
  KNOWN_KEYS.set(pattern, Object.keys(shape));
  return z.strictObject(shape);
}

const count = (min: number) => z.number().int().min(min);
const seed = z.union([z.number(), z.string()], { error: 'must be a number or a string' });
/** numpy's random_state: what splitters and samplers draw from. */
const numpySeed = z.number({ error: 'must be an integer between 0 and 2**32 - 1 (numpy\'s random_state)' })
  .int('must be an integer between 0 and 2**32 - 1 (numpy\'s random_state)').min(0).max(2 ** 32 - 1);
/** A class-weight dict ({"0": 1, "1": 5}): scikit-learn's class_weight={0: 1, 1: 5}. */
const labelWeights = z.record(z.string(), z.number());
const paramValue = z.union([z.number(), z.string(), z.boolean(), z.null(), labelWeights], {
  error: 'must be a number, a string, a boolean, null or an object of weights by label',
});
const valueList = z.array(paramValue).min(1);
const gridObject = z.record(z.string(), valueList);

const dataSchema = strict('data', {
  X: z.string().min(1).optional(),
  y: z.string().min(1).optional(),
  csv: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  groups: z.string().min(1).optional(),
  synthetic: strict('data.synthetic', {
    kind: z.enum(['regression', 'classification']),
    nSamples: count(2),
    nFeatures: count(1),
    noise: z.number().min(0).optional(),
    nClasses: count(2).optional(),
    seed: seed.optional(),
  }).optional(),
});

/**
 * The experiment config as written in JSON (comments allowed, see jsonc.ts).
 * Exactly one data source and at least one of grid, search, learningCurve, validationCurve.
 */
export const configSchema = strict('', {
  name: z.string().regex(/^[\w.-]+$/, 'must hold only letters, digits, "_", "." and "-"').optional(),
  data: dataSchema,
  preprocess: z.array(strict('preprocess[]', {
    name: z.enum(['standard_scaler']),
    params: z.record(z.string(), paramValue).default({}),
  })).optional(),
  model: strict('model', {
    name: z.enum(['ridge', 'logistic']),
    params: z.record(z.string(), paramValue).default({}),
  }),
  grid: z.union([gridObject, z.array(gridObject).min(1)], {
    error: 'must be an object of value lists or a list of such objects',
  }).optional(),
  search: strict('search', {
    kind: z.literal('random'),
    distributions: z.record(z.string(), z.unknown()),
    nIter: count(1).default(10),
    seed: numpySeed.default(0),
  }).optional(),
  halving: strict('halving', {
    factor: z.number().gt(1).optional(),
    minResources: z.union([z.literal('exhaust'), z.literal('smallest'), count(1)], {
      error: 'must be "exhaust", "smallest" or a row count >= 1',
    }).optional(),
    maxResources: z.union([z.literal('auto'), count(1)], { error: 'must be "auto" or a row count >= 1' }).optional(),
    aggressiveElimination: z.boolean().optional(),
    nCandidates: z.union([z.literal('exhaust'), count(1)], { error: 'must be "exhaust" or a count >= 1' }).optional(),
    seed: numpySeed.optional(),
  }).optional(),
  cv: strict('cv', {
    folds: count(2).optional(),
    shuffle: z.boolean().optional(),
    seed: numpySeed.optional(),
    name: z.string().min(1).optional(),
    nSplits: count(1).optional(),
    testSize: z.number().positive().optional(),
    trainSize: z.number().positive().optional(),
    gap: count(0).optional(),
    maxTrainSize: count(1).optional(),
    nRepeats: count(1).optional(),
    p: count(1).optional(),
    testFold: z.union([z.string().min(1), z.array(z.number().int().min(-1)).min(1)], {
      error: 'must be a .npy file or a list of fold labels (-1 for never tested)',
    }).optional(),
    file: z.string().min(1).optional(),
  }).default({}),
  scoring: z.union([z.string(), z.array(z.string()).min(1)], { error: 'must be a scorer name or a list of names' }).optional(),
  refit: z.union([z.boolean(), z.string()], { error: 'must be true, false or a scorer name' }).default(true),
  returnTrainScore: z.boolean().default(false),
  workers: count(0).optional(),
  errorScore: z.union([z.number(), z.literal('raise')], { error: 'must be a number or "raise"' }).optional(),
  learningCurve: strict('learningCurve', {
    trainSizes: z.array(z.number().positive()).min(1).default([0.1, 0.325, 0.55, 0.775, 1]),
  }).optional(),
  validationCurve: strict('validationCurve', {
    param: z.string().min(1),
    values: valueList,
  }).optional(),
});

/** A config after structural parsing (defaults filled in, paths still as written). */
export type RawConfig = z.output<typeof configSchema>;
