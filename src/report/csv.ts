/** cvResults as a CSV table that loads straight into pandas (`pd.read_csv`). */
import type { CvResults } from '../search/options.js';

/**
 * One row per candidate, one column per cvResults key in its order (scikit-learn's names);
 * the `params` column holds each candidate's params as JSON; NaN is an empty cell (pandas' default).
 * @example
 * ```ts
 * cvResultsToCsv(search.cvResults).split('\n')[0]; // 'mean_fit_time,std_fit_time,...,params,split0_test_score,...'
 * ```
 */
export function cvResultsToCsv(cvResults: CvResults): string {
  const columns = Object.keys(cvResults);
  const rows = cvResults.params.length;
  const lines = [columns.map(csvField).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(columns.map((c) => csvField(cell(cvResults[c]![r]))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
