import { statSync } from 'node:fs';
import { applyDecodeAs } from '../layers/decode-as.js';
import { Progress } from '../output/progress.js';
import type { Argv } from 'yargs';

/** Options shared by the commands that read captures. */
export function withCaptureInputs<T>(yargs: Argv<T>) {
  return yargs
    .positional('files', {
      describe:
        "capture files (pcap, pcapng, optionally gzip-compressed); '-' reads standard input",
      type: 'string',
      array: true,
    })
    .option('r', {
      alias: 'read-file',
      describe: 'capture file to read (as tshark -r); may be repeated',
      type: 'string',
      array: true,
    })
    .option('color', {
      describe: 'colour the text output (default: only on a terminal, never with NO_COLOR)',
      type: 'boolean',
    })
    .option('quiet', {
      alias: 'q',
      describe:
        "as tshark's -q: no per-frame output (dissect: frames are read, filtered and counted only), and no progress line",
      type: 'boolean',
    })
    .option('progress', {
      describe:
        'a progress line on stderr (default: when stderr is a terminal and stdout is not; --no-progress: never)',
      type: 'boolean',
    })
    .option('decode-as', {
      alias: 'd',
      describe:
        'decode what a table key carries as a protocol, as tshark -d: udp.port==8472,vxlan (may be repeated)',
      type: 'string',
      requiresArg: true,
    })
    .check((argv) => {
      // Applied here, in this thread; threads that decode apply the same requests.
      const wrong = applyDecodeAs(decodeAsRequests({ decodeAs: argv['decode-as'] }));
      if (wrong !== undefined) throw new Error(wrong);
      return true;
    });
}

/**
 * What a `-z` request asks for: `igmp,stat` the IGMP tables (undefined: the interval chosen
 * for the capture), `io,stat,SECONDS` with the rates at that interval; null for anything else.
 */
export function statsInterval(request: string): number | undefined | null {
  if (request === 'igmp,stat') return undefined;
  const m = /^io,stat,(\d+(?:\.\d+)?)$/.exec(request);
  if (!m || !(Number(m[1]) > 0)) return null;
  return Number(m[1]);
}

/** The `--decode-as` requests, however many times the option was given. */
export function decodeAsRequests(argv: { decodeAs?: string | string[] }): string[] {
  return ([] as string[]).concat(argv.decodeAs ?? []);
}

/** `-Y`, tshark's display filter, for the commands that choose frames by it. */
export function withDisplayFilter<T>(yargs: Argv<T>) {
  return yargs.option('filter', {
    alias: 'Y',
    describe:
      "a Wireshark display filter, as tshark -Y: only the frames it selects (then it alone decides, IGMP or not: add '&& igmp' for IGMP only)",
    type: 'string',
    requiresArg: true,
  });
}

/** Files from the positionals and -r, in the order given; standard input when none and piped. */
export function inputFiles(argv: { files?: string[]; r?: string[] }): string[] {
  const files = [...(argv.r ?? []), ...(argv.files ?? [])].map(String);
  if (files.length === 0 && !process.stdin.isTTY) return ['-'];
  return files;
}

/** A progress line for one input, or none (stderr not a terminal, -q, --no-progress). */
export function progressFor(
  file: string,
  args: { quiet?: boolean; progress?: boolean },
): Progress | undefined {
  const quiet = args.quiet === true || args.progress === false;
  if (!Progress.enabled(process.stderr, process.stdout, quiet)) return undefined;
  let total: number | undefined;
  try {
    total = file === '-' ? undefined : statSync(file).size;
  } catch {
    total = undefined;
  }
  return new Progress(process.stderr, file === '-' ? 'standard input' : file, total);
}
