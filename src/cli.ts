import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { dissectCommand } from './commands/dissect-command.js';
import { EXIT_INPUT } from './commands/exit.js';
import { membershipCommand } from './commands/membership-command.js';
import { rulesCommand } from './commands/rules.js';
import { statsCommand } from './commands/stats-command.js';
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
    .command(statsCommand)
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .completion(
      'completion',
      'print a bash/zsh completion script: igmpscope completion >> ~/.bashrc',
    )
    .fail((message, error) => {
      // One line, as tshark answers a bad option: the help is one `--help` away.
      const text = escapeTerminal(
        tsharkOnly(message) ??
          (message ?? error?.message ?? 'usage error').replace(/\s*\n\s*/g, ' '),
      );
      process.stderr.write(`igmpscope: ${text} (try \`igmpscope --help\`)\n`);
      process.exit(EXIT_INPUT);
    });
  skipEagerHelp(parser, argv);
  await parser.parseAsync();
}

/** tshark options igmpscope does not have, and what to do instead. */
const TSHARK_ONLY: Readonly<Record<string, string>> = {
  i: 'captures live; igmpscope reads capture files (capture with tcpdump -w or dumpcap, or pipe: tcpdump -U -w - | igmpscope -l -)',
  f: 'is a capture filter for live capture; igmpscope reads capture files',
  D: 'lists capture interfaces; igmpscope reads capture files',
  L: "lists an interface's link types; igmpscope reads capture files",
  s: 'sets the snaplen of a live capture',
  b: 'sets ring buffers of a live capture',
  R: 'is the two-pass read filter; use -Y',
  '2': 'runs two passes; igmpscope needs one',
  o: 'sets Wireshark preferences; igmpscope has none to set (it checks every checksum it can)',
  G: "dumps Wireshark's glossaries; the fields igmpscope knows are in schema/dissect-frame.schema.json",
  X: 'passes Lua options; igmpscope runs no Lua',
  N: 'turns name resolution on; igmpscope resolves no names (-n is accepted)',
  S: 'sets a packet separator line',
  U: 'sets PDU export',
  K: 'reads Kerberos keys',
};

/**
 * For an unknown option that is tshark's: a line naming it as tshark's, and what to do instead.
 */
function tsharkOnly(message: string | undefined): string | undefined {
  const m = /^Unknown arguments?: (\S+?)(,|$)/.exec(message ?? '');
  const why = m ? TSHARK_ONLY[m[1]] : undefined;
  return why === undefined
    ? undefined
    : `-${m?.[1]} is a tshark option igmpscope does not have: it ${why}`;
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
