// A task handler for queue tests that need no dataset: each record's score is computed from
// the candidate and fold ids, so a test can check every fit arrived exactly once.
// `params.alpha === 13` makes the whole task throw (a task that fails as a whole).
// `params.alpha === 7` holds its task forever the first time it runs, after writing this
// process's pid into `<store>.held` beside the store (a test waits for that file, then kills
// that process); run again after that, it completes like any other.
import { closeSync, openSync, renameSync, writeFileSync } from 'node:fs';

export function handleTask(task) {
  if (task.candidates.some((c) => c.params.alpha === 13)) throw new Error('fake handler: alpha 13 always fails');
  if (task.candidates.some((c) => c.params.alpha === 7) && claimHold(task.store)) return new Promise(() => {});
  const records = [];
  for (const c of task.candidates) {
    for (const fold of task.folds) {
      const score = c.id * 100 + fold;
      records.push({ candidate: c.id, fold, test: Object.fromEntries(task.scoring.map((s) => [s, score])), fitTime: 0, scoreTime: 0 });
    }
  }
  return { records };
}

/** True for the first run only: it creates `<store>.held-claim`, which no later run can. */
function claimHold(store) {
  try {
    closeSync(openSync(`${store}.held-claim`, 'wx'));
  } catch {
    return false;
  }
  // Written under a temp name and renamed, so the test never reads a half-written pid.
  writeFileSync(`${store}.held.tmp`, String(process.pid));
  renameSync(`${store}.held.tmp`, `${store}.held`);
  return true;
}
