/**
 * How much of a worker's memory is the shared, mapped dataset and how much is its own, as
 * the seed notebook monitors per engine. Threads share their process's mappings, so the
 * dataset part is read from the process's /proc/self/smaps (Linux; 0 elsewhere).
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';

/** Memory one worker reports with its task results. */
export interface WorkerMemoryReport {
  readonly id: string;
  /** Resident bytes of mapped files under `storeDir` (and files it references) in this process. */
  readonly datasetResident: number;
  /** This thread's own JS heap in use. */
  readonly heapUsed: number;
}

/** Re-read smaps at most this often: parsing it costs about a millisecond. */
const SMAPS_INTERVAL_MS = 1000;
let lastRead = 0;
let lastValue = 0;
let lastKey = '';

/**
 * This worker's memory: its heap, and the resident bytes of mappings of `files`.
 * @example
 * ```ts
 * const report = workerMemory([store.X.path, store.y.path]);
 * ```
 */
export function workerMemory(files: readonly string[]): WorkerMemoryReport {
  const key = files.join('\u0000');
  const now = Date.now();
  if (key !== lastKey || now - lastRead > SMAPS_INTERVAL_MS) {
    lastValue = residentBytesOf(new Set(files));
    lastRead = now;
    lastKey = key;
  }
  return { id: `${process.pid}/${threadId}`, datasetResident: lastValue, heapUsed: getHeapStatistics().used_heap_size };
}

/** Σ Rss of this process's mappings whose file is one of `files`. */
export function residentBytesOf(files: ReadonlySet<string>): number {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return 0;
  }
  let total = 0;
  let counting = false;
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s+(.*)$/.exec(line);
    if (header) {
      counting = files.has(header[1]!);
      continue;
    }
    if (counting && line.startsWith('Rss:')) total += Number(/(\d+)/.exec(line)![1]) * 1024;
  }
  return total;
}
