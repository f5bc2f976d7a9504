import type { RuleSetting, RuleTally } from '../analysis/validate.js';
import { CaptureValidator } from '../analysis/validate.js';
import type { CaptureError } from '../capture/frame.js';
import type { Severity } from '../fields.js';
import { findingJson, type FileReport } from '../output/findings.js';
import type { Progress } from '../output/progress.js';

/**
 * What checking a file needs and gives, in this thread or in a worker: below validate-file.ts
 * and validate-segments.ts, which both use it.
 */

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

/** What checking a whole capture came to, and where it was cut if it was. */
export interface CheckResult {
  totals: CheckTotals;
  cut: CaptureError | undefined;
}
