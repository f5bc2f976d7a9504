import { parentPort, workerData } from 'node:worker_threads';
import type { FormatOptions } from '../output/frame-format.js';
import type { PoolReply } from '../parallel/pool.js';
import { TaskFormatter, type DissectResult, type DissectTask } from './dissect-tasks.js';

/** A worker thread of `dissect --jobs`: formats what it is given, one task after the other. */
const formatter = new TaskFormatter(workerData as FormatOptions);

let queue = Promise.resolve();
parentPort?.on('message', ({ id, task }: { id: number; task: DissectTask }) => {
  queue = queue
    .then(() => formatter.run(task))
    .then(({ result, transfer }) => {
      const reply: PoolReply<DissectResult> = { id, result };
      parentPort?.postMessage(reply, transfer);
    });
});
