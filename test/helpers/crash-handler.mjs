// A task handler for executor tests: a task whose first candidate has params.crash === 'exit'
// ends its worker thread; 'throw' throws; anything else echoes a record.
export function handleTask(task) {
  const mode = task.candidates?.[0]?.params?.crash;
  if (mode === 'exit') process.exit(7);
  if (mode === 'throw') throw new Error('handler threw on purpose');
  return { records: task.candidates.map((c) => ({ candidate: c.id, fold: task.folds[0], test: { r2: 1 }, fitTime: 0, scoreTime: 0 })) };
}
