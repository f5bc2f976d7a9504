import Table from 'cli-table3';
import type { Finding, RuleTally } from '../analysis/validate.js';
import type { Severity } from '../fields.js';
import { asciiJsonString } from './bytestring.js';
import { escapeTerminal } from './escape.js';
import type { Palette } from './palette.js';

/** What one capture came to, for the text table, the NDJSON summary and JUnit. */
export interface FileReport {
  file: string;
  frames: number;
  /** Frames whose innermost IPv4 carries IGMP. */
  igmpFrames: number;
  /** Frames met and not followed, by the table key no protocol claims. */
  unfollowed: ReadonlyMap<string, number>;
  counts: Record<Severity, number>;
  tallies: ReadonlyMap<string, RuleTally>;
  verdict: 'pass' | 'fail';
  /** Set when the capture could not be read to its end. */
  cut?: { offset: number; message: string };
}

/** `{"type":"finding",…}`: one NDJSON line per finding. */
export function findingJson(file: string, f: Finding): string {
  return (
    `{"type":"finding","file":${asciiJsonString(file)},"frame.number":${f.frame},"rule":"${f.rule}",` +
    `"severity":"${f.severity}","layer":"${f.layer}","offset":${f.offset},"message":${asciiJsonString(f.message)}}`
  );
}

/** `{"type":"summary",…}`: the last NDJSON line of each file. */
export function summaryJson(r: FileReport): string {
  const cut = r.cut
    ? `,"cut":{"offset":${r.cut.offset},"message":${asciiJsonString(r.cut.message)}}`
    : '';
  const byKey = [...r.unfollowed].map(([key, count]) => `${asciiJsonString(key)}:${count}`);
  return (
    `{"type":"summary","file":${asciiJsonString(r.file)},"frames":${r.frames},"igmp_frames":${r.igmpFrames},` +
    `"unfollowed":{"frames":${unfollowedFrames(r)},"by_key":{${byKey.join(',')}}},` +
    `"counts":{"error":${r.counts.error},"warning":${r.counts.warning},"note":${r.counts.note}},"verdict":"${r.verdict}"${cut}}`
  );
}

export function unfollowedFrames(r: FileReport): number {
  let frames = 0;
  for (const count of r.unfollowed.values()) frames += count;
  return frames;
}

/**
 * `, 3 frames not followed (udp.port 8472 ×2, ethertype 0x88b5 ×1)`: traffic igmpscope met and
 * could not read, so a PASS never hides it. Empty when there was none.
 */
function unfollowedText(r: FileReport): string {
  const frames = unfollowedFrames(r);
  if (frames === 0) return '';
  const keys = [...r.unfollowed]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([key, count]) => `${key} ×${count}`);
  const more = r.unfollowed.size > 5 ? ', …' : '';
  return `; ${frames} frame${frames === 1 ? '' : 's'} not followed (${keys.join(', ')}${more})`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** The text view: a table per file (rule, severity, count, first frames), then a verdict line. */
export function fileReportText(
  r: FileReport,
  severityOf: (rule: string) => Severity,
  failOn: Severity | 'never',
  palette: Palette,
): string {
  const name = escapeTerminal(r.file);
  const lines: string[] = [palette.heading(`${name}: ${r.frames} frames`)];
  if (r.tallies.size > 0) {
    const table = new Table({
      head: ['rule', 'severity', 'count', 'first frames'],
      style: { head: [], border: [] },
    });
    const rows = [...r.tallies.entries()].sort(
      ([a], [b]) =>
        SEVERITY_ORDER[severityOf(a)] - SEVERITY_ORDER[severityOf(b)] || a.localeCompare(b),
    );
    for (const [rule, tally] of rows) {
      const severity = severityOf(rule);
      const more = tally.count > tally.frames.length ? ', …' : '';
      table.push([
        rule,
        palette.severity(severity, severity),
        String(tally.count),
        tally.frames.join(', ') + more,
      ]);
    }
    lines.push(table.toString());
  }
  if (r.cut)
    lines.push(
      palette.severity(
        'error',
        `cut short at byte offset ${r.cut.offset}: ${escapeTerminal(r.cut.message)}`,
      ),
    );
  const counts = `${r.counts.error} errors, ${r.counts.warning} warnings, ${r.counts.note} notes`;
  const verdict =
    r.verdict === 'pass' ? palette.protocol('PASS') : palette.severity('error', 'FAIL');
  const checked = `${r.igmpFrames} IGMP frame${r.igmpFrames === 1 ? '' : 's'} checked`;
  lines.push(`${verdict} ${name}: ${counts} (fail on: ${failOn}); ${checked}${unfollowedText(r)}`);
  return lines.join('\n');
}
