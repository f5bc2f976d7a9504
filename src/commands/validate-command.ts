import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ValidateArgs } from './validate.js';
import { withCaptureInputs } from './options.js';

/** `igmpscope validate`: its options; the code that runs is in validate.ts. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [files..]',
  describe: 'check captures against the IGMP rules, for CI: exit 1 on findings, 2 on bad input',
  builder: (yargs: Argv) =>
    withCaptureInputs(yargs)
      .option('fail-on', {
        describe: 'exit 1 when a finding at or above this severity exists',
        choices: ['error', 'warning', 'note', 'never'] as const,
      })
      .option('format', {
        alias: 'f',
        describe: 'text (a table per file), json (NDJSON findings and summaries) or junit',
        choices: ['text', 'json', 'junit'] as const,
        default: 'text' as const,
      })
      // Not an array option: yargs would swallow the file names after it. Repeats still collect.
      .option('rule', {
        describe: 'RULE=error|warning|note|off: change a rule for this run (repeatable)',
        type: 'string',
        requiresArg: true,
      })
      .option('jobs', {
        describe:
          'threads: files checked at once, or segments of one pcap file (default: 2 for several files of 16 MiB or more, else 1)',
        type: 'number',
        requiresArg: true,
      })
      .option('config', {
        describe:
          'JSON config {"rules": {RULE: severity|off}, "failOn": …} (default: ./.igmpscope.json if present)',
        type: 'string',
        requiresArg: true,
      }) as unknown as Argv<ValidateArgs>,
  handler: async (argv: ArgumentsCamelCase<ValidateArgs>) => {
    // The command's code is loaded only when it runs: start-up reads only what the run needs.
    const { runValidate } = await import('./validate.js');
    process.exitCode = await runValidate(argv, process.stdout, process.stderr);
  },
};
