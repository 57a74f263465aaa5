import { expect, test } from 'vitest';
import { minimizeLbfgs, type Objective } from '../../src/models/lbfgs.js';

/** The Rosenbrock function in n dimensions: minimum 0 at (1, ..., 1). */
const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i]! * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

test('minimises Rosenbrock to the pgtol asked for', () => {
  const r = minimizeLbfgs(rosenbrock, new Float64Array(6).fill(-1.2), { maxIter: 1000, pgtol: 1e-9, ftol: 0 });
  expect(r.converged).toBe(true);
  expect(r.stop).toBe('pgtol');
  for (const v of r.x) expect(v).toBeCloseTo(1, 7);
});

test('stops on the relative decrease of f with scipy\'s default ftol', () => {
  const r = minimizeLbfgs(rosenbrock, new Float64Array(6).fill(-1.2), { maxIter: 1000, pgtol: 1e-14 });
  expect(r.stop).toBe('ftol');
  expect(r.f).toBeLessThan(1e-8);
});

test('starts from the given point and does not change it', () => {
  const x0 = new Float64Array(4).fill(1);
  const r = minimizeLbfgs(rosenbrock, x0, { maxIter: 10, pgtol: 1e-8 });
  expect(r.nIter).toBe(0);
  expect(r.stop).toBe('pgtol');
  const start = new Float64Array(4).fill(-1.2);
  minimizeLbfgs(rosenbrock, start, { maxIter: 3, pgtol: 1e-8 });
  expect([...start]).toEqual([-1.2, -1.2, -1.2, -1.2]);
});

test('reports hitting maxIter', () => {
  const r = minimizeLbfgs(rosenbrock, new Float64Array(6).fill(-1.2), { maxIter: 3, pgtol: 1e-12 });
  expect(r.nIter).toBe(3);
  expect(r.stop).toBe('maxIter');
  expect(r.converged).toBe(false);
});
