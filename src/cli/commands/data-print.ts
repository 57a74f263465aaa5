/** What data commands print after writing a dataset: where it is, and how a config reads it. */
import { relative } from 'node:path';
import type { WrittenDataset } from '../../run/data-commands.js';

/**
 * Print the files written and the config `data` entry that reads them.
 * @example
 * ```ts
 * printDataset(makeDataset('regression', { samples: 100, features: 3, seed: 0 }, 'data/reg'));
 * ```
 */
export function printDataset(written: WrittenDataset & { classes?: readonly string[] }): void {
  const rel = (p: string): string => relative(process.cwd(), p) || p;
  process.stdout.write(`wrote ${rel(written.X)} [${written.shape.join(', ')}] and ${rel(written.y)}\n`);
  if (written.classes) process.stdout.write(`classes: ${written.classes.map((c, k) => `${k} = ${c}`).join(', ')} (y holds the numbers)\n`);
  process.stdout.write(`config: "data": { "X": "${rel(written.X)}", "y": "${rel(written.y)}" }  (paths relative to the config file)\n`);
}
