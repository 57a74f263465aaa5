/**
 * What a journal line must hold to be trusted on resume. A journal is a file anyone can edit;
 * its records flow straight into `cvResults` and `cv_results.csv`, so each is checked when
 * read: a known phase, a fit-key hash, a fit record whose scores are keyed by exactly the
 * phase's scorers and are numbers (or null for NaN). Extra fields are kept as they are.
 */
import type { FitRecord } from '../workers/protocol.js';
import type { Phase } from './journal.js';

/** The record shape a run expects: its scorer names per phase. */
export interface RecordShape {
  scorers(phase: Phase): readonly string[];
}

/** A checked fit line of the journal. */
export interface JournalFit {
  readonly phase: Phase;
  readonly key: string;
  readonly record: FitRecord;
}

const PHASES: readonly string[] = ['search', 'learningCurve', 'validationCurve'];
const KEY = /^[0-9a-f]{32}$/;

/**
 * `entry` (a parsed journal line after the header) as a fit, or an Error naming the field at fault.
 * Without `shape`, score names are not compared with the run's scorers.
 * @example
 * ```ts
 * checkJournalEntry(JSON.parse(line), { scorers: () => ['r2'] }); // throws for "test": {"r2": "abc"}
 * ```
 */
export function checkJournalEntry(entry: Record<string, unknown>, shape?: RecordShape): JournalFit {
  if (entry === null || typeof entry !== 'object' || entry.type !== 'fit') throw new Error(`expected a fit record, found type ${show(entry?.type)}`);
  if (!PHASES.includes(entry.phase as string)) throw new Error(`phase must be one of ${PHASES.join(', ')}, found ${show(entry.phase)}`);
  if (typeof entry.key !== 'string' || !KEY.test(entry.key)) throw new Error(`key must be 32 hex digits, found ${show(entry.key)}`);
  const phase = entry.phase as Phase;
  const record = entry.record as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error(`record must be an object, found ${show(record)}`);
  for (const field of ['candidate', 'fold'] as const) {
    if (!Number.isSafeInteger(record[field]) || (record[field] as number) < 0) throw new Error(`record.${field} must be an integer >= 0, found ${show(record[field])}`);
  }
  if (record.trainSize !== undefined && (!Number.isSafeInteger(record.trainSize) || (record.trainSize as number) < 1)) {
    throw new Error(`record.trainSize must be an integer >= 1, found ${show(record.trainSize)}`);
  }
  for (const field of ['fitTime', 'scoreTime'] as const) {
    if (typeof record[field] !== 'number' || !((record[field] as number) >= 0)) throw new Error(`record.${field} must be a number >= 0, found ${show(record[field])}`);
  }
  if (record.error !== undefined && typeof record.error !== 'string') throw new Error(`record.error must be a string, found ${show(record.error)}`);
  // A solution starts the next halving rung's fits: a non-number would poison them.
  if (record.solution !== undefined && !(Array.isArray(record.solution) && record.solution.every(Number.isFinite))) {
    throw new Error(`record.solution must be an array of finite numbers, found ${show(record.solution)}`);
  }
  const expected = shape?.scorers(phase);
  const test = scores(record.test, 'record.test', expected);
  const train = record.train === undefined ? undefined : scores(record.train, 'record.train', expected ?? Object.keys(test));
  return { phase, key: entry.key, record: { ...record, test, ...(train ? { train } : {}) } as unknown as FitRecord };
}

/** Scores keyed by the expected scorer names, each a number; null (how JSON writes NaN) becomes NaN. */
function scores(value: unknown, where: string, expected: readonly string[] | undefined): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be an object of scores, found ${show(value)}`);
  const names = Object.keys(value);
  if (expected !== undefined && (names.length !== expected.length || !expected.every((name) => Object.hasOwn(value, name)))) {
    throw new Error(`${where} must hold the scores ${expected.join(', ')}, found ${names.length === 0 ? 'none' : names.join(', ')}`);
  }
  const out: Record<string, number> = {};
  for (const name of names) {
    const score = (value as Record<string, unknown>)[name];
    if (score !== null && typeof score !== 'number') throw new Error(`${where}.${name} must be a number or null, found ${show(score)}`);
    Object.defineProperty(out, name, { value: score === null ? Number.NaN : score, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
