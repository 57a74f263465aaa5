/**
 * Small formatting helpers shared by the markdown tables (bench/table.ts, bench/logistic-table.ts).
 */
import type { SolverStats } from './common.js';
import type { SideRun } from './process.js';

export const MIB = 1024 * 1024;

/** The run when it succeeded. */
export function ok(run: SideRun | undefined): (SideRun & { status: 'ok' }) | undefined {
  return run?.status === 'ok' ? run : undefined;
}

/** `value` with `digits` decimals and a unit, or an en dash when there is none. */
export function fmt(value: number | undefined, digits: number, unit = ''): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${value.toFixed(digits)}${unit}`;
}

/** met / **not met** for a measured value; quick runs are shown but not judged. */
export function verdict(value: number | undefined, pass: (v: number) => boolean, quick: boolean): string {
  if (value === undefined || Number.isNaN(value)) return 'not measured';
  if (quick) return 'not judged on a quick run';
  return pass(value) ? 'met' : '**not met**';
}

/** Is `value` a well-formed `search.solverStats` (the field may be absent or change while it is built)? */
export function isSolverStats(value: unknown): value is SolverStats {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['fits', 'newtonSteps', 'gradientPasses', 'hessianPasses'].every((k) => typeof v[k] === 'number');
}

/** memgrid's solver work per fit (per (C, fold), the refit included), or "n/a" without `search.solverStats`. */
export function workPerFit(stats: SolverStats | undefined, style: 'short' | 'long'): string {
  if (!isSolverStats(stats) || stats.fits <= 0) return style === 'short' ? 'n/a' : 'n/a (the search has no solverStats)';
  const per = (v: number): string => (v / stats.fits).toFixed(1);
  return style === 'short'
    ? `${per(stats.gradientPasses)} / ${per(stats.hessianPasses)}`
    : `${per(stats.gradientPasses)} gradient passes, ${per(stats.hessianPasses)} Hessian passes, `
      + `${per(stats.newtonSteps)} Newton steps per fit (${stats.fits} fits`
      + `${stats.notConverged === undefined ? '' : `, ${stats.notConverged} stopped at maxIter`})`;
}
