/** `memgrid data <import|info|make>`: prepare and inspect datasets. */
import type { Argv, CommandModule } from 'yargs';
import { dataImportCommand } from './data-import.js';
import { dataInfoCommand } from './data-info.js';
import { dataMakeCommand } from './data-make.js';

/**
 * The yargs module of `memgrid data` and its subcommands.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(dataCommand).parseAsync();
 * ```
 */
export const dataCommand: CommandModule = {
  command: 'data <command>',
  describe: 'Prepare and inspect datasets (.npy files and dataset stores)',
  builder: (yargs: Argv) => yargs
    .command(dataImportCommand)
    .command(dataInfoCommand)
    .command(dataMakeCommand)
    .demandCommand(1, 'name a data command: import, info or make')
    .example('$0 data make regression --samples 10000 --features 20 --out data/reg', 'Generate X.npy and y.npy')
    .example('$0 data info data/reg/X.npy', 'Shape, dtype, order, size and format version'),
  handler: () => {},
};
