import { parentPort } from 'node:worker_threads';
import { serveInTurn } from '../parallel/in-order.js';
import { applyDecodeAs } from '../layers/decode-as.js';
import { poolWorkerData } from '../parallel/pool.js';
import type { WorkerJob } from './validate-job.js';
import { checkSegment, type SegmentReply, type SegmentTask } from './validate-segments.js';

/** A worker of a segmented `validate`: reads and checks whole segments of one file. */
const job = poolWorkerData<WorkerJob>();
applyDecodeAs(job.decodeAs);
if (parentPort) {
  serveInTurn<SegmentTask, SegmentReply>(parentPort, async (task) => ({
    result: await checkSegment(job, task.header, task.segment),
    transfer: [],
  }));
}
