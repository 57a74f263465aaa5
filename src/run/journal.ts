/**
 * The run journal (`journal.jsonl`): a header line with the run's fingerprint, then one line
 * per finished (candidate, fold[, train size]) fit, appended synchronously as each arrives so
 * that Ctrl-C or a crash loses at most the line being written. An append that fails (a full
 * disk) is cut back off and stops the run with a WriteError: the journal never holds a torn
 * line that a later resume would silently drop. `--resume` reads it back, checks every record
 * (see journal-records.ts), and the search skips the fits it holds.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { appendFully, writeFileAtomic } from '../data/atomic.js';
import { ValueError } from '../errors.js';
import type { FitKey } from '../search/options.js';
import type { FitRecord } from '../workers/protocol.js';
import { checkJournalEntry, type RecordShape } from './journal-records.js';

const JOURNAL_VERSION = 1;

/** What a run's results depend on: refusing to resume when either changed keeps results honest. */
export interface Fingerprint {
  /** Hash of the config's run-relevant content (not the worker count or output folder). */
  readonly config: string;
  /** Content hash of the dataset. */
  readonly data: string;
}

/** The search phase a fit belongs to: the same params and fold mean different fits in a learning curve. */
export type Phase = 'search' | 'learningCurve' | 'validationCurve';

/**
 * A refused resume: the journal is missing, from another config, or from other data.
 * @example
 * ```ts
 * catch (e) { if (e instanceof ResumeError) console.error(e.message); }
 * ```
 */
export class ResumeError extends ValueError {}

/**
 * Stable JSON: object keys sorted at every level, so equal values hash equally.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value) ?? 'null';
}

/**
 * sha256 (hex) of `value`'s canonical JSON.
 * @example
 * ```ts
 * hashJson({ a: 1 }) === hashJson({ a: 1 }); // true
 * ```
 */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The journal key of one fit: a hash of its phase and FitKey (data hash, fold set, model,
 * params, fold, train size).
 * @example
 * ```ts
 * fitKeyHash('search', { data, folds, model: 'ridge', params: { alpha: 1 }, fold: 0 });
 * ```
 */
export function fitKeyHash(phase: Phase, key: FitKey): string {
  return hashJson({ phase, ...key }).slice(0, 32);
}

/** NaN and ±Infinity survive the JSON round trip as strings. */
function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function decodeNumber(key: string, value: unknown): unknown {
  if (key !== 'error' && (value === 'NaN' || value === 'Infinity' || value === '-Infinity')) return Number(value);
  return value;
}

/**
 * An open journal. Create a fresh one with {@link Journal.create} or reopen one to resume
 * with {@link Journal.resume}.
 * @example
 * ```ts
 * const journal = Journal.create('runs/q/journal.jsonl', fingerprint);
 * new GridSearch(model, grid, { onRecord: (r, k) => journal.append('search', r, k), completed: (k) => journal.lookup('search', k) });
 * ```
 */
export class Journal {
  private readonly done = new Map<string, FitRecord>();
  private fd: number | undefined;
  private appended = 0;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** A new, empty journal at `path` (any old one is replaced, whole, once the new header is on disk). */
  static create(path: string, fingerprint: Fingerprint): Journal {
    const header = { type: 'header', version: JOURNAL_VERSION, ...fingerprint, created: new Date().toISOString() };
    writeFileAtomic(path, `${JSON.stringify(header)}\n`);
    return new Journal(path, openSync(path, 'a'));
  }

  /**
   * Reopen the journal at `path` to resume a run: its fits become available to `lookup`.
   * A torn last line (a crash mid-append) is dropped; every other line must be a fit record
   * of the shape `shape` expects (scores keyed by the phase's scorers, numbers or null).
   * @throws ResumeError when there is no journal, it was written for another config or other
   *   data, or a line is not a valid record (naming the line and the field).
   */
  static resume(path: string, fingerprint: Fingerprint, resumeHint: string, shape?: RecordShape): Journal {
    if (!existsSync(path)) throw new ResumeError(`${path}: no journal to resume from; run without --resume to start`);
    const text = readFileSync(path, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, complete).split('\n').filter((l) => l.length > 0);
    let header: Record<string, unknown> | undefined;
    try {
      header = lines.length > 0 ? parseLine(lines[0]!) : undefined;
    } catch {
      header = undefined;
    }
    if (header?.type !== 'header' || header.version !== JOURNAL_VERSION) {
      throw new ResumeError(`${path}: not a memgrid journal (version ${JOURNAL_VERSION}); run without --resume to start over`);
    }
    const changed = [header.config !== fingerprint.config ? 'the config' : '', header.data !== fingerprint.data ? 'the data' : '']
      .filter(Boolean).join(' and ');
    if (changed) {
      throw new ResumeError(`cannot resume: ${changed} changed since ${path} was written; ${resumeHint}`);
    }
    const entries = lines.slice(1).map((line, i) => {
      const where = `${path}:${i + 2}`;
      try {
        return checkJournalEntry(parseLine(line), shape);
      } catch (error) {
        throw new ResumeError(`${where}: ${(error as Error).message}; the journal was changed by something other than memgrid: ${resumeHint}`);
      }
    });
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, Buffer.byteLength(text.slice(0, complete)));
    closeSync(fd);
    const journal = new Journal(path, openSync(path, 'a'));
    for (const entry of entries) journal.done.set(entry.key, entry.record);
    return journal;
  }

  /** Fits restored from an earlier run. */
  get restored(): number {
    return this.done.size - this.appended;
  }

  /** Fits appended in this run. */
  get appendedCount(): number {
    return this.appended;
  }

  /** The fit recorded under this key, if any. */
  lookup(phase: Phase, key: FitKey): FitRecord | undefined {
    return this.done.get(fitKeyHash(phase, key));
  }

  /** Record a finished fit (written to disk before this returns). */
  append(phase: Phase, record: FitRecord, key: FitKey): void {
    const hash = fitKeyHash(phase, key);
    if (this.done.has(hash)) return;
    this.write({ type: 'fit', phase, key: hash, record });
    this.done.set(hash, record);
    this.appended++;
  }

  /** Flush and close the file; the journal stays on disk. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private write(entry: Record<string, unknown>): void {
    if (this.fd === undefined) throw new ValueError(`${this.path}: the journal is closed`);
    appendFully(this.fd, Buffer.from(`${JSON.stringify(entry, encodeNumber)}\n`), this.path);
  }
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line, decodeNumber) as Record<string, unknown>;
  } catch {
    throw new Error(`not valid JSON: ${JSON.stringify(line.slice(0, 80))}`);
  }
}
