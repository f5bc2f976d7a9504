import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadConfig, parseRuleArgs, UsageError } from '../analysis/config.js';
import { RULES } from '../analysis/rules.js';
import { CaptureValidator, verdict, type RuleSetting } from '../analysis/validate.js';
import { CaptureError } from '../capture/frame.js';
import { readCapture } from '../capture/open.js';
import { dissect } from '../dissect.js';
import type { Severity } from '../fields.js';
import { fileReportText, findingJson, summaryJson, type FileReport } from '../output/findings.js';
import { junitXml } from '../output/junit.js';
import { colorLevel, makePalette } from '../output/palette.js';
import { OutputWriter } from '../output/writer.js';
import { captureErrorLine, EXIT_INPUT, EXIT_OK } from './dissect.js';
import { inputFiles, progressFor, withCaptureInputs } from './options.js';

export const EXIT_FINDINGS = 1;

export interface ValidateArgs {
  files?: string[];
  r?: string[];
  failOn?: Severity | 'never';
  format?: 'text' | 'json' | 'junit';
  rule?: string | string[];
  config?: string;
  color?: boolean;
  quiet?: boolean;
}

/** Checks every file; returns the worst exit status (0 pass, 1 findings, 2 input or usage). */
export async function runValidate(
  args: ValidateArgs,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  let settings: Map<string, RuleSetting>;
  let failOn: Severity | 'never';
  try {
    const config = loadConfig(args.config);
    settings = parseRuleArgs(([] as string[]).concat(args.rule ?? []), config.rules);
    failOn = args.failOn ?? config.failOn ?? 'error';
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`igmpscope validate: ${error.message}\n`);
    return EXIT_INPUT;
  }
  const files = inputFiles(args);
  if (files.length === 0) {
    stderr.write('igmpscope validate: no capture file given\n');
    return EXIT_INPUT;
  }
  const format = args.format ?? 'text';
  const palette = makePalette(
    format === 'text'
      ? colorLevel({
          flag: args.color,
          env: process.env,
          isTTY: (stdout as NodeJS.WriteStream).isTTY === true,
        })
      : 0,
  );
  const severityOf = (rule: string): Severity => {
    const s = settings.get(rule);
    return s === undefined || s === 'off' ? (RULES.get(rule)?.severity ?? 'note') : s;
  };
  const out = new OutputWriter(stdout);
  const reports: FileReport[] = [];
  let status = EXIT_OK;
  for (const file of files) {
    const validator = new CaptureValidator(settings, (finding) => {
      if (format === 'json') out.line(findingJson(file, finding));
    });
    let cut: FileReport['cut'];
    const progress = progressFor(file, args.quiet);
    let inputBytes = 0;
    try {
      const capture = readCapture(
        file,
        progress && { onProgress: (bytes) => (inputBytes = bytes) },
      );
      for await (const batch of capture) {
        for (const frame of batch) validator.frame(dissect(frame, { detail: false }));
        progress?.update(inputBytes, validator.frames);
        await out.ready();
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      cut = { offset: error.offset, message: error.message };
      progress?.done();
      if (format !== 'json') stderr.write(captureErrorLine(file, error) + '\n');
    }
    progress?.done();
    validator.finish();
    const report: FileReport = {
      file,
      frames: validator.frames,
      counts: validator.counts,
      tallies: validator.tallies,
      verdict: cut ? 'fail' : verdict(validator.counts, failOn),
      cut,
    };
    reports.push(report);
    if (format === 'json') out.line(summaryJson(report));
    if (format === 'text') out.line(fileReportText(report, severityOf, failOn, palette));
    if (cut) status = EXIT_INPUT;
    else if (report.verdict === 'fail') status = Math.max(status, EXIT_FINDINGS);
  }
  if (format === 'junit') {
    const checked = [...RULES.values()].filter((r) => settings.get(r.id) !== 'off');
    out.line(junitXml(reports, checked, severityOf).trimEnd());
  }
  await out.end();
  return status;
}

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
      .option('config', {
        describe:
          'JSON config {"rules": {RULE: severity|off}, "failOn": …} (default: ./.igmpscope.json if present)',
        type: 'string',
        requiresArg: true,
      }) as unknown as Argv<ValidateArgs>,
  handler: async (argv: ArgumentsCamelCase<ValidateArgs>) => {
    process.exitCode = await runValidate(argv, process.stdout, process.stderr);
  },
};
