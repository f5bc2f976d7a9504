import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { DissectArgs } from './dissect.js';
import { TIME_FORMATS } from '../output/time.js';
import { statsInterval, withCaptureInputs, withDisplayFilter } from './options.js';

/** `igmpscope [dissect]`: its options; the code that runs is in dissect.ts. */
export const dissectCommand: CommandModule<object, DissectArgs> = {
  command: ['dissect [files..]', '$0 [files..]'],
  describe: 'decode IGMP frames: summary lines (default), field trees (-V) or NDJSON (--json)',
  builder: (yargs: Argv) =>
    withDisplayFilter(withCaptureInputs(yargs))
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
      .option('t', {
        alias: 'time-format',
        describe:
          "the summary's time column, as tshark -t: r relative (default), a/ad/adoy local time, u/ud/udoy UTC, e epoch, d delta to the previous frame, dd to the previous one shown",
        choices: TIME_FORMATS,
        requiresArg: true,
      })
      .option('x', {
        alias: 'hex',
        describe:
          'a hex and ASCII dump of each frame, as tshark -x (alone: instead of the summary line)',
        type: 'boolean',
      })
      .option('P', {
        alias: 'print-summary',
        describe: 'the summary line too, with -x (as tshark -P)',
        type: 'boolean',
      })
      .option('w', {
        alias: 'write',
        describe:
          "write the frames shown (IGMP by default; all with --all) to a capture file, as tshark -w ('-': standard output); nothing is printed unless -P, -V or --json",
        type: 'string',
        requiresArg: true,
      })
      .option('F', {
        alias: 'capture-format',
        describe: "the -w file's format: pcapng (default; interfaces and timestamps kept) or pcap",
        choices: ['pcapng', 'pcap'],
        requiresArg: true,
      })
      .option('T', {
        describe:
          'output format, as tshark -T: fields (with -e), json (= --json) or text (the default)',
        choices: ['fields', 'json', 'text'],
        requiresArg: true,
      })
      .option('e', {
        describe: 'a field for -T fields, by its Wireshark name (may be repeated)',
        type: 'string',
        requiresArg: true,
      })
      .option('E', {
        describe:
          '-T fields options, as tshark: header=y|n, separator=/t|/s|CHAR, quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|CHAR',
        type: 'string',
        requiresArg: true,
      })
      .option('z', {
        describe:
          "statistics after the frames, as tshark -z: igmp,stat (igmpscope's IGMP tables) or io,stat,SECONDS (the rates table at that interval); with -q, the tables only",
        type: 'string',
        requiresArg: true,
      })
      .check((argv) => {
        for (const z of ([] as string[]).concat((argv.z as string | string[] | undefined) ?? [])) {
          if (statsInterval(z) === null) {
            throw new Error(
              `-z ${z}: igmpscope has igmp,stat and io,stat,SECONDS (try igmpscope stats)`,
            );
          }
        }
        return true;
      })
      .option('n', {
        describe: 'accepted for tshark habits: igmpscope resolves no names anyway',
        type: 'boolean',
      })
      .option('jobs', {
        describe:
          'threads that decode and format (default: 2 for 16 MiB or more of several files, or of one pcap file with --json or -V; else 1; 1 with -c or -l)',
        type: 'number',
        requiresArg: true,
      })

      .conflicts('json', 'verbose')
      .conflicts('json', 'x')
      .check((argv) => {
        if (argv.count !== undefined && (!Number.isInteger(argv.count) || argv.count < 1)) {
          throw new Error('-c needs a whole number of frames, at least 1');
        }
        if (
          argv.jobs !== undefined &&
          (!Number.isInteger(argv.jobs) || argv.jobs < 1 || argv.jobs > 16)
        ) {
          throw new Error('--jobs needs a whole number from 1 to 16');
        }
        return true;
      }) as unknown as Argv<DissectArgs>,
  handler: async (argv: ArgumentsCamelCase<DissectArgs>) => {
    // The command's code is loaded only when it runs: start-up reads only what the run needs.
    const { runDissect } = await import('./dissect.js');
    process.exitCode = await runDissect(argv, process.stdout, process.stderr);
  },
};
