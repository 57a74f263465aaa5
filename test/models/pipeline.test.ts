/**
 * StandardScaler, Pipeline and Ridge's sample weights against scikit-learn 1.2
 * (scripts/pipeline_fixtures.py), and the rules around them: names, params, fit options.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dump, load } from '../../src/data/dump.js';
import { ndarray } from '../../src/data/ndarray.js';
import { registerDumpType } from '../../src/data/dump.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { registerEstimatorDumpType } from '../../src/models/persist.js';
import { makePipeline, Pipeline } from '../../src/models/pipeline.js';
import { modelFromState } from '../../src/models/registry.js';
import { Ridge } from '../../src/models/ridge.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { matrixOf, pipelineData, pipelines, vectorOf } from '../helpers/pipelines.js';
import { maxAbsErr } from './fixtures.js';

registerEstimatorDumpType(registerDumpType);

/** Relative to the largest reference value: both sides solve the same equations in float64. */
const REL = 1e-9;
const rel = (got: ArrayLike<number>, want: ArrayLike<number>): number => maxAbsErr(got, want) / Math.max(1, ...Array.from(want, Math.abs));

const { X, y, w } = pipelineData('diabetes');
const temp = mkdtempSync(join(tmpdir(), 'memgrid-pipeline-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('StandardScaler matches scikit-learn 1.2', () => {
  const Xs = matrixOf(pipelines.scaler.X);
  for (const c of pipelines.scaler.cases) {
    it(`withMean=${c.withMean} withStd=${c.withStd}${c.weights ? ', weighted' : ''} (a constant column scales by 1)`, () => {
      const scaler = new StandardScaler({ withMean: c.withMean, withStd: c.withStd })
        .fit(Xs, undefined, c.weights ? { sampleWeight: c.weights } : undefined);
      if (c.mean) expect(rel(scaler.mean, c.mean)).toBeLessThan(1e-12);
      if (c.var) expect(rel(scaler.var, c.var)).toBeLessThan(1e-12);
      if (c.scale) expect(rel(scaler.scale!, c.scale)).toBeLessThan(1e-12);
      else expect(scaler.scale).toBeUndefined();
      expect(scaler.nSamplesSeen).toBeCloseTo(c.nSamplesSeen, 9);
      expect(rel(scaler.transform(Xs, Int32Array.from([0, 1, 2, 3, 4])).data, c.transform.flat())).toBeLessThan(1e-12);
    });
  }

  it('refuses an unfitted transform, a width mismatch and unknown params', () => {
    expect(() => new StandardScaler().transform(X)).toThrow('this StandardScaler is not fitted yet: call fit(X) first');
    const scaler = new StandardScaler().fit(X);
    expect(() => scaler.transform(ndarray('float64', [2, 3]))).toThrow('X has 3 features, but StandardScaler was fitted with 10');
    expect(() => new StandardScaler({ withMeans: true } as never)).toThrow('standard_scaler: unknown param "withMeans" (did you mean "withMean"?); known params: withMean, withStd');
  });
});

describe('Ridge with sample weights matches scikit-learn 1.2', () => {
  const { weights, cases, onRows } = pipelines.ridgeWeights;
  for (const c of cases) {
    it(`alpha=${c.alpha} fitIntercept=${c.fitIntercept} (zero weights drop rows)`, () => {
      const model = new Ridge({ alpha: c.alpha, fitIntercept: c.fitIntercept }).fit(X, y, { sampleWeight: weights });
      expect(rel(model.coef, c.coef)).toBeLessThan(REL);
      expect(Math.abs(model.intercept - c.intercept[0]!) / Math.max(1, Math.abs(c.intercept[0]!))).toBeLessThan(REL);
      expect(rel(model.predict(X, Int32Array.from({ length: 10 }, (_, i) => i)), c.predict)).toBeLessThan(REL);
    });
  }

  it('on a subset of rows, reading each row\'s weight by its id', () => {
    const model = new Ridge({ alpha: onRows.alpha }).fit(X, y, { rows: Int32Array.from(onRows.rows), sampleWeight: Float64Array.from(weights) });
    expect(rel(model.coef, onRows.coef)).toBeLessThan(REL);
    expect(Math.abs(model.intercept - onRows.intercept[0]!)).toBeLessThan(REL * Math.abs(onRows.intercept[0]!));
  });

  it('equal weights give the unweighted fit; a weight of 2 is the row twice', () => {
    const plain = new Ridge({ alpha: 3 }).fit(X, y);
    expect(rel(new Ridge({ alpha: 3 }).fit(X, y, { sampleWeight: 1 }).coef, plain.coef)).toBeLessThan(1e-12);
    const twice = Int32Array.from([...Array.from({ length: 442 }, (_, i) => i), 0, 1, 2]);
    const weights = new Float64Array(442).fill(1);
    weights[0] = weights[1] = weights[2] = 2;
    const doubled = new Ridge({ alpha: 3 }).fit(X, y, { rows: twice });
    expect(rel(new Ridge({ alpha: 3 }).fit(X, y, { sampleWeight: weights }).coef, doubled.coef)).toBeLessThan(1e-10);
  });

  it('refuses bad weights and options, naming what it found', () => {
    const ridge = new Ridge();
    expect(() => ridge.fit(X, y, { sampleWeight: [1, 2] })).toThrow('sampleWeight has 2 values, expected 442 (one per row of X)');
    const nan = new Float64Array(442).fill(1);
    nan[7] = Number.NaN;
    expect(() => ridge.fit(X, y, { sampleWeight: nan })).toThrow('sampleWeight contains NaN at row 7: weights must be finite');
    const negative = new Float64Array(442).fill(1);
    negative[3] = -1;
    expect(() => ridge.fit(X, y, { sampleWeight: negative })).toThrow('sampleWeight[3] = -1 is negative: weights must be >= 0');
    expect(() => ridge.fit(X, y, { sampleWeight: ndarray('float64', [221, 2]) })).toThrow('sampleWeight must be 1-d (one weight per row) or a number, found shape [221, 2]');
    expect(() => ridge.fit(X, y, { sampleWeight: 0 })).toThrow("sampleWeight sums to zero over the rows fitted on: weights can't be normalized");
    expect(() => ridge.fit(X, y, { sampleWeights: w } as never)).toThrow('Ridge.fit: unknown option "sampleWeights" (did you mean "sampleWeight"?); it takes rows, sampleWeight, featureMap');
    expect(() => (ridge.fit as (...args: unknown[]) => unknown)(X, y, undefined, { sampleWeight: w })).toThrow('Ridge.fit takes (X, y, options); found 4 arguments. Pass options as one object, e.g. { sampleWeight }');
    expect(() => ridge.fit(X, y, [1, 2] as never)).toThrow('Ridge.fit: the third argument must be an options object ({ sampleWeight, ... }) or an Int32Array of rows, found an array');
  });
});

describe('Pipeline', () => {
  it('makePipeline names steps by lower-cased class name, and repeated names get -1, -2', () => {
    expect(makePipeline(new StandardScaler(), new LogisticRegression()).steps.map(([n]) => n)).toEqual(['standardscaler', 'logisticregression']);
    expect(makePipeline(new StandardScaler(), new StandardScaler(), new Ridge()).steps.map(([n]) => n)).toEqual(['standardscaler-1', 'standardscaler-2', 'ridge']);
  });

  it('names params step__param, sets them by step, and refuses unknown ones', () => {
    const pipe = makePipeline(new StandardScaler({ withStd: false }), new Ridge({ alpha: 2 }));
    expect(pipe.getParams()).toEqual({ standardscaler__withMean: true, standardscaler__withStd: false, ridge__alpha: 2, ridge__fitIntercept: true });
    pipe.setParams({ ridge__alpha: 5 });
    expect((pipe.namedSteps['ridge'] as Ridge).getParams()['alpha']).toBe(5);
    expect(() => pipe.setParams({ alpha: 1 })).toThrow('pipeline: unknown param "alpha"');
    expect(() => pipe.setParams({ ridge__alhpa: 1 })).toThrow('ridge: unknown param "alhpa" (did you mean "alpha"?); known params: alpha, fitIntercept');
    expect(String(pipe)).toBe('Pipeline(standardscaler=StandardScaler(withStd=false), ridge=Ridge(alpha=5))');
    expect(pipe.clone().getParams()).toEqual(pipe.getParams());
  });

  it('refuses a model before the last step, a transformer last, and duplicate or "__" names', () => {
    expect(() => new Pipeline([['r', new Ridge()], ['s', new StandardScaler()]])).toThrow('Pipeline step "r" must be a transformer (StandardScaler): only the last step may be a model');
    expect(() => new Pipeline([['s', new StandardScaler()]])).toThrow('Pipeline\'s last step "s" must be a model (Ridge, LogisticRegression)');
    expect(() => new Pipeline([['a', new StandardScaler()], ['a', new Ridge()]])).toThrow('Pipeline step names must be unique: "a" appears twice');
    expect(() => new Pipeline([['a__b', new Ridge()]])).toThrow('must not contain "__"');
  });

  it('equals scaling a copy then fitting, and predicts on raw X (ridge: the map goes into the fit, no copy)', () => {
    const rows = Int32Array.from({ length: 300 }, (_, i) => i);
    const pipe = makePipeline(new StandardScaler(), new Ridge({ alpha: 3 })).fit(X, y, { rows });
    const scaler = new StandardScaler().fit(X, undefined, rows);
    const ridge = new Ridge({ alpha: 3 }).fit(scaler.transform(X, rows), vectorOf(Array.from(rows, (i) => y.data[i]!)));
    expect(rel((pipe.finalStep as Ridge).coef, ridge.coef)).toBeLessThan(1e-11);
    expect(rel(pipe.predict(X), ridge.predict(scaler.transform(X)))).toBeLessThan(1e-11);
    expect(pipe.score(X, y)).toBeCloseTo(ridge.score(scaler.transform(X), y), 11);
  });

  it('routes weights to a step by name (step__sampleWeight) and refuses an unrouted sampleWeight', () => {
    const pipe = makePipeline(new StandardScaler(), new Ridge());
    pipe.fit(X, y, { ridge__sampleWeight: w! });
    const scaler = new StandardScaler().fit(X);
    const ridge = new Ridge().fit(scaler.transform(X), y, { sampleWeight: w! });
    expect(rel((pipe.finalStep as Ridge).coef, ridge.coef)).toBeLessThan(1e-11);
    expect(() => pipe.fit(X, y, { sampleWeight: w } as never)).toThrow("Pipeline.fit does not take sampleWeight: pass it to a step by name, as ridge__sampleWeight (scikit-learn's step__param fit params)");
    expect(() => pipe.fit(X, y, { ridge__sampleWeigth: w } as never)).toThrow('Pipeline.fit: unknown option "ridge__sampleWeigth" (did you mean "ridge__sampleWeight"?); it takes rows and standardscaler__sampleWeight, ridge__sampleWeight');
  });

  it('with a logistic model (plain route: a scaled copy of the fitted rows) gives what scaling by hand gives', () => {
    const { X: Xw, y: yw } = pipelineData('wine');
    const pipe = makePipeline(new StandardScaler(), new LogisticRegression({ C: 0.5, tol: 1e-10, maxIter: 1000 })).fit(Xw, yw);
    const scaler = new StandardScaler().fit(Xw);
    const clf = new LogisticRegression({ C: 0.5, tol: 1e-10, maxIter: 1000 }).fit(scaler.transform(Xw), yw);
    expect(maxAbsErr(pipe.predictProba(Xw), clf.predictProba(scaler.transform(Xw)))).toBeLessThan(1e-12);
    expect(Array.from(pipe.classes)).toEqual([0, 1, 2]);
  });

  it('dumps and loads fitted, through state() and dump/load', () => {
    const pipe = makePipeline(new StandardScaler(), new Ridge({ alpha: 2 })).fit(X, y);
    const copy = modelFromState(pipe.state());
    expect(Array.from(copy.predict(X))).toEqual(Array.from(pipe.predict(X)));
    const path = join(temp, 'pipe.json');
    dump({ pipe }, path);
    const back = (load(path, { mmapMode: 'r' }) as { pipe: Pipeline }).pipe;
    expect(back).toBeInstanceOf(Pipeline);
    expect(Array.from(back.predict(X))).toEqual(Array.from(pipe.predict(X)));
    expect(back.getParams()).toEqual(pipe.getParams());
  });
});
