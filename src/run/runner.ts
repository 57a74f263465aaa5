/**
 * `memgrid run`'s logic: config → data → search and curves → files in the run folder, with a
 * journal that makes the run resumable after Ctrl-C or a crash.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AbortError, QueueError } from '../errors.js';
import { writeFileAtomic } from '../data/atomic.js';
import { toJson } from '../report/atomic.js';
import { formatTable, topCandidates } from '../report/table.js';
import { RUN_FILES, type RunResults } from '../report/types.js';
import { writeRunFiles } from '../report/write.js';
import type { Executor } from '../workers/protocol.js';
import { loadConfig, type ExperimentConfig } from './config.js';
import { loadExperimentData } from './data.js';
import { openExecutor, type ExecutorChoice } from './executor.js';
import { hashJson, Journal, type Phase } from './journal.js';
import { lockFolder } from './lock.js';
import { mainMetric, runCurves, runScoring, runSearch, type PhaseContext } from './phases.js';
import { createProgress, type ProgressSink } from './progress.js';
import { assembleResults } from './results.js';
import { FitFailureLog } from './warnings.js';

/** Options of {@link runExperiment} (the `memgrid run` flags, typed). */
export interface RunOptions {
  /** Path of the experiment config (as the user gave it: the resume hint repeats it). */
  readonly config: string;
  /** The config at `config`, when the caller has already loaded it. */
  readonly loaded?: ExperimentConfig;
  /** Run folder; default `runs/<config name>/` under `cwd`. */
  readonly out?: string;
  /** Worker threads; overrides the config's `workers`. 0 runs inline. */
  readonly workers?: number;
  /** Skip the fits the run folder's journal holds. */
  readonly resume?: boolean;
  readonly executor?: ExecutorChoice;
  /** Aborting stops the run; finished fits stay in the journal. */
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  /** Where dataset stores go; default the OS temp folder. */
  readonly storeRoot?: string;
  readonly cwd?: string;
}

/** What a finished run hands back. */
export interface RunOutcome {
  readonly dir: string;
  readonly results: RunResults;
  readonly files: readonly string[];
  /** The top candidates as a text table, when a search ran. */
  readonly table?: string;
}

/** Candidates shown at the end of a run. */
const TOP_ROWS = 10;

/**
 * A run stopped by its signal; the journal keeps its finished fits.
 * @example
 * ```ts
 * catch (e) { if (e instanceof RunInterruptedError) console.error(e.resumeCommand); }
 * ```
 */
export class RunInterruptedError extends AbortError {
  constructor(readonly journal: string, readonly kept: number, readonly resumeCommand: string) {
    super(`interrupted: ${kept} finished fit(s) kept in ${journal}; resume with: ${resumeCommand}`);
  }
}

/**
 * A run stopped because its task queue failed (Redis lost, or a worker refused tasks): never
 * recorded as failed fits. The journal keeps the finished ones for `--resume`.
 * @example
 * ```ts
 * catch (e) { if (e instanceof RunQueueError) console.error(e.resumeCommand); }
 * ```
 */
export class RunQueueError extends QueueError {
  constructor(cause: QueueError, readonly journal: string, readonly kept: number, readonly resumeCommand: string) {
    super(`${cause.message}; ${kept} finished fit(s) are kept in ${journal}; once Redis and its workers are back, resume with: ${resumeCommand}`, { cause });
  }
}

/**
 * Run an experiment config end to end and write its files.
 * @throws ConfigError for a bad config; ResumeError when `resume` finds a journal of another
 *   config or other data, or a record that is not valid; FolderLockedError when another run
 *   uses the folder; RunInterruptedError when `signal` aborts it; RunQueueError when the task
 *   queue fails; WriteError when a file cannot be written (a full disk).
 * @example
 * ```ts
 * const outcome = await runExperiment({ config: 'experiments/quickstart.json', workers: 2 });
 * console.log(outcome.table);
 * ```
 */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const config = options.loaded ?? loadConfig(resolve(cwd, options.config));
  const dir = resolve(cwd, options.out ?? join('runs', config.name));
  mkdirSync(dir, { recursive: true });
  const resumeCommand = `memgrid run ${quote(options.config)} --resume${options.out === undefined ? '' : ` --out ${quote(options.out)}`}`;
  const lock = lockFolder(dir, `memgrid run ${quote(options.config)}${options.resume ? ' --resume' : ''}`);
  try {
    return await runLocked({ ...options, cwd }, config, dir, resumeCommand, started);
  } finally {
    lock.release();
  }
}

async function runLocked(
  options: RunOptions & { cwd: string }, config: ExperimentConfig, dir: string, resumeCommand: string, started: number,
): Promise<RunOutcome> {
  const { cwd } = options;
  const progress = options.progress ?? createProgress('quiet');
  const data = loadExperimentData(config.data, { cwd, ...(options.storeRoot === undefined ? {} : { storeRoot: options.storeRoot }) });
  if (data.rebuilt !== undefined) progress.log(`dataset store: ${data.rebuilt}`);
  const fingerprint = { config: configHash(config), data: data.hash };
  const journalPath = join(dir, RUN_FILES.journal);
  const shape = { scorers: (phase: Phase) => (phase === 'search' ? runScoring(config) : [mainMetric(config)]) };
  const journal = options.resume
    ? Journal.resume(journalPath, fingerprint, 'run without --resume to start over', shape)
    : Journal.create(journalPath, fingerprint);
  const workers = options.workers ?? config.workers;
  let executor: Executor | undefined;
  try {
    writeFileAtomic(join(dir, RUN_FILES.run), toJson({ config: config.file, fingerprint, startedAt: new Date().toISOString(), resumed: options.resume ?? false }));
    if (journal.restored > 0) progress.log(`resuming: ${journal.restored} fit(s) restored from ${journalPath}`);
    executor = await openExecutor(options.executor, workers);
    const failures = new FitFailureLog();
    const context: PhaseContext = {
      config, data, journal, progress, workers, executor, signal: options.signal, storeRoot: options.storeRoot, failures,
    };
    // A data file rewritten in place while mapped gives wrong numbers (or SIGBUS): check its
    // size and mtime around every phase, and refuse to write results from changed data.
    data.checkUnchanged();
    const search = await runSearch(context);
    data.checkUnchanged();
    const curves = await runCurves(context, search?.bestParams);
    data.checkUnchanged();
    const results = assembleResults({ config, data, search, curves, journal, failures, started, cwd });
    const files = await writeRunFiles(dir, { results, ...curves.files });
    const metric = results.refitMetric ?? results.scoring[0]!;
    const table = results.cvResults ? formatTable(topCandidates(results.cvResults, results.scoring, metric, TOP_ROWS)) : undefined;
    return { dir, results, files, ...(table === undefined ? {} : { table }) };
  } catch (error) {
    const kept = journal.restored + journal.appendedCount;
    if (error instanceof AbortError || options.signal?.aborted) throw new RunInterruptedError(journalPath, kept, resumeCommand);
    if (error instanceof QueueError) throw new RunQueueError(error, journalPath, kept, resumeCommand);
    throw error;
  } finally {
    progress.stop();
    try {
      journal.close();
    } finally {
      await executor?.close();
    }
  }
}

/**
 * Hash of what a run's results depend on in its config: not its name, worker count or file
 * location, which may change between a run and its resume.
 * @example
 * ```ts
 * configHash(loadConfig('a.json')) === configHash(loadConfig('copy-of-a.json')); // true
 * ```
 */
export function configHash(config: ExperimentConfig): string {
  const { file: _file, name: _name, workers: _workers, ...rest } = config;
  return hashJson(rest);
}

function quote(arg: string): string {
  return /^[\w./@:=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
