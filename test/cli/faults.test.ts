/**
 * The memgrid binary under faults: two runs into one folder (real concurrent processes), a
 * journal edited by hand, failed fits, a full disk (a real tmpfs when root), and the store
 * commands. Every wait is on an event (a file appearing, a process exiting), never a sleep.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveNpy } from '../../src/data/npy.js';
import { makeRegression } from '../../src/data/synthetic.js';
import { CAN_MOUNT, mountSmallDisk } from '../helpers/small-disk.js';
import { waitFor } from '../helpers/wait.js';
import { memgrid, startMemgrid } from './memgrid.js';

const dir = mkdtempSync(join(tmpdir(), 'memgrid-cli-faults-'));
// Dataset stores go under the test folder, not the shared temp root.
process.env.TMPDIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, config: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(config, null, 2));
  return name;
}

const RIDGE = {
  data: { synthetic: { kind: 'regression', nSamples: 400, nFeatures: 6, noise: 5, seed: 3 } },
  model: { name: 'ridge' },
  grid: { alpha: [0.01, 1, 100], fitIntercept: [true, false] },
  cv: { folds: 3 },
};

const readLock = (out: string): { pid: number } | undefined => {
  try {
    return JSON.parse(readFileSync(join(out, '.memgrid.lock'), 'utf8')) as { pid: number };
  } catch {
    return undefined;
  }
};

describe('one run per output folder', () => {
  it('a second run into a folder in use is refused at once, naming the folder and the holder', async () => {
    writeConfig('lock.json', RIDGE);
    const out = join(dir, 'runs', 'locked');
    const first = startMemgrid(['run', 'lock.json', '--out', 'runs/locked', '--workers', '0', '--quiet'], dir);
    await waitFor(() => readLock(out) !== undefined, 20_000, 'the first run to take the lock');
    first.kill('SIGSTOP'); // hold the first run right there, lock held
    try {
      const second = memgrid(['run', 'lock.json', '--out', 'runs/locked', '--workers', '0', '--quiet'], dir);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`^memgrid: ${out} is in use by another memgrid run \\(pid ${first.pid} on \\S+ since \\S+: memgrid run lock\\.json\\); wait for it to finish or choose another --out\\n$`));
      const plot = memgrid(['plot', 'runs/locked'], dir);
      expect(plot.code).not.toBe(0);
    } finally {
      first.kill('SIGCONT');
    }
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect(existsSync(join(out, '.memgrid.lock'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).fits).toEqual({ total: 18, restored: 0 });
  });

  it('the lock of a run that was killed is stale and taken over', async () => {
    writeConfig('lock.json', RIDGE);
    const out = join(dir, 'runs', 'stale');
    const killed = startMemgrid(['run', 'lock.json', '--out', 'runs/stale', '--workers', '0', '--quiet'], dir);
    await waitFor(() => readLock(out) !== undefined, 20_000, 'the run to take the lock');
    killed.kill('SIGKILL');
    await killed.done;
    expect(readLock(out)?.pid).toBe(killed.pid);
    const next = memgrid(['run', 'lock.json', '--out', 'runs/stale', '--workers', '0', '--quiet'], dir);
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(join(out, '.memgrid.lock'))).toBe(false);
  });
});

describe('a .npy rewritten in place during a run', () => {
  it('is noticed at the end of the phase: the run fails naming the file, and writes no results', async () => {
    const { X, y } = makeRegression({ nSamples: 20_000, nFeatures: 5, noise: 1, seed: 4 });
    saveNpy(join(dir, 'X.npy'), X);
    saveNpy(join(dir, 'y.npy'), y);
    // MAE needs predictions: plain tasks, fits journaled one task at a time while the phase runs on.
    // 240 fits on 20,000 rows: the run is still fitting when the test stops it after the first
    // journaled task (with 400 rows it could finish between the test's look and its SIGSTOP).
    const alpha = Array.from({ length: 40 }, (_, i) => 10 ** (i / 8 - 2));
    writeConfig('inplace.json', { ...RIDGE, data: { X: 'X.npy', y: 'y.npy' }, grid: { alpha, fitIntercept: [true, false] }, scoring: 'neg_mean_absolute_error' });
    const out = join(dir, 'runs', 'inplace');
    const run = startMemgrid(['run', 'inplace.json', '--workers', '0', '--quiet'], dir);
    await waitFor(() => existsSync(join(out, 'journal.jsonl')) && readFileSync(join(out, 'journal.jsonl'), 'utf8').includes('"type":"fit"'), 20_000, 'the first fit');
    run.kill('SIGSTOP');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'X.npy'), later, later); // what an in-place rewrite does to the file's mtime
    run.kill('SIGCONT');
    const r = await run.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^memgrid: ${dir}/X\\.npy changed while a search was reading it \\(size 800128 and mtime \\d+ when the search began, 800128 and \\d+ now\\); its results cannot be trusted\\. Write a new file and rename it over the old one instead of rewriting it in place, then run again\\n$`));
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  });
});

describe('a journal is checked when it is read', () => {
  it('refuses to resume from a journal whose records were edited, naming the line and the field', () => {
    writeConfig('journal.json', RIDGE);
    const r = memgrid(['run', 'journal.json', '--workers', '0', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const path = join(dir, 'runs', 'journal', 'journal.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const edit = (line: number, from: RegExp, to: string): void => {
      const copy = [...lines];
      copy[line - 1] = copy[line - 1]!.replace(from, to);
      writeFileSync(path, `${copy.join('\n')}\n`);
    };
    edit(3, /"r2":[^,}]+/, '"r2":"abc"');
    const text = memgrid(['run', 'journal.json', '--workers', '0', '--quiet', '--resume'], dir);
    expect(text.code).toBe(2);
    expect(text.stderr).toBe(`memgrid: ${path}:3: record.test.r2 must be a number or null, found "abc"; the journal was changed by something other than memgrid: run without --resume to start over\n`);
    edit(2, /"r2":/, '"accuracy":');
    const key = memgrid(['run', 'journal.json', '--workers', '0', '--quiet', '--resume'], dir);
    expect(key.stderr).toBe(`memgrid: ${path}:2: record.test must hold the scores r2, found accuracy; the journal was changed by something other than memgrid: run without --resume to start over\n`);
  });
});

describe('failed fits are reported', () => {
  it('one line on stderr and the list in results.json fitErrors (scikit-learn\'s FitFailedWarning)', () => {
    // One member of class 1: the fold that holds it out trains on class 0 only and cannot fit.
    const rows = ['a,b,label', ...Array.from({ length: 20 }, (_, i) => `${(i * 0.1).toFixed(2)},${((i % 3) * 0.5).toFixed(2)},${i === 7 ? 1 : 0}`)];
    writeFileSync(join(dir, 'one.csv'), `${rows.join('\n')}\n`);
    writeConfig('failing.json', { data: { csv: 'one.csv', target: 'label' }, model: { name: 'logistic' }, grid: { C: [0.1, 1, 10] }, cv: { folds: 2 } });
    const r = memgrid(['run', 'failing.json', '--workers', '0', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const message = 'y has a single class (0) in the rows used: a classifier needs at least 2 classes';
    expect(r.stderr).toContain(`warning: 3 of 6 fits failed: ${message} (3 fits); see results.json fitErrors\n`);
    const results = JSON.parse(readFileSync(join(dir, 'runs', 'failing', 'results.json'), 'utf8')) as { fitErrors: { params: { C: number }; fold: number; message: string }[] };
    expect(results.fitErrors.map((e) => [e.params.C, e.fold, e.message])).toEqual([[0.1, 1, message], [1, 1, message], [10, 1, message]]);
  });
});

describe('text from files reaches the terminal escaped', () => {
  it('a crafted .npy header and file name print no control characters', () => {
    const text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), '\u001b]0;pwned\u0007': 1, }";
    const header = Buffer.alloc(10 + text.length);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(header);
    header.writeUInt16LE(text.length, 8);
    header.write(text, 10, 'latin1');
    const name = 'evil\u001b[2J\u009b.npy';
    writeFileSync(join(dir, name), header);
    const r = memgrid(['data', 'info', name], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`memgrid: ${dir}/evil\\x1b[2J\\x9b.npy: header keys: expected ['descr', 'fortran_order', 'shape'], found ['\\x1b]0;pwned\\x07', 'descr', 'fortran_order', 'shape']\n`);
  });
});

describe('memgrid store', () => {
  it('lists, verifies and prunes a store root given by flag or by MEMGRID_STORE_ROOT', () => {
    writeConfig('stored.json', RIDGE);
    const root = join(dir, 'my-stores');
    const r = memgrid(['run', 'stored.json', '--workers', '0', '--quiet', '--store-root', root], dir);
    expect(r.code, r.stderr).toBe(0);
    const list = memgrid(['store', 'list', '--store-root', root], dir);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^hash +size +last used +source\n[0-9a-f]{32} +\d+\.\d KB +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +in store\n1 store\(s\), \d+\.\d KB\n$/);
    const hash = /^([0-9a-f]{32})/m.exec(list.stdout.split('\n')[1]!)![1]!;
    expect(memgrid(['store', 'verify', '--store-root', root], dir).stdout).toBe(`ok   ${hash}\n1 store(s) verified\n`);

    const x = join(root, hash, 'X.npy');
    const bytes = readFileSync(x);
    bytes[300]! ^= 4;
    writeFileSync(x, bytes);
    const bad = memgrid(['store', 'verify', hash.slice(0, 8)], dir, 30_000, { MEMGRID_STORE_ROOT: root });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`^BAD  ${hash}\\n     X\\.npy has content hash [0-9a-f]{16}…, [0-9a-f]{16}… was written \\(and it was modified since\\)\\n$`));
    expect(bad.stderr).toBe('memgrid: 1 of 1 store(s) failed verification: a run on the same data rebuilds a store; `memgrid store prune --max-size 0` removes them all\n');

    const pruned = memgrid(['store', 'prune', '--max-size', '0', '--store-root', root], dir);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/removed 1 store\(s\) \(\d+\.\d KB\); kept 0\n$/);
    expect(readdirSync(root)).toEqual([]);
    expect(memgrid(['store', 'prune', '--older-than', 'soon', '--store-root', root], dir).stderr)
      .toBe('memgrid: --older-than must be a number with a unit s, m, h, d or w (e.g. 7d), found "soon"\n');
  });
});

describe.skipIf(!CAN_MOUNT)(`on a full disk (a real tmpfs)${CAN_MOUNT ? '' : ' (skipped: not root, no tmpfs can be mounted; test/data/atomic.test.ts and test/report/full-disk.test.ts inject the error instead)'}`, () => {
  it('plot and run fail naming the file, and every file of the run folder keeps its content', () => {
    const disk = mountSmallDisk(1024);
    try {
      writeConfig('disk.json', { ...RIDGE, learningCurve: { trainSizes: [0.5, 1] } });
      const out = join(disk.dir, 'run');
      const ok = memgrid(['run', 'disk.json', '--workers', '0', '--quiet', '--out', out], dir);
      expect(ok.code, ok.stderr).toBe(0);
      const files = ['results.json', 'cv_results.csv', 'report.html', 'journal.jsonl', 'plots/search_heatmap.svg', 'plots/learning_curve.svg'];
      const before = new Map(files.map((f) => [f, readFileSync(join(out, f))]));
      disk.fill(4096); // room for the lock file, not for a plot

      const plot = memgrid(['plot', out], dir);
      expect(plot.code).toBe(1);
      expect(plot.stderr).toMatch(new RegExp(`^memgrid: ${out}/plots/\\w+\\.svg: cannot write: no space left on the device \\(ENOSPC\\); the file was left as it was\\n$`));
      const run = memgrid(['run', 'disk.json', '--workers', '0', '--quiet', '--out', out], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`memgrid: ${out}/journal.jsonl: cannot write: no space left on the device (ENOSPC); the file was left as it was\n`);

      for (const [f, content] of before) expect(readFileSync(join(out, f)).equals(content), f).toBe(true);
      expect([...readdirSync(out), ...readdirSync(join(out, 'plots'))].filter((f) => f.endsWith('.tmp') || f.startsWith('.memgrid'))).toEqual([]);
    } finally {
      disk.close();
    }
  });
});
