/** The one "did you mean" rule every error message uses. */
import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../src/did-you-mean.js';

describe('closestName', () => {
  it.each([
    ['alhpa', ['alpha', 'fitIntercept'], 'alpha'],
    ['max_iter', ['C', 'fitIntercept', 'maxIter', 'tol'], 'maxIter'],
    ['c', ['C', 'tol'], 'C'],
    ['ridj', ['ridge', 'logistic'], 'ridge'],
    ['acuracy', ['r2', 'accuracy', 'balanced_accuracy'], 'accuracy'],
    ['banana', ['alpha', 'fitIntercept'], undefined],
    // max(2, 10 / 3) = 3 edits allowed for a 10-letter word, 2 for a short one.
    ['fitintrcpt', ['fitIntercept'], 'fitIntercept'],
    ['xyz', ['abc'], undefined],
  ] as const)('%s among %j: %s', (word, known, expected) => {
    expect(closestName(word, known)).toBe(expected);
  });

  it('prefers the nearer of two names and the first of two equally near', () => {
    expect(closestName('alph', ['al', 'alpha'])).toBe('alpha');
    expect(closestName('ab', ['aa', 'bb'])).toBe('aa');
  });
});

describe('didYouMean', () => {
  it('is a hint to splice into a message, or nothing', () => {
    expect(didYouMean('alhpa', ['alpha'])).toBe(' (did you mean "alpha"?)');
    expect(didYouMean('banana', ['alpha'])).toBe('');
  });
});
