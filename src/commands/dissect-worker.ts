import { parentPort, workerData } from 'node:worker_threads';
import type { Frame } from '../capture/frame.js';
import { ByteBuffer } from '../output/bytes.js';
import { FrameFormatter, type FormatOptions } from '../output/frame-format.js';
import { RelativeClock } from '../output/time.js';
import { transferList, unpackFrames, type PackedFrames } from '../parallel/frames.js';
import type { PoolReply } from '../parallel/pool.js';

/** One batch for a worker: its frames, the capture's first timestamp and the file label. */
export interface DissectTask {
  frames: PackedFrames;
  origin: Pick<Frame, 'tsSec' | 'tsFrac' | 'tsDigits'>;
  file?: string;
  /** An output array the main thread is done with, to write this batch's output into. */
  spare?: Uint8Array;
}

/**
 * The batch's output (the first `length` bytes of `output`), how many frames it printed, and
 * the batch's own arrays handed back for the next batch.
 */
export interface DissectResult {
  output: Uint8Array;
  length: number;
  printed: number;
  frames: PackedFrames;
}

/** A worker thread of `dissect --jobs`: formats the batches it is given, one at a time. */
const bytes = new ByteBuffer();
const formatter = new FrameFormatter(workerData as FormatOptions, bytes);

parentPort?.on('message', ({ id, task }: { id: number; task: DissectTask }) => {
  const clock = new RelativeClock();
  clock.see(task.origin);
  let printed = 0;
  for (const frame of unpackFrames(task.frames)) {
    if (formatter.frame(frame, clock, task.file)) printed++;
  }
  const { output, length } = bytes.moveTo(task.spare);
  const reply: PoolReply<DissectResult> = {
    id,
    result: { output, length, printed, frames: task.frames },
  };
  parentPort?.postMessage(reply, [output.buffer as ArrayBuffer, ...transferList(task.frames)]);
});
