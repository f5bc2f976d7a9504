import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withCaptureInputs, withDisplayFilter } from './options.js';
import type { StatsArgs } from './stats.js';

/** `igmpscope stats`: its options; the code that runs is in stats.ts. */
export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats [files..]',
  describe:
    'IGMP statistics per file: messages by type; per group, host and querier; problems; rates over time',
  builder: (yargs: Argv) =>
    withDisplayFilter(withCaptureInputs(yargs))
      .option('json', { describe: 'one JSON object per file', type: 'boolean' })
      .option('interval', {
        describe:
          'seconds per row of the rates table, as tshark -z io,stat (default: 1, doubled to keep 60 rows at most)',
        type: 'number',
        requiresArg: true,
      })
      .check((argv) => {
        if (argv.interval !== undefined && !(argv.interval > 0)) {
          throw new Error('--interval needs a number of seconds above 0');
        }
        return true;
      }) as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    const { runStats } = await import('./stats.js');
    process.exitCode = await runStats(argv, process.stdout, process.stderr);
  },
};
