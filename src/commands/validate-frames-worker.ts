import { parentPort, workerData } from 'node:worker_threads';
import { dissect } from '../dissect.js';
import { transferList, unpackFrames } from '../parallel/frames.js';
import type { PoolReply } from '../parallel/pool.js';
import {
  frameValidator,
  type CheckReply,
  type CheckTask,
  type WorkerJob,
} from './validate-file.js';

/** The checking thread of a pipelined `validate`: batches in capture order, findings back. */
const job = workerData as WorkerJob;
let lines: string[] = [];
const validator = frameValidator(job.file, job, (text) => lines.push(text));

parentPort?.on('message', ({ id, task }: { id: number; task: CheckTask }) => {
  let result: CheckReply;
  let transfer: ArrayBuffer[] = [];
  if ('frames' in task) {
    for (const frame of unpackFrames(task.frames))
      validator.frame(dissect(frame, { detail: false }));
    result = { lines, frames: task.frames };
    transfer = transferList(task.frames);
  } else {
    validator.finish();
    const { frames, counts, tallies } = validator;
    result = { lines, totals: { frames, counts, tallies } };
  }
  lines = [];
  const reply: PoolReply<CheckReply> = { id, result };
  parentPort?.postMessage(reply, transfer);
});
