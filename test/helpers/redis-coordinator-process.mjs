// A coordinator process for queue tests: a RedisExecutor from dist/ that queues the tasks in
// argv[3] (JSON) with the options in argv[2] (JSON), prints "queued <n>" once Redis holds them
// all, and then waits (for the test to SIGKILL it, as a coordinator that dies).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const options = JSON.parse(process.argv[2] ?? '{}');
const tasks = JSON.parse(process.argv[3] ?? '[]');
const dist = resolve(import.meta.dirname, '../../dist/src/workers/redis-executor.js');
const { RedisExecutor } = await import(pathToFileURL(dist).href);
const { Queue } = await import('bullmq');
const executor = await RedisExecutor.connect(options);
for (const task of tasks) executor.run(task).catch(() => {});
const queue = new Queue(options.queueName, { connection: { host: '127.0.0.1', port: Number(new URL(options.url).port) } });
for (;;) {
  const counts = await queue.getJobCounts('waiting', 'active');
  if (counts.waiting + counts.active >= tasks.length) break;
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(`queued ${tasks.length}\n`);
await new Promise(() => {});
