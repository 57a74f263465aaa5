/**
 * What a worker reports about memory with each task result, as the seed notebook monitors
 * per engine and per cluster: the dataset bytes resident for it, its own heap and its
 * process's private bytes, and its host's total and available memory.
 *
 * The dataset figure asks the kernel (mincore) which pages of this worker's own mappings are
 * in memory, over the data bytes of each window only. Windows hold disjoint rows, so every
 * byte of the dataset is counted at most once, whatever other threads or processes map it:
 * the figure is never above the dataset's size. The pages are the host's page cache, shared
 * by every worker on the host, so workers of one host report about the same figure.
 */
import { readFileSync } from 'node:fs';
import { freemem, hostname, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { MappedArray } from '../data/ndarray.js';
import type { WorkerReport } from './protocol.js';

/** Re-measure at most this often. */
const MIN_INTERVAL_MS = 1000;
/**
 * At most this share of a worker's time goes to measuring: mincore asks the kernel about
 * every page of the dataset, about 65 ns a page (2.1 s for 32 GiB, once after every task
 * until this budget made B2 of the big-data benchmark CPU-bound on it).
 */
const MEASURE_BUDGET = 0.01;

let last: { key: string; nextAt: number; report: WorkerReport } | undefined;

/**
 * The name of this thread as a worker: `host/pid/thread`, or `name/thread` when the process
 * was given a name (`memgrid worker --name`).
 * @example
 * ```ts
 * workerName(); // 'node-3/41822/2'
 * ```
 */
export function workerName(name?: string): string {
  return `${name ?? `${hostname()}/${process.pid}`}/${threadId}`;
}

/**
 * This worker's memory, with `arrays` the dataset it maps (X and y of a store).
 * @example
 * ```ts
 * const report = workerMemory([store.X, store.y], 'gpu-box');
 * ```
 */
export function workerMemory(arrays: readonly MappedArray[], name?: string): WorkerReport {
  const key = arrays.map((a) => a.path).join('\u0000');
  const started = Date.now();
  if (last && last.key === key && started < last.nextAt) {
    return { ...last.report, heapUsed: getHeapStatistics().used_heap_size };
  }
  const host = hostMemory();
  const report: WorkerReport = {
    worker: workerName(name),
    host: hostname(),
    datasetResident: arrays.reduce((sum, a) => sum + a.residentBytes(), 0),
    heapUsed: getHeapStatistics().used_heap_size,
    privateBytes: processPrivateBytes(),
    hostTotalBytes: host.totalBytes,
    hostFreeBytes: host.freeBytes,
  };
  const cost = Date.now() - started;
  last = { key, nextAt: started + Math.max(MIN_INTERVAL_MS, cost / MEASURE_BUDGET), report };
  return report;
}

/**
 * This host's total memory and the memory available for new work without swapping
 * (`MemAvailable` of /proc/meminfo: free pages plus reclaimable page cache).
 * @example
 * ```ts
 * hostMemory(); // { totalBytes: 25_000_000_000, freeBytes: 21_000_000_000 }
 * ```
 */
export function hostMemory(): { totalBytes: number; freeBytes: number } {
  try {
    const text = readFileSync('/proc/meminfo', 'utf8');
    const total = /^MemTotal:\s+(\d+) kB/m.exec(text);
    const available = /^MemAvailable:\s+(\d+) kB/m.exec(text);
    if (total && available) return { totalBytes: Number(total[1]) * 1024, freeBytes: Number(available[1]) * 1024 };
  } catch {
    // Not Linux: Node's own figures below.
  }
  return { totalBytes: totalmem(), freeBytes: freemem() };
}

/**
 * Anonymous (private, not file-backed) resident bytes of this whole process, from
 * /proc/self/smaps_rollup: every thread's heap and buffers, none of the mapped dataset's
 * clean pages. Shared by the threads of one process; 0 where the file does not exist.
 */
export function processPrivateBytes(): number {
  try {
    const match = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
