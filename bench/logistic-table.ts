/**
 * Markdown for issue 10's logistic workloads: memgrid beside each scikit-learn contender,
 * every answer judged against the newton-cg reference, the issue's target and memgrid's
 * solver work per fit.
 */
import type { LogisticWorkload, SideResult } from './common.js';
import { fmt, isSolverStats, MIB, ok, verdict, workPerFit } from './format.js';
import { clauseText, CONTENDER_LABELS, CONVERGED, type Clause, type Contender, type LogisticSpec } from './logistic-specs.js';
import type { SideRun } from './process.js';
import { allFinite, bestVsReference, referenceDiff, type Reference } from './reference.js';

/** Everything measured for one logistic workload in one run. */
export interface LogisticOutcome {
  readonly workload: LogisticWorkload;
  readonly spec: LogisticSpec;
  readonly datasetBytes: number;
  readonly rows: number;
  readonly cols: number;
  /** Ran on 1/10 of the rows (a quick run of a synthetic set): targets shown, not judged. */
  readonly quick: boolean;
  readonly memgrid: SideRun;
  /** One run per contender, in the spec's order; empty without scikit-learn. */
  readonly contenders: readonly { readonly contender: Contender; readonly run: SideRun }[];
  /** The newton-cg reference, or why there is none. */
  readonly reference: Reference | { readonly error: string };
}

function hasReference(o: LogisticOutcome): Reference | undefined {
  return 'error' in o.reference ? undefined : o.reference;
}

function wallOf(o: LogisticOutcome, contender: Contender): number | undefined {
  return ok(o.contenders.find((c) => c.contender === contender)?.run)?.result.wall_s;
}

/** The fastest of `among` that ran, as [contender, wall]. */
function fastest(o: LogisticOutcome, among: readonly Contender[]): [Contender, number] | undefined {
  let best: [Contender, number] | undefined;
  for (const c of among) {
    const wall = wallOf(o, c);
    if (wall !== undefined && (best === undefined || wall < best[1])) best = [c, wall];
  }
  return best;
}

/** scikit-learn's wall over memgrid's for the fastest of `among` (> 1: memgrid is faster). */
function speedAgainst(o: LogisticOutcome, among: readonly Contender[]): number | undefined {
  const mg = ok(o.memgrid)?.result.wall_s;
  const sk = fastest(o, among)?.[1];
  return mg !== undefined && sk !== undefined ? sk / mg : undefined;
}

function converged(o: LogisticOutcome, maxRelDiff: number): boolean | undefined {
  const mg = ok(o.memgrid)?.result;
  const reference = hasReference(o);
  if (!mg || !reference) return undefined;
  return allFinite(mg) && referenceDiff(mg, reference) <= maxRelDiff && bestVsReference(mg, reference).verdict !== 'differs';
}

function judge(o: LogisticOutcome, clause: Clause): { text: string; met: boolean | undefined } {
  if (clause.kind === 'converges') {
    const met = converged(o, clause.maxRelDiff);
    return { text: met === undefined ? 'not measured' : met ? 'met' : '**not met**', met };
  }
  const speed = speedAgainst(o, clause.against);
  const text = `${fmt(speed, 2, '×')}: ${verdict(speed, (v) => v >= clause.atLeast, o.quick)}`;
  return { text, met: speed === undefined || o.quick ? undefined : speed >= clause.atLeast };
}

/**
 * Is the whole target met? Issue 10's targets hold "at the same best candidate", so a memgrid
 * pick that differs from the reference's fails them whatever the speed.
 */
function targetMet(o: LogisticOutcome): string {
  const mg = ok(o.memgrid)?.result;
  const reference = hasReference(o);
  if (mg && reference && bestVsReference(mg, reference).verdict === 'differs') return '**no** (best C differs)';
  const verdicts = o.spec.target.map((c) => judge(o, c).met);
  if (verdicts.some((v) => v === false)) return '**no**';
  return verdicts.every((v) => v === true) ? 'yes' : '–';
}

function bestText(result: SideResult, reference: Reference | undefined): string {
  const c = result.best_params?.['C'];
  const pick = `#${result.best_index ?? '?'} C=${typeof c === 'number' ? c.toPrecision(5) : '?'}`;
  if (!reference) return pick;
  const { verdict: v, gap } = bestVsReference(result, reference);
  return `${pick} (${v === 'same' || v === 'n/a' ? v : `${v}, ${gap.toExponential(1)}`})`;
}

function iterText(result: SideResult): string {
  const stats = result.solver_stats;
  if (isSolverStats(stats) && stats.fits > 0) {
    const capped = stats.notConverged === undefined ? '' : `, ${stats.notConverged} at maxIter`;
    return `${(stats.newtonSteps / stats.fits).toFixed(1)} Newton steps per fit (mean)${capped}`;
  }
  if (result.n_iter_max === undefined) return result.warnings === undefined ? '–' : `${result.warnings} warning lines`;
  const capped = result.max_iter !== undefined && result.n_iter_max >= result.max_iter;
  return `${result.n_iter_max} of ${result.max_iter ?? '?'}${capped ? ' (stopped at the cap)' : ''}`;
}

/** " (median of 1.25 / 1.31 / 1.40)": every timed run's wall, in the order they ran, when there were several. */
function samplesText(run: Extract<SideRun, { status: 'ok' }>): string {
  return run.samples === undefined ? '' : ` (median of ${run.samples.map((w) => w.toFixed(2)).join(' / ')})`;
}

function row(o: LogisticOutcome, label: string, run: SideRun, isMemgrid: boolean): string {
  if (run.status !== 'ok') return `| ${label} | ${run.status}: ${run.reason.replaceAll('|', '/')} | | | | | | |`;
  const r = run.result;
  const reference = hasReference(o);
  const mg = ok(o.memgrid)?.result.wall_s;
  const speed = isMemgrid || mg === undefined ? '–' : fmt(r.wall_s / mg, 2, '×');
  const diff = reference ? referenceDiff(r, reference).toExponential(1) : '–';
  return `| ${label} | ${fmt(r.wall_s, 3, ' s')}${samplesText(run)} | ${fmt(run.processWall, 2, ' s')} | ${fmt(run.watch?.peak_pss_mib, 1, ' MiB')} `
    + `| ${speed} | ${bestText(r, reference)} | ${diff} | ${iterText(r)} |`;
}

/** ", whose answer is off by …" when a contender run at tol 1e-8 still stopped far (> 1e-6) from the reference. */
function offBy(o: LogisticOutcome, contender: Contender | undefined): string {
  const result = ok(o.contenders.find((c) => c.contender === contender)?.run)?.result;
  const reference = hasReference(o);
  const diff = result && reference ? referenceDiff(result, reference) : Number.NaN;
  return diff > 1e-6 ? `, whose neg_log_loss is ${diff.toExponential(1)} off the reference` : '';
}

function referenceLine(o: LogisticOutcome): string {
  const reference = hasReference(o);
  if (!reference) return `- reference: none (${'error' in o.reference ? o.reference.error : ''})`;
  const c = reference.best_params['C'];
  return `- reference: newton-cg tol 1e-10 (bench/logistic_reference.py), best #${reference.best_index} C=${c?.toPrecision(5) ?? '?'}`
    + ` at neg_log_loss ${reference.mean_test['neg_log_loss']?.[reference.best_index]?.toFixed(10) ?? '?'}`
    + ` (at most ${reference.newton_steps_max} Newton steps per fit, |gradient| ≤ ${reference.grad_max.toExponential(1)});`
    + ` computed once in ${reference.seconds} s, not timed`;
}

/** The markdown block for one logistic workload. */
export function logisticDetail(o: LogisticOutcome): string {
  const mg = ok(o.memgrid);
  const best = fastest(o, CONVERGED);
  const lines = [
    `### ${o.spec.title}`, '',
    `${o.rows.toLocaleString('en-US')} × ${o.cols} float64, X + y ${(o.datasetBytes / MIB).toFixed(1)} MiB; ${o.spec.shape}; 2 workers / n_jobs=2`, '',
    '| side | search wall (median of the timed runs) | process wall (the median run\'s) | peak PSS | its wall ÷ memgrid\'s | best (vs reference) | max rel diff of mean neg_log_loss vs reference | iterations (scikit-learn: the refit, or the most of any fit for LogisticRegressionCV; of the cap) |',
    '|---|--:|--:|--:|--:|---|--:|---|',
    row(o, `memgrid${mg ? `, ${mg.result.workers} workers` : ''}`, o.memgrid, true),
    ...o.contenders.map((c) => row(o, CONTENDER_LABELS[c.contender], c.run, false)), '',
    `- memgrid vs the best converged scikit-learn (${best ? CONTENDER_LABELS[best[0]] : 'none ran'}${offBy(o, best?.[0])}): `
      + `**${fmt(speedAgainst(o, CONVERGED), 2, '×')}**; vs GridSearchCV(lbfgs): ${fmt(speedAgainst(o, ['lbfgs']), 2, '×')}`,
    ...o.spec.target.map((clause) => `- target (issue 10) ${clauseText(clause)}: ${judge(o, clause).text}`),
    `- memgrid work per (C, fold) fit: ${workPerFit(mg?.result.solver_stats, 'long')}`
      + (mg?.result.warnings === undefined ? '' : `; search.warnings: ${mg.result.warnings} line${mg.result.warnings === 1 ? '' : 's'}`),
    referenceLine(o),
  ];
  return lines.join('\n');
}

/** One summary row per logistic workload. */
export function logisticSummary(outcomes: readonly LogisticOutcome[]): string {
  const contenders: readonly Contender[] = ['lbfgs', 'newton-cholesky', 'lrcv', 'default'];
  const rows = outcomes.map((o) => {
    const mg = ok(o.memgrid)?.result;
    const reference = hasReference(o);
    const walls = contenders.map((c) => (o.spec.contenders.includes(c) ? fmt(wallOf(o, c), 2, ' s') : ''));
    const target = o.spec.target.map(clauseText).join('; ');
    const answer = mg && reference ? `${bestVsReference(mg, reference).verdict} / ${referenceDiff(mg, reference).toExponential(1)}` : '–';
    return `| ${o.workload} | ${fmt(mg?.wall_s, 2, ' s')} | ${walls.join(' | ')} | ${fmt(speedAgainst(o, CONVERGED), 2, '×')} `
      + `| ${fmt(speedAgainst(o, ['lbfgs']), 2, '×')} | ${target} | ${targetMet(o)} | ${answer} | ${workPerFit(mg?.solver_stats, 'short')} `
      + `| ${fmt(ok(o.memgrid)?.watch?.peak_pss_mib, 0, ' MiB')} |`;
  });
  return [
    '| workload | memgrid | GridSearchCV lbfgs | GridSearchCV newton-cholesky | LogisticRegressionCV | GridSearchCV default | memgrid × best converged | memgrid × GridSearchCV lbfgs | target | met | memgrid best C vs reference / max rel diff | memgrid gradient / Hessian passes per fit | memgrid peak PSS |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|---|--:|--:|',
    ...rows,
  ].join('\n');
}
