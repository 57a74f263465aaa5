/**
 * "Did you mean" hints for error messages, one rule everywhere (param, model, scorer, config
 * key and CSV column names): the known name closest to a misspelt one, within an edit distance
 * of max(2, a third of its length), compared case-insensitively.
 */

/**
 * The known name closest to `word`, or undefined when none is close enough.
 * @example
 * ```ts
 * closestName('alhpa', ['alpha', 'fitIntercept']); // 'alpha'
 * closestName('banana', ['alpha', 'fitIntercept']); // undefined
 * ```
 */
export function closestName(word: string, known: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * ` (did you mean "x"?)` for the closest known name, else '': ready to splice into a message.
 * @example
 * ```ts
 * `unknown param "alhpa"${didYouMean('alhpa', ['alpha', 'fitIntercept'])}`; // unknown param "alhpa" (did you mean "alpha"?)
 * ```
 */
export function didYouMean(word: string, known: Iterable<string>): string {
  const best = closestName(word, known);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Levenshtein distance (short names only: one row of the table at a time). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
