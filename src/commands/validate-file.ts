import type { RuleSetting } from '../analysis/validate.js';
import { CaptureValidator, verdict } from '../analysis/validate.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import type { Severity } from '../fields.js';
import { findingJson, summaryJson, type FileReport } from '../output/findings.js';
import type { Progress } from '../output/progress.js';
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

/** Checks one capture: NDJSON findings go out as they are found; returns the file's report. */
export async function validateFile(
  file: string,
  job: Omit<WorkerJob, 'file'>,
  sink: FileSink,
): Promise<FileReport> {
  const settings = job.settings instanceof Map ? job.settings : new Map(job.settings);
  const validator = new CaptureValidator(settings, (finding) => {
    if (job.format === 'json') sink.line(findingJson(file, finding));
  });
  let cut: FileReport['cut'];
  let inputBytes = 0;
  try {
    const capture = readCapture(
      file,
      sink.progress && { onProgress: (bytes) => (inputBytes = bytes) },
    );
    for await (const batch of capture) {
      for (const frame of batch) validator.frame(dissect(frame, { detail: false }));
      sink.progress?.update(inputBytes, validator.frames);
      await sink.ready();
    }
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    cut = { offset: error.offset, message: error.message };
    if (job.format !== 'json') sink.error(captureErrorLine(file, error));
  }
  validator.finish();
  const report: FileReport = {
    file,
    frames: validator.frames,
    counts: validator.counts,
    tallies: validator.tallies,
    verdict: cut ? 'fail' : verdict(validator.counts, job.failOn),
    cut,
  };
  if (job.format === 'json') sink.line(summaryJson(report));
  return report;
}
