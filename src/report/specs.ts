/**
 * vega-lite specs of memgrid's plots: learning curve, score vs one parameter (validation
 * curve), and a heatmap for two-parameter grids. Plain data in, a spec object out, so
 * they can be tested and rendered anywhere.
 */

/** A vega-lite specification (kept loose: vega-lite validates it when compiling). */
export type VlSpec = Record<string, unknown>;

/** One curve's per-x summary: mean and standard deviation over folds. */
export interface CurveSeries {
  readonly label: string;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

const WIDTH = 460;
const HEIGHT = 280;
/** Above this many distinct values, the axis picks its own ticks. */
const MAX_TICKS = 12;
/** Colours of the train and cross-validation series (matplotlib's tab10 blue and orange, as sklearn's docs plot them). */
const SERIES_COLORS = ['#1f77b4', '#ff7f0e'];

/**
 * True when positive numeric values are spread over two or more decades or spaced by a
 * roughly constant ratio: such grids read best on a log axis.
 * @example
 * ```ts
 * isLogSpaced([0.01, 0.1, 1, 10]); // true
 * isLogSpaced([1, 2, 3, 4]);        // false
 * ```
 */
export function isLogSpaced(values: readonly unknown[]): boolean {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length < 3 || nums.length !== values.length || nums.some((v) => v <= 0)) return false;
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  if (sorted.length < 3) return false;
  if (sorted[sorted.length - 1]! / sorted[0]! >= 100) return true;
  const ratios = sorted.slice(1).map((v, i) => v / sorted[i]!);
  const lo = Math.min(...ratios);
  const hi = Math.max(...ratios);
  return lo >= 1.5 && hi / lo < 1.25;
}

interface BandRow { x: number | string; series: string; mean: number; lo: number; hi: number }

function bandRows(xs: readonly (number | string)[], series: readonly CurveSeries[]): BandRow[] {
  const rows: BandRow[] = [];
  for (const s of series) {
    xs.forEach((x, i) => {
      const mean = s.mean[i]!;
      const std = s.std[i]!;
      if (!Number.isFinite(mean)) return; // failed fits: leave a gap rather than draw NaN
      rows.push({ x, series: s.label, mean, lo: mean - std, hi: mean + std });
    });
  }
  return rows;
}

function bandSpec(title: string, rows: BandRow[], x: VlSpec, yTitle: string, labels: readonly string[]): VlSpec {
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: labels, range: SERIES_COLORS.slice(0, labels.length) }, legend: { orient: 'bottom-right', labelLimit: 0, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 } };
  const y = { type: 'quantitative', title: yTitle, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title, width: WIDTH, height: HEIGHT,
    data: { values: rows },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'mean' }, color } },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  };
}

/**
 * Learning curve: training and cross-validation score against the number of training
 * examples, each with a ±1 std band over folds.
 * @example
 * ```ts
 * learningCurveSpec([100, 500, 1000], { label: 'Training score', mean, std }, { label: 'Cross-validation score', mean: m2, std: s2 }, 'r2');
 * ```
 */
export function learningCurveSpec(trainSizes: readonly number[], train: CurveSeries, test: CurveSeries, scoring: string): VlSpec {
  const x = { field: 'x', type: 'quantitative', title: 'Training examples', scale: { zero: false } };
  return bandSpec('Learning curve', bandRows(trainSizes, [train, test]), x, scoring, [train.label, test.label]);
}

/**
 * Score against one parameter's values (a validation curve, or a one-parameter grid),
 * with ±1 std bands; a log x axis when the values are log-spaced, an ordinal one when
 * they are not all numbers.
 * @example
 * ```ts
 * paramCurveSpec('alpha', [0.01, 0.1, 1, 10], [cvSeries], 'r2', 'Validation curve');
 * ```
 */
export function paramCurveSpec(
  param: string, values: readonly unknown[], series: readonly CurveSeries[], scoring: string, title: string,
): VlSpec {
  const numeric = values.every((v) => typeof v === 'number');
  const xs = values.map((v) => (typeof v === 'number' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)));
  const log = numeric && isLogSpaced(values);
  // Ticks at the grid's own values (when few), so each point sits on a labelled tick.
  const ticks = numeric && new Set(values).size <= MAX_TICKS ? { values: [...new Set(values)], format: '~g' } : { format: '~g' };
  const x = numeric
    ? { field: 'x', type: 'quantitative', title: param, scale: log ? { type: 'log' } : { zero: false }, axis: { ...ticks, grid: !log } }
    : { field: 'x', type: 'ordinal', title: param, sort: xs, axis: { labelAngle: 0 } };
  return bandSpec(title, bandRows(xs, series), x, scoring, series.map((s) => s.label));
}

/**
 * Mean test score of sampled candidates against one parameter (random search), one point per
 * candidate with its ±1 std as an error bar, coloured by a second parameter when there is one.
 * @example
 * ```ts
 * scatterSpec('C', points, 'accuracy', 'tol');
 * ```
 */
export function scatterSpec(
  param: string, points: readonly { x: number; score: number; std: number; group?: unknown }[], scoring: string, groupParam?: string,
): VlSpec {
  const values = points.filter((p) => Number.isFinite(p.score))
    .map((p) => ({ x: p.x, score: p.score, lo: p.score - p.std, hi: p.score + p.std, group: String(p.group ?? '') }));
  const xs = points.map((p) => p.x);
  const log = xs.every((v) => v > 0) && Math.max(...xs) / Math.min(...xs) >= 100;
  const x = { field: 'x', type: 'quantitative', title: param, scale: log ? { type: 'log' } : { zero: false }, axis: { format: '~g', grid: !log } };
  const color = groupParam === undefined
    ? { value: SERIES_COLORS[1] }
    : { field: 'group', type: 'nominal', title: groupParam, legend: { orient: 'bottom-right' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Random search: mean ${scoring} vs ${param}`, width: WIDTH, height: HEIGHT,
    data: { values },
    layer: [
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: scoring, scale: { zero: false } }, y2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y: { field: 'score', type: 'quantitative' }, color } },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  };
}

/**
 * Heatmap of mean test score over a two-parameter grid, each cell labelled with its score.
 * @example
 * ```ts
 * heatmapSpec('C', 'tol', cells, 'accuracy');
 * ```
 */
export function heatmapSpec(
  xParam: string, yParam: string, cells: readonly { x: unknown; y: unknown; score: number }[], scoring: string,
): VlSpec {
  const finite = cells.map((c) => c.score).filter(Number.isFinite);
  const mid = finite.length > 0 ? (Math.min(...finite) + Math.max(...finite)) / 2 : 0;
  const order = (key: 'x' | 'y'): string[] => sortedLabels(cells.map((c) => c[key]));
  const values = cells.map((c) => ({ x: String(c.x), y: String(c.y), score: Number.isFinite(c.score) ? c.score : null }));
  const x = { field: 'x', type: 'ordinal', title: xParam, sort: order('x'), axis: { labelAngle: 0 } };
  const y = { field: 'y', type: 'ordinal', title: yParam, sort: order('y') };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Mean cross-validation ${scoring}`,
    width: { step: 56 }, height: { step: 32 },
    data: { values },
    layer: [
      { mark: 'rect', encoding: { x, y, color: { field: 'score', type: 'quantitative', title: scoring, scale: { scheme: 'viridis' } } } },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          x, y, text: { field: 'score', type: 'quantitative', format: '.3~f' },
          // Light text on viridis' dark low end, dark text on its light high end.
          color: { condition: { test: `datum.score < ${mid}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** Distinct values as labels, numbers in numeric order, others in first-seen order. */
function sortedLabels(values: readonly unknown[]): string[] {
  const distinct = [...new Set(values)];
  if (distinct.every((v) => typeof v === 'number')) (distinct as number[]).sort((a, b) => a - b);
  return distinct.map(String);
}
