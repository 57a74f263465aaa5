/**
 * How task messages and results travel through Redis. BullMQ stores JSON, and JSON turns
 * NaN and ±Infinity into null (a search's default `errorScore` is NaN, and so are a failed
 * fit's scores) and a Float64Array into an object of digit keys (ridge's statistics). So
 * non-finite numbers travel as `{"$num": "NaN"}` and Float64Arrays as `{"$f64": base64}` of
 * their little-endian bytes (bit-exact): objects no task field or param (plain scalars) can be
 * confused with.
 */
import { QueueError } from '../errors.js';

/** Queue name used when none is given. */
export const DEFAULT_QUEUE = 'memgrid';
/** BullMQ job name of a task. */
export const TASK_JOB = 'task';
/** Version tag carried by every job so a worker refuses messages from an incompatible coordinator. */
export const PROTOCOL_VERSION = 2;

/** What a job's `data` holds: the encoded task message and the liveness key of the run that queued it. */
export interface TaskJobData {
  readonly v: number;
  readonly task: string;
  /** A Redis key the run's coordinator keeps alive (see livenessKey); the task is dropped once it expires. */
  readonly run: string;
}

/** Prefix of a worker's failure reason for a job it would not run (a bad message, a store it may not read). */
export const REFUSED = 'refused';
/** Prefix of a worker's failure reason for a job whose run is gone (its coordinator stopped). */
export const DROPPED = 'dropped';

/** Liveness keys: `memgrid:run:<queue>:<run id>`. */
const LIVENESS_KEY = /^memgrid:run:[\w.-]+:[\w.-]+$/;

/**
 * The liveness key of run `runId` on queue `queueName`: the coordinator sets it with a short
 * expiry and refreshes it while it lives; workers drop the run's jobs once it is gone.
 * @example
 * ```ts
 * livenessKey('memgrid', 'a1b2c3d4'); // 'memgrid:run:memgrid:a1b2c3d4'
 * ```
 */
export function livenessKey(queueName: string, runId: string): string {
  return `memgrid:run:${queueName}:${runId}`;
}

/**
 * True for a string shaped like a liveness key (a job names one; a worker only ever asks
 * whether such a key exists).
 * @example
 * ```ts
 * isLivenessKey('memgrid:run:memgrid:a1b2c3d4'); // true
 * ```
 */
export function isLivenessKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 300 && LIVENESS_KEY.test(key);
}

const NUM_TAG = '$num';
const F64_TAG = '$f64';
const F64_BYTES = 8;

/**
 * JSON text of `value`, keeping NaN and ±Infinity.
 * @example
 * ```ts
 * decodeMessage(encodeMessage({ score: NaN })); // { score: NaN }
 * ```
 */
export function encodeMessage(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return { [NUM_TAG]: String(v) };
    if (v instanceof Float64Array) return { [F64_TAG]: float64ToBase64(v) };
    if (ArrayBuffer.isView(v)) throw new QueueError(`cannot send ${v.constructor.name} '${key}' through the queue: only Float64Array is supported`);
    return v;
  });
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
  if (keys.length !== 1) return v;
  const text = (v as Record<string, unknown>)[keys[0]!];
  if (keys[0] === F64_TAG && typeof text === 'string') return base64ToFloat64(text);
  if (keys[0] !== NUM_TAG) return v;
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v;
}

/** Little-endian bytes whatever the host's byte order, so hosts of either order can share a queue. */
function float64ToBase64(values: Float64Array): string {
  const bytes = Buffer.allocUnsafe(values.length * F64_BYTES);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i]!, i * F64_BYTES);
  return bytes.toString('base64');
}

function base64ToFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % F64_BYTES !== 0) throw new QueueError(`a Float64Array in a message has ${bytes.length} bytes, not a multiple of ${F64_BYTES}`);
  const out = new Float64Array(bytes.length / F64_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readDoubleLE(i * F64_BYTES);
  return out;
}
