/**
 * The config checks a schema cannot make: model params against the model's rules, grid and
 * distribution values, scorer names, and the data files on disk. They read the raw parsed
 * JSON defensively (it may also have structural problems, which the schema reports) so that
 * one run of `memgrid run` lists every problem at once.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValueError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { classWeightIssue, PARAM_SPECS, type ParamSpec } from '../models/params.js';
import type { ModelName } from '../models/estimator.js';
import { configPipeline } from './model.js';
import { parseDistribution } from '../search/distributions.js';
import { SCORERS } from '../search/scorers.js';
import { readCsvHeader } from './csv-header.js';
import { cvIssues } from './cv-config.js';
import { found } from './issues.js';

type Json = Record<string, unknown>;

/** `specs[key]` if `key` is one of its own entries: `constructor` or `__proto__` is no param. */
function specOf(specs: Readonly<Record<string, ParamSpec>>, key: string): ParamSpec | undefined {
  return Object.hasOwn(specs, key) ? specs[key] : undefined;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function modelName(raw: Json): ModelName | undefined {
  const name = isObject(raw.model) ? raw.model.name : undefined;
  return name === 'ridge' || name === 'logistic' ? name : undefined;
}

/**
 * Every semantic problem of a raw config, as `key.path: message` lines.
 * @param dir the config file's folder: data paths are relative to it.
 * @example
 * ```ts
 * semanticIssues({ model: { name: 'ridge', params: { alpha: -1 } }, ... }, '/exp');
 * // ['model.params.alpha: must be a finite number >= 0, found -1', ...]
 * ```
 */
export function semanticIssues(raw: unknown, dir: string): string[] {
  if (!isObject(raw)) return [];
  const model = modelName(raw);
  const issues = [...dataIssues(raw.data, dir), ...runIssues(raw, model)];
  const hasGroups = isObject(raw.data) && raw.data.groups !== undefined;
  issues.push(...cvIssues(raw.cv, model === 'logistic' ? 'classifier' : 'regressor', dir, hasGroups));
  if (model !== undefined) issues.push(...paramIssues(raw, model));
  return issues;
}

/** Which things to run, and how they are scored. */
function runIssues(raw: Json, model: ModelName | undefined): string[] {
  const issues: string[] = [];
  if (raw.grid !== undefined && raw.search !== undefined) {
    issues.push('grid, search: give one of them (grid for an exhaustive search, search for a random one)');
  }
  if (raw.grid === undefined && raw.search === undefined && raw.learningCurve === undefined && raw.validationCurve === undefined) {
    issues.push('(top level): nothing to run: add grid, search, learningCurve or validationCurve');
  }
  const names = typeof raw.scoring === 'string' ? [raw.scoring] : Array.isArray(raw.scoring) ? raw.scoring : undefined;
  if (isObject(raw.halving)) issues.push(...halvingIssues(raw, names));
  const known = [...SCORERS.keys()];
  names?.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const where = typeof raw.scoring === 'string' ? 'scoring' : `scoring[${i}]`;
    const scorer = SCORERS.get(name);
    if (scorer === undefined) issues.push(`${where}: unknown scorer ${found(name)}${didYouMean(name, known)}; known scorers: ${known.join(', ')}`);
    else if (scorer.task === 'classification' && model === 'ridge') issues.push(`${where}: ${found(name)} is a classification metric and ridge is a regressor`);
    if (names.indexOf(name) !== i) issues.push(`${where}: ${found(name)} is listed twice`);
  });
  if (typeof raw.refit === 'string') {
    const scoring = names ?? (model === 'logistic' ? ['accuracy'] : ['r2']);
    if (!scoring.includes(raw.refit)) issues.push(`refit: must be true, false or one of the scoring names (${scoring.join(', ')}), found ${found(raw.refit)}`);
  }
  if (isObject(raw.learningCurve) && Array.isArray(raw.learningCurve.trainSizes)) {
    raw.learningCurve.trainSizes.forEach((size, i) => {
      if (typeof size === 'number' && size > 1 && !Number.isInteger(size)) {
        issues.push(`learningCurve.trainSizes[${i}]: must be a fraction in (0, 1] or a whole number of rows > 1, found ${found(size)}`);
      }
    });
  }
  return issues;
}

/** What halving needs around it: a grid or a random search to halve, one scorer. */
function halvingIssues(raw: Json, scoring: readonly unknown[] | undefined): string[] {
  const halving = raw.halving as Json;
  const issues: string[] = [];
  if (raw.grid === undefined && raw.search === undefined) issues.push('halving: needs a grid or a random search to halve');
  if (scoring !== undefined && scoring.length > 1) issues.push(`halving: takes one scorer (as scikit-learn), found scoring ${found(scoring)}`);
  if (halving.nCandidates !== undefined && raw.search === undefined) issues.push('halving.nCandidates: only with a random search (a grid halves all its candidates)');
  if (raw.search !== undefined && (halving.nCandidates ?? 'exhaust') === 'exhaust' && halving.minResources === 'exhaust') {
    issues.push('halving.minResources: cannot be "exhaust" when halving.nCandidates is "exhaust" (its default)');
  }
  return issues;
}

/** The params grid keys may name: the model's own, or with `preprocess`, its pipeline's `step__param`. */
interface ParamTable {
  /** `ridge`, `logistic`, or `pipeline`: what messages call the owner. */
  readonly owner: string;
  readonly specs: Readonly<Record<string, ParamSpec>>;
}

function paramTable(raw: Json, model: ModelName): ParamTable {
  const preprocess = Array.isArray(raw.preprocess) ? raw.preprocess : undefined;
  if (preprocess === undefined || preprocess.length === 0) return { owner: model, specs: PARAM_SPECS[model] };
  const specs: Record<string, ParamSpec> = {};
  for (const { name, kind } of configPipeline(preprocess.map(() => 'standard_scaler'), model).layout()) {
    for (const [param, spec] of Object.entries(PARAM_SPECS[kind])) specs[`${name}__${param}`] = spec;
  }
  return { owner: 'pipeline', specs };
}

/** Model and preprocess params, grid values, distributions and the validation-curve parameter. */
function paramIssues(raw: Json, model: ModelName): string[] {
  const own: ParamTable = { owner: model, specs: PARAM_SPECS[model] };
  const issues: string[] = [];
  const params = isObject(raw.model) ? raw.model.params : undefined;
  if (isObject(params)) {
    for (const [key, value] of Object.entries(params)) issues.push(...checkParam(own, `model.params.${key}`, key, value));
  }
  if (Array.isArray(raw.preprocess)) {
    raw.preprocess.forEach((step, i) => {
      if (!isObject(step) || step.name !== 'standard_scaler' || !isObject(step.params)) return;
      const scaler: ParamTable = { owner: 'standard_scaler', specs: PARAM_SPECS.standard_scaler };
      for (const [key, value] of Object.entries(step.params)) issues.push(...checkParam(scaler, `preprocess[${i}].params.${key}`, key, value));
    });
  }
  const table = paramTable(raw, model);
  const grids = Array.isArray(raw.grid) ? raw.grid.map((g, i) => [`grid[${i}]`, g] as const) : [['grid', raw.grid] as const];
  for (const [where, grid] of grids) {
    if (!isObject(grid)) continue;
    for (const [key, values] of Object.entries(grid)) issues.push(...checkList(table, `${where}.${key}`, key, values));
  }
  const search = isObject(raw.search) ? raw.search : undefined;
  if (search !== undefined && isObject(search.distributions)) {
    for (const [key, dist] of Object.entries(search.distributions)) {
      issues.push(...checkDistribution(table, `search.distributions.${key}`, key, dist));
    }
  }
  if (isObject(raw.validationCurve) && typeof raw.validationCurve.param === 'string') {
    const key = raw.validationCurve.param;
    if (specOf(table.specs, key) === undefined) issues.push(unknownParam(table, 'validationCurve.param', key, true));
    else issues.push(...checkList(table, 'validationCurve.values', key, raw.validationCurve.values));
  }
  return issues;
}

function unknownParam(table: ParamTable, where: string, key: string, isValue = false): string {
  const known = Object.keys(table.specs);
  // With preprocess, a model param named bare is a common slip: point at its step__param name.
  const stepHint = table.owner === 'pipeline' ? known.find((k) => k.endsWith(`__${key}`)) : undefined;
  const hint = stepHint === undefined ? didYouMean(key, known) : ` (did you mean "${stepHint}"? with "preprocess" the model is a pipeline: name the step)`;
  return `${where}: ${isValue ? `${found(key)} is not a ${table.owner} param` : `unknown ${table.owner} param`}${hint}; known params: ${known.join(', ')}`;
}

function checkParam(table: ParamTable, where: string, key: string, value: unknown): string[] {
  const spec = specOf(table.specs, key);
  if (spec === undefined) return [unknownParam(table, where, key)];
  if (spec.type === 'boolean') return typeof value === 'boolean' ? [] : [`${where}: must be true or false, found ${found(value)}`];
  if (spec.type === 'classWeight') {
    const issue = classWeightIssue(value);
    return issue === undefined ? [] : [`${where}: ${key} ${issue}`];
  }
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (spec.type !== 'integer' || Number.isInteger(value)) && (spec.valid === undefined || spec.valid(value));
  return ok ? [] : [`${where}: must be ${spec.rule ?? `a ${spec.type}`}, found ${found(value)}`];
}

function checkList(table: ParamTable, where: string, key: string, values: unknown): string[] {
  if (specOf(table.specs, key) === undefined) return [unknownParam(table, where, key)];
  if (!Array.isArray(values)) return []; // the schema reports a non-list
  return values.flatMap((v, i) => checkParam(table, `${where}[${i}]`, key, v));
}

function checkDistribution(table: ParamTable, where: string, key: string, dist: unknown): string[] {
  const spec = specOf(table.specs, key);
  if (spec === undefined) return [unknownParam(table, where, key)];
  if (Array.isArray(dist)) return checkList(table, where, key, dist);
  let parsed;
  try {
    parsed = parseDistribution(dist, where);
  } catch (error) {
    if (error instanceof ValueError) return [error.message.replace(/^(\S+) /, '$1: ')];
    throw error;
  }
  if (parsed.dist === 'choice') return checkList(table, `${where}.values`, key, parsed.values);
  const low = checkParam(table, `${where}.low`, key, parsed.low);
  if (spec.type === 'integer' && parsed.dist !== 'randint') return [`${where}: ${key} takes integers: use {"dist": "randint", ...}`];
  return low;
}

/** Exactly one data source, its files present, a CSV target that is a column. */
function dataIssues(data: unknown, dir: string): string[] {
  if (!isObject(data)) return [];
  const sources = [data.X !== undefined || data.y !== undefined, data.csv !== undefined || data.target !== undefined, data.synthetic !== undefined];
  if (sources.filter(Boolean).length !== 1) {
    return ['data: give exactly one data source: X and y (.npy files), csv and target, or synthetic'];
  }
  const issues: string[] = [];
  const file = (key: 'X' | 'y' | 'csv'): void => {
    const value = data[key];
    if (value === undefined) {
      const other = key === 'X' ? 'y' : key === 'y' ? 'X' : 'target';
      issues.push(`data.${key}: is required with data.${other}`);
      return;
    }
    if (typeof value !== 'string') return;
    const path = resolve(dir, value);
    if (!existsSync(path)) issues.push(`data.${key}: file not found: ${path}`);
    else if (!statSync(path).isFile()) issues.push(`data.${key}: not a file: ${path}`);
  };
  if (sources[0]) { file('X'); file('y'); }
  if (sources[1]) {
    file('csv');
    if (data.target === undefined) issues.push('data.target: is required with data.csv (the name of the column to predict)');
    else if (typeof data.target === 'string' && typeof data.csv === 'string' && issues.length === 0) {
      issues.push(...targetIssues(resolve(dir, data.csv), data.target));
    }
  }
  issues.push(...groupsIssues(data, dir, sources));
  const synthetic = data.synthetic;
  if (isObject(synthetic) && synthetic.nClasses !== undefined && synthetic.kind !== 'classification') {
    issues.push(`data.synthetic.nClasses: only applies to kind "classification", found kind ${found(synthetic.kind)}`);
  }
  return issues;
}

/** data.groups: a .npy file beside X and y, or a column of the CSV (not the target). */
function groupsIssues(data: Json, dir: string, sources: readonly boolean[]): string[] {
  const groups = data.groups;
  if (typeof groups !== 'string') return [];
  if (sources[2]) return ['data.groups: not available with synthetic data (give X and y files, or a CSV)'];
  if (sources[0]) {
    const path = resolve(dir, groups);
    return existsSync(path) && statSync(path).isFile() ? [] : [`data.groups: file not found: ${path}`];
  }
  if (typeof data.csv !== 'string' || !existsSync(resolve(dir, data.csv))) return [];
  if (groups === data.target) return [`data.groups: ${found(groups)} is the target column; groups must be another column`];
  const header = readCsvHeader(resolve(dir, data.csv));
  return header.includes(groups) ? [] : [`data.groups: column ${found(groups)} is not in the header of ${resolve(dir, data.csv)}${didYouMean(groups, header)}`];
}

function targetIssues(csv: string, target: string): string[] {
  const header = readCsvHeader(csv);
  if (header.includes(target)) return [];
  const shown = header.length > 12 ? `${header.slice(0, 12).join(', ')}, ...` : header.join(', ');
  return [`data.target: column ${found(target)} is not in the header of ${csv}${didYouMean(target, header)}; columns: ${shown}`];
}
