// A `memgrid worker` process for tests, independent of the CLI: runs runRedisWorker from dist/
// with the JSON options in argv[2], prints "ready <name>" once connected and one line per event.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const options = JSON.parse(process.argv[2] ?? '{}');
const dist = resolve(import.meta.dirname, '../../dist/src/workers/redis-worker.js');
const { runRedisWorker } = await import(pathToFileURL(dist).href);
const worker = await runRedisWorker({ ...options, log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`ready ${worker.name}\n`);
await worker.closed;
