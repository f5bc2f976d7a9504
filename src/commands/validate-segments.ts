import { CaptureError } from '../capture/frame.js';
import { asCaptureError } from '../capture/open.js';
import { planSegments, segmentBytes, type CaptureSegment } from '../capture/segments.js';
import type { ValidatorPart } from '../analysis/validate.js';
import { WorkerPool } from '../parallel/pool.js';
import {
  frameValidator,
  type CheckResult,
  type FileSink,
  type WorkerJob,
} from './validate-file.js';

/** One segment for a worker to read and check, with the file header it needs to read it. */
export interface SegmentTask {
  header: Uint8Array;
  segment: CaptureSegment;
}

/** A checked segment: its finding lines, what it tallied, and the fault that ended it, if any. */
export interface SegmentReply {
  lines: string[];
  part: ValidatorPart;
  fault?: { message: string; offset: number; kind: CaptureError['kind'] };
}

/**
 * Input bytes per segment. Small enough that the findings of the segments in flight stay a
 * few MB, large enough that handing one over (~0.1 ms) is lost in its reading (~25k frames).
 */
const SEGMENT_BYTES = 2 * 1024 * 1024;

/**
 * Checks a classic pcap file in `jobs` worker threads at once: this thread cuts it into
 * segments at record boundaries (planSegments), each worker reads its segments through
 * pcap-parser and checks their frames, and the replies are taken in file order, so the findings,
 * tallies and end-of-capture notes are the same as when one thread checks the whole file.
 * Checking costs about as much as reading, so with the reading split as well, two threads take
 * about half the time of one.
 */
export async function checkSegments(
  file: string,
  header: Buffer,
  job: Omit<WorkerJob, 'file'>,
  sink: FileSink,
  jobs: number,
): Promise<CheckResult> {
  const whole = frameValidator(file, job, (text) => sink.line(text));
  const data: WorkerJob = { ...job, file, settings: [...job.settings] };
  const pool = new WorkerPool<SegmentTask, SegmentReply>(
    new URL('./validate-segment-worker.js', import.meta.url),
    data,
    jobs,
  );
  const inFlight: { segment: CaptureSegment; reply: Promise<SegmentReply> }[] = [];
  let cut: CaptureError | undefined;
  /** Takes the oldest reply; false once a fault has ended the capture. */
  const takeReply = async (): Promise<boolean> => {
    const next = inFlight.shift();
    if (!next) return true;
    const reply = await next.reply;
    for (const text of reply.lines) sink.line(text);
    whole.absorb(reply.part);
    sink.progress?.update(next.segment.end, whole.frames);
    await sink.ready();
    if (reply.fault === undefined) return true;
    cut = new CaptureError(reply.fault.message, reply.fault.offset, reply.fault.kind);
    return false;
  };
  try {
    planning: for await (const segment of planSegments(file, header, segmentBytes(SEGMENT_BYTES))) {
      inFlight.push({ segment, reply: pool.submit({ header, segment }) });
      while (inFlight.length >= jobs * 3) if (!(await takeReply())) break planning;
    }
    while (cut === undefined && inFlight.length > 0) await takeReply();
  } catch (error) {
    const fault = asCaptureError(error, 0, 0);
    if (!(fault instanceof CaptureError)) throw fault;
    cut ??= fault;
  } finally {
    await pool.close();
  }
  whole.finish();
  return { totals: whole, cut };
}
