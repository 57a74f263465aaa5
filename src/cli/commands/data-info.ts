/** `memgrid data info PATH`. */
import type { Argv, CommandModule } from 'yargs';

/** Flags of `memgrid data info`. */
export interface DataInfoArgs {
  readonly path: string;
}

/**
 * The yargs module of `memgrid data info`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(dataInfoCommand).parseAsync();
 * ```
 */
export const dataInfoCommand: CommandModule<object, DataInfoArgs> = {
  command: 'info <path>',
  describe: 'Show a .npy file\'s shape, dtype, order, size and format version, or a dataset store\'s manifest',
  builder: (yargs: Argv) => yargs
    .positional('path', { type: 'string', describe: 'A .npy file or a dataset store folder' })
    .example('$0 data info data/reg/X.npy', 'Describe one array')
    .example('$0 data info /tmp/memgrid-stores-1000/3f2a...', 'Describe a dataset store') as unknown as Argv<DataInfoArgs>,
  handler: async (args) => {
    const { describeData } = await import('../../run/data-commands.js');
    const { printable } = await import('../../errors.js');
    process.stdout.write(`${describeData(args.path).map(printable).join('\n')}\n`);
  },
};
