/**
 * How task messages and results travel through Redis. BullMQ stores JSON, and JSON turns
 * NaN and ±Infinity into null: a search's default `errorScore` is NaN, and a failed fit's
 * scores are NaN. So non-finite numbers travel as `{"$num": "NaN"}` objects, which no task
 * field or param (plain scalars) can be confused with.
 */
import { QueueError } from '../errors.js';

/** Queue name used when none is given. */
export const DEFAULT_QUEUE = 'memgrid';
/** BullMQ job name of a task. */
export const TASK_JOB = 'task';
/** Version tag carried by every job so a worker refuses messages from an incompatible coordinator. */
export const PROTOCOL_VERSION = 1;

/** What a job's `data` holds: the encoded task message. */
export interface TaskJobData {
  readonly v: number;
  readonly task: string;
}

const NUM_TAG = '$num';

/**
 * JSON text of `value`, keeping NaN and ±Infinity.
 * @example
 * ```ts
 * decodeMessage(encodeMessage({ score: NaN })); // { score: NaN }
 * ```
 */
export function encodeMessage(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [NUM_TAG]: String(v) } : v);
}

/**
 * The value `encodeMessage` encoded. Throws a QueueError naming `what` for text that is not JSON.
 * @example
 * ```ts
 * const result = decodeMessage(text, 'job 3 result') as TaskResult;
 * ```
 */
export function decodeMessage(text: unknown, what = 'message'): unknown {
  if (typeof text !== 'string') throw new QueueError(`${what}: expected JSON text, found ${typeof text}`);
  try {
    return JSON.parse(text, (_key, v: unknown) => decodeNumber(v));
  } catch (error) {
    throw new QueueError(`${what}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

function decodeNumber(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== NUM_TAG) return v;
  const text = (v as Record<string, unknown>)[NUM_TAG];
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v;
}
