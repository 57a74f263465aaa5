// A task handler for queue tests that need no dataset: each record's score is computed from
// the candidate and fold ids, so a test can check every fit arrived exactly once.
// `params.alpha === 13` makes the whole task throw (a task that fails as a whole).
export function handleTask(task) {
  if (task.candidates.some((c) => c.params.alpha === 13)) throw new Error('fake handler: alpha 13 always fails');
  const records = [];
  for (const c of task.candidates) {
    for (const fold of task.folds) {
      const score = c.id * 100 + fold;
      records.push({ candidate: c.id, fold, test: Object.fromEntries(task.scoring.map((s) => [s, score])), fitTime: 0, scoreTime: 0 });
    }
  }
  return { records };
}
