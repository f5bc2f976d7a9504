import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { MembershipArgs } from './membership.js';
import { withCaptureInputs } from './options.js';

/** `igmpscope membership`: its options; the code that runs is in membership.ts. */
export const membershipCommand: CommandModule<object, MembershipArgs> = {
  command: 'membership [files..]',
  describe:
    'replay a capture through the router and snooping state machines: members, queriers, leaves',
  builder: (yargs: Argv) =>
    withCaptureInputs(yargs)
      .option('events', {
        describe: 'the timeline: one line per state change, with its frame',
        type: 'boolean',
      })
      .option('at', {
        describe: 'the state at TIME: seconds from the first frame, or an ISO time',
        type: 'string',
        requiresArg: true,
      })
      .option('json', { describe: 'NDJSON: the events, then the final state', type: 'boolean' })
      .option('width', {
        describe: "the tables' width in columns (default: the terminal's; full width when piped)",
        type: 'number',
        requiresArg: true,
      })
      .option('robustness', {
        describe: 'Robustness Variable (RFC 3376 §8.1; default 2; given, queries do not change it)',
        type: 'number',
        requiresArg: true,
      })
      .option('query-interval', {
        describe: 'Query Interval, s (§8.2; default 125; given, QQIC does not change it)',
        type: 'number',
        requiresArg: true,
      })
      .option('query-response-interval', {
        describe:
          'Query Response Interval, s (§8.3; default 10; given, Max Resp Code does not change it)',
        type: 'number',
        requiresArg: true,
      })
      .option('last-member-query-interval', {
        describe: 'Last Member Query Interval, s (§8.8; default 1)',
        type: 'number',
        requiresArg: true,
      }) as unknown as Argv<MembershipArgs>,
  handler: async (argv: ArgumentsCamelCase<MembershipArgs>) => {
    // The command's code is loaded only when it runs: start-up reads only what the run needs.
    const { runMembership } = await import('./membership.js');
    process.exitCode = await runMembership(argv, process.stdout, process.stderr);
  },
};
