import type { RuleDef } from '../analysis/rules.js';
import { fails } from '../analysis/validate.js';
import type { Severity } from '../fields.js';
import { unfollowedFrames, type FileReport } from './findings.js';

/**
 * XML text: the five markup characters escaped, and every character XML 1.0 cannot carry at
 * all (control characters, lone surrogates, U+FFFE/U+FFFF) written as a visible \\xNN / \\u{…}.
 */
export function xmlEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (code === 0x9 || code === 0xa || code === 0xd) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff)
      out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/**
 * JUnit XML as CI systems read it: a testsuite per capture, a testcase per rule that was
 * checked, an error for a capture cut short. A rule that fired is a `<failure>` only when its
 * severity makes the run fail under `--fail-on`: CI tools count every `<failure>` as a failed
 * test, so notes (and warnings under the default `--fail-on error`) reported as failures would
 * show a red test in a run that exited 0. Findings below `--fail-on` are the testcase's
 * `<system-out>`, with their count and first frames, so nothing found is hidden.
 */
export function junitXml(
  reports: readonly FileReport[],
  rules: readonly RuleDef[],
  severityOf: (rule: string) => Severity,
  failOn: Severity | 'never',
): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failing = (r: FileReport): number =>
    [...r.tallies.keys()].filter((rule) => fails(severityOf(rule), failOn)).length;
  const totals = reports.reduce(
    (t, r) => ({
      tests: t.tests + rules.length + (r.cut ? 1 : 0),
      failures: t.failures + failing(r),
      errors: t.errors + (r.cut ? 1 : 0),
    }),
    { tests: 0, failures: 0, errors: 0 },
  );
  out.push(
    `<testsuites name="igmpscope validate" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}">`,
  );
  for (const r of reports) {
    const suite = xmlEscape(r.file);
    out.push(
      `  <testsuite name="${suite}" tests="${rules.length + (r.cut ? 1 : 0)}" failures="${failing(r)}" errors="${r.cut ? 1 : 0}" skipped="0">`,
      `    <properties><property name="frames" value="${r.frames}"/><property name="igmp_frames" value="${r.igmpFrames}"/><property name="unfollowed_frames" value="${unfollowedFrames(r)}"/><property name="fail_on" value="${failOn}"/><property name="verdict" value="${r.verdict}"/></properties>`,
    );
    for (const rule of rules) {
      const tally = r.tallies.get(rule.id);
      const name = xmlEscape(rule.id);
      if (!tally) {
        out.push(`    <testcase classname="${suite}" name="${name}"/>`);
        continue;
      }
      const severity = severityOf(rule.id);
      const more = tally.count > tally.frames.length ? ` (first ${tally.frames.length} shown)` : '';
      const summary = `${rule.id}: ${tally.count} finding(s), ${severity}`;
      const body = `${rule.description}\nframes: ${tally.frames.join(', ')}${more}`;
      out.push(`    <testcase classname="${suite}" name="${name}">`);
      if (fails(severity, failOn)) {
        out.push(
          `      <failure type="${severity}" message="${xmlEscape(summary)}">${xmlEscape(body)}</failure>`,
        );
      } else {
        out.push(
          `      <system-out>${xmlEscape(`${summary} (below --fail-on ${failOn}: not a failure)\n${body}`)}</system-out>`,
        );
      }
      out.push('    </testcase>');
    }
    if (r.cut) {
      out.push(
        `    <testcase classname="${suite}" name="capture.readable">`,
        `      <error type="capture" message="${xmlEscape(`cut short at byte offset ${r.cut.offset}`)}">${xmlEscape(r.cut.message)}</error>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
