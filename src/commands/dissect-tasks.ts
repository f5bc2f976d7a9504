import { CaptureError, faultOf, type CaptureFault, type Frame } from '../capture/frame.js';
import { pcapMagic } from '../capture/pcap.js';
import { readSegment, type CaptureSegment } from '../capture/segments.js';
import { ByteBuffer } from '../output/bytes.js';
import { FrameFormatter, type FormatOptions } from '../output/frame-format.js';
import { RelativeClock } from '../output/time.js';
import { transferList, unpackFrames, type PackedFrames } from '../parallel/frames.js';

type Origin = Pick<Frame, 'tsSec' | 'tsFrac' | 'tsDigits'>;

/**
 * Work for a worker: a batch of frames read by the main thread, or a segment of a pcap file
 * to read itself. Either comes with the capture's first timestamp and the file label, and an
 * output array the main thread is done with, to write the output into.
 */
export type DissectTask =
  | { frames: PackedFrames; origin: Origin; file?: string; spare?: Uint8Array }
  | {
      segment: CaptureSegment;
      /** The file to read, and its 24-byte header. */
      path: string;
      header: Uint8Array;
      file?: string;
      spare?: Uint8Array;
    };

/**
 * The task's output (the first `length` bytes of `output`), how many frames it printed, a
 * batch's own arrays handed back for the next batch, and the fault that ended a segment.
 */
export interface DissectResult {
  output: Uint8Array;
  length: number;
  printed: number;
  /** Frames a segment held (read by the worker). */
  read?: number;
  frames?: PackedFrames;
  fault?: CaptureFault;
}

/** A task's result and the arrays to transfer with it when it goes to another thread. */
export interface TaskOutput {
  result: DissectResult;
  transfer: ArrayBuffer[];
}

/**
 * Output bytes a task gathers in the formatter's slab before they are moved to its output
 * array. A task's output used to be gathered whole and copied once: up to 440 KB of the slab
 * (a -V segment) touched in each worker. Moved every 16 KiB, the slab stays in its first pages,
 * and two threads peak 2–3 MiB lower, as fast (4 runs, interleaved: -V 117–119 → 114–116 MiB
 * on 2M frames, 114–116 → 112–113 MiB on 200k; --json 115–120 → 112–118 MiB on 2M).
 */
const MOVE_OUTPUT_AT = 16 * 1024;

/**
 * Formats tasks of `dissect --jobs`: in a worker thread, or in the main thread when the
 * workers have enough in hand. One at a time (a formatter's byte buffer is shared).
 */
export class TaskFormatter {
  private readonly bytes = new ByteBuffer();
  private readonly formatter: FrameFormatter;
  /** The running task's output array, and how many of its bytes are written. */
  private output: Uint8Array | undefined;
  private outputLength = 0;

  constructor(options: FormatOptions) {
    this.formatter = new FrameFormatter(options, this.bytes);
  }

  run(task: DissectTask): TaskOutput | Promise<TaskOutput> {
    this.output = task.spare;
    this.outputLength = 0;
    return 'segment' in task ? this.segment(task) : this.batch(task);
  }

  private batch(task: Extract<DissectTask, { frames: PackedFrames }>): TaskOutput {
    const clock = new RelativeClock();
    clock.see(task.origin);
    let printed = 0;
    for (const frame of unpackFrames(task.frames)) {
      if (this.formatter.frame(frame, clock, task.file)) printed++;
      if (this.bytes.length >= MOVE_OUTPUT_AT) this.moveOutput();
    }
    const { output, length } = this.takeOutput();
    return {
      result: { output, length, printed, frames: task.frames },
      transfer: [output.buffer as ArrayBuffer, ...transferList(task.frames)],
    };
  }

  /** Reads a segment of the file through pcap-parser and formats its frames. */
  private async segment(
    task: Extract<DissectTask, { segment: CaptureSegment }>,
  ): Promise<TaskOutput> {
    const { segment, header } = task;
    const fileHeader = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
    const clock = new RelativeClock();
    if (segment.firstTime) {
      const [tsSec, tsFrac] = segment.firstTime;
      const tsDigits = pcapMagic(fileHeader.readUInt32BE(0))?.nanoseconds ? 9 : 6;
      clock.see({ tsSec, tsFrac, tsDigits });
    }
    let printed = 0;
    let read = 0;
    let fault: DissectResult['fault'];
    try {
      for await (const batch of readSegment(task.path, fileHeader, segment)) {
        read += batch.length;
        for (const frame of batch) {
          if (this.formatter.frame(frame, clock, task.file)) printed++;
          if (this.bytes.length >= MOVE_OUTPUT_AT) this.moveOutput();
        }
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      fault = faultOf(error);
    }
    const { output, length } = this.takeOutput();
    return {
      result: { output, length, printed, read, fault },
      transfer: [output.buffer as ArrayBuffer],
    };
  }

  /** Moves the bytes gathered in the slab to the task's output array. */
  private moveOutput(): void {
    const gathered = this.bytes.length;
    this.output = this.bytes.drainTo(this.output, this.outputLength);
    this.outputLength += gathered;
  }

  /** The task's whole output, and its length. */
  private takeOutput(): { output: Uint8Array; length: number } {
    this.moveOutput();
    const output = this.output as Uint8Array;
    const length = this.outputLength;
    this.output = undefined;
    this.outputLength = 0;
    return { output, length };
  }
}
