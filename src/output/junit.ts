import type { RuleDef } from '../analysis/rules.js';
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
 * checked, a failure per rule that fired (with its frames), an error for a capture cut short.
 */
export function junitXml(
  reports: readonly FileReport[],
  rules: readonly RuleDef[],
  severityOf: (rule: string) => string,
): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const totals = reports.reduce(
    (t, r) => ({
      tests: t.tests + rules.length + (r.cut ? 1 : 0),
      failures: t.failures + r.tallies.size,
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
      `  <testsuite name="${suite}" tests="${rules.length + (r.cut ? 1 : 0)}" failures="${r.tallies.size}" errors="${r.cut ? 1 : 0}" skipped="0">`,
      `    <properties><property name="frames" value="${r.frames}"/><property name="igmp_frames" value="${r.igmpFrames}"/><property name="unfollowed_frames" value="${unfollowedFrames(r)}"/><property name="verdict" value="${r.verdict}"/></properties>`,
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
      out.push(
        `    <testcase classname="${suite}" name="${name}">`,
        `      <failure type="${severity}" message="${xmlEscape(`${rule.id}: ${tally.count} finding(s), ${severity}`)}">${xmlEscape(
          `${rule.description}\nframes: ${tally.frames.join(', ')}${more}`,
        )}</failure>`,
        '    </testcase>',
      );
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
