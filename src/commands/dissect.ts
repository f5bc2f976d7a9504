import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect, type Dissection } from '../dissect.js';
import { escapeTerminal } from '../output/escape.js';
import { JsonOut } from '../output/json.js';
import { colorLevel, makePalette, type Palette } from '../output/palette.js';
import { writeSummaryLine } from '../output/summary.js';
import { RelativeClock } from '../output/time.js';
import { frameTree } from '../output/tree.js';
import { OutputWriter } from '../output/writer.js';
import { inputFiles, progressFor, withCaptureInputs } from './options.js';

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
}

export const EXIT_OK = 0;
export const EXIT_INPUT = 2;

type Mode = 'summary' | 'tree' | 'json';

/** Appends one frame in the chosen output form (NDJSON is written as the frame is decoded). */
function writeFrame(
  mode: Exclude<Mode, 'json'>,
  out: OutputWriter,
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  file?: string,
): void {
  if (mode === 'summary') {
    writeSummaryLine(out.bytes, d, clock, palette, file);
    out.frameDone();
  } else {
    out.line(frameTree(d, clock, palette, file));
  }
}

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
  const mode: Mode = args.json ? 'json' : args.verbose ? 'tree' : 'summary';
  const detail = mode === 'tree';
  const palette =
    mode === 'json'
      ? makePalette(0)
      : makePalette(
          colorLevel({
            flag: args.color,
            env: process.env,
            isTTY: (stdout as NodeJS.WriteStream).isTTY === true,
          }),
        );
  const out = new OutputWriter(stdout, args.lineBuffered === true);
  const json = mode === 'json' ? new JsonOut(out.bytes) : undefined;
  const wanted = (d: Dissection): boolean => d.isIgmp || args.all === true;
  const limit = args.count ?? Infinity;
  const several = files.length > 1;
  let printed = 0;
  let status = EXIT_OK;
  for (const file of files) {
    if (printed >= limit || out.closed) break;
    const clock = new RelativeClock();
    const label = several ? file : undefined;
    const progress = progressFor(file, args.quiet);
    let inputBytes = 0;
    let framesRead = 0;
    try {
      const capture = readCapture(
        file,
        progress && { onProgress: (bytes) => (inputBytes = bytes) },
      );
      for await (const batch of capture) {
        framesRead += batch.length;
        progress?.update(inputBytes, framesRead);
        if (batch.length > 0) clock.see(batch[0]);
        for (const frame of batch) {
          if (json) {
            if (!wanted(json.frame(frame, clock, label, wanted))) continue;
            out.frameDone();
          } else {
            const d = dissect(frame, { detail });
            if (!wanted(d)) continue;
            writeFrame(mode as Exclude<Mode, 'json'>, out, d, clock, palette, label);
          }
          if (++printed >= limit) break;
        }
        if (printed >= limit || out.closed) break;
        await out.ready();
      }
    } catch (error) {
      // A damaged file ends its reading with exit 2; anything else is a bug and must show.
      if (!(error instanceof CaptureError)) throw error;
      await out.end();
      progress?.done();
      status = EXIT_INPUT;
      stderr.write(captureErrorLine(file, error) + '\n');
    }
    progress?.done();
  }
  await out.end();
  return status;
}

export function captureErrorLine(file: string, error: unknown): string {
  const name = file === '-' ? 'standard input' : `"${escapeTerminal(file)}"`;
  if (error instanceof CaptureError) {
    // An offset says nothing about a file that never opened, or twice when the message has it.
    const unopened = error.kind === 'io' && error.offset === 0;
    const where =
      unopened || error.message.includes(String(error.offset))
        ? ''
        : ` (at byte offset ${error.offset})`;
    return `igmpscope: ${name}: ${escapeTerminal(error.message)}${where}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `igmpscope: ${name}: ${escapeTerminal(message)}`;
}

export const dissectCommand: CommandModule<object, DissectArgs> = {
  command: ['dissect [files..]', '$0 [files..]'],
  describe: 'decode IGMP frames: summary lines (default), field trees (-V) or NDJSON (--json)',
  builder: (yargs: Argv) =>
    withCaptureInputs(yargs)
      .option('verbose', {
        alias: 'V',
        describe: 'print the field tree of each frame, like tshark -V',
        type: 'boolean',
      })
      .option('json', {
        alias: 'j',
        describe: 'NDJSON: one object per frame, Wireshark field names',
        type: 'boolean',
      })
      .option('count', {
        alias: 'c',
        describe: 'stop after N printed frames',
        type: 'number',
        requiresArg: true,
      })
      .option('all', { alias: 'a', describe: 'include non-IGMP frames too', type: 'boolean' })
      .option('line-buffered', {
        alias: 'l',
        describe: 'flush after every frame (live pipes)',
        type: 'boolean',
      })
      .conflicts('json', 'verbose')
      .check((argv) => {
        if (argv.count !== undefined && (!Number.isInteger(argv.count) || argv.count < 1)) {
          throw new Error('-c needs a whole number of frames, at least 1');
        }
        return true;
      }) as unknown as Argv<DissectArgs>,
  handler: async (argv: ArgumentsCamelCase<DissectArgs>) => {
    process.exitCode = await runDissect(argv, process.stdout, process.stderr);
  },
};
