/** `memgrid store <list|verify|prune>`: look after the dataset stores under a store root. */
import type { Argv, CommandModule } from 'yargs';

/** Flags every store command takes. */
export interface StoreArgs {
  readonly 'store-root'?: string;
}

/** Flags of `memgrid store verify`. */
export interface StoreVerifyArgs extends StoreArgs {
  readonly hash?: string;
}

/** Flags of `memgrid store prune`. */
export interface StorePruneArgs extends StoreArgs {
  readonly 'older-than'?: string;
  readonly 'max-size'?: string;
}

const storeRoot = (yargs: Argv): Argv => yargs.option('store-root', {
  type: 'string', describe: 'The store root (default: $MEMGRID_STORE_ROOT, else <tmpdir>/memgrid-stores-<uid>)',
});

const listCommand: CommandModule<object, StoreArgs> = {
  command: 'list',
  describe: 'List the dataset stores: hash, size, last used, source',
  builder: (yargs: Argv) => storeRoot(yargs) as unknown as Argv<StoreArgs>,
  handler: async (args) => {
    const { storeListLines } = await import('../../run/store-commands.js');
    const { printable } = await import('../../errors.js');
    process.stdout.write(`${storeListLines(args['store-root']).map(printable).join('\n')}\n`);
  },
};

const verifyCommand: CommandModule<object, StoreVerifyArgs> = {
  command: 'verify [hash]',
  describe: 'Check every file of the stores (or of the one whose hash starts with HASH) against its recorded size and content hash',
  builder: (yargs: Argv) => storeRoot(yargs)
    .positional('hash', { type: 'string', describe: 'A store hash, or its first digits' }) as unknown as Argv<StoreVerifyArgs>,
  handler: async (args) => {
    const { storeVerifyLines } = await import('../../run/store-commands.js');
    const { MemgridError } = await import('../../errors.js');
    const { lines, ok } = storeVerifyLines(args['store-root'], args.hash);
    process.stdout.write(`${lines.slice(0, -1).join('\n')}\n`);
    if (!ok) throw new MemgridError(lines.at(-1)!);
    process.stdout.write(`${lines.at(-1)!}\n`);
  },
};

const pruneCommand: CommandModule<object, StorePruneArgs> = {
  command: 'prune',
  describe: 'Remove stores unused for a while, then the least recently used above a size',
  builder: (yargs: Argv) => storeRoot(yargs)
    .option('older-than', { type: 'string', describe: 'Remove stores not used for this long: 30m, 12h, 7d, 2w' })
    .option('max-size', { type: 'string', describe: 'Then remove the least recently used until the root holds at most this much: 500MB, 10GB (0 removes every store)' })
    .example('$0 store prune --older-than 7d --max-size 10GB', 'A weekly clean-up') as unknown as Argv<StorePruneArgs>,
  handler: async (args) => {
    const { storePruneLines } = await import('../../run/store-commands.js');
    const flags = {
      ...(args['older-than'] === undefined ? {} : { olderThan: args['older-than'] }),
      ...(args['max-size'] === undefined ? {} : { maxSize: args['max-size'] }),
    };
    process.stdout.write(`${storePruneLines(args['store-root'], flags).join('\n')}\n`);
  },
};

/**
 * The yargs module of `memgrid store` and its subcommands.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(storeCommand).parseAsync();
 * ```
 */
export const storeCommand: CommandModule = {
  command: 'store <command>',
  describe: 'List, verify and prune the dataset stores (where data is persisted for the workers to map)',
  builder: (yargs: Argv) => yargs
    .command(listCommand)
    .command(verifyCommand)
    .command(pruneCommand)
    .demandCommand(1, 'name a store command: list, verify or prune')
    .example('$0 store list', 'Stores in the default store root')
    .example('$0 store verify 3fa9', 'Check one store by content')
    .example('$0 store prune --max-size 0', 'Remove every store'),
  handler: () => {},
};
