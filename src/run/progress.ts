/**
 * Progress of a run: a cli-progress bar on a terminal, plain periodic lines otherwise
 * (logs, CI), nothing when quiet. Written to stderr so stdout carries only results.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../report/atomic.js';
import type { HostMemory, WorkerMemory } from '../search/options.js';

/** One progress update: fits done of total, seconds elapsed, best score so far, worker and host memory. */
export interface ProgressUpdate {
  readonly done: number;
  readonly total: number;
  readonly elapsed: number;
  readonly bestScore?: number;
  readonly workers?: readonly WorkerMemory[];
  readonly hosts?: readonly HostMemory[];
}

/** Where a run reports progress and notes. */
export interface ProgressSink {
  /** A phase begins (`search`, `learning curve`, ...); `metric` names the best score shown. */
  start(phase: string, metric: string, datasetBytes: number): void;
  update(progress: ProgressUpdate): void;
  /** The phase ended (or was interrupted). */
  stop(): void;
  /** A note for the user that must not tear the bar. */
  log(line: string): void;
}

/** How progress is shown: a bar, periodic lines, or not at all. */
export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** Seconds between plain progress lines. */
const LINE_INTERVAL_S = 2;



/**
 * The memory line, host by host: how much of the dataset is resident there (shared by its
 * workers), the host's available and total memory, and each worker's own heap.
 * @example
 * ```ts
 * memoryLine(8e6, [{ worker: 'a/7/1', host: 'a', datasetResident: 8e6, heapUsed: 1.2e7 }], [{ host: 'a', totalBytes: 2 ** 34, freeBytes: 2 ** 33 }]);
 * // 'data 7.6 MB | a: 7.6 MB resident, 8192.0 MB of 16384.0 MB free; own a/7/1 11.4 MB'
 * ```
 */
export function memoryLine(datasetBytes: number, workers: readonly WorkerMemory[] | undefined, hosts: readonly HostMemory[] = []): string {
  if (!workers || workers.length === 0) return `data ${formatBytes(datasetBytes)} mapped`;
  const names = [...new Set(workers.map((w) => w.host))];
  const parts = names.map((name) => {
    const mine = workers.filter((w) => w.host === name);
    const host = hosts.find((h) => h.host === name);
    const free = host ? `, ${formatBytes(host.freeBytes)} of ${formatBytes(host.totalBytes)} free` : '';
    const resident = Math.max(...mine.map((w) => w.datasetResident));
    return `${name}: ${formatBytes(resident)} resident${free}; own ${mine.map((w) => `${w.worker} ${formatBytes(w.heapUsed)}`).join(', ')}`;
  });
  return [`data ${formatBytes(datasetBytes)}`, ...parts].join(' | ');
}

function bestText(metric: string, best: number | undefined): string {
  return best === undefined || !Number.isFinite(best) ? `best ${metric} -` : `best ${metric} ${best.toFixed(4)}`;
}

/**
 * A progress sink for `mode` writing to `stream`.
 * @example
 * ```ts
 * const progress = createProgress(process.stderr.isTTY ? 'bar' : 'lines');
 * ```
 */
export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  if (mode === 'quiet') return { start() {}, update() {}, stop() {}, log() {} };
  return mode === 'bar' ? new BarProgress(stream) : new LineProgress(stream);
}

/** The terminal bar. */
class BarProgress implements ProgressSink {
  private bar: cliProgress.SingleBar | undefined;
  private metric = 'score';
  private datasetBytes = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(phase: string, metric: string, datasetBytes: number): void {
    this.stop();
    this.metric = metric;
    this.datasetBytes = datasetBytes;
    this.bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: `${phase.padEnd(14)} {bar} {value}/{total} fits | {duration_formatted} | ETA {eta_formatted} | {best} | {memory}`,
      hideCursor: true, barsize: 24, etaBuffer: 50, fps: 5,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(1, 0, { best: bestText(metric, undefined), memory: memoryLine(datasetBytes, undefined) });
  }

  update(p: ProgressUpdate): void {
    if (!this.bar) return;
    this.bar.setTotal(p.total);
    this.bar.update(p.done, { best: bestText(this.metric, p.bestScore), memory: memoryLine(this.datasetBytes, p.workers, p.hosts) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  log(line: string): void {
    // cli-progress redraws on the current line: clear it, print, and let the next update redraw.
    this.stream.write(`\r\x1b[K${line}\n`);
  }
}

/** Plain lines, at most one every LINE_INTERVAL_S seconds plus the last one. */
class LineProgress implements ProgressSink {
  private phase = '';
  private metric = 'score';
  private datasetBytes = 0;
  private lastPrinted = -Infinity;
  private last: ProgressUpdate | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(phase: string, metric: string, datasetBytes: number): void {
    this.phase = phase;
    this.metric = metric;
    this.datasetBytes = datasetBytes;
    this.lastPrinted = -Infinity;
    this.last = undefined;
  }

  update(p: ProgressUpdate): void {
    this.last = p;
    if (p.elapsed - this.lastPrinted < LINE_INTERVAL_S && p.done < p.total) return;
    this.print(p);
  }

  stop(): void {
    if (this.last && this.last.elapsed !== this.lastPrinted) this.print(this.last);
    this.last = undefined;
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  private print(p: ProgressUpdate): void {
    this.lastPrinted = p.elapsed;
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
    const eta = p.done > 0 && p.done < p.total ? `, ETA ${((p.elapsed * (p.total - p.done)) / p.done).toFixed(1)} s` : '';
    this.stream.write(`[${this.phase}] ${p.done}/${p.total} fits (${pct}%), ${p.elapsed.toFixed(1)} s${eta}, `
      + `${bestText(this.metric, p.bestScore)} | ${memoryLine(this.datasetBytes, p.workers, p.hosts)}\n`);
  }
}
