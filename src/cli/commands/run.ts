/** `memgrid run CONFIG`: run an experiment config and write its results, plots and report. */
import type { Argv, CommandModule } from 'yargs';
import type { ExecutorChoice } from '../../run/executor.js';
import { REDIS_URL_ENV } from '../env.js';
import { UsageError } from '../usage.js';

/** Flags of `memgrid run`. */
export interface RunArgs {
  readonly config: string;
  readonly out?: string;
  readonly workers?: number;
  readonly resume: boolean;
  readonly quiet: boolean;
  readonly debug: boolean;
  readonly executor: 'threads' | 'redis';
  readonly redis?: string;
  readonly queue?: string;
  readonly 'store-root'?: string;
  readonly 'queue-timeout'?: number;
  readonly 'run-ttl'?: number;
}

function executorChoice(args: RunArgs): ExecutorChoice {
  if (args.executor === 'threads') {
    if (args.redis !== undefined) throw new UsageError('--redis needs --executor redis');
    return { kind: 'threads' };
  }
  const url = args.redis ?? process.env[REDIS_URL_ENV];
  if (url === undefined || url === '') {
    throw new UsageError(`--executor redis needs --redis URL or ${REDIS_URL_ENV} (e.g. redis://127.0.0.1:6379)`);
  }
  return {
    kind: 'redis', url,
    ...(args.queue === undefined ? {} : { queue: args.queue }),
    ...(args['queue-timeout'] === undefined ? {} : { queueTimeoutMs: args['queue-timeout'] }),
    ...(args['run-ttl'] === undefined ? {} : { livenessTtlMs: args['run-ttl'] }),
  };
}

/**
 * The yargs module of `memgrid run`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(runCommand).parseAsync();
 * ```
 */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <config>',
  describe: 'Run an experiment config: search, curves, results files, plots and report.html',
  builder: (yargs: Argv) => yargs
    .positional('config', { type: 'string', describe: 'Experiment config (JSON, comments allowed); paths in it are relative to it' })
    .option('out', { type: 'string', describe: 'Run folder (default: runs/<config name>/)' })
    .option('workers', { type: 'number', describe: 'Worker threads (default: the config\'s, else one per core; 0 runs inline)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Skip the fits the run folder\'s journal holds (after Ctrl-C or a crash)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output (the results table still goes to stdout)' })
    .option('executor', { choices: ['threads', 'redis'] as const, default: 'threads' as const, describe: 'Where tasks run' })
    .option('redis', { type: 'string', describe: `Redis URL for --executor redis (start workers with memgrid worker); default $${REDIS_URL_ENV}` })
    .option('queue', { type: 'string', describe: 'Queue name for --executor redis (default: memgrid)' })
    .option('store-root', { type: 'string', describe: 'Where data is persisted as dataset stores (shared storage for --executor redis; default: $MEMGRID_STORE_ROOT, else <tmpdir>/memgrid-stores-<uid>)' })
    .option('queue-timeout', { type: 'number', hidden: true, describe: 'ms within which a silent Redis, or one that lost the queued tasks, stops the run' })
    .option('run-ttl', { type: 'number', hidden: true, describe: 'ms after which workers drop the tasks of a coordinator that stopped answering' })
    .check((argv) => {
      if (argv.workers !== undefined && (!Number.isInteger(argv.workers) || argv.workers < 0)) {
        throw new UsageError(`--workers must be an integer >= 0, found ${String(argv.workers)}`);
      }
      return true;
    })
    .example('$0 run experiments/quickstart.json', 'Ridge grid on generated data; writes runs/quickstart/')
    .example('$0 run exp.json --workers 4 --out runs/exp-4w', 'Four worker threads, custom run folder')
    .example('$0 run exp.json --resume', 'Continue an interrupted run where it stopped') as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const executor = executorChoice(args);
    // Loaded here, not at the top: `memgrid --help` should not load the search, vega and the data
    // layer; and a bad config is reported before any of them loads.
    const { loadConfig } = await import('../../run/config.js');
    const loaded = loadConfig(args.config);
    const { createProgress } = await import('../../run/progress.js');
    const { RunInterruptedError, runExperiment } = await import('../../run/runner.js');
    const progress = createProgress(args.quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'lines');
    const controller = new AbortController();
    const onSigint = (): void => {
      if (controller.signal.aborted) process.exit(130); // a second Ctrl-C does not wait
      progress.log('stopping: letting running fits finish (Ctrl-C again to quit now)...');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const outcome = await runExperiment({
        config: args.config, loaded, resume: args.resume, executor, signal: controller.signal, progress,
        ...(args.out === undefined ? {} : { out: args.out }),
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        ...(args['store-root'] === undefined ? {} : { storeRoot: args['store-root'] }),
      });
      const { results } = outcome;
      const { printable } = await import('../../errors.js');
      for (const warning of results.warnings) process.stderr.write(`warning: ${printable(warning)}\n`);
      if (outcome.table !== undefined) {
        process.stdout.write(`\nTop candidates by mean ${results.refitMetric ?? results.scoring[0]}:\n${outcome.table}\n`);
      }
      if (!args.quiet) process.stdout.write(`\nWrote ${outcome.dir}/ (report: ${outcome.dir}/report.html)\n`);
    } catch (error) {
      if (error instanceof RunInterruptedError) progress.stop();
      throw error;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
