import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { dissectCommand } from './commands/dissect-command.js';
import { EXIT_INPUT } from './commands/exit.js';
import { membershipCommand } from './commands/membership-command.js';
import { rulesCommand } from './commands/rules.js';
import { validateCommand } from './commands/validate-command.js';
import { escapeTerminal } from './output/escape.js';

/** Entry point of the `igmpscope` executable. Usage errors exit 2 (yargs would exit 1). */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  // A reader that goes away (`| head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const parser = yargs(argv)
    .scriptName('igmpscope')
    .command(dissectCommand)
    .command(validateCommand)
    .command(rulesCommand)
    .command(membershipCommand)
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .fail((message, error) => {
      // One line, as tshark answers a bad option: the help is one `--help` away.
      const text = escapeTerminal(
        (message ?? error?.message ?? 'usage error').replace(/\s*\n\s*/g, ' '),
      );
      process.stderr.write(`igmpscope: ${text} (try \`igmpscope --help\`)\n`);
      process.exit(EXIT_INPUT);
    });
  skipEagerHelp(parser, argv);
  await parser.parseAsync();
}

/**
 * yargs lays out a subcommand's whole help text before running it, in case its async handler
 * fails later: some 60 ms of text measuring on every `validate` or `membership` run, most of
 * the start-up cost of checking a small capture in CI. When help was not asked for, that eager
 * copy is skipped; the fail handler above still lays help out when it is needed. (Through
 * yargs' internal methods, so this checks each step and does nothing if they change.)
 */
function skipEagerHelp(parser: unknown, argv: readonly string[]): void {
  if (argv.some((a) => a === '--help' || a === '-h')) return;
  type Usage = { cacheHelpMessage?: unknown };
  type Internals = { getUsageInstance?: () => Usage | undefined };
  const internals = (parser as { getInternalMethods?: () => Internals }).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') {
    usage.cacheHelpMessage = (): void => undefined;
  }
}
