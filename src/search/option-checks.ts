/**
 * Argument checks shared by splitters, grids and distributions: one phrasing for every
 * bad option (`options.nSplits must be an integer >= 2, found 1`), always a ValueError.
 */
import { ValueError } from '../errors.js';

/** A value as it appears in messages: strings quoted, arrays and objects as JSON. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is an integer >= `min`; returns it. */
export function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${name} must be an integer >= ${min}, found ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a boolean; returns it. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${name} must be true or false, found ${describe(value)}`);
  return value;
}

/** Throws unless `value` is a finite number; returns it. */
export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${name} must be a finite number, found ${describe(value)}`);
  }
  return value;
}
