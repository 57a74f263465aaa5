/** The issues `parseConfig` lists for a config that must be refused (shared by the config tests). */
import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseConfig } from '../../src/run/config.js';

/**
 * The ConfigError issues of `raw` read as if from `file`; fails the test when it parses.
 * @example
 * ```ts
 * expect(configIssues({ model: { name: 'ridg' } }, file)).toContain('model.name: ...');
 * ```
 */
export function configIssues(raw: unknown, file: string): string[] {
  try {
    parseConfig(raw, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}
