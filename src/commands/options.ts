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
    });
}

/** Files from the positionals and -r, in the order given; standard input when none and piped. */
export function inputFiles(argv: { files?: string[]; r?: string[] }): string[] {
  const files = [...(argv.r ?? []), ...(argv.files ?? [])].map(String);
  if (files.length === 0 && !process.stdin.isTTY) return ['-'];
  return files;
}
