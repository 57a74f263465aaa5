/**
 * How the CLI ends: exit codes (0 ok, 1 the run failed, 2 bad usage or config, 130 interrupted)
 * and the error line on stderr (a stack trace only with --debug).
 */
import {
  AbortError, ConfigError, DataError, DTypeError, MemgridError, NpyFormatError, printable, ValueError,
} from '../errors.js';

/** Exit codes of every memgrid command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * The exit code for an error: bad input (config, arguments, files, data) is a usage error,
 * an abort is an interrupt, anything else means the run failed.
 * @example
 * ```ts
 * exitCodeOf(new ConfigError('x.json', ['cv.folds: must be >= 2, found 1'])); // 2
 * ```
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AbortError) return EXIT.interrupted;
  if (error instanceof ConfigError || error instanceof ValueError || error instanceof NpyFormatError
    || error instanceof DTypeError || error instanceof DataError) return EXIT.usage;
  return EXIT.failed;
}

/**
 * Print `error` for a person: `memgrid: <message>` (a config error lists each problem on
 * its own line), plus the stack with `debug`. Text from files (a header, a path) may hold
 * terminal control characters: everything shown is passed through `printable`. Returns the exit code.
 * @example
 * ```ts
 * process.exitCode = reportError(error, argv.includes('--debug'));
 * ```
 */
export function reportError(error: unknown, debug: boolean, output: (text: string) => void = (t) => process.stderr.write(t)): number {
  const write = (text: string): void => output(text.split('\n').map(printable).join('\n'));
  if (error instanceof ConfigError) {
    write(`memgrid: ${error.path}: invalid config (${error.issues.length} problem${error.issues.length === 1 ? '' : 's'})\n`);
    for (const issue of error.issues) write(`  ${issue}\n`);
  } else if (error instanceof MemgridError) {
    write(`memgrid: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(`memgrid: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
  }
  if (debug && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return exitCodeOf(error);
}
