import type { RuleSetting, RuleTally } from '../analysis/validate.js';
import { CaptureValidator, verdict } from '../analysis/validate.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import type { Severity } from '../fields.js';
import { findingJson, summaryJson, type FileReport } from '../output/findings.js';
import type { Progress } from '../output/progress.js';
import { segmentableHeader } from '../capture/segments.js';
import { captureErrorLine } from './exit.js';
import { checkSegments } from './validate-segments.js';

export type Format = 'text' | 'json' | 'junit';

/** What checking one file needs: the same in this thread and in a worker. */
export interface WorkerJob {
  file: string;
  settings: ReadonlyMap<string, RuleSetting> | [string, RuleSetting][];
  failOn: Severity | 'never';
  format: Format;
  /** `--decode-as` requests, for worker threads to apply as this thread did. */
  decodeAs: readonly string[];
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
  igmpFrames: number;
  unfollowed: ReadonlyMap<string, number>;
  counts: Record<Severity, number>;
  tallies: ReadonlyMap<string, RuleTally>;
}

/** A validator that writes NDJSON finding lines as it finds them (for `--format json`). */
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

/**
 * Checks one capture: NDJSON findings go out as they are found; returns the file's report.
 * With `jobs` above 1, a classic pcap file is cut into segments that `jobs` threads read and
 * check at once (see validate-segments.ts); other inputs are read and checked here.
 */
export async function validateFile(
  file: string,
  job: Omit<WorkerJob, 'file'>,
  sink: FileSink,
  jobs = 1,
): Promise<FileReport> {
  const header = jobs > 1 ? await segmentableHeader(file) : undefined;
  const result = header
    ? await checkSegments(file, header, job, sink, jobs)
    : await checkHere(file, job, sink);
  const { totals, cut } = result;
  if (cut && job.format !== 'json') sink.error(captureErrorLine(file, cut));
  const report: FileReport = {
    file,
    frames: totals.frames,
    igmpFrames: totals.igmpFrames,
    unfollowed: totals.unfollowed,
    counts: totals.counts,
    tallies: totals.tallies,
    verdict: cut ? 'fail' : verdict(totals.counts, job.failOn),
    cut: cut && { offset: cut.offset, message: cut.message },
  };
  if (job.format === 'json') sink.line(summaryJson(report));
  return report;
}

/** What checking a whole capture came to, and where it was cut if it was. */
export interface CheckResult {
  totals: CheckTotals;
  cut: CaptureError | undefined;
}

/** Reads and checks the capture in this thread, batch by batch. */
async function checkHere(
  file: string,
  job: Omit<WorkerJob, 'file'>,
  sink: FileSink,
): Promise<CheckResult> {
  const validator = frameValidator(file, job, (text) => sink.line(text));
  let cut: CaptureError | undefined;
  let inputBytes = 0;
  let framesRead = 0;
  try {
    const capture = readCapture(
      file,
      sink.progress && { onProgress: (bytes) => (inputBytes = bytes) },
    );
    for await (const batch of capture) {
      for (const frame of batch) validator.frame(dissect(frame, { detail: false }));
      framesRead += batch.length;
      sink.progress?.update(inputBytes, framesRead);
      await sink.ready();
    }
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    cut = error;
  }
  validator.finish();
  return { totals: validator, cut };
}
