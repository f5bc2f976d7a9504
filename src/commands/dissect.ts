import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CaptureError, errorOf, type Frame } from '../capture/frame.js';
import { asCaptureError, readCapture } from '../capture/open.js';
import { CaptureWriteError, CaptureWriter, type CaptureFormat } from '../capture/write.js';
import { escapeTerminal } from '../output/escape.js';
import {
  looksSegmentable,
  planSegments,
  segmentableHeader,
  segmentBytes,
} from '../capture/segments.js';
import { FrameFormatter, type FormatOptions, type OutputMode } from '../output/frame-format.js';
import { RelativeClock, type TimeFormat } from '../output/time.js';
import type { Progress } from '../output/progress.js';
import { OutputWriter } from '../output/writer.js';
import { unknownFields, type FieldsOptions } from '../output/fields-out.js';
import { packFrames, transferList, type PackedFrames } from '../parallel/frames.js';
import { InOrder } from '../parallel/in-order.js';
import { WorkerPool, WORKER_LIMITS } from '../parallel/pool.js';

import type { DissectResult, DissectTask } from './dissect-tasks.js';
import { captureErrorLine, EXIT_INPUT, EXIT_OK } from './exit.js';
import { decodeAsRequests, inputFiles, progressFor, statsInterval } from './options.js';
import { CaptureStats } from '../analysis/stats.js';
import { compileFilter, filterErrorReport, isFilterError } from '../filter/index.js';
import { colorLevel, makePalette, type Palette } from '../output/palette.js';
import { statsText } from '../output/stats.js';

export interface DissectArgs {
  files?: string[];
  r?: string[];
  verbose?: boolean;
  json?: boolean;
  count?: number;
  all?: boolean;
  lineBuffered?: boolean;
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  jobs?: number;
  decodeAs?: string | string[];
  timeFormat?: TimeFormat;
  hex?: boolean;
  printSummary?: boolean;
  write?: string;
  z?: string | string[];
  filter?: string;
  captureFormat?: CaptureFormat;
  T?: 'fields' | 'json' | 'text';
  e?: string | string[];
  E?: string | string[];
}

/** Where the batches of frames read go: formatted here, or in worker threads. */
interface BatchPrinter {
  /** Prints a batch; false once no more frames are wanted (-c reached, reader gone). */
  batch(frames: Frame[], clock: RelativeClock, file?: string): Promise<boolean>;
  /** Writes out everything handed over so far (before an error line, at the end). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Formats each frame in this thread, as it comes. */
class SerialPrinter implements BatchPrinter {
  private readonly formatter: FrameFormatter;
  private printed = 0;
  /** `-z`: the statistics of the file being read, printed when it ends. */
  private stats: CaptureStats | undefined;
  private statsFile = '';
  /** Which input the frames come from (each file has its clock), for -w's interfaces. */
  private source = -1;
  private lastClock: RelativeClock | undefined;

  constructor(
    options: FormatOptions,
    private readonly out: OutputWriter,
    private readonly limit: number,
    private readonly capture?: CaptureWriter,
    private readonly statsWanted?: { interval: number | undefined; palette: Palette },
  ) {
    this.formatter = new FrameFormatter(options, out.bytes);
  }

  async batch(frames: Frame[], clock: RelativeClock, file?: string): Promise<boolean> {
    if (clock !== this.lastClock) {
      this.printStats();
      this.lastClock = clock;
      this.source++;
      if (this.statsWanted) this.stats = new CaptureStats(this.statsWanted.interval);
      this.statsFile = file ?? '';
    }
    const formatter = this.formatter;
    for (const frame of frames) {
      const wanted = formatter.frame(frame, clock, file);
      // With -Y, statistics are of the frames that pass; without, of every frame read.
      if (this.stats && formatter.last && (wanted || !formatter.filtered))
        this.stats.frame(formatter.last);
      if (!wanted) continue;
      this.capture?.write(frame, this.source);
      this.out.frameDone();
      if (++this.printed >= this.limit) return false;
    }
    await this.out.ready();
    return !this.out.closed;
  }

  async drain(): Promise<void> {
    this.printStats();
    await this.out.end();
  }

  async close(): Promise<void> {
    this.capture?.close();
  }

  /** The tables of the file just read (tshark prints -z statistics after the frames). */
  private printStats(): void {
    if (!this.stats || !this.statsWanted) return;
    this.out.line(statsText(this.statsFile, this.stats, this.statsWanted.palette).trimEnd());
    this.stats = undefined;
  }
}

/**
 * Formats in `jobs` worker threads and writes their outputs in input order, with a bounded
 * number of tasks in flight so memory stays flat. A classic pcap file is cut into segments
 * that each worker reads itself; other inputs are read here and handed over in batches. This
 * thread formats nothing: it plans, hands out and writes. (When it formatted a task whenever
 * the workers had two each in hand, its young generation grew to 32 MiB under -V's allocation,
 * and two threads peaked at 136–141 MiB on 2M frames; with two workers, each young generation
 * held to 12 MiB (WORKER_LIMITS), they peak at 120–124 MiB and are as fast or faster: 6.3 s
 * against 7.1–8.1 s for --json on 2M frames, 10.7–12.5 s against 11.4–12.6 s for -V.) The
 * arrays that carry batches and outputs go back and forth and are reused, so memory does not
 * grow with the capture.
 */
class ParallelPrinter implements BatchPrinter {
  private readonly pool: WorkerPool<DissectTask, DissectResult>;
  private readonly tasks: InOrder<DissectTask, DissectResult, number>;
  private readonly maxInFlight: number;
  private readonly spareFrames: PackedFrames[] = [];
  private readonly spareOutputs: Uint8Array[] = [];

  constructor(
    private readonly options: FormatOptions,
    jobs: number,
    private readonly out: OutputWriter,
  ) {
    this.pool = new WorkerPool(
      new URL('./dissect-worker.js', import.meta.url),
      options,
      jobs,
      WORKER_LIMITS,
    );
    this.tasks = new InOrder(this.pool);
    this.maxInFlight = 3 * jobs;
  }

  async batch(frames: Frame[], clock: RelativeClock, file?: string): Promise<boolean> {
    const origin = clock.origin;
    if (frames.length === 0 || !origin) return !this.out.closed;
    const packed = packFrames(frames, this.spareFrames.pop());
    await this.start({ frames: packed, origin, file, spare: this.spareOutputs.pop() }, 0);
    return !this.out.closed;
  }

  /**
   * Prints a pcap file segment by segment (see capture/segments.ts); returns the fault that
   * ended it, if any, once the frames before it are written.
   */
  async segments(
    path: string,
    header: Buffer,
    file: string | undefined,
    progress: Progress | undefined,
  ): Promise<CaptureError | undefined> {
    // The earlier file's batches first, so that each result below is one of this file's segments.
    while (this.tasks.length > 0 && !this.out.closed) await this.writeOldest();
    let fault: CaptureError | undefined;
    let framesRead = 0;
    this.onWritten = (result, end) => {
      framesRead += result.read ?? 0;
      progress?.update(end, framesRead);
      if (result.fault) fault ??= errorOf(result.fault);
    };
    try {
      const target = segmentBytes(SEGMENT_BYTES[this.options.mode]);
      for await (const segment of planSegments(path, header, target)) {
        const spare = this.spareOutputs.pop();
        await this.start({ segment, path, header, file, spare }, segment.end);
        if (fault || this.out.closed) break;
      }
      while (this.tasks.length > 0 && !this.out.closed && !fault) await this.writeOldest();
    } catch (error) {
      const asFault = asCaptureError(error, 0, 0);
      if (!(asFault instanceof CaptureError)) throw asFault;
      fault ??= asFault;
    } finally {
      this.onWritten = undefined;
    }
    // Segments after a fault are not the file's any more: what they printed is dropped.
    this.tasks.clear();
    return fault;
  }

  async drain(): Promise<void> {
    while (this.tasks.length > 0 && !this.out.closed) await this.writeOldest();
    await this.out.end();
  }

  async close(): Promise<void> {
    this.tasks.clear();
    await this.pool.close();
  }

  /** Called for each result written while a file's segments are printed. */
  private onWritten: ((result: DissectResult, end: number) => void) | undefined;

  /** Hands a task out (see InOrder), then writes what is ready, in order. */
  private async start(task: DissectTask, end: number): Promise<void> {
    const transfer = 'frames' in task ? transferList(task.frames) : [];
    if (task.spare) transfer.push(task.spare.buffer as ArrayBuffer);
    this.tasks.add(task, end, transfer);
    while (!this.out.closed && (this.tasks.ready || this.tasks.length >= this.maxInFlight)) {
      const failed = await this.writeOldest();
      if (failed) break;
    }
  }

  /** Writes the oldest task's output; true when it ended its file with a fault. */
  private async writeOldest(): Promise<boolean> {
    const next = await this.tasks.take();
    if (!next) return false;
    const { result, meta: end } = next;
    const { output, length, frames } = result;
    if (frames) this.spareFrames.push(frames);
    this.out.chunk(output.subarray(0, length), () => this.spareOutputs.push(output));
    this.onWritten?.(result, end);
    await this.out.ready();
    return result.fault !== undefined;
  }
}

/**
 * Input bytes per segment, by output mode: each segment's output is held whole until its turn,
 * so a segment is sized to give a few hundred KB of output (the benchmark's frames take ~85
 * bytes of input and give ~100 bytes of summary, ~1 KB of NDJSON, ~2.3 KB of -V). Larger
 * segments were no faster, and each MB of output held cost more than a MB of peak memory.
 */
const SEGMENT_BYTES: Record<OutputMode, number> = {
  summary: 64 * 1024,
  json: 32 * 1024,
  tree: 16 * 1024,
  fields: 64 * 1024,
  none: 256 * 1024,
};

/**
 * Threads for the run: as asked with --jobs; by default two for 16 MiB of input or more in
 * several files, or in one classic pcap file for --json and -V: two threads reading its
 * segments format it about 1.3 times as fast, and stay under 128 MB because the segments are
 * small (see SEGMENT_BYTES). Its summary lines, cheap to format, gain nothing; nor does a
 * pcapng or gzip file, read here and formatted in batches, for 60 MB more memory. -c and -l
 * want frames one at a time in this thread.
 */
function dissectJobs(args: DissectArgs, files: readonly string[], mode: OutputMode): number {
  // A delta to the frame before (-t d, dd) needs the frames in one thread, in order.
  const deltas = args.timeFormat === 'd' || args.timeFormat === 'dd';
  if (args.count !== undefined || args.lineBuffered || deltas) return 1;
  if (args.jobs !== undefined) return args.jobs;
  if (files.includes('-') || availableParallelism() < 2) return 1;
  // One file gains from a second thread only when the threads read its segments themselves.
  if (files.length < 2 && (mode === 'summary' || !looksSegmentable(files[0]))) return 1;
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(file).size;
    } catch {
      // An unreadable file is reported when its turn comes.
    }
  }
  return total >= PARALLEL_FROM_BYTES ? 2 : 1;
}

/** Below this much input the workers' start-up (~50 ms each) costs more than they give. */
const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;

/** Reads every file in turn and prints its frames; returns the exit status (0 or 2). */
export async function runDissect(
  args: DissectArgs,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const files = inputFiles(args);
  if (files.length === 0) {
    stderr.write('igmpscope: no capture file given (try: igmpscope FILE, or igmpscope --help)\n');
    return EXIT_INPUT;
  }
  // With -w the frames go to the file, and are printed only when asked (-P, -V, --json).
  const silent = args.quiet || (args.write !== undefined && !args.printSummary);
  const fieldNames = ([] as string[]).concat(args.e ?? []);
  const fieldColumns = args.T === 'fields';
  const mode: OutputMode =
    args.json || args.T === 'json'
      ? 'json'
      : args.verbose
        ? 'tree'
        : silent
          ? 'none'
          : fieldColumns
            ? 'fields'
            : 'summary';
  let fields: FieldsOptions | undefined;
  if (fieldColumns) {
    const parsed = fieldsOptions(fieldNames, ([] as string[]).concat(args.E ?? []));
    if (typeof parsed === 'string') {
      stderr.write(`igmpscope: ${escapeTerminal(parsed)} (try \`igmpscope --help\`)\n`);
      return EXIT_INPUT;
    }
    fields = parsed;
  }
  if (args.filter !== undefined) {
    const compiled = compileFilter(args.filter);
    if (isFilterError(compiled)) {
      for (const line of filterErrorReport('igmpscope', args.filter, compiled))
        stderr.write(escapeTerminal(line) + '\n');
      return EXIT_INPUT;
    }
  }
  const options: FormatOptions = {
    mode,
    all: args.all === true,
    decodeAs: decodeAsRequests(args),
    timeFormat: args.timeFormat ?? 'r',
    filter: args.filter,
    fields,
    hexDump: !args.hex ? 'none' : args.verbose || args.printSummary ? 'after' : 'only',
    colorLevel:
      mode === 'json'
        ? 0
        : colorLevel({
            flag: args.color,
            env: process.env,
            isTTY: (stdout as NodeJS.WriteStream).isTTY === true,
          }),
  };
  const out = new OutputWriter(stdout, args.lineBuffered === true);
  let capture: CaptureWriter | undefined;
  if (args.write !== undefined) {
    try {
      capture = new CaptureWriter(
        args.write === '-' ? 1 : args.write,
        args.captureFormat ?? 'pcapng',
      );
    } catch (error) {
      stderr.write(
        `igmpscope: cannot write "${escapeTerminal(args.write)}": ${escapeTerminal((error as Error).message)}\n`,
      );
      return EXIT_INPUT;
    }
  }
  const statsRequests = ([] as string[]).concat(args.z ?? []);
  const statsWanted =
    statsRequests.length > 0
      ? {
          interval:
            statsRequests.map(statsInterval).find((i) => typeof i === 'number') ?? undefined,
          palette: makePalette(options.colorLevel),
        }
      : undefined;
  const jobs = capture || statsWanted ? 1 : dissectJobs(args, files, mode);
  const printer: BatchPrinter =
    jobs > 1
      ? new ParallelPrinter(options, jobs, out)
      : new SerialPrinter(options, out, args.count ?? Infinity, capture, statsWanted);
  const several = files.length > 1;
  let status = EXIT_OK;
  let more = true;
  try {
    for (const file of files) {
      if (!more) break;
      const clock = new RelativeClock();
      const label = several ? file : undefined;
      const progress = progressFor(file, args);
      let inputBytes = 0;
      let framesRead = 0;
      try {
        const header =
          printer instanceof ParallelPrinter ? await segmentableHeader(file) : undefined;
        if (header && printer instanceof ParallelPrinter) {
          const fault = await printer.segments(file, header, label, progress);
          if (fault) throw fault;
          more = !out.closed;
          progress?.done();
          continue;
        }
        const capture = readCapture(
          file,
          progress && { onProgress: (bytes) => (inputBytes = bytes) },
        );
        for await (const batch of capture) {
          framesRead += batch.length;
          progress?.update(inputBytes, framesRead);
          if (batch.length > 0) clock.see(batch[0]);
          more = await printer.batch(batch, clock, label);
          if (!more) break;
        }
      } catch (error) {
        if (error instanceof CaptureWriteError) {
          stderr.write(`igmpscope: ${escapeTerminal(error.message)}\n`);
          status = EXIT_INPUT;
          break;
        }
        // A damaged file ends its reading with exit 2; anything else is a bug and must show.
        if (!(error instanceof CaptureError)) throw error;
        await printer.drain();
        progress?.done();
        status = EXIT_INPUT;
        stderr.write(captureErrorLine(file, error) + '\n');
      }
      progress?.done();
    }
    await printer.drain();
  } finally {
    await printer.close();
  }
  return status;
}

/**
 * `-e` fields and `-E` options as tshark takes them (header=y|n, separator=/t|/s|CHAR,
 * quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|CHAR); what is wrong, in one line, otherwise.
 */
function fieldsOptions(names: string[], options: string[]): FieldsOptions | string {
  if (names.length === 0) return '-T fields needs at least one -e FIELD';
  const unknown = unknownFields(names);
  if (unknown.length > 0) return `some fields aren't valid: ${unknown.join(', ')}`;
  const chosen: FieldsOptions = {
    fields: names,
    header: false,
    separator: '\t',
    quote: '',
    occurrence: 'a',
    aggregator: ',',
  };
  const character = (value: string): string =>
    value === '/t' ? '\t' : value === '/s' ? ' ' : value;
  for (const option of options) {
    const [key, value = ''] = option.split(/=(.*)/s);
    if (key === 'header' && (value === 'y' || value === 'n')) chosen.header = value === 'y';
    else if (key === 'separator' && value !== '') chosen.separator = character(value);
    else if (key === 'aggregator' && value !== '') chosen.aggregator = character(value);
    else if (key === 'quote' && ['d', 's', 'n'].includes(value))
      chosen.quote = value === 'd' ? '"' : value === 's' ? "'" : '';
    else if (key === 'occurrence' && ['f', 'l', 'a'].includes(value))
      chosen.occurrence = value as FieldsOptions['occurrence'];
    else
      return `-E ${option}: expected header=y|n, separator=/t|/s|CHAR, quote=d|s|n, occurrence=f|l|a or aggregator=,|/s|CHAR`;
  }
  return chosen;
}
