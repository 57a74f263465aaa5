/**
 * Writing a run's files (results.json, cv_results.csv, curves, plots, report.html), each
 * temp-then-rename, and reading them back to re-render the plots and the report.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ValueError } from '../errors.js';
import { writeFileAtomic } from '../data/atomic.js';
import { toJson } from './atomic.js';
import { cvResultsToCsv } from './csv.js';
import { reportHtml, type RenderedPlot } from './html.js';
import { planPlots } from './plots.js';
import { renderSvg } from './render.js';
import { RUN_FILES, type RunContents } from './types.js';

/**
 * Write every result file of a run into `dir` and render its plots and report.
 * Returns the paths written.
 * @example
 * ```ts
 * await writeRunFiles('runs/quickstart', { results, learningCurve });
 * ```
 */
export async function writeRunFiles(dir: string, contents: RunContents): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string): void => {
    writeFileAtomic(join(dir, name), text);
    written.push(join(dir, name));
  };
  put(RUN_FILES.results, toJson(contents.results));
  if (contents.results.cvResults) put(RUN_FILES.cvResults, cvResultsToCsv(contents.results.cvResults));
  if (contents.learningCurve) put(RUN_FILES.learningCurve, toJson(contents.learningCurve));
  if (contents.validationCurve) put(RUN_FILES.validationCurve, toJson(contents.validationCurve));
  written.push(...await writeReport(dir, contents));
  return written;
}

/**
 * Render the plots (`plots/*.svg`) and `report.html` of saved contents. Returns the paths written.
 * @example
 * ```ts
 * await writeReport('runs/quickstart', readRunContents('runs/quickstart'));
 * ```
 */
export async function writeReport(dir: string, contents: RunContents): Promise<string[]> {
  const plotDir = join(dir, RUN_FILES.plots);
  mkdirSync(plotDir, { recursive: true });
  const rendered: RenderedPlot[] = [];
  const written: string[] = [];
  for (const plan of planPlots(contents)) {
    const svg = await renderSvg(plan.spec);
    writeFileAtomic(join(plotDir, plan.file), svg);
    written.push(join(plotDir, plan.file));
    rendered.push({ title: plan.title, file: plan.file, svg });
  }
  writeFileAtomic(join(dir, RUN_FILES.report), reportHtml(contents, rendered));
  written.push(join(dir, RUN_FILES.report));
  return written;
}

/**
 * Read a run folder's saved results and curves (what `memgrid plot` re-renders).
 * @throws ValueError when `dir` has no results.json; DataError when a file is not valid JSON.
 * @example
 * ```ts
 * const contents = readRunContents('runs/quickstart');
 * ```
 */
export function readRunContents(dir: string): RunContents {
  const path = join(dir, RUN_FILES.results);
  if (!existsSync(path)) throw new ValueError(`${path}: no such file: is ${dir} a memgrid run folder?`);
  const read = <T>(name: string): T | undefined => {
    const file = join(dir, name);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8'), nullToNaN) as T;
    } catch (error) {
      throw new DataError(`${file}: not valid JSON (${(error as Error).message})`);
    }
  };
  const learningCurve = read<RunContents['learningCurve']>(RUN_FILES.learningCurve);
  const validationCurve = read<RunContents['validationCurve']>(RUN_FILES.validationCurve);
  return {
    results: read<RunContents['results']>(RUN_FILES.results)!,
    ...(learningCurve ? { learningCurve } : {}),
    ...(validationCurve ? { validationCurve } : {}),
  };
}

/** Scores written as null (NaN) come back as NaN inside number lists; other nulls stay null. */
function nullToNaN(this: unknown, _key: string, value: unknown): unknown {
  if (Array.isArray(value) && value.some((v) => typeof v === 'number') && value.includes(null)) {
    return value.map((v) => (v === null ? Number.NaN : v));
  }
  return value;
}
