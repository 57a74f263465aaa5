import { appendFileSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withWriteCalls } from '../../src/data/atomic.js';
import { BestTracker } from '../../src/run/best.js';
import { canonicalJson, fitKeyHash, Journal, ResumeError } from '../../src/run/journal.js';
import type { FitKey } from '../../src/search/options.js';
import type { FitRecord } from '../../src/workers/protocol.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-journal-');
const fingerprint = { config: 'c1', data: 'd1' };
const key = (alpha: number, fold: number): FitKey => ({ data: 'd1', folds: 'f1', model: 'ridge', params: { alpha }, fold });
const record = (candidate: number, fold: number, r2: number): FitRecord => ({ candidate, fold, test: { r2 }, fitTime: 0.01, scoreTime: 0.001 });

describe('Journal', () => {
  it('restores appended fits, NaN scores included, on resume', () => {
    const path = join(dir, 'a.jsonl');
    const journal = Journal.create(path, fingerprint);
    journal.append('search', record(0, 0, 0.5), key(1, 0));
    journal.append('search', { ...record(1, 0, Number.NaN), error: 'NaN' }, key(10, 0));
    journal.close();
    const resumed = Journal.resume(path, fingerprint, 'hint');
    expect(resumed.restored).toBe(2);
    expect(resumed.lookup('search', key(1, 0))).toEqual(record(0, 0, 0.5));
    const failed = resumed.lookup('search', key(10, 0))!;
    expect(failed.test.r2).toBeNaN();
    expect(failed.error).toBe('NaN');
    // The same fit in another phase is another fit.
    expect(resumed.lookup('learningCurve', key(1, 0))).toBeUndefined();
    resumed.close();
  });

  it('drops a torn last line and keeps appending after it', () => {
    const path = join(dir, 'b.jsonl');
    const journal = Journal.create(path, fingerprint);
    journal.append('search', record(0, 0, 0.5), key(1, 0));
    journal.close();
    appendFileSync(path, '{"type":"fit","phase":"sea');
    const resumed = Journal.resume(path, fingerprint, 'hint');
    expect(resumed.restored).toBe(1);
    resumed.append('search', record(0, 1, 0.6), key(1, 1));
    resumed.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('refuses to resume with another config or other data, or without a journal', () => {
    const path = join(dir, 'c.jsonl');
    Journal.create(path, fingerprint).close();
    expect(() => Journal.resume(path, { config: 'c2', data: 'd1' }, 'start over')).toThrow(/cannot resume: the config changed since .*c\.jsonl was written; start over/);
    expect(() => Journal.resume(path, { config: 'c1', data: 'd2' }, 'x')).toThrow(/the data changed/);
    expect(() => Journal.resume(path, { config: 'c2', data: 'd2' }, 'x')).toThrow(/the config and the data changed/);
    expect(() => Journal.resume(join(dir, 'none.jsonl'), fingerprint, 'x')).toThrow(ResumeError);
  });

  it('checks every record it reads: scores keyed by the run\'s scorers, numbers or null', () => {
    const path = join(dir, 'd.jsonl');
    const journal = Journal.create(path, fingerprint);
    journal.append('search', record(0, 0, 0.5), key(1, 0));
    journal.append('learningCurve', { ...record(0, 0, 0.4), trainSize: 10 }, key(1, 0));
    journal.close();
    const shape = { scorers: (phase: string) => (phase === 'search' ? ['r2'] : ['neg_mean_squared_error']) };
    expect(() => Journal.resume(path, fingerprint, 'start over', shape))
      .toThrow(`${path}:3: record.test must hold the scores neg_mean_squared_error, found r2; the journal was changed by something other than memgrid: start over`);
    const text = readFileSync(path, 'utf8');
    const tamper = (from: string, to: string): void => writeFileSync(path, text.replace(from, to));
    tamper('"r2":0.5', '"r2":"abc"');
    expect(() => Journal.resume(path, fingerprint, 'x')).toThrow(`${path}:2: record.test.r2 must be a number or null, found "abc"; the journal was changed by something other than memgrid: x`);
    tamper('"r2":0.5', '"r2":null');
    expect(Journal.resume(path, fingerprint, 'x').lookup('search', key(1, 0))!.test.r2).toBeNaN();
    tamper('"phase":"search"', '"phase":"other"');
    expect(() => Journal.resume(path, fingerprint, 'x')).toThrow(/d\.jsonl:2: phase must be one of search, learningCurve, validationCurve, found "other"/);
    tamper('"candidate":0', '"candidate":-1');
    expect(() => Journal.resume(path, fingerprint, 'x')).toThrow(/d\.jsonl:2: record\.candidate must be an integer >= 0, found -1/);
  });

  it('keeps a halving fit\'s solution bit for bit and refuses one that is not an array of finite numbers', () => {
    const path = join(dir, 's.jsonl');
    const journal = Journal.create(path, fingerprint);
    const solution = [0.1 + 0.2, -1e-300, 123456.789, 5e-324];
    journal.append('search', { ...record(0, 0, 0.5), solution }, key(1, 0));
    journal.close();
    expect(Journal.resume(path, fingerprint, 'x').lookup('search', key(1, 0))!.solution).toEqual(solution);
    const text = readFileSync(path, 'utf8');
    for (const bad of ['[1,"2"]', '[1,null]', '{"0":1}', '"abc"']) {
      writeFileSync(path, text.replace(/"solution":\[[^\]]*\]/, `"solution":${bad}`));
      expect(() => Journal.resume(path, fingerprint, 'x')).toThrow(/s\.jsonl:2: record\.solution must be an array of finite numbers/);
    }
  });

  it('an append that fails leaves no torn line: the error names the journal and resume still reads it', () => {
    const path = join(dir, 'e.jsonl');
    const journal = Journal.create(path, fingerprint);
    journal.append('search', record(0, 0, 0.5), key(1, 0));
    let calls = 0;
    const fail = (fd: number, bytes: Uint8Array, offset: number, length: number): number => {
      if (calls++ === 0) return writeSync(fd, bytes, offset, Math.min(length, 20));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    expect(() => withWriteCalls({ writeSync: fail }, () => journal.append('search', record(0, 1, 0.6), key(1, 1))))
      .toThrow(`${path}: cannot write: no space left on the device (ENOSPC); the file was left as it was`);
    journal.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3); // header, one fit, and the final newline
    expect(Journal.resume(path, fingerprint, 'x').restored).toBe(1);
  });

  it('keys fits by a hash of canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    const a: FitKey = { data: 'd', folds: 'f', model: 'ridge', params: { alpha: 1, fitIntercept: true }, fold: 0 };
    const b: FitKey = { fold: 0, params: { fitIntercept: true, alpha: 1 }, model: 'ridge', folds: 'f', data: 'd' };
    expect(fitKeyHash('search', a)).toBe(fitKeyHash('search', b));
    expect(fitKeyHash('search', a)).not.toBe(fitKeyHash('search', { ...a, trainSize: 10 }));
  });
});

describe('BestTracker', () => {
  it('reports the best mean over candidates with every fold done', () => {
    const best = new BestTracker(2, 'r2');
    best.add(key(1, 0), record(0, 0, 0.9));
    expect(best.score).toBeUndefined();
    best.add(key(10, 0), record(1, 0, 0.2));
    best.add(key(10, 1), record(1, 1, 0.4));
    expect(best.score).toBeCloseTo(0.3, 12);
    best.add(key(1, 1), record(0, 1, 0.7));
    expect(best.score).toBeCloseTo(0.8, 12);
  });
});
