/**
 * Fit params of a search or curve (`search.fit(X, y, { sampleWeight })`): scikit-learn's
 * `fit_params`, routed to every fit on its training rows (and to the refit on all rows).
 * Scoring stays unweighted, as scikit-learn 1.2 scores. A param the estimator cannot take is
 * refused before anything runs, never dropped.
 */
import { ValueError } from '../errors.js';
import type { Estimator, SampleWeight } from '../models/estimator.js';
import type { SearchFitOptions } from './options.js';
import { checkSampleWeight } from '../models/fit-options.js';
import { didYouMean } from '../did-you-mean.js';
import { Pipeline } from '../models/pipeline.js';

/**
 * The per-row arrays to route to every fit, by fit param name, checked against the estimator
 * (one value per row of X, finite, non-negative).
 * @throws ValueError for a param the estimator does not take; DataError for bad weights.
 * @example
 * ```ts
 * checkFitParams(new Ridge(), { sampleWeight: w }, X.shape[0]); // { sampleWeight: Float64Array }
 * ```
 */
export function checkFitParams(estimator: Estimator, options: SearchFitOptions | undefined, nRows: number): Record<string, Float64Array> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new ValueError('fit: the third argument must be an options object, e.g. { sampleWeight }');
  }
  const out: Record<string, Float64Array> = {};
  for (const [key, value] of Object.entries(options)) {
    // Groups go to the splitter, not to the fits.
    if (value === undefined || key === 'groups') continue;
    checkRoute(estimator, key);
    out[key] = checkSampleWeight(value as SampleWeight, nRows);
  }
  return out;
}

function checkRoute(estimator: Estimator, key: string): void {
  const model = className(estimator);
  if (estimator instanceof Pipeline) {
    const valid = estimator.steps.filter(([name]) => estimator.takesWeights(name)).map(([name]) => `${name}__sampleWeight`);
    if (key === 'sampleWeight') {
      throw new ValueError(`fit: a Pipeline does not take sampleWeight; route it to a step by name, as ${estimator.steps[estimator.steps.length - 1]![0]}__sampleWeight (scikit-learn's step__param fit params)`);
    }
    if (valid.includes(key)) return;
    const step = key.endsWith('__sampleWeight') ? key.slice(0, -'__sampleWeight'.length) : undefined;
    if (step !== undefined && estimator.namedSteps[step] !== undefined) {
      throw new ValueError(`fit: pipeline step "${step}" does not take sampleWeight${valid.length > 0 ? `; steps that do: ${valid.join(', ')}` : ''}`);
    }
    throw new ValueError(`fit: unknown option "${key}"${didYouMean(key, valid)}; a search on this pipeline takes groups${valid.length > 0 ? ` and ${valid.join(', ')}` : ''}`);
  }
  if (key !== 'sampleWeight') throw new ValueError(`fit: unknown option "${key}"${didYouMean(key, ['sampleWeight', 'groups'])}; searches take sampleWeight and groups`);
  if (!(estimator.fitOptions ?? []).includes('sampleWeight')) throw new ValueError(`fit: ${model}.fit does not take sampleWeight`);
}

function className(estimator: Estimator): string {
  return estimator.constructor.name;
}

/**
 * The fit options among a curve's or crossValidate's options: groups, and sample weights routed
 * to every fit (`sampleWeight`, `<step>__sampleWeight`).
 * @example
 * ```ts
 * evaluate({ ..., fitOptions: fitOptionsOf(options) });
 * ```
 */
export function fitOptionsOf(options: SearchFitOptions): SearchFitOptions {
  return Object.fromEntries(Object.entries(options).filter(([key]) => key === 'groups' || key === 'sampleWeight' || key.endsWith('__sampleWeight')));
}

/**
 * `fit`'s third argument for a fit on `rows` with the checked per-row fit params (plain rows when there are none).
 * @example
 * ```ts
 * estimator.clone().fit(X, y, fitOnRows(fold.train, checkFitParams(estimator, options, n)));
 * ```
 */
export function fitOnRows(rows: Int32Array, fitParams: Readonly<Record<string, Float64Array>>): Int32Array | { rows: Int32Array } {
  return Object.keys(fitParams).length === 0 ? rows : { rows, ...fitParams };
}
