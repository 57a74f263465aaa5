/** `memgrid data make regression|classification --samples N --features D --out DIR`. */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../usage.js';
import { printDataset } from './data-print.js';

/** Flags of `memgrid data make`. */
export interface DataMakeArgs {
  readonly kind: 'regression' | 'classification';
  readonly samples: number;
  readonly features: number;
  readonly out: string;
  readonly seed: number;
  readonly noise?: number;
  readonly classes?: number;
}

function positiveInt(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) throw new UsageError(`--${name} must be an integer >= ${min}, found ${String(value)}`);
}

/**
 * The yargs module of `memgrid data make`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(dataMakeCommand).parseAsync();
 * ```
 */
export const dataMakeCommand: CommandModule<object, DataMakeArgs> = {
  command: 'make <kind>',
  describe: 'Generate a synthetic dataset (scikit-learn\'s make_regression / make_classification style) as X.npy and y.npy',
  builder: (yargs: Argv) => yargs
    .positional('kind', { choices: ['regression', 'classification'] as const, describe: 'What y is' })
    .option('samples', { type: 'number', demandOption: true, describe: 'Rows' })
    .option('features', { type: 'number', demandOption: true, describe: 'Columns of X' })
    .option('out', { type: 'string', demandOption: true, describe: 'Folder for X.npy, y.npy and dataset.json' })
    .option('seed', { type: 'number', default: 0, describe: 'Random seed' })
    .option('noise', { type: 'number', describe: 'Standard deviation of the noise added to y (regression)' })
    .option('classes', { type: 'number', describe: 'Number of classes (classification; default 2)' })
    .check((argv) => {
      positiveInt('samples', argv.samples, 2);
      positiveInt('features', argv.features, 1);
      positiveInt('classes', argv.classes, 2);
      if (argv.noise !== undefined && !(argv.noise >= 0)) throw new UsageError(`--noise must be >= 0, found ${String(argv.noise)}`);
      if (argv.classes !== undefined && argv.kind !== 'classification') throw new UsageError('--classes only applies to classification');
      return true;
    })
    .example('$0 data make regression --samples 100000 --features 50 --noise 10 --out data/reg', 'A 40 MB regression set')
    .example('$0 data make classification --samples 5000 --features 20 --classes 3 --out data/clf --seed 1', 'Three classes') as unknown as Argv<DataMakeArgs>,
  handler: async (args) => {
    const { makeDataset } = await import('../../run/data-commands.js');
    const options = {
      samples: args.samples, features: args.features, seed: args.seed,
      ...(args.noise === undefined ? {} : { noise: args.noise }), ...(args.classes === undefined ? {} : { classes: args.classes }),
    };
    printDataset(makeDataset(args.kind, options, args.out));
  },
};
