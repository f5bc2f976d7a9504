import { statSync } from 'node:fs';
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
        'no progress line on stderr (drawn only when stderr is a terminal and stdout is not)',
      type: 'boolean',
    });
}

/** Files from the positionals and -r, in the order given; standard input when none and piped. */
export function inputFiles(argv: { files?: string[]; r?: string[] }): string[] {
  const files = [...(argv.r ?? []), ...(argv.files ?? [])].map(String);
  if (files.length === 0 && !process.stdin.isTTY) return ['-'];
  return files;
}

/** A progress line for one input, or none (stderr not a terminal, --quiet). */
export function progressFor(file: string, quiet: boolean | undefined): Progress | undefined {
  if (!Progress.enabled(process.stderr, process.stdout, quiet)) return undefined;
  let total: number | undefined;
  try {
    total = file === '-' ? undefined : statSync(file).size;
  } catch {
    total = undefined;
  }
  return new Progress(process.stderr, file === '-' ? 'standard input' : file, total);
}
