/**
 * Every index a task message carries, bounded by the store it names. A message from the queue
 * is anyone's: `rowEnd: 2e9` would make a worker allocate until it dies, then kill the next
 * worker that takes the job again. A worker checks a task against the store's shape before it
 * runs it, and refuses it naming the field.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { readNpyHeader } from '../data/npy.js';
import { ValueError } from '../errors.js';
import type { TaskMessage } from './protocol.js';

/** The extent of a store and fold set: what a task's indices must stay within. */
export interface StoreBounds {
  readonly nRows: number;
  readonly nCols: number;
  /** Training rows of each fold (so the fold count too). */
  readonly trainSizes: readonly number[];
}

/**
 * Throw a ValueError (`refused task: <field>: ...`) for the first index of `task` outside `bounds`.
 * @example
 * ```ts
 * checkTaskBounds(task, { nRows: 600, nCols: 8, trainSizes: [480, 480, 480, 480, 480] });
 * ```
 */
export function checkTaskBounds(task: TaskMessage, bounds: StoreBounds): void {
  const { nRows, nCols, trainSizes } = bounds;
  const nFolds = trainSizes.length;
  const refuse = (field: string, problem: string): never => {
    throw new ValueError(`refused task: ${field}: ${problem}`);
  };
  const fold = (field: string, k: number): void => {
    if (k >= nFolds) refuse(field, `fold ${k} does not exist: the fold set has ${nFolds} fold(s)`);
  };
  switch (task.kind) {
    case 'cv':
      task.folds.forEach((k, i) => {
        fold(`folds[${i}]`, k);
        if (task.trainSize !== undefined && task.trainSize > trainSizes[k]!) {
          refuse('trainSize', `${task.trainSize} is more than the ${trainSizes[k]} training rows of fold ${k}`);
        }
      });
      return;
    case 'logistic-path':
      fold('fold', task.fold);
      return;
    case 'logistic-refit':
      // All rows, no index; a start or curvature that does not fit the problem is ignored.
      return;
    case 'ridge-stats':
      if (task.rowEnd > nRows) refuse('rowEnd', `${task.rowEnd} is past the store's ${nRows} rows`);
      if (task.rowStart > task.rowEnd) refuse('rowStart', `${task.rowStart} is past rowEnd ${task.rowEnd}`);
      task.cutoffs.forEach((c, i) => {
        if (c > nRows) refuse(`cutoffs[${i}]`, `${c} is past the store's ${nRows} rows`);
        if (i > 0 && c < task.cutoffs[i - 1]!) refuse(`cutoffs[${i}]`, `${c} is below cutoffs[${i - 1}] (${task.cutoffs[i - 1]}): cutoffs must ascend`);
      });
      if (task.shift.length !== nCols) refuse('shift', `holds ${task.shift.length} value(s), the store's X has ${nCols} column(s)`);
      return;
  }
}

/**
 * A store's bounds read from its manifest and its fold set's file headers, without mapping
 * any data (a worker checks a task before handing it to a thread).
 * @throws ValueError / NpyFormatError naming a manifest or fold file that cannot be read.
 * @example
 * ```ts
 * const bounds = storeBounds('/shared/stores/3fa9', 'a1b2c3d4e5f60718');
 * ```
 */
export function storeBounds(storeDir: string, foldSet: string): StoreBounds {
  const manifestPath = nodePath.join(storeDir, 'manifest.json');
  const manifest = readJson(manifestPath) as { X?: { shape?: unknown } };
  const shape = manifest.X?.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ValueError(`${manifestPath}: X.shape must be two non-negative integers, found ${JSON.stringify(shape)}`);
  }
  const foldDir = nodePath.join(storeDir, 'folds', foldSet);
  const nFolds = (readJson(nodePath.join(foldDir, 'meta.json')) as { nFolds?: unknown }).nFolds;
  if (!Number.isSafeInteger(nFolds) || (nFolds as number) < 0) throw new ValueError(`${nodePath.join(foldDir, 'meta.json')}: nFolds must be an integer >= 0`);
  const trainSizes = Array.from({ length: nFolds as number }, (_, k) => readNpyHeader(nodePath.join(foldDir, `train_${k}.npy`)).shape[0] ?? 0);
  return { nRows: shape[0] as number, nCols: shape[1] as number, trainSizes };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValueError(`${path}: cannot read it (${(error as Error).message})`, { cause: error });
  }
}
