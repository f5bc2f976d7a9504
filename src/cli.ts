import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { dissectCommand, EXIT_INPUT } from './commands/dissect.js';
import { membershipCommand } from './commands/membership.js';
import { rulesCommand } from './commands/rules.js';
import { validateCommand } from './commands/validate.js';
import { escapeTerminal } from './output/escape.js';

/** Entry point of the `igmpscope` executable. Usage errors exit 2 (yargs would exit 1). */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  // A reader that goes away (`| head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  await yargs(argv)
    .scriptName('igmpscope')
    .command(dissectCommand)
    .command(validateCommand)
    .command(rulesCommand)
    .command(membershipCommand)
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .fail((message, error, instance) => {
      process.stderr.write(
        `igmpscope: ${escapeTerminal(message ?? error?.message ?? 'usage error')}\n\n`,
      );
      instance.showHelp((text) => process.stderr.write(text + '\n'));
      process.exit(EXIT_INPUT);
    })
    .parseAsync();
}
