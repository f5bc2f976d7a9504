import type { RuleSetting, RuleTally } from '../analysis/validate.js';
import { CaptureValidator, verdict } from '../analysis/validate.js';
import { CaptureError, type Frame } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import type { Severity } from '../fields.js';
import { findingJson, summaryJson, type FileReport } from '../output/findings.js';
import type { Progress } from '../output/progress.js';
import { packFrames, transferList, type PackedFrames } from '../parallel/frames.js';
import { WorkerPool } from '../parallel/pool.js';
import { captureErrorLine } from './dissect.js';

export type Format = 'text' | 'json' | 'junit';

/** What checking one file needs: the same in this thread and in a worker. */
export interface WorkerJob {
  file: string;
  settings: ReadonlyMap<string, RuleSetting> | [string, RuleSetting][];
  failOn: Severity | 'never';
  format: Format;
}

/** Messages a worker sends back, in order: lines, error lines, then the report. */
export type WorkerMessage =
  | { kind: 'line'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'report'; report: FileReport };

export interface FileSink {
  line(text: string): void;
  error(text: string): void;
  ready(): Promise<void>;
  progress?: Progress;
}

/** What the checks of a whole capture add up to. */
export interface CheckTotals {
  frames: number;
  counts: Record<Severity, number>;
  tallies: ReadonlyMap<string, RuleTally>;
}

/** Runs the checks on the frames of one capture, batch by batch. */
interface FrameChecker {
  batch(frames: Frame[]): Promise<void>;
  finish(): Promise<CheckTotals>;
  close(): Promise<void>;
}

/** A validator that takes batches of frames and writes NDJSON finding lines as it finds them. */
export function frameValidator(
  file: string,
  job: Omit<WorkerJob, 'file'>,
  line: (text: string) => void,
): CaptureValidator {
  const settings = job.settings instanceof Map ? job.settings : new Map(job.settings);
  return new CaptureValidator(settings, (finding) => {
    if (job.format === 'json') line(findingJson(file, finding));
  });
}

/** The checks in this thread. */
class LocalChecker implements FrameChecker {
  private readonly validator: CaptureValidator;

  constructor(file: string, job: Omit<WorkerJob, 'file'>, sink: FileSink) {
    this.validator = frameValidator(file, job, (text) => sink.line(text));
  }

  async batch(frames: Frame[]): Promise<void> {
    for (const frame of frames) this.validator.frame(dissect(frame, { detail: false }));
  }

  async finish(): Promise<CheckTotals> {
    this.validator.finish();
    return this.validator;
  }

  async close(): Promise<void> {
    // Nothing to stop.
  }
}

/** A batch for the checking thread, or the end of the capture. */
export type CheckTask = { frames: PackedFrames } | { finish: true };

/** The finding lines of a batch, its arrays handed back, and at the end the totals. */
export interface CheckReply {
  lines: string[];
  frames?: PackedFrames;
  totals?: CheckTotals;
}

/**
 * The checks in a worker thread while this one reads: decoding and checking no longer wait
 * for the reading, so checking a large capture costs little more than reading it. One worker,
 * fed in order, holds the whole capture's validator state.
 */
class PipelinedChecker implements FrameChecker {
  private readonly pool: WorkerPool<CheckTask, CheckReply>;
  private readonly inFlight: Promise<CheckReply>[] = [];
  private readonly spare: PackedFrames[] = [];

  constructor(
    file: string,
    job: Omit<WorkerJob, 'file'>,
    private readonly sink: FileSink,
  ) {
    const data: WorkerJob = { ...job, file, settings: [...job.settings] };
    this.pool = new WorkerPool(new URL('./validate-frames-worker.js', import.meta.url), data, 1);
  }

  async batch(frames: Frame[]): Promise<void> {
    if (frames.length === 0) return;
    const packed = packFrames(frames, this.spare.pop());
    this.inFlight.push(this.pool.submit({ frames: packed }, transferList(packed)));
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.takeReply();
  }

  async finish(): Promise<CheckTotals> {
    this.inFlight.push(this.pool.submit({ finish: true }));
    let totals: CheckTotals | undefined;
    while (this.inFlight.length > 0) totals = (await this.takeReply()) ?? totals;
    if (!totals) throw new Error('the checking thread sent no totals');
    return totals;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async takeReply(): Promise<CheckTotals | undefined> {
    const reply = await this.inFlight.shift();
    if (!reply) return undefined;
    if (reply.frames) this.spare.push(reply.frames);
    for (const text of reply.lines) this.sink.line(text);
    await this.sink.ready();
    return reply.totals;
  }
}

const MAX_IN_FLIGHT = 4;

/**
 * Checks one capture: NDJSON findings go out as they are found; returns the file's report.
 * `pipelined` checks in a worker thread while this thread reads.
 */
export async function validateFile(
  file: string,
  job: Omit<WorkerJob, 'file'>,
  sink: FileSink,
  pipelined = false,
): Promise<FileReport> {
  const checker: FrameChecker = pipelined
    ? new PipelinedChecker(file, job, sink)
    : new LocalChecker(file, job, sink);
  let cut: FileReport['cut'];
  let inputBytes = 0;
  let framesRead = 0;
  let totals: CheckTotals;
  try {
    try {
      const capture = readCapture(
        file,
        sink.progress && { onProgress: (bytes) => (inputBytes = bytes) },
      );
      for await (const batch of capture) {
        await checker.batch(batch);
        framesRead += batch.length;
        sink.progress?.update(inputBytes, framesRead);
        await sink.ready();
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      cut = { offset: error.offset, message: error.message };
      if (job.format !== 'json') sink.error(captureErrorLine(file, error));
    }
    totals = await checker.finish();
  } finally {
    await checker.close();
  }
  const report: FileReport = {
    file,
    frames: totals.frames,
    counts: totals.counts,
    tallies: totals.tallies,
    verdict: cut ? 'fail' : verdict(totals.counts, job.failOn),
    cut,
  };
  if (job.format === 'json') sink.line(summaryJson(report));
  return report;
}
