import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createProgress, memoryLine } from '../../src/run/progress.js';

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('progress', () => {
  it('prints plain lines at most every 2 s, and the last one', () => {
    const out = sink();
    const progress = createProgress('lines', out.stream);
    progress.start('grid search', 'r2', 8 * 2 ** 20);
    progress.update({ done: 1, total: 10, elapsed: 0.1 });
    progress.update({ done: 2, total: 10, elapsed: 0.5 });
    progress.update({
      done: 5, total: 10, elapsed: 2.2, bestScore: 0.91234,
      workers: [{ worker: 'h/9/1', host: 'h', datasetResident: 8 * 2 ** 20, heapUsed: 3 * 2 ** 20 }],
      hosts: [{ host: 'h', totalBytes: 64 * 2 ** 20, freeBytes: 32 * 2 ** 20 }],
    });
    progress.update({ done: 10, total: 10, elapsed: 3 });
    progress.stop();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\[grid search\] 1\/10 fits \(10%\), 0\.1 s, ETA 0\.9 s, best r2 - \| data 8\.0 MB mapped$/);
    expect(lines[1]).toContain('5/10 fits (50%), 2.2 s, ETA 2.2 s, best r2 0.9123 | data 8.0 MB | h: 8.0 MB resident, 32.0 MB of 64.0 MB free; own h/9/1 3.0 MB');
    expect(lines[2]).toMatch(/10\/10 fits \(100%\), 3\.0 s, best r2 -/);
  });

  it('is silent when quiet: nothing reaches its stream, stderr or stdout', () => {
    const out = sink();
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    const progress = createProgress('quiet', out.stream);
    progress.start('grid search', 'r2', 8 * 2 ** 20);
    progress.update({ done: 1, total: 1, elapsed: 3, bestScore: 0.5 });
    progress.log('a line the lines mode would print');
    progress.stop();
    expect(out.text()).toBe('');
    expect(stderr).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
  });

  it('shows, host by host, the dataset resident there, the host\'s free memory and each worker\'s own', () => {
    expect(memoryLine(2 ** 21, [
      { worker: 'a/1/1', host: 'a', datasetResident: 2 ** 20, heapUsed: 2 * 2 ** 20 },
      { worker: 'a/1/2', host: 'a', datasetResident: 2 ** 20, heapUsed: 4 * 2 ** 20 },
      { worker: 'gpu/1', host: 'b', datasetResident: 2 ** 21, heapUsed: 2 ** 20 },
    ], [{ host: 'a', totalBytes: 2 ** 30, freeBytes: 2 ** 29 }, { host: 'b', totalBytes: 2 ** 31, freeBytes: 2 ** 30 }])).toBe(
      'data 2.0 MB | a: 1.0 MB resident, 512.0 MB of 1024.0 MB free; own a/1/1 2.0 MB, a/1/2 4.0 MB | b: 2.0 MB resident, 1024.0 MB of 2048.0 MB free; own gpu/1 1.0 MB',
    );
  });
});
