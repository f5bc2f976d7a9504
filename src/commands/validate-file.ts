import { verdict } from '../analysis/validate.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import { summaryJson, type FileReport } from '../output/findings.js';
import { segmentableHeader } from '../capture/segments.js';
import { captureErrorLine } from './exit.js';
import { frameValidator, type CheckResult, type FileSink, type WorkerJob } from './validate-job.js';
import { checkSegments } from './validate-segments.js';

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
