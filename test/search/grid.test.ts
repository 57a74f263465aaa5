import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gridCandidate, gridSize, parameterGrid, type ParamGrid } from '../../src/search/grid.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/search/grids.json', import.meta.url), 'utf8')) as {
  cases: { grid: ParamGrid | ParamGrid[]; candidates: Record<string, unknown>[] }[];
};

describe('parameterGrid', () => {
  it.each(fixtures.cases.map((c, i) => ({ ...c, i })))('matches scikit-learn\'s ParameterGrid order (case $i)', ({ grid, candidates }) => {
    const got = parameterGrid(grid);
    expect(got).toEqual(candidates);
    // Keys come out sorted too, so JSON and param_<name> columns read in a stable order.
    got.forEach((p, i) => expect(Object.keys(p)).toEqual(Object.keys(candidates[i]!)));
    expect(gridSize(grid)).toBe(candidates.length);
    candidates.forEach((c, i) => expect(gridCandidate(grid, i)).toEqual(c));
  });

  it('iterates the last sorted key fastest', () => {
    expect(parameterGrid({ b: [1, 2], a: ['x', 'y'] })).toEqual([
      { a: 'x', b: 1 }, { a: 'x', b: 2 }, { a: 'y', b: 1 }, { a: 'y', b: 2 },
    ]);
  });

  it('names the key at fault', () => {
    expect(() => parameterGrid({})).toThrow(/grid has no parameters/);
    expect(() => parameterGrid([])).toThrow(/grid is an empty list/);
    expect(() => parameterGrid({ alpha: [] })).toThrow(/grid.alpha must be a non-empty list of values, found \[\]/);
    expect(() => parameterGrid({ alpha: 0.1 as never })).toThrow(/grid.alpha must be a list of values, found 0.1 \(wrap a single value in a list\)/);
    expect(() => parameterGrid([{ a: [1] }, { tol: [1, [2]] }])).toThrow(
      /grid\[1\].tol\[1\] must be a finite number, a string, a boolean, null or an object of numbers \(class weights\), found \[2\]/);
    expect(() => parameterGrid({ classWeight: [{ 0: 1, 1: 'x' }] })).toThrow(/grid.classWeight\[0\].1 must be a finite number \(a weight per label\), found "x"/);
    expect(() => parameterGrid({ a: [NaN] })).toThrow(/grid.a\[0\] must be a finite number/);
    expect(() => parameterGrid([3 as never])).toThrow(/grid\[0\] must be an object of value lists, found 3/);
    expect(() => gridCandidate({ a: [1, 2] }, 2)).toThrow(/index 2 is out of range for 2 candidates/);
  });
});
