/**
 * Markdown for BENCHMARKS.md: one detail table per workload and one summary row per workload.
 */
import { compareBest, maxRelativeDifference } from './compare.js';
import type { PairWorkload, SideResult, WorkloadSpec } from './common.js';
import { fmt, MIB, ok, verdict, workPerFit } from './format.js';
import type { SideRun } from './process.js';

/** Everything measured for one workload in one run. */
export interface WorkloadOutcome {
  readonly workload: PairWorkload;
  readonly spec: WorkloadSpec;
  /** Size of X.npy + y.npy, as mapped by both sides. */
  readonly datasetBytes: number;
  readonly rows: number;
  readonly cols: number;
  /** A --quick run: the targets are shown but not judged (Node's own ~40 MiB dwarfs a 5 MiB dataset). */
  readonly quick: boolean;
  /** memgrid at the run's worker count (2 unless --workers says otherwise). */
  readonly memgrid: SideRun;
  /** memgrid with 1 worker, for the speed-up; absent with --no-speedup and for W2b. */
  readonly memgridSingle?: SideRun;
  /** memgrid `--warm` (a second search on a started executor) at N and at 1 worker, beside memgridSingle. */
  readonly memgridWarm?: SideRun;
  readonly memgridWarmSingle?: SideRun;
  /** Absent when /usr/bin/python3 has no scikit-learn or --skip-sklearn. */
  readonly sklearn?: SideRun;
}

function sideLabel(run: SideRun | undefined, name: string): string {
  const result = ok(run)?.result;
  if (!result) return name;
  const version = result.versions?.['sklearn'];
  return result.side === 'sklearn' ? `scikit-learn ${version ?? ''}, n_jobs=${result.workers}` : `memgrid, ${result.workers} worker${result.workers === 1 ? '' : 's'}${result.warm ? ', warm pool' : ''}`;
}

function best(result: SideResult): string {
  if (result.train_sizes) return `sizes ${result.train_sizes[0]}..${result.train_sizes[result.train_sizes.length - 1]}`;
  const p = Object.entries(result.best_params ?? {}).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(5) : String(v)}`);
  return `#${result.best_index} ${p.join(', ')}`;
}

function sideRow(name: string, run: SideRun | undefined, datasetMib: number): string {
  if (!run) return `| ${name} | not run | | | | | |`;
  if (run.status !== 'ok') return `| ${name} | ${run.status}: ${run.reason.replaceAll('|', '/')} | | | | | |`;
  const pss = run.watch?.peak_pss_mib;
  const score = run.result.best_score ?? lastMean(run.result);
  return `| ${sideLabel(run, name)} | ${fmt(run.result.wall_s, 3, ' s')} | ${fmt(run.processWall, 2, ' s')} | ${fmt(pss, 1, ' MiB')} `
    + `| ${fmt(pss === undefined ? undefined : pss / datasetMib, 2, '×')} | ${best(run.result)} | ${fmt(score, 10)} |`;
}

/** The learning curve's "best score": its mean test score at the largest size. */
function lastMean(result: SideResult): number | undefined {
  const first = Object.values(result.mean_test)[0];
  return first?.[first.length - 1];
}

/** Speed-ups and checks derived from an outcome (shared by the detail and the summary). */
export function derive(o: WorkloadOutcome): {
  speed?: number; processSpeed?: number; scaling?: number; warmScaling?: number; pss?: number; skPss?: number;
} {
  const mg = ok(o.memgrid);
  const sk = ok(o.sklearn);
  const single = ok(o.memgridSingle);
  const warm = ok(o.memgridWarm);
  const warmSingle = ok(o.memgridWarmSingle);
  return {
    warmScaling: warm && warmSingle ? warmSingle.result.wall_s / warm.result.wall_s : undefined,
    speed: mg && sk ? sk.result.wall_s / mg.result.wall_s : undefined,
    processSpeed: mg && sk ? sk.processWall / mg.processWall : undefined,
    scaling: mg && single ? single.result.wall_s / mg.result.wall_s : undefined,
    pss: mg?.watch?.peak_pss_mib,
    skPss: sk?.watch?.peak_pss_mib,
  };
}

function targetText(spec: WorkloadSpec): string {
  return `≥ ${spec.speedTarget}×${spec.speedAim ? `, aim ${spec.speedAim}×` : ''}`;
}

/** The markdown block for one workload. */
export function detailTable(o: WorkloadOutcome): string {
  const met = (value: number | undefined, pass: (v: number) => boolean): string => verdict(value, pass, o.quick);
  const datasetMib = o.datasetBytes / MIB;
  const d = derive(o);
  const mg = ok(o.memgrid);
  const sk = ok(o.sklearn);
  const lines = [
    `### ${o.spec.title}`,
    '',
    `${o.rows.toLocaleString('en-US')} × ${o.cols} float64, X + y ${datasetMib.toFixed(1)} MiB; ${o.spec.shape}`,
    '',
    '| side | search wall | process wall | peak PSS | PSS / dataset | best | best score |',
    '|---|--:|--:|--:|--:|---|--:|',
    sideRow('memgrid', o.memgrid, datasetMib),
  ];
  if (o.memgridSingle) lines.push(sideRow('memgrid, 1 worker', o.memgridSingle, datasetMib));
  if (o.memgridWarm) lines.push(sideRow(`memgrid, ${mg?.result.workers ?? 2} workers, warm pool`, o.memgridWarm, datasetMib));
  if (o.memgridWarmSingle) lines.push(sideRow('memgrid, 1 worker, warm pool', o.memgridWarmSingle, datasetMib));
  lines.push(sideRow('scikit-learn', o.sklearn, datasetMib), '');
  lines.push(`- speed-up vs scikit-learn: **${fmt(d.speed, 1, '×')}** search wall, ${fmt(d.processSpeed, 1, '×')} process wall`
    + ` (target ${targetText(o.spec)}: ${met(d.speed, (v) => v >= o.spec.speedTarget)})`);
  const ceiling = o.spec.pssCeiling;
  lines.push(`- peak PSS: memgrid ${fmt(d.pss, 1, ' MiB')}, scikit-learn ${fmt(d.skPss, 1, ' MiB')}`
    + (ceiling ? ` (target ${ceiling.label} = ${ceiling.mib(datasetMib).toFixed(0)} MiB: ${met(d.pss, (v) => v <= ceiling.mib(datasetMib))})` : ''));
  if (mg && sk) {
    const agreement = compareBest(mg.result, sk.result, o.spec);
    lines.push(`- best candidate: ${agreement.verdict} — ${agreement.detail}`);
    lines.push(`- mean test scores: max relative difference ${maxRelativeDifference(mg.result, sk.result).toExponential(1)}`);
  }
  if (mg && (o.workload === 'W2' || o.workload === 'W2b')) {
    lines.push(`- memgrid work per (C, fold) fit: ${workPerFit(mg.result.solver_stats, 'long')}`);
  }
  if (o.memgridSingle) {
    lines.push(`- memgrid 1 → ${mg?.result.workers ?? 2} workers: ${fmt(d.scaling, 2, '×')} one search per process, `
      + `${fmt(d.warmScaling, 2, '×')} on a warm pool (target ≥ 1.7×: ${met(d.scaling, (v) => v >= 1.7)} / ${met(d.warmScaling, (v) => v >= 1.7)})`);
  }
  return lines.join('\n');
}

/** One summary table over all workloads of the run. */
export function summaryTable(outcomes: readonly WorkloadOutcome[]): string {
  const rows = outcomes.map((o) => {
    const d = derive(o);
    const mg = ok(o.memgrid);
    const sk = ok(o.sklearn);
    const agree = mg && sk ? compareBest(mg.result, sk.result, o.spec).verdict : '–';
    const diff = mg && sk ? maxRelativeDifference(mg.result, sk.result).toExponential(1) : '–';
    return `| ${o.workload} | ${(o.datasetBytes / MIB).toFixed(0)} MiB | ${fmt(mg?.result.wall_s, 2, ' s')} | ${fmt(sk?.result.wall_s, 2, ' s')} `
      + `| ${fmt(d.speed, 1, '×')} (${targetText(o.spec)}) | ${fmt(d.pss, 0, ' MiB')} | ${fmt(d.skPss, 0, ' MiB')} | ${agree} | ${diff} `
      + `| ${fmt(d.scaling, 2, '×')} / ${fmt(d.warmScaling, 2, '×')} |`;
  });
  return [
    '| workload | dataset | memgrid wall | scikit-learn wall | speed-up (target) | memgrid peak PSS | scikit-learn peak PSS | best agrees | max rel diff | memgrid 1→2 workers (cold / warm pool) |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|--:|',
    ...rows,
  ].join('\n');
}
