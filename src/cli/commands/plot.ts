/** `memgrid plot RUNDIR`: re-render a run's plots and report from its saved results. */
import type { Argv, CommandModule } from 'yargs';

/** Flags of `memgrid plot`. */
export interface PlotArgs {
  readonly rundir: string;
}

/**
 * The yargs module of `memgrid plot`.
 * @example
 * ```ts
 * await yargs(hideBin(process.argv)).command(plotCommand).parseAsync();
 * ```
 */
export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <rundir>',
  describe: 'Re-render the plots (plots/*.svg) and report.html of a run folder from its saved results',
  builder: (yargs: Argv) => yargs
    .positional('rundir', { type: 'string', describe: 'A run folder (holds results.json)' })
    .example('$0 plot runs/quickstart', 'Rewrite runs/quickstart/plots/*.svg and report.html') as unknown as Argv<PlotArgs>,
  handler: async (args) => {
    const { replotRun } = await import('../../run/replot.js');
    const written = await replotRun(args.rundir);
    process.stdout.write(`${written.map((f) => `wrote ${f}`).join('\n')}\n`);
  },
};
