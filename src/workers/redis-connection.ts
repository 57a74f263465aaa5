/**
 * Redis URLs and a connection probe shared by the coordinator (RedisExecutor) and the worker.
 * Password and TLS come from the URL (`redis://:pw@host:port/db`, `rediss://` for TLS) and are
 * handed to ioredis as they are; error messages show the URL with its password hidden.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { QueueError, ValueError } from '../errors.js';

/** Milliseconds to wait for Redis to answer a connection or a ping before calling it unreachable. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * ioredis options for a `redis://` or `rediss://` URL.
 * @throws ValueError for a URL that is not one.
 * @example
 * ```ts
 * redisOptions('rediss://:secret@cache.internal:6380/2'); // { host, port: 6380, password, db: 2, tls: {} }
 * ```
 */
export function redisOptions(url: string, extra: RedisOptions = {}): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValueError(`redis URL must look like redis://[:password@]host[:port][/db], found '${String(url)}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ValueError(`redis URL must start with redis:// or rediss://, found '${redactUrl(url)}'`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ValueError(`redis URL database must be a number, found '/${db}'`);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: parsed.hostname } } : {}),
    connectTimeout: DEFAULT_CONNECT_TIMEOUT_MS,
    ...extra,
  };
}

/**
 * `url` with its password replaced by `***`, for messages and logs.
 * @example
 * ```ts
 * redactUrl('redis://:secret@host:6379'); // 'redis://:***@host:6379'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return '<unparsable redis URL>';
  }
}

/**
 * A small extra connection that only pings: it tells whether Redis answers, with a bounded wait,
 * while BullMQ's own connections keep retrying quietly in the background.
 */
export class RedisProbe {
  private readonly client: Redis;
  private lastError: string | undefined;

  constructor(readonly url: string, private readonly timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
    this.client = new Redis(redisOptions(url, {
      connectTimeout: timeoutMs,
      // Fail a ping at the first failed connection attempt instead of queueing it forever.
      maxRetriesPerRequest: 0,
      retryStrategy: () => 500,
      lazyConnect: false,
    }));
    this.client.on('error', (error: Error) => { this.lastError = error.message; });
  }

  /** Resolves when Redis answers a ping; rejects with a QueueError naming the URL otherwise. */
  async ping(): Promise<void> {
    await this.bounded(this.client.ping());
  }

  /** Sets `key` to `value`, expiring after `ttlMs` unless set again: Redis answering this is as good as a ping. */
  async keepAlive(key: string, value: string, ttlMs: number): Promise<void> {
    await this.bounded(this.client.set(key, value, 'PX', ttlMs));
  }

  /** The id of the last entry of the stream at `key`, or '0-0' when it has none (or does not exist yet). */
  async streamEnd(key: string): Promise<string> {
    const last = await this.bounded(this.client.xrevrange(key, '+', '-', 'COUNT', 1));
    return last[0]?.[0] ?? '0-0';
  }

  /** Deletes `key` (a run's liveness key, when the run ends). */
  async remove(key: string): Promise<void> {
    await this.bounded(this.client.del(key));
  }

  /** Which of `keys` do not exist, asked in one round trip. */
  async missing(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.exists(key);
    const replies = (await this.bounded(pipeline.exec())) ?? [];
    return keys.filter((_, i) => {
      const [error, count] = replies[i] ?? [new Error('no reply'), 0];
      if (error) throw error;
      return count === 0;
    });
  }

  close(): void {
    this.client.disconnect();
  }

  /** `work`, or a QueueError naming the URL when Redis does not answer within the timeout. */
  private async bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([work, timeout]);
      this.lastError = undefined;
      return result;
    } catch (error) {
      // A refused or dropped connection surfaces as a generic retry/timeout error: the
      // connection's own last error (ECONNREFUSED, WRONGPASS, ...) says more.
      const own = (error as Error).message;
      const generic = own.startsWith('Reached the max retries') || own.startsWith('no answer');
      const detail = generic ? (this.lastError ?? own) : own;
      throw new QueueError(`cannot reach Redis at ${redactUrl(this.url)}: ${detail}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
