/** The Redis queue's pure parts: message encoding, URLs, and what a worker refuses. No Redis needed. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import type { TaskMessage } from '../../src/workers/protocol.js';
import { decodeMessage, encodeMessage } from '../../src/workers/redis-codec.js';
import { redactUrl, redisOptions } from '../../src/workers/redis-connection.js';
import { checkTaskMessage } from '../../src/workers/redis-validate.js';

const TASK: TaskMessage = {
  kind: 'cv', store: '/data/stores/abc', foldSet: 'f0a1', model: { name: 'logistic', params: { maxIter: 50 } },
  scoring: ['accuracy', 'neg_log_loss'], returnTrainScore: true, errorScore: Number.NaN,
  candidates: [{ id: 0, params: { C: 0.5 } }, { id: 3, params: { C: 2, fitIntercept: false } }], folds: [1], trainSize: 40,
};

describe('message encoding', () => {
  it('round-trips tasks and results, keeping NaN and infinities that JSON would turn into null', () => {
    expect(decodeMessage(encodeMessage(TASK))).toEqual(TASK);
    const result = { records: [{ candidate: 1, fold: 0, test: { r2: Number.NaN, mse: Number.POSITIVE_INFINITY }, train: { r2: Number.NEGATIVE_INFINITY }, fitTime: 0.5, scoreTime: 0, error: 'singular' }] };
    expect(decodeMessage(encodeMessage(result))).toEqual(result);
  });

  it('sends Float64Arrays (ridge statistics) bit for bit', () => {
    const stats = new Float64Array([1.5, -0, Number.NaN, Number.MAX_VALUE, 5e-324, -Infinity, 0.1 + 0.2]);
    const back = decodeMessage(encodeMessage({ records: [], stats })) as { stats: Float64Array };
    expect(back.stats).toBeInstanceOf(Float64Array);
    expect(new Uint8Array(back.stats.buffer)).toEqual(new Uint8Array(stats.buffer));
    expect(() => encodeMessage({ rows: new Int32Array(2) })).toThrow(/cannot send Int32Array 'rows' through the queue/);
  });

  it('leaves look-alike objects and strings alone, and names the message in errors', () => {
    const value = { a: { $num: 'NaN', other: 1 }, b: 'NaN', c: { $num: 'nope' } };
    expect(decodeMessage(encodeMessage(value))).toEqual(value);
    expect(() => decodeMessage('{oops', 'job 7')).toThrow(/job 7: not valid JSON/);
    expect(() => decodeMessage(42, 'job 7')).toThrow(/job 7: expected JSON text, found number/);
  });
});

describe('redis URLs', () => {
  it('passes password, user, database and TLS through to ioredis', () => {
    expect(redisOptions('redis://127.0.0.1:6390')).toMatchObject({ host: '127.0.0.1', port: 6390 });
    const secure = redisOptions('rediss://worker:p%40ss@queue.example:6380/3');
    expect(secure).toMatchObject({ host: 'queue.example', port: 6380, username: 'worker', password: 'p@ss', db: 3, tls: { servername: 'queue.example' } });
    expect(redisOptions('redis://[::1]')).toMatchObject({ host: '::1', port: 6379 });
  });

  it('refuses other URLs and hides passwords in messages', () => {
    expect(() => redisOptions('http://host:6379')).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    expect(() => redisOptions('localhost:6379')).toThrow(ValueError);
    expect(() => redisOptions('redis://host/x')).toThrow(/database must be a number, found '\/x'/);
    expect(redactUrl('redis://:hunter2@host:6379')).toBe('redis://:***@host:6379');
    expect(redactUrl('rediss://u:hunter2@host')).not.toContain('hunter2');
  });
});

describe('checkTaskMessage', () => {
  it('accepts a well-formed task', () => {
    expect(checkTaskMessage(TASK, { scorers: ['accuracy', 'neg_log_loss'] })).toEqual(TASK);
  });

  it.each([
    ['an unknown kind', { ...TASK, kind: 'shell' }, /unknown task kind "shell"; known kinds: cv, ridge-stats/],
    ['an unknown model', { ...TASK, model: { name: 'eval', params: {} } }, /unknown model "eval"/],
    ['an unknown param', { ...TASK, candidates: [{ id: 0, params: { require: 'fs' } }] }, /require/],
    ['a bad param value', { ...TASK, candidates: [{ id: 0, params: { C: -1 } }] }, /C must be a finite number > 0, found -1/],
    ['an object param', { ...TASK, model: { name: 'ridge', params: { alpha: { toString: 1 } } } }, /ridge param alpha must be a finite number >= 0, found {"toString":1}/],
    ['a class weight with a text label', { ...TASK, candidates: [{ id: 0, params: { classWeight: { yes: 1 } } }] }, /classWeight has label "yes", which is not a number/],
    ['a nested object param', { ...TASK, candidates: [{ id: 0, params: { classWeight: { 0: { a: 1 } } } }] }, /candidates\.0\.params\.classWeight/],
    ['an extra field', { ...TASK, code: 'process.exit()' }, /message: Unrecognized key: "code"|code/],
    ['a fold-set path', { ...TASK, foldSet: '../../etc' }, /foldSet: must be a plain fold-set id/],
    ['a scorer name with code', { ...TASK, scoring: ['r2;rm'] }, /scoring\.0: must be a scorer name/],
    ['a negative fold', { ...TASK, folds: [-1] }, /folds\.0/],
    ['not an object', 'cv', /unknown task kind/],
  ])('refuses %s', (_what, message, pattern) => {
    expect(() => checkTaskMessage(message)).toThrow(/^refused task: /);
    expect(() => checkTaskMessage(message)).toThrow(pattern);
  });

  it('accepts a ridge-stats task and refuses a reversed row range', () => {
    const stats = {
      kind: 'ridge-stats', store: '/s/abc', foldSet: 'f1', model: { name: 'ridge', params: { alpha: 1 } }, scoring: ['r2'],
      returnTrainScore: false, errorScore: Number.NaN, rowStart: 0, rowEnd: 100, cutoffs: [10, 50], shift: [0.5, -1], yShift: 2,
    };
    expect(checkTaskMessage(stats)).toEqual(stats);
    expect(() => checkTaskMessage({ ...stats, rowStart: 200 })).toThrow(/refused task: rowEnd: rowEnd must be >= rowStart/);
    expect(() => checkTaskMessage({ ...stats, candidates: [] })).toThrow(/refused task/);
  });

  it('accepts a logistic-path task with a warm start and refuses a start that is not numbers', () => {
    const path = {
      kind: 'logistic-path', store: '/s/abc', foldSet: 'f1', model: { name: 'logistic', params: { C: 1 } }, scoring: ['accuracy'],
      returnTrainScore: false, errorScore: Number.NaN, candidates: [{ id: 0, params: { C: 2 } }], fold: 1, start: [0.5, -1, 2], keepSolutions: true,
      keepCurvatures: true,
    };
    expect(checkTaskMessage(path)).toEqual(path);
    expect(() => checkTaskMessage({ ...path, start: [1, 'x'] })).toThrow(/refused task: start\.1/);
    expect(() => checkTaskMessage({ ...path, start: [Number.POSITIVE_INFINITY] })).toThrow(/refused task: start\.0/);
    expect(() => checkTaskMessage({ ...path, keepSolutions: 'yes' })).toThrow(/refused task: keepSolutions/);
    expect(() => checkTaskMessage({ ...path, keepCurvatures: 1 })).toThrow(/refused task: keepCurvatures/);
  });

  it('checks scorer names against the allowed list when given', () => {
    expect(() => checkTaskMessage(TASK, { scorers: ['accuracy'] })).toThrow(/unknown scoring 'neg_log_loss'; known: accuracy/);
  });
});

describe('checkTaskMessage: pipelines, fit params and custom scorers', () => {
  const temp = mkdtempSync(join(tmpdir(), 'memgrid-validate-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const allowed = join(temp, 'scorers');
  mkdirSync(allowed);
  writeFileSync(join(allowed, 'within.mjs'), 'export function within(y, p) { return 1; }\n');
  writeFileSync(join(temp, 'elsewhere.mjs'), 'export function within(y, p) { return 1; }\n');
  const PIPE: TaskMessage = {
    kind: 'cv', store: '/data/stores/abc', foldSet: 'f0a1', fitParams: ['ridge__sampleWeight'],
    model: {
      name: 'pipeline', params: { standardscaler__withMean: true, standardscaler__withStd: true, ridge__alpha: 1, ridge__fitIntercept: true },
      steps: [{ name: 'standardscaler', kind: 'standard_scaler' }, { name: 'ridge', kind: 'ridge' }],
    },
    scoring: ['r2', 'within'], scorers: { within: { kind: 'module', url: pathToFileURL(join(allowed, 'within.mjs')).href, export: 'within' } },
    returnTrainScore: false, errorScore: Number.NaN, candidates: [{ id: 0, params: { ridge__alpha: 3 } }], folds: [0],
  };
  const policy = { scorers: ['r2'], scorerDirs: [allowed] };

  it('accepts a pipeline task with routed weights and a module scorer inside an allowed folder', () => {
    expect(checkTaskMessage(PIPE, policy)).toEqual(PIPE);
  });

  it.each([
    ['an unknown step kind', { ...PIPE, model: { ...PIPE.model, steps: [{ name: 'x', kind: 'shell' }] } }, 'refused task: model.steps.0.kind: '],
    ['a step param the step lacks', { ...PIPE, candidates: [{ id: 0, params: { ridge__C: 1 } }] }, 'refused task: ridge: unknown param "C"'],
    ['a fit param other than weights', { ...PIPE, fitParams: ['groups'] }, 'refused task: fitParams.0: must be sampleWeight or <step>__sampleWeight'],
    ['an inline scorer', { ...PIPE, scorers: { within: { kind: 'inline', id: 'inline-0' } } }, 'refused task: scorers.within.kind: must be a built-in or module scorer (inline scorers never leave their thread)'],
    ['a renamed unknown built-in', { ...PIPE, scorers: { within: { kind: 'builtin', name: 'accuracy' } } }, "refused task: unknown scoring 'accuracy'; known: r2"],
  ])('refuses %s', (_what, message, text) => {
    expect(() => checkTaskMessage(message, policy)).toThrow(text);
  });

  it('refuses scorer modules outside the allowed folders, missing ones, and all of them when none is allowed', () => {
    const outside = { ...PIPE, scorers: { within: { kind: 'module', url: pathToFileURL(join(temp, 'elsewhere.mjs')).href, export: 'within' } } };
    expect(() => checkTaskMessage(outside, policy)).toThrow(
      `refused task: scorers.within: scorer module ${join(temp, 'elsewhere.mjs')} is outside the worker's scorer folders (${allowed})`,
    );
    const sneaky = { ...PIPE, scorers: { within: { kind: 'module', url: pathToFileURL(join(allowed, '..', 'elsewhere.mjs')).href, export: 'within' } } };
    expect(() => checkTaskMessage(sneaky, policy)).toThrow('is outside the worker\'s scorer folders');
    const missing = { ...PIPE, scorers: { within: { kind: 'module', url: pathToFileURL(join(allowed, 'nope.mjs')).href, export: 'within' } } };
    expect(() => checkTaskMessage(missing, policy)).toThrow(`refused task: scorers.within: scorer module ${pathToFileURL(join(allowed, 'nope.mjs')).href} is not on this worker`);
    expect(() => checkTaskMessage(PIPE, { scorers: ['r2'] })).toThrow(
      'refused task: scorers.within: this worker takes no scorer modules; start it with --scorer-dir <folder> to allow the modules in that folder',
    );
  });
});
