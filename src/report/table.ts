/** The top candidates of a search as rows, for the terminal and for report.html. */
import type { CvResults } from '../search/options.js';
import { metricKey } from './plots.js';

/** One candidate, ready to show. */
export interface CandidateRow {
  readonly rank: number;
  readonly params: string;
  /** `mean ± std` per metric, in scoring order. */
  readonly scores: readonly string[];
  readonly fitTime: string;
}

/** A table: headers and rows of cells. */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * The `limit` best candidates by rank on `metric` (ties keep candidate order).
 * @example
 * ```ts
 * topCandidates(search.cvResults, ['r2'], 'r2', 5).rows[0]; // ['1', '{"alpha":0.1}', '0.9321 ± 0.0040', '0.0012']
 * ```
 */
export function topCandidates(cvResults: CvResults, scoring: readonly string[], metric: string, limit: number): Table {
  const ranks = cvResults[`rank_test_${metricKey(cvResults, metric)}`] as number[] | undefined;
  const order = cvResults.params.map((_, i) => i);
  if (ranks) order.sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  const fmt = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : 'nan');
  const rows = order.slice(0, limit).map((i) => [
    String(ranks?.[i] ?? ''),
    JSON.stringify(cvResults.params[i]),
    ...scoring.map((s) => {
      const key = metricKey(cvResults, s);
      return `${fmt(cvResults[`mean_test_${key}`]?.[i])} ± ${fmt(cvResults[`std_test_${key}`]?.[i])}`;
    }),
    fmt(cvResults['mean_fit_time']?.[i]),
  ]);
  return { headers: ['rank', 'params', ...scoring.map((s) => `test ${s}`), 'fit time (s)'], rows };
}

/**
 * A table as aligned plain text, for the terminal.
 * @example
 * ```ts
 * console.log(formatTable({ headers: ['a', 'b'], rows: [['1', '2']] }));
 * ```
 */
export function formatTable(table: Table): string {
  const widths = table.headers.map((h, c) => Math.max(h.length, ...table.rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}
