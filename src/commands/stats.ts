import { CaptureStats } from '../analysis/stats.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import {
  compileFilter,
  FilterCollector,
  filterErrorReport,
  isFilterError,
} from '../filter/index.js';
import { escapeTerminal } from '../output/escape.js';
import { colorLevel, makePalette } from '../output/palette.js';
import { statsJson, statsText } from '../output/stats.js';
import { OutputWriter } from '../output/writer.js';
import { captureErrorLine, EXIT_INPUT, EXIT_OK } from './exit.js';
import { inputFiles, progressFor } from './options.js';

export interface StatsArgs {
  files?: string[];
  r?: string[];
  json?: boolean;
  interval?: number;
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  filter?: string;
}

/** Reads every file and prints its statistics; returns the exit status (0, or 2 for bad input). */
export async function runStats(
  args: StatsArgs,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const files = inputFiles(args);
  if (files.length === 0) {
    stderr.write('igmpscope stats: no capture file given (try `igmpscope --help`)\n');
    return EXIT_INPUT;
  }
  const palette = makePalette(
    args.json
      ? 0
      : colorLevel({
          flag: args.color,
          env: process.env,
          isTTY: (stdout as NodeJS.WriteStream).isTTY === true,
        }),
  );
  let collector: FilterCollector | undefined;
  if (args.filter !== undefined) {
    const compiled = compileFilter(args.filter);
    if (isFilterError(compiled)) {
      for (const line of filterErrorReport('igmpscope', args.filter, compiled))
        stderr.write(escapeTerminal(line) + '\n');
      return EXIT_INPUT;
    }
    collector = new FilterCollector(compiled);
  }
  const out = new OutputWriter(stdout);
  let status = EXIT_OK;
  for (const file of files) {
    const stats = new CaptureStats(args.interval);
    const progress = progressFor(file, args);
    let inputBytes = 0;
    let framesRead = 0;
    try {
      const capture = readCapture(
        file,
        progress && { onProgress: (bytes) => (inputBytes = bytes) },
      );
      for await (const batch of capture) {
        for (const frame of batch) {
          if (!collector) {
            stats.frame(dissect(frame, { detail: false }));
            continue;
          }
          // With -Y, the statistics are of the frames it selects.
          collector.reset(frame);
          const d = dissect(frame, { out: collector });
          if (collector.test()) stats.frame(d);
        }
        framesRead += batch.length;
        progress?.update(inputBytes, framesRead);
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      progress?.done();
      stderr.write(captureErrorLine(file, error) + '\n');
      status = EXIT_INPUT;
    }
    progress?.done();
    out.line(args.json ? statsJson(file, stats) : statsText(file, stats, palette).trimEnd());
  }
  await out.end();
  return status;
}
