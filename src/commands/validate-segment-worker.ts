import { parentPort, workerData } from 'node:worker_threads';
import type { PoolReply } from '../parallel/pool.js';
import type { WorkerJob } from './validate-file.js';
import { checkSegment, type SegmentReply, type SegmentTask } from './validate-segments.js';

/** A worker of a segmented `validate`: reads and checks whole segments of one file. */
const job = workerData as WorkerJob;

/**
 * Segments are checked one after the other, in the order they came: run side by side, the
 * first one's answer, which the main thread waits for, would come only when both were done.
 */
let queue = Promise.resolve();
parentPort?.on('message', ({ id, task }: { id: number; task: SegmentTask }) => {
  queue = queue
    .then(() => checkSegment(job, task.header, task.segment))
    .then((result) => {
      const reply: PoolReply<SegmentReply> = { id, result };
      parentPort?.postMessage(reply);
    });
});
