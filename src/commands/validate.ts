import { loadConfig, parseRuleArgs, UsageError } from '../analysis/config.js';
import { RULES } from '../analysis/rules.js';
import type { RuleSetting } from '../analysis/validate.js';
import type { Severity } from '../fields.js';
import { fileReportText, type FileReport } from '../output/findings.js';
import { junitXml } from '../output/junit.js';
import { colorLevel, makePalette } from '../output/palette.js';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OutputWriter } from '../output/writer.js';
import { WORKER_LIMITS } from '../parallel/pool.js';

import { validateFile } from './validate-file.js';
import type { WorkerJob, WorkerMessage } from './validate-job.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from './exit.js';
import { decodeAsRequests, inputFiles, progressFor } from './options.js';

export interface ValidateArgs {
  jobs?: number;
  files?: string[];
  r?: string[];
  failOn?: Severity | 'never';
  format?: 'text' | 'json' | 'junit';
  rule?: string | string[];
  config?: string;
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  decodeAs?: string | string[];
}

/** Checks every file; returns the worst exit status (0 pass, 1 findings, 2 input or usage). */
export async function runValidate(
  args: ValidateArgs,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  let settings: Map<string, RuleSetting>;
  let failOn: Severity | 'never';
  try {
    const config = loadConfig(args.config);
    settings = parseRuleArgs(([] as string[]).concat(args.rule ?? []), config.rules);
    failOn = args.failOn ?? config.failOn ?? 'error';
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`igmpscope validate: ${error.message}\n`);
    return EXIT_INPUT;
  }
  const files = inputFiles(args);
  if (files.length === 0) {
    stderr.write('igmpscope validate: no capture file given\n');
    return EXIT_INPUT;
  }
  const format = args.format ?? 'text';
  const palette = makePalette(
    format === 'text'
      ? colorLevel({
          flag: args.color,
          env: process.env,
          isTTY: (stdout as NodeJS.WriteStream).isTTY === true,
        })
      : 0,
  );
  const severityOf = (rule: string): Severity => {
    const s = settings.get(rule);
    return s === undefined || s === 'off' ? (RULES.get(rule)?.severity ?? 'note') : s;
  };
  const out = new OutputWriter(stdout);
  const jobs = args.jobs ?? autoJobs(files);
  const decodeAs = decodeAsRequests(args);
  const reports =
    jobs > 1 && files.length > 1
      ? await validateInWorkers(
          files,
          { settings: [...settings], failOn, format, decodeAs },
          jobs,
          out,
          stderr,
        )
      : await validateInTurn(
          files,
          { settings, failOn, format, decodeAs },
          args,
          out,
          stderr,
          jobs,
        );
  let status = EXIT_OK;
  for (const report of reports) {
    if (format === 'text') out.line(fileReportText(report, severityOf, failOn, palette));
    if (report.cut) status = EXIT_INPUT;
    else if (report.verdict === 'fail') status = Math.max(status, EXIT_FINDINGS);
  }
  if (format === 'junit') {
    const checked = [...RULES.values()].filter((r) => settings.get(r.id) !== 'off');
    out.line(junitXml(reports, checked, severityOf, failOn).trimEnd());
  }
  await out.end();
  return status;
}

/**
 * Several files of 16 MiB or more in all are worth a second thread (a worker costs ~50 ms to
 * start). One file stays in this thread unless asked: on the 1M-frame benchmark file its two
 * threads gained nothing and took peak memory past 128 MB; they gain from about 2M frames on
 * (README).
 */
function autoJobs(files: readonly string[]): number {
  if (files.length < 2 || files.includes('-')) return 1;
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(file).size;
    } catch {
      // An unreadable file is reported when its turn comes.
    }
  }
  return total >= 16 * 1024 * 1024 ? Math.min(2, availableParallelism()) : 1;
}

/**
 * One file after the other, from this thread (with a progress line where it is wanted); with
 * `jobs` above 1, each pcap file's segments are checked in that many worker threads.
 */
async function validateInTurn(
  files: readonly string[],
  job: Omit<WorkerJob, 'file'>,
  quietness: { quiet?: boolean; progress?: boolean },
  out: OutputWriter,
  stderr: NodeJS.WritableStream,
  jobs: number,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const file of files) {
    const progress = progressFor(file, quietness);
    reports.push(
      await validateFile(
        file,
        job,
        {
          line: (text) => out.line(text),
          error: (text) => {
            progress?.done();
            stderr.write(text + '\n');
          },
          ready: () => out.ready(),
          progress,
        },
        jobs,
      ),
    );
    progress?.done();
  }
  return reports;
}

/**
 * Files in worker threads, `jobs` at a time. Output stays in file order: the first unfinished
 * file's lines are written as they come, the later files' lines wait until their turn.
 */
async function validateInWorkers(
  files: readonly string[],
  job: Omit<WorkerJob, 'file'>,
  jobs: number,
  out: OutputWriter,
  stderr: NodeJS.WritableStream,
): Promise<FileReport[]> {
  const pending = files.map(() => ({
    lines: [] as WorkerMessage[],
    report: undefined as FileReport | undefined,
  }));
  let head = 0;
  const flush = (): void => {
    while (head < files.length) {
      const slot = pending[head];
      for (const m of slot.lines) {
        if (m.kind === 'line') out.line(m.text);
        else if (m.kind === 'error') stderr.write(m.text + '\n');
      }
      slot.lines = [];
      if (!slot.report) return;
      head++;
    }
  };
  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const workerData: WorkerJob = { ...job, file: files[index] };
      await new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./validate-worker.js', import.meta.url), {
          workerData,
          resourceLimits: WORKER_LIMITS,
        });
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'report') pending[index].report = m.report;
          else pending[index].lines.push(m);
          if (index === head) flush();
        });
        worker.on('error', reject);
        worker.on('exit', () =>
          pending[index].report
            ? resolve()
            : reject(new Error(`worker for ${files[index]} ended early`)),
        );
      });
    }
  };
  await Promise.all(Array.from({ length: jobs }, runOne));
  flush();
  return pending.map((p) => p.report as FileReport);
}
