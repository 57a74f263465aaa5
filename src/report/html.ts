/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no external URLs)
 * that opens offline: the run's summary, its plots and its best candidates.
 */
import { formatBytes } from './atomic.js';
import { topCandidates, type Table } from './table.js';
import type { RunContents, RunResults } from './types.js';

/** A rendered plot for the page. */
export interface RenderedPlot {
  readonly title: string;
  readonly file: string;
  readonly svg: string;
}

/** Rows of the candidates table in the report (all of a small search). */
const REPORT_ROWS = 50;

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.muted { color: #666; } code { background: #f4f4f4; padding: 0 .25em; border-radius: 3px; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.2rem; }
dl.summary dt { font-weight: 600; } dl.summary dd { margin: 0; }
.plots { display: flex; flex-wrap: wrap; gap: 1.5rem; } figure { margin: 0; } figcaption { font-size: .9rem; color: #555; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; } th, td { padding: .3rem .7rem; border-bottom: 1px solid #e4e4e4; text-align: left; }
th { background: #f7f7f7; } tr.best td { background: #eef7ee; font-weight: 600; }
`;

/**
 * The report page as an HTML string.
 * @example
 * ```ts
 * writeFileAtomic('runs/q/report.html', reportHtml(contents, plots));
 * ```
 */
export function reportHtml(contents: RunContents, plots: readonly RenderedPlot[]): string {
  const { results } = contents;
  const metric = results.refitMetric ?? results.scoring[0] ?? 'score';
  const table = results.cvResults ? topCandidates(results.cvResults, results.scoring, metric, REPORT_ROWS) : undefined;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memgrid: ${esc(results.name)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(results.name)}</h1>
<p class="muted">memgrid run of <code>${esc(results.config)}</code>, ${esc(results.createdAt)}</p>
<h2>Summary</h2>
${summary(results)}
${plots.length > 0 ? `<h2>Plots</h2>\n<div class="plots">\n${plots.map(figure).join('\n')}\n</div>` : ''}
${table ? `<h2>Candidates</h2>\n${htmlTable(table, results.cvResults!.params.length)}` : ''}
</body>
</html>
`;
}

function summary(r: RunResults): string {
  const items: [string, string][] = [
    ['Model', r.model.pipeline ?? `${r.model.name} ${JSON.stringify(r.model.params)}`],
    ['Data', `${r.data.source} — shape [${r.data.shape.join(', ')}], ${r.data.dtype}, hash ${r.data.hash.slice(0, 12)}`],
    ['Scoring', r.scoring.join(', ')],
  ];
  if (r.data.classes) items.push(['Classes', r.data.classes.map((c, k) => `${k} = ${c}`).join(', ')]);
  for (const w of r.warnings ?? []) items.push(['Warning', w]);
  if (r.bestParams) items.push(['Best params', JSON.stringify(r.bestParams)]);
  if (r.bestScore !== undefined) items.push([`Best mean ${r.refitMetric ?? 'score'}`, typeof r.bestScore === 'number' ? r.bestScore.toFixed(4) : 'nan']);
  items.push(['Fits', `${r.fits.total}${r.fits.restored > 0 ? ` (${r.fits.restored} restored from the journal)` : ''}`]);
  items.push(['Timings', Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')]);
  const workers = r.memory.workers;
  items.push(['Memory', `dataset ${formatBytes(r.memory.datasetBytes)} mapped once and shared` + (workers.length > 0
    ? `; per worker: ${workers.map((w) => `${w.worker} dataset resident ${formatBytes(w.datasetResident)} + own heap ${formatBytes(w.heapUsed)}`).join(', ')}`
    : '')]);
  const hosts = r.memory.hosts ?? [];
  if (hosts.length > 0) {
    items.push(['Hosts', hosts.map((h) => `${h.host} ${formatBytes(h.freeBytes)} available of ${formatBytes(h.totalBytes)}`).join(', ')]);
  }
  return `<dl class="summary">\n${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('\n')}\n</dl>`;
}

function figure(plot: RenderedPlot): string {
  return `<figure id="${esc(plot.file)}">\n${stripXmlProlog(plot.svg)}\n<figcaption>${esc(plot.title)} (<code>plots/${esc(plot.file)}</code>)</figcaption>\n</figure>`;
}

function htmlTable(table: Table, total: number): string {
  const head = `<tr>${table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((r) => `<tr${r[0] === '1' ? ' class="best"' : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`);
  const more = total > table.rows.length ? `<p class="muted">${total - table.rows.length} more in cv_results.csv</p>` : '';
  return `<table>\n${head}\n${rows.join('\n')}\n</table>${more}`;
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

/**
 * HTML-escape text for element content and attribute values.
 * @example
 * ```ts
 * esc('a < b'); // 'a &lt; b'
 * ```
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
