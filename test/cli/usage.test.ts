/** The memgrid binary: help, version, usage errors and every bad-config case (exit 2, key path on stderr). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { memgrid } from './memgrid.js';

const dir = tempDir('memgrid-cli-usage-');
writeFileSync(join(dir, 'table.csv'), 'age,bmi,price\n1,2,3\n4,5,6\n');

const synthetic = { synthetic: { kind: 'regression', nSamples: 100, nFeatures: 3, seed: 0 } };

function runConfig(name: string, config: unknown): ReturnType<typeof memgrid> {
  writeFileSync(join(dir, name), JSON.stringify(config));
  return memgrid(['run', name], dir);
}

/** No stack trace: no "    at file:line" frames. */
const STACK = /^\s+at /m;

describe('memgrid --help and --version', () => {
  it('prints help with examples for every command', () => {
    const top = memgrid(['--help'], dir);
    expect(top.code).toBe(0);
    for (const cmd of ['run <config>', 'data <command>', 'plot <rundir>', 'worker']) expect(top.stdout).toContain(`memgrid ${cmd}`);
    // Each subcommand's help is built the same way; a sample keeps the test quick.
    for (const args of [['run', '--help'], ['data', 'make', '--help'], ['plot', '--help']]) {
      const r = memgrid(args, dir);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Examples:');
    }
  });

  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = memgrid(['--version'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('exits 2 with one line for bad usage', () => {
    for (const [args, line] of [
      [['frobnicate'], 'memgrid: Unknown argument: frobnicate (see memgrid --help)'],
      [['run', 'x.json', '--workers', '-1'], 'memgrid: --workers must be an integer >= 0, found -1'],
      [['data', 'make', 'regression', '--samples', '10'], 'memgrid: Missing required arguments: features, out (see memgrid --help)'],
    ] as const) {
      const r = memgrid(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`${line}\n`);
    }
  });
});

describe('memgrid run with a bad config', () => {
  it('lists every problem with its key path and exits 2, without a stack trace', () => {
    const r = runConfig('many.json', {
      data: synthetic, modle: {}, model: { name: 'ridge', params: { alpha: -1 } },
      grid: { alpha: [1, -2], alhpa: [1] }, cv: { folds: 1 }, scoring: 'acuracy', returnTrainScore: 'yes',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`memgrid: ${join(dir, 'many.json')}: invalid config (7 problems)`);
    for (const line of [
      'modle: unknown key (did you mean "model"?)',
      'model.params.alpha: must be a finite number >= 0, found -1',
      'grid.alpha[1]: must be a finite number >= 0, found -2',
      'grid.alhpa: unknown ridge param (did you mean "alpha"?)',
      'cv.folds: must be >= 2, found 1',
      'scoring: unknown scorer "acuracy" (did you mean "accuracy"?)',
      'returnTrainScore: must be true or false, found "yes"',
    ]) expect(r.stderr).toContain(line);
    expect(r.stderr).not.toMatch(STACK);
  });

  it.each([
    ['C <= 0', { data: synthetic, model: { name: 'logistic', params: { C: -0.5 } }, grid: { tol: [0.001] } }, 'model.params.C: must be a finite number > 0, found -0.5'],
    ['a missing data file', { data: { X: 'nope.npy', y: 'nope.npy' }, model: { name: 'ridge' }, grid: { alpha: [1] } }, `data.X: file not found: ${join(dir, 'nope.npy')}`],
    ['a target not in the CSV', { data: { csv: 'table.csv', target: 'prize' }, model: { name: 'ridge' }, grid: { alpha: [1] } }, 'data.target: column "prize" is not in the header'],
  ])('exits 2 for %s', (_what, config, expected) => {
    const r = runConfig('case.json', config);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('names a missing config file and a JSON syntax error by file, line and column', () => {
    const missing = memgrid(['run', 'missing.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`memgrid: ${join(dir, 'missing.json')}: cannot read the config (no such file)`);
    writeFileSync(join(dir, 'broken.json'), '{\n  "name": "x",,\n}');
    const broken = memgrid(['run', 'broken.json'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^memgrid: ${join(dir, 'broken.json')}:2:\\d+: not valid JSON`));
  });

  it('prints the stack with --debug', () => {
    const r = memgrid(['run', 'missing.json', '--debug'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(STACK);
  });
});
