/** `memgrid plot`'s logic: re-render a run folder's plots and report, holding the folder's lock. */
import { resolve } from 'node:path';
import { readRunContents, writeReport } from '../report/write.js';
import { lockFolder } from './lock.js';

/**
 * Re-render the plots and report.html of the run folder `dir` from its saved results, while
 * no run writes into it. Returns the paths written.
 * @throws ValueError when `dir` holds no results.json; FolderLockedError while a run uses it;
 *   WriteError when a file cannot be written (every other file keeps its old content).
 * @example
 * ```ts
 * await replotRun('runs/quickstart');
 * ```
 */
export async function replotRun(dir: string): Promise<string[]> {
  const contents = readRunContents(dir);
  const lock = lockFolder(resolve(dir), `memgrid plot ${dir}`);
  try {
    return await writeReport(dir, contents);
  } finally {
    lock.release();
  }
}
