/**
 * Pipeline, scikit-learn's: scalers then a model, fitted together on the same rows (so that
 * inside cross-validation each scaler sees its training fold only), with params named
 * `step__param`. X is never copied: the scalers' maps compose into one affine map that the model
 * applies as it reads X (models listing 'featureMap' in `fitOptions`), and the fitted pipeline
 * predicts with the model's coefficients rewritten for raw features. A model that could not take
 * a map would be given a scaled copy of the rows it fits on (Ridge and LogisticRegression take one).
 */
import { ndarray, type NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { composeMaps, identityMap, stateToRaw } from './affine.js';
import { matrixView, targetValues } from './checks.js';
import { columnMoments, type ColumnMoments } from './column-moments.js';
import {
  isClassifier, type AffineMap, type Classifier, type Estimator, type EstimatorState, type FitOptionName, type FloatMatrix,
  type ModelName, type ParamValue, type Params, type Rows, type SampleWeight, type SolverReport, type StepKind, type TransformerState,
} from './estimator.js';
import { checkSampleWeight } from './fit-options.js';
import { LogisticRegression } from './logistic.js';
import { didYouMean } from '../did-you-mean.js';
import { Ridge } from './ridge.js';
import { checkRowSegments } from './segments.js';
import { applyMap, StandardScaler } from './standard-scaler.js';

/** A step: a StandardScaler before the model, or the model (last). */
export type PipelineStep = StandardScaler | Estimator;

/**
 * Options of `Pipeline.fit`: rows, and fit params routed to a step by name, as scikit-learn's
 * `step__param` fit params (`{ ridge__sampleWeight: w }`).
 */
export interface PipelineFitOptions {
  readonly rows?: Rows;
  readonly [routed: `${string}__sampleWeight`]: SampleWeight | undefined;
}

/** The suffix of a routed fit param. */
const WEIGHT_PARAM = '__sampleWeight';

/**
 * A chain of scalers and a final model (scikit-learn's `Pipeline`).
 * @example
 * ```ts
 * const pipe = new Pipeline([['scaler', new StandardScaler()], ['ridge', new Ridge()]]);
 * await new GridSearch(pipe, { ridge__alpha: [0.1, 1, 10] }).fit(X, y);
 * ```
 */
export class Pipeline implements Estimator {
  readonly name = 'pipeline';
  readonly steps: readonly (readonly [string, PipelineStep])[];
  private map: AffineMap | undefined;
  private onRaw: Estimator | undefined;

  constructor(steps: readonly (readonly [string, PipelineStep])[]) {
    checkSteps(steps);
    this.steps = steps.map(([name, step]) => [name, step] as const);
  }

  /** The final model's kind. */
  get kind(): 'regressor' | 'classifier' {
    return this.finalStep.kind;
  }

  /** Only `rows`; weights go to a step by name (see {@link PipelineFitOptions}). */
  get fitOptions(): readonly FitOptionName[] {
    return ['rows'];
  }

  /** The steps by name (scikit-learn's `named_steps`). */
  get namedSteps(): Readonly<Record<string, PipelineStep>> {
    return Object.fromEntries(this.steps);
  }

  /** The final model (fitted on the scaled features, as scikit-learn's last step is). */
  get finalStep(): Estimator {
    return this.steps[this.steps.length - 1]![1] as Estimator;
  }

  get fitted(): boolean {
    return this.map !== undefined && this.finalStep.fitted;
  }

  /** Sorted class labels, when the final model is a classifier. */
  get classes(): Float64Array {
    return this.classifier('classes').classes;
  }

  /** True when `step` takes routed sample weights (`<step>__sampleWeight`). */
  takesWeights(step: string): boolean {
    const found = this.steps.find(([name]) => name === step)?.[1];
    if (found === undefined) return false;
    return found instanceof StandardScaler || (found.fitOptions ?? []).includes('sampleWeight');
  }

  /**
   * Fit each scaler on the rows (in order, each on the previous ones' output) and then the
   * model, on all rows or `rows`; `{ <step>__sampleWeight: w }` weights that step's fit. Returns `this`.
   */
  fit(X: FloatMatrix, y: NdArray, options?: Rows | PipelineFitOptions, ...extra: unknown[]): this {
    if (extra.length > 0) throw new ValueError(`Pipeline.fit takes (X, y, options); found ${3 + extra.length} arguments`);
    const nRows = X.shape[0]!;
    const { rows, weights } = this.readOptions(options, nRows);
    const map = this.fitScalerSteps(X, rows, weights);
    const [finalName, final] = this.steps[this.steps.length - 1]! as [string, Estimator];
    const finalWeights = weights.get(finalName);
    if (this.steps.length === 1) {
      final.fit(X, y, finalWeights === undefined ? rows : { rows, sampleWeight: finalWeights });
    } else if ((final.fitOptions ?? []).includes('featureMap')) {
      final.fit(X, y, { rows, featureMap: map, ...(finalWeights === undefined ? {} : { sampleWeight: finalWeights }) });
    } else {
      // The plain route for a model that cannot apply a map itself: a scaled copy of the rows (X in one piece).
      const view = matrixView(X);
      const labels = targetValues(y, nRows);
      const picked = rows === undefined ? labels : Float64Array.from(rows, (i) => labels[i]!);
      const options = finalWeights === undefined ? undefined : { sampleWeight: rows === undefined ? finalWeights : Float64Array.from(rows, (i) => finalWeights[i]!) };
      final.fit(applyMap(view, rows, map), ndarray('float64', [picked.length], picked), options);
    }
    this.map = map;
    this.onRaw = this.steps.length === 1 ? final : fromState(stateToRaw(final.state(), map));
    return this;
  }

  /**
   * Fit the scalers alone (each on the previous ones' output) on all rows or `rows`, with their
   * routed weights, and return the map x → (x − shift)/scale the final model sees X through.
   * With {@link withFittedModel}, this is how a search fits one fold's scalers once for a whole
   * path of final models.
   */
  fitScalers(X: FloatMatrix, options?: Rows | PipelineFitOptions): AffineMap {
    const { rows, weights } = this.readOptions(options, X.shape[0]!);
    return this.fitScalerSteps(X, rows, weights);
  }

  /**
   * A fitted pipeline with this one's fitted scalers (shared, not copied) and `model` as its
   * final step: a model fitted on the map {@link fitScalers} returned.
   * @throws ValueError when the scalers are not fitted or `model` is not.
   */
  withFittedModel(model: Estimator): Pipeline {
    if (this.map === undefined || !model.fitted) throw new ValueError('Pipeline.withFittedModel needs fitted scalers (fitScalers) and a fitted model');
    const pipeline = new Pipeline([...this.steps.slice(0, -1), [this.finalName(), model]]);
    pipeline.map = this.map;
    pipeline.onRaw = this.steps.length === 1 ? model : fromState(stateToRaw(model.state(), this.map));
    return pipeline;
  }

  /** Predictions for all rows or `rows`: the model's, on the scaled features. */
  predict(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.raw().predict(X, rows);
  }

  /** The model's default score (R², accuracy) on the scaled features. */
  score(X: FloatMatrix, y: NdArray, rows?: Rows): number {
    return this.raw().score(X, y, rows);
  }

  /** Class probabilities, when the final model is a classifier. */
  predictProba(X: FloatMatrix, rows?: Rows): Float64Array {
    this.classifier('predictProba');
    return (this.raw() as Classifier).predictProba(X, rows);
  }

  /** Decision values, when the final model is a classifier. */
  decisionFunction(X: FloatMatrix, rows?: Rows): Float64Array {
    this.classifier('decisionFunction');
    return (this.raw() as Classifier).decisionFunction(X, rows);
  }

  /** Labels from decision values (they depend on the classes only). */
  predictFromDecision(decision: Float64Array): Float64Array {
    const c = this.classifier('predict');
    return c.predictFromDecision ? c.predictFromDecision(decision) : (this.raw() as Classifier).predictFromDecision!(decision);
  }

  /** Probabilities from decision values. */
  probaFromDecision(decision: Float64Array): Float64Array {
    const c = this.classifier('predictProba');
    return c.probaFromDecision ? c.probaFromDecision(decision) : (this.raw() as Classifier).probaFromDecision!(decision);
  }

  /** The final model's solver report (iterative models), as the search records it. */
  solverReport(): SolverReport | undefined {
    return this.finalStep.solverReport?.();
  }

  /** Every step's params, as `step__param` (scikit-learn's `get_params(deep=True)`, without the step objects). */
  getParams(): Params {
    const out: Record<string, ParamValue> = {};
    for (const [name, step] of this.steps) for (const [key, value] of Object.entries(step.getParams())) out[`${name}__${key}`] = value;
    return out;
  }

  /** Set `step__param` params; an unknown step or param throws a ValueError naming it. Returns `this`. */
  setParams(params: Params): this {
    for (const [name, byStep] of this.splitParams(params)) (this.namedSteps[name] as { setParams(p: Params): unknown }).setParams(byStep);
    return this;
  }

  /** Checks `step__param` params without setting them. */
  validateParams(params: Params): void {
    for (const [name, byStep] of this.splitParams(params)) {
      (this.namedSteps[name]!.clone() as { setParams(p: Params): unknown }).setParams(byStep);
    }
  }

  /** An unfitted copy: every step cloned. */
  clone(): Pipeline {
    return new Pipeline(this.steps.map(([name, step]) => [name, step.clone()] as const));
  }

  /** The final model's state (coef, intercept on the scaled features) with the scalers' and the step layout. */
  state(): EstimatorState {
    if (!this.fitted) throw new ValueError('this Pipeline is not fitted yet: call fit(X, y) first');
    const [finalName, final] = this.steps[this.steps.length - 1]! as [string, Estimator];
    const inner = final.state();
    const transformers: TransformerState[] = this.steps.slice(0, -1).map(([name, step]) => (step as StandardScaler).state(name));
    return {
      ...inner, name: 'pipeline', params: this.getParams(), transformers,
      final: { step: finalName, name: final.name as ModelName, params: final.getParams() },
    };
  }

  /** A fitted Pipeline from `state()` output. */
  static fromState(state: EstimatorState): Pipeline {
    if (state.name !== 'pipeline' || !state.final || !Array.isArray(state.transformers)) {
      throw new ValueError('pipeline state needs name "pipeline", transformers and final');
    }
    const steps: [string, PipelineStep][] = state.transformers.map((t) => [t.step, StandardScaler.fromState(t)]);
    const final = fromState({ ...state, name: state.final.name, params: state.final.params, transformers: undefined, final: undefined });
    steps.push([state.final.step, final]);
    const pipeline = new Pipeline(steps);
    let map = identityMap(state.coef.shape[state.coef.shape.length - 1]!);
    for (const [, step] of steps.slice(0, -1)) map = composeMaps(map, (step as StandardScaler).affineMap());
    pipeline.map = map;
    pipeline.onRaw = steps.length === 1 ? final : fromState(stateToRaw(final.state(), map));
    return pipeline;
  }

  /** `Pipeline(standardscaler=StandardScaler(withMean=false), ridge=Ridge(alpha=1))`: non-default params only. */
  toString(): string {
    return `Pipeline(${this.steps.map(([name, step]) => `${name}=${describeStep(step)}`).join(', ')})`;
  }

  /** The step layout, as task messages carry it. */
  layout(): { readonly name: string; readonly kind: StepKind }[] {
    return this.steps.map(([name, step]) => ({ name, kind: stepKind(step) }));
  }

  private raw(): Estimator {
    if (!this.onRaw) throw new ValueError('this Pipeline is not fitted yet: call fit(X, y) first');
    return this.onRaw;
  }

  private classifier(what: string): Classifier {
    const final = this.finalStep;
    if (!isClassifier(final)) throw new ValueError(`Pipeline.${what} needs a classifier as the last step, found the regressor '${final.name}'`);
    return final;
  }

  private readOptions(options: Rows | PipelineFitOptions | undefined, nRows: number): { rows: Rows; weights: Map<string, Float64Array> } {
    const weights = new Map<string, Float64Array>();
    if (options === undefined || options instanceof Int32Array) return { rows: options, weights };
    if (options === null || typeof options !== 'object' || ArrayBuffer.isView(options)) {
      throw new ValueError('Pipeline.fit: the third argument must be an options object or an Int32Array of rows');
    }
    for (const [key, value] of Object.entries(options)) {
      if (key === 'rows' || value === undefined) continue;
      if (key === 'sampleWeight') {
        throw new ValueError(`Pipeline.fit does not take sampleWeight: pass it to a step by name, as ${this.finalName()}${WEIGHT_PARAM} (scikit-learn's step__param fit params)`);
      }
      const step = key.endsWith(WEIGHT_PARAM) ? key.slice(0, -WEIGHT_PARAM.length) : undefined;
      if (step === undefined || !this.steps.some(([name]) => name === step)) {
        const valid = this.steps.filter(([name]) => this.takesWeights(name)).map(([name]) => `${name}${WEIGHT_PARAM}`);
        throw new ValueError(`Pipeline.fit: unknown option "${key}"${didYouMean(key, valid)}; it takes rows and ${valid.join(', ')}`);
      }
      if (!this.takesWeights(step)) throw new ValueError(`Pipeline.fit: step "${step}" (${stepKind(this.namedSteps[step]!)}) does not take sampleWeight`);
      weights.set(step, checkSampleWeight(value as SampleWeight, nRows));
    }
    return { rows: (options as PipelineFitOptions).rows, weights };
  }

  /** Fits each scaler on the previous ones' output; X's windows: the moments stream over them. */
  private fitScalerSteps(X: FloatMatrix, rows: Rows, weights: ReadonlyMap<string, Float64Array>): AffineMap {
    const nCols = X.shape[1]!;
    const segments = checkRowSegments(X, rows);
    let map = identityMap(nCols);
    const moments = new Map<Float64Array | undefined, ColumnMoments>();
    for (const [name, step] of this.steps.slice(0, -1)) {
      const scaler = step as StandardScaler;
      const w = weights.get(name);
      let raw = moments.get(w);
      if (!raw) {
        raw = columnMoments(segments, nCols, w);
        moments.set(w, raw);
      }
      scaler.fitMoments(mappedMoments(raw, map));
      map = composeMaps(map, scaler.affineMap());
    }
    this.map = map;
    return map;
  }

  private finalName(): string {
    return this.steps[this.steps.length - 1]![0];
  }

  private splitParams(params: Params): Map<string, Record<string, ParamValue>> {
    const byStep = new Map<string, Record<string, ParamValue>>();
    const valid = Object.keys(this.getParams());
    for (const [key, value] of Object.entries(params)) {
      const cut = key.indexOf('__');
      const step = cut < 0 ? undefined : key.slice(0, cut);
      if (step === undefined || !this.steps.some(([name]) => name === step)) {
        throw new ValueError(`pipeline: unknown param "${key}"${didYouMean(key, valid)}; pipeline params are named step__param: ${valid.join(', ')}`);
      }
      const entry = byStep.get(step) ?? {};
      entry[key.slice(cut + 2)] = value;
      byStep.set(step, entry);
    }
    return byStep;
  }
}

/**
 * A pipeline whose steps are named after their classes, lower-cased (scikit-learn's
 * `make_pipeline`): `standardscaler`, `ridge`, `logisticregression`; repeated names get `-1`, `-2`.
 * @example
 * ```ts
 * const pipe = makePipeline(new StandardScaler(), new LogisticRegression());
 * pipe.getParams()['logisticregression__C']; // 1
 * ```
 */
export function makePipeline(...steps: PipelineStep[]): Pipeline {
  const names = steps.map((step) => step.constructor.name.toLowerCase());
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const seen = new Map<string, number>();
  return new Pipeline(steps.map((step, i) => {
    const base = names[i]!;
    if (counts.get(base)! === 1) return [base, step] as const;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return [`${base}-${k}`, step] as const;
  }));
}

/** What a step is, by registry name. */
export function stepKind(step: PipelineStep): StepKind {
  return step instanceof StandardScaler ? 'standard_scaler' : step.name as ModelName;
}

function checkSteps(steps: readonly (readonly [string, PipelineStep])[]): void {
  if (!Array.isArray(steps) || steps.length === 0) throw new ValueError('Pipeline needs a non-empty list of [name, step] pairs');
  const names = new Set<string>();
  steps.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new ValueError(`Pipeline steps[${i}] must be a [name, step] pair`);
    }
    const [name, step] = entry;
    if (!/^[A-Za-z0-9][\w.-]*$/.test(name) || name.includes('__')) {
      throw new ValueError(`Pipeline step name ${JSON.stringify(name)} must be letters, digits, "_", "." or "-" and must not contain "__"`);
    }
    if (names.has(name)) throw new ValueError(`Pipeline step names must be unique: ${JSON.stringify(name)} appears twice`);
    names.add(name);
    const last = i === steps.length - 1;
    if (!last && !(step instanceof StandardScaler)) {
      throw new ValueError(`Pipeline step "${name}" must be a transformer (StandardScaler): only the last step may be a model`);
    }
    if (last && !(step instanceof Ridge || step instanceof LogisticRegression)) {
      throw new ValueError(`Pipeline's last step "${name}" must be a model (Ridge, LogisticRegression)`);
    }
  });
}

/** The moments of the mapped columns, from the raw columns' moments: (mean − shift)/scale, var/scale². */
function mappedMoments(raw: ColumnMoments, map: AffineMap): ColumnMoments {
  const mean = raw.mean.map((m, j) => (m - map.shift[j]!) / map.scale[j]!);
  const variance = raw.var.map((v, j) => v / (map.scale[j]! * map.scale[j]!));
  return { mean, var: variance, count: raw.count };
}

function fromState(state: EstimatorState): Estimator {
  if (state.name === 'ridge') return Ridge.fromState(state);
  if (state.name === 'logistic') return LogisticRegression.fromState(state);
  throw new ValueError(`a pipeline's last step must be ridge or logistic, found ${JSON.stringify(state.name)}`);
}

function describeStep(step: PipelineStep): string {
  const fresh = new (step.constructor as new () => { getParams(): Params })();
  const params = Object.entries(step.getParams()).filter(([k, v]) => fresh.getParams()[k] !== v).map(([k, v]) => `${k}=${String(v)}`);
  return `${step.constructor.name}(${params.join(', ')})`;
}
