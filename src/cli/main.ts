#!/usr/bin/env node
/**
 * The `memgrid` command line: commands are yargs modules under ./commands; this file only
 * wires them together and turns errors into exit codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { dataCommand } from './commands/data.js';
import { plotCommand } from './commands/plot.js';
import { runCommand } from './commands/run.js';
import { storeCommand } from './commands/store.js';
import { workerCommand } from './commands/worker.js';
import { EXIT, reportError } from './exit.js';
import { UsageError } from './usage.js';

/** memgrid's version, from the package.json above this file (src/ or dist/src/). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'unknown';
}

/**
 * Parse `argv` and run the command; resolves to the exit code.
 * @example
 * ```ts
 * process.exitCode = await main(['run', 'experiments/quickstart.json']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const parser = yargs([...argv])
    .scriptName('memgrid')
    .usage('$0 <command> [options]\n\nHyperparameter search on memory-mapped .npy datasets shared by worker threads.')
    .command(runCommand)
    .command(dataCommand)
    .command(plotCommand)
    .command(storeCommand)
    .command(workerCommand)
    .option('debug', { type: 'boolean', default: false, global: true, describe: 'Print stack traces with errors' })
    .demandCommand(1, 'name a command: run, data, plot, store or worker')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .alias('h', 'help')
    .example('$0 run experiments/quickstart.json', 'Run the quickstart experiment into runs/quickstart/')
    .epilog('Exit codes: 0 ok, 1 the run failed, 2 bad usage or config, 130 interrupted.')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      // Errors thrown by handlers propagate to the catch below; yargs' own messages are usage errors.
      if (error) throw error;
      throw new UsageError(`${message} (see memgrid --help)`);
    });
  try {
    await parser.parseAsync();
    return EXIT.ok;
  } catch (error) {
    return reportError(error, debug);
  }
}

process.exitCode = await main(hideBin(process.argv));
