/** `memgrid data import CSV --target COL --out DIR`. */
import type { Argv, CommandModule } from 'yargs';
import { printDataset } from './data-print.js';

/** Flags of `memgrid data import`. */
export interface DataImportArgs {
  readonly csv: string;
  readonly target: string;
  readonly out: string;
}

/**
 * The yargs module of `memgrid data import`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(dataImportCommand).parseAsync();
 * ```
 */
export const dataImportCommand: CommandModule<object, DataImportArgs> = {
  command: 'import <csv>',
  describe: 'Import a CSV (header row; numeric features, a numeric or text-label target) as X.npy and y.npy',
  builder: (yargs: Argv) => yargs
    .positional('csv', { type: 'string', describe: 'CSV file with a header row' })
    .option('target', { type: 'string', demandOption: true, describe: 'Column to predict (becomes y.npy)' })
    .option('out', { type: 'string', demandOption: true, describe: 'Folder for X.npy, y.npy and dataset.json' })
    .example('$0 data import experiments/data/diabetes.csv --target target --out data/diabetes', 'Write data/diabetes/X.npy and y.npy') as unknown as Argv<DataImportArgs>,
  handler: async (args) => {
    const { importCsvAsNpy } = await import('../../run/data-commands.js');
    printDataset(await importCsvAsNpy(args.csv, args.target, args.out));
  },
};
