import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accuracy, balancedAccuracy, f1, fbeta, jaccard, logLoss, meanAbsoluteError, meanSquaredError, precision, r2, recall, rocAuc,
  rootMeanSquaredError, type Average,
} from '../../src/search/metrics.js';

/** Every comparison with scikit-learn uses this absolute tolerance (numpy sums pairwise, we sum in order). */
const TOL = 1e-12;
const fx = JSON.parse(readFileSync(new URL('../fixtures/search/metrics.json', import.meta.url), 'utf8')) as Record<string, any>;
const f64 = (a: number[]): Float64Array => Float64Array.from(a);
const close = (got: number, want: number): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(TOL);

afterEach(() => vi.restoreAllMocks());

describe('regression metrics', () => {
  const { yTrue, yPred } = fx.regression;
  it('match scikit-learn', () => {
    close(r2(f64(yTrue), f64(yPred)), fx.regression.r2);
    close(meanSquaredError(f64(yTrue), f64(yPred)), fx.regression.mse);
    close(rootMeanSquaredError(f64(yTrue), f64(yPred)), fx.regression.rmse);
    close(meanAbsoluteError(f64(yTrue), f64(yPred)), fx.regression.mae);
  });

  it('r2 follows force_finite for constant targets and is NaN for one sample', () => {
    const c = fx['r2 constant yTrue'];
    expect(r2(f64(c.yTrue), f64(c.yPred))).toBe(c.r2);
    expect(r2(f64(c.yTrue), f64(c.yTrue))).toBe(c.r2Perfect);
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(r2(f64([1]), f64([2]))).toBeNaN();
  });

  it('refuses mismatched lengths', () => {
    expect(() => meanSquaredError(f64([1, 2]), f64([1]))).toThrow(/yTrue has 2 values, yPred has 1/);
  });
});

describe('classification metrics', () => {
  it('accuracy and balanced accuracy match scikit-learn (incl. a predicted class absent from yTrue)', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    for (const c of [fx.multiclass, fx.binary]) {
      close(accuracy(f64(c.yTrue), f64(c.yPred)), c.accuracy);
      close(balancedAccuracy(f64(c.yTrue), f64(c.yPred)), c.balancedAccuracy);
    }
    expect(warn).toHaveBeenCalledWith('y_pred contains classes not in y_true', { type: 'UserWarning' });
  });

  it('f1 matches scikit-learn, including pos_label=1 with -1/1 labels and zero division', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { yTrue, yPred } = fx.binary;
    close(f1(f64(yTrue), f64(yPred)), fx.binary.f1);
    const pm = (a: number[]): Float64Array => f64(a.map((v) => (v === 1 ? 1 : -1)));
    close(f1(pm(yTrue), pm(yPred)), fx.binary.f1PlusMinus);
    expect(f1(new Float64Array(yTrue.length), new Float64Array(yTrue.length).fill(0))).toBe(fx.binary.f1AllNegative);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(f1(f64(yTrue), new Float64Array(yTrue.length))).toBe(fx.binary.f1NoPredictedPositive);
  });

  it('f1 refuses multiclass targets and a missing pos label', () => {
    expect(() => f1(f64([0, 1, 2]), f64([0, 1, 1]))).toThrow("Target is multiclass but average='binary'. Please choose another average setting, one of [None, 'micro', 'macro', 'weighted'].");
    expect(() => f1(f64([2, 3]), f64([3, 3]))).toThrow('pos_label=1 is not a valid label. It should be one of [2, 3]');
  });
});

describe('rocAuc', () => {
  const ties = fx['roc ties'];
  it('matches scikit-learn with tied scores, other label values and continuous scores', () => {
    close(rocAuc(f64(ties.yTrue), f64(ties.score)), ties.rocAuc);
    close(rocAuc(f64(ties.yTrue25), f64(ties.score)), ties.rocAuc25);
    close(rocAuc(f64(ties.yTrue), new Float64Array(ties.yTrue.length)), ties.allTied);
    const c = fx['roc continuous'];
    close(rocAuc(f64(c.yTrue), f64(c.score)), c.rocAuc);
  });

  it('handles infinite scores and refuses one-class or multiclass targets', () => {
    expect(rocAuc(f64([0, 1, 0, 1]), f64([-Infinity, Infinity, 0, 1]))).toBe(1);
    expect(() => rocAuc(f64([1, 1]), f64([0.2, 0.3]))).toThrow('Only one class present in y_true. ROC AUC score is not defined in that case.');
    expect(() => rocAuc(f64([0, 1, 2]), f64([0.2, 0.3, 0.1]))).toThrow('rocAuc: yTrue has 3 classes; multiclass ROC AUC needs probabilities (roc_auc_ovr, roc_auc_ovo)');
  });
});

describe('logLoss', () => {
  it('matches scikit-learn 1.2 (eps = machine epsilon clipping, rows renormalised)', () => {
    for (const key of ['log loss binary', 'log loss binary 1d', 'log loss multiclass']) {
      const c = fx[key];
      close(logLoss(f64(c.yTrue), f64(c.proba)), c.logLoss);
    }
    const e = fx['log loss explicit labels'];
    close(logLoss(f64(e.yTrue), f64(e.proba), f64(e.classes)), e.logLoss);
  });

  it('refuses shapes and labels that do not fit', () => {
    expect(() => logLoss(f64([0, 1]), f64([0.5, 0.5, 0.5]))).toThrow(/proba has 3 values, expected 2 rows x 2 classes = 4/);
    expect(() => logLoss(f64([1, 1]), f64([0.5, 0.5]))).toThrow(/only one label \(1\)/);
    expect(() => logLoss(f64([0, 3]), f64([0.5, 0.5, 0.5, 0.5]), f64([0, 1]))).toThrow(/yTrue\[1\] = 3 is not one of the classes \[0, 1\]/);
  });
});

describe('set-wise metrics (precision, recall, F, Jaccard)', () => {
  const scorerCases = (JSON.parse(readFileSync(new URL('../fixtures/search/scorers.json', import.meta.url), 'utf8')) as {
    cases: { name: string; y: number[]; predict: number[]; setwise?: Record<string, number | string> }[];
  }).cases.filter((c) => c.setwise);
  const metrics = { precision, recall, f1, jaccard } as const;

  it('match scikit-learn for every average with zero_division 0 and 1, and fbeta with beta 2', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    for (const c of scorerCases) {
      for (const [key, want] of Object.entries(c.setwise!)) {
        const [name, average, zd] = key.split(' ') as [string, Average, string | undefined];
        const call = (): number => (name === 'fbeta2'
          ? fbeta(f64(c.y), f64(c.predict), 2, { average })
          : metrics[name as keyof typeof metrics](f64(c.y), f64(c.predict), { average, zeroDivision: Number(zd) as 0 | 1 }));
        if (typeof want === 'string') expect(call, `${c.name} / ${key}`).toThrow();
        else expect(Math.abs(call() - want), `${c.name} / ${key}`).toBeLessThanOrEqual(TOL);
      }
    }
  });
});
