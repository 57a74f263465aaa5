/**
 * memgrid's distributed executor, as its own entry point (`memgrid/redis`): BullMQ and
 * ioredis load only for programs that use the queue, not for every `import 'memgrid'`.
 * @example
 * ```ts
 * import { RedisExecutor } from 'memgrid/redis';
 * const executor = await RedisExecutor.connect({ url: 'redis://:secret@10.0.0.5:6379' });
 * ```
 */
export { RedisExecutor, type RedisExecutorOptions } from './workers/redis-executor.js';
export { runRedisWorker, type RedisWorkerOptions, type RedisWorker } from './workers/redis-worker.js';
