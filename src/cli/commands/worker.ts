/**
 * `memgrid worker --redis URL`: run search tasks from a Redis queue on this host's threads
 * until stopped (SIGTERM / Ctrl-C finish the running tasks first).
 */
import type { Argv, CommandModule } from 'yargs';
import { SCORERS } from '../../search/scorers.js';
import { UsageError } from '../usage.js';
import { REDIS_URL_ENV } from '../env.js';

/** Options of the worker command. */
export interface WorkerArgs {
  readonly redis?: string;
  readonly threads?: number;
  readonly 'data-root'?: string;
  readonly 'store-root'?: string[];
  readonly 'scorer-dir'?: string[];
  readonly queue: string;
  readonly quiet: boolean;
  readonly 'lock-duration': number;
  readonly 'stalled-interval': number;
  readonly name?: string;
}

/**
 * The yargs module of `memgrid worker`; register it with `yargs(...).command(workerCommand)`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(workerCommand).parseAsync();
 * ```
 */
export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Run search tasks from a Redis queue (memgrid run --executor redis) on this host',
  builder: (yargs: Argv) => yargs
    .option('redis', { type: 'string', describe: `Redis URL: redis://[:password@]host[:port][/db], rediss:// for TLS (default: $${REDIS_URL_ENV}, which keeps the password out of ps)` })
    .option('threads', { type: 'number', describe: 'Tasks run at once (default: the number of cores)' })
    .option('data-root', { type: 'string', describe: 'Copy each dataset store once into this folder (verified by its hash) and map it from there' })
    .option('store-root', { type: 'string', array: true, describe: 'Folder whose stores tasks may name (repeatable; default: the default store root in the temp folder)' })
    .option('scorer-dir', { type: 'string', array: true, describe: 'Folder whose scorer modules tasks may import (repeatable; default: none, module scorers are refused)' })
    .option('queue', { type: 'string', default: 'memgrid', describe: 'Queue name (the coordinator must use the same)' })
    .option('name', { type: 'string', describe: 'Name of this worker in memory reports (threads are NAME/1, NAME/2, ...; default host/pid/thread)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
    .option('lock-duration', { type: 'number', default: 30_000, hidden: true, describe: 'ms before a dead worker\'s task is retried elsewhere' })
    .option('stalled-interval', { type: 'number', default: 30_000, hidden: true, describe: 'ms between checks for dead workers\' tasks' })
    .example('$0 worker --redis redis://:secret@10.0.0.5:6379 --store-root /shared/memgrid-stores', 'Serve tasks whose data is on shared storage')
    .example('$0 worker --redis rediss://:secret@queue.internal:6380 --data-root /var/cache/memgrid --store-root /mnt/nfs/stores', 'Copy each dataset once to local disk') as unknown as Argv<WorkerArgs>,
  handler: async (args) => {
    const url = args.redis ?? process.env[REDIS_URL_ENV];
    if (url === undefined || url === '') throw new UsageError(`memgrid worker needs --redis URL or ${REDIS_URL_ENV}`);
    const log = args.quiet ? undefined : (line: string): void => { process.stderr.write(`${line}\n`); };
    // Loaded here, not at the top: bullmq/ioredis cost every other memgrid command ~0.5 s.
    const { runRedisWorker } = await import('../../workers/redis-worker.js');
    const worker = await runRedisWorker({
      url,
      queueName: args.queue,
      ...(args.threads === undefined ? {} : { threads: args.threads }),
      ...(args['data-root'] === undefined ? {} : { dataRoot: args['data-root'] }),
      ...(args['store-root'] === undefined ? {} : { storeRoots: args['store-root'] }),
      ...(args['scorer-dir'] === undefined ? {} : { scorerDirs: args['scorer-dir'] }),
      scorers: [...SCORERS.keys()],
      lockDurationMs: args['lock-duration'],
      stalledIntervalMs: args['stalled-interval'],
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(log ? { log } : {}),
    });
    await worker.closed;
  },
};
