/**
 * Config problems as one line each, `key.path: what is wrong, found X`: zod's issues
 * rephrased that way, plus helpers for the checks that zod cannot make.
 */
import type { z } from 'zod';
import { didYouMean } from '../did-you-mean.js';
import { describe } from '../search/option-checks.js';
import { KNOWN_KEYS } from './config-schema.js';

/**
 * A key path as written in messages.
 * @example
 * ```ts
 * keyPath(['grid', 0, 'alpha']); // 'grid[0].alpha'
 * ```
 */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * `value` as messages show it (strings quoted, objects as JSON).
 * @example
 * ```ts
 * found('x'); // '"x"'
 * ```
 */
export function found(value: unknown): string {
  return describe(value);
}

const ARTICLES: Record<string, string> = {
  number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object',
  array: 'a list', record: 'an object', null: 'null',
};

/**
 * One message per problem in a zod issue (an issue for several unknown keys gives one line each).
 * @example
 * ```ts
 * formatZodIssue({ code: 'invalid_type', expected: 'number', path: ['cv', 'folds'], input: 'x', message: '' });
 * // ['cv.folds: must be a number, found "x"']
 * ```
 */
export function formatZodIssue(issue: z.core.$ZodIssue): string[] {
  const at = keyPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = KNOWN_KEYS.get(pattern(issue.path)) ?? [];
      return issue.keys.map((key) => `${keyPath([...issue.path, key])}: unknown key${didYouMean(key, known)}; known keys: ${known.join(', ')}`);
    }
    case 'invalid_type':
      if (input === undefined) return [`${at}: is required`];
      return [`${at}: must be ${ARTICLES[issue.expected] ?? issue.expected}, found ${found(input)}`];
    case 'invalid_value': {
      const options = issue.values.map((v) => found(v)).join(', ');
      const hint = typeof input === 'string' ? didYouMean(input, issue.values.map(String)) : '';
      return [`${at}: must be ${issue.values.length === 1 ? options : `one of ${options}`}, found ${found(input)}${hint}`];
    }
    case 'too_small':
      if (issue.origin === 'array') return [`${at}: must hold at least ${String(issue.minimum)} value(s), found ${found(input)}`];
      if (issue.origin === 'string') return [`${at}: must not be empty`];
      return [`${at}: must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, found ${found(input)}`];
    case 'too_big':
      return [`${at}: must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, found ${found(input)}`];
    case 'invalid_format':
      return [`${at}: ${issue.message}, found ${found(input)}`];
    default:
      return [`${at}: ${issue.message}${input === undefined ? '' : `, found ${found(input)}`}`];
  }
}

/** Key path pattern of a strict object (`[]` for any array index), as KNOWN_KEYS registers it. */
function pattern(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? '[]' : String(p))).join('.');
}
