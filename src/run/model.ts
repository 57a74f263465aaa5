/**
 * The estimator an experiment config describes: its model, or with `preprocess` the pipeline
 * scikit-learn's `make_pipeline` would build (steps named by lower-cased class name:
 * `standardscaler`, `ridge`, `logisticregression`), so config grid keys are the library's.
 */
import type { Estimator, ModelName, Params, TransformerName } from '../models/estimator.js';
import { makePipeline, type Pipeline } from '../models/pipeline.js';
import { createModel } from '../models/registry.js';
import { StandardScaler, type StandardScalerParams } from '../models/standard-scaler.js';
import type { ExperimentConfig } from './config.js';

/**
 * The pipeline of `preprocess` steps (by kind, default params) and the model (default params).
 * @example
 * ```ts
 * configPipeline(['standard_scaler'], 'logistic').steps.map(([name]) => name); // ['standardscaler', 'logisticregression']
 * ```
 */
export function configPipeline(preprocess: readonly TransformerName[], model: ModelName): Pipeline {
  return makePipeline(...preprocess.map(() => new StandardScaler()), createModel(model));
}

/**
 * A new, unfitted estimator for `config`, with `overlay` (a search's best params: the
 * pipeline's `step__param` names when the config preprocesses) set on top of the config's params.
 * @example
 * ```ts
 * configEstimator(config, search.bestParams).getParams();
 * ```
 */
export function configEstimator(config: ExperimentConfig, overlay: Params = {}): Estimator {
  const model = createModel(config.model.name, config.model.params);
  if (!config.preprocess || config.preprocess.length === 0) return model.setParams(overlay);
  const steps = config.preprocess.map((step) => new StandardScaler(step.params as Partial<StandardScalerParams>));
  return makePipeline(...steps, model).setParams(overlay);
}

/**
 * The estimator's kind, from the config alone.
 * @example
 * ```ts
 * configKind(config); // 'classifier' for a logistic model
 * ```
 */
export function configKind(config: Pick<ExperimentConfig, 'model'>): 'regressor' | 'classifier' {
  return config.model.name === 'logistic' ? 'classifier' : 'regressor';
}
