/** Putting a finished folder (a store, a fold set) in place, replacing a bad one without a window where neither exists. */
import fs from 'node:fs';
import nodePath from 'node:path';
import { syncFolder } from './atomic.js';
import { randomHex } from './random-name.js';

/**
 * Rename the finished folder `temp` to `dir`. When `dir` exists: if `isGood()` says it is
 * complete and sound (another process got there first) it is kept; otherwise it is moved aside
 * and removed (processes that mapped its files keep their mappings) and `temp` takes its place.
 * @example
 * ```ts
 * placeFolder(temp, dir, () => storeProblem(dir, digest) === undefined);
 * ```
 */
export function placeFolder(temp: string, dir: string, isGood: () => boolean): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.renameSync(temp, dir);
      syncFolder(nodePath.dirname(dir));
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
    if (isGood()) return;
    const trash = nodePath.join(nodePath.dirname(dir), `.trash-${randomHex(4)}`);
    try {
      fs.renameSync(dir, trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another process moved it first
    }
    fs.rmSync(trash, { recursive: true, force: true });
  }
  throw new Error(`${dir}: could not replace the folder (other processes keep writing it)`);
}
