import { MembershipReplay } from '../analysis/membership/replay.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import { eventJson, eventLine, membershipTables, stateJson } from '../output/membership.js';
import { OutputWriter } from '../output/writer.js';
import { captureErrorLine, EXIT_INPUT, EXIT_OK } from './exit.js';
import { inputFiles } from './options.js';

export interface MembershipArgs {
  files?: string[];
  r?: string[];
  events?: boolean;
  at?: string;
  json?: boolean;
  robustness?: number;
  queryInterval?: number;
  queryResponseInterval?: number;
  lastMemberQueryInterval?: number;
  width?: number;
}

/** `--at`: seconds from the first frame, or an absolute ISO time. */
function atSeconds(at: string | undefined, start: number): number | undefined {
  if (at === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(at)) return Number(at);
  const epoch = Date.parse(at);
  return Number.isNaN(epoch) ? Number.NaN : epoch / 1000 - start;
}

export async function runMembership(
  args: MembershipArgs,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const files = inputFiles(args);
  if (files.length !== 1) {
    stderr.write('igmpscope membership: give exactly one capture file\n');
    return EXIT_INPUT;
  }
  const out = new OutputWriter(stdout);
  // Events stream out as they happen (in time order: expiries are emitted before the frame
  // that reveals them), so memory does not grow with the capture.
  const replay: MembershipReplay = new MembershipReplay({
    timers: {
      robustness: args.robustness,
      queryInterval: args.queryInterval,
      queryResponseInterval: args.queryResponseInterval,
      lastMemberQueryInterval: args.lastMemberQueryInterval,
    },
    onEvent: args.json
      ? (e): void => out.line(eventJson(e, (t: number): number => replay.round(t)))
      : args.events
        ? (e): void => out.line(eventLine(e))
        : () => undefined,
    historyLimit: 50,
    quiet: !args.json && !args.events,
  });
  let status = EXIT_OK;
  let at: number | undefined;
  let last = 0;
  try {
    reading: for await (const batch of readCapture(files[0])) {
      for (const frame of batch) {
        const d = dissect(frame, { detail: false });
        const time = replay.timeOf(d);
        at ??= atSeconds(args.at, replay.start as number);
        if (at !== undefined && Number.isNaN(at)) {
          stderr.write(`igmpscope membership: --at ${args.at}: not seconds nor an ISO time\n`);
          return EXIT_INPUT;
        }
        if (at !== undefined && time > at) break reading;
        last = time;
        if (d.isIgmp) replay.frame(d, time);
      }
      await out.ready();
    }
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    status = EXIT_INPUT;
    stderr.write(captureErrorLine(files[0], error) + '\n');
  }
  const end = at ?? last;
  replay.advance(end);
  if (args.json) {
    for (const line of stateJson(replay, end)) out.line(line);
  } else if (!args.events) {
    out.line(membershipTables(replay, end, tableWidth(args.width, stdout)));
  }
  await out.end();
  return status;
}

/**
 * The tables' width: `--width`, else the terminal's columns; a pipe or a file gets every
 * column at full width (a script or a pager reads the whole line).
 */
function tableWidth(asked: number | undefined, stdout: NodeJS.WritableStream): number {
  if (asked !== undefined && asked > 0) return asked;
  const tty = stdout as NodeJS.WriteStream;
  return tty.isTTY === true && tty.columns > 0 ? tty.columns : Infinity;
}
