import { parentPort, workerData } from 'node:worker_threads';
import { CaptureError } from '../capture/frame.js';
import { readSegment } from '../capture/segments.js';
import { dissect } from '../dissect.js';
import type { PoolReply } from '../parallel/pool.js';
import { frameValidator, type WorkerJob } from './validate-file.js';
import type { SegmentReply, SegmentTask } from './validate-segments.js';

/** A worker of a segmented `validate`: reads and checks whole segments of one file. */
const job = workerData as WorkerJob;

/**
 * Segments are checked one after the other, in the order they came: run side by side, the
 * first one's answer, which the main thread waits for, would come only when both were done.
 */
let queue = Promise.resolve();
parentPort?.on('message', ({ id, task }: { id: number; task: SegmentTask }) => {
  queue = queue
    .then(() => checkSegment(task))
    .then((result) => {
      const reply: PoolReply<SegmentReply> = { id, result };
      parentPort?.postMessage(reply);
    });
});

async function checkSegment({ header, segment }: SegmentTask): Promise<SegmentReply> {
  const lines: string[] = [];
  const validator = frameValidator(job.file, job, (text) => lines.push(text));
  const fileHeader = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  try {
    for await (const batch of readSegment(job.file, fileHeader, segment)) {
      for (const frame of batch) validator.frame(dissect(frame, { detail: false }));
    }
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    const { message, offset, kind } = error;
    return { lines, part: validator.part(), fault: { message, offset, kind } };
  }
  return { lines, part: validator.part() };
}
