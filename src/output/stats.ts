import Table from 'cli-table3';
import { CaptureStats } from '../analysis/stats.js';
import { escapeTerminal } from './escape.js';
import type { Palette } from './palette.js';

/** Seconds as the capture can state them: microseconds at most, no float noise. */
const seconds = (value: number): number => Math.round(value * 1e6) / 1e6;

const byCount = <T>(entries: [T, number][]): [T, number][] =>
  entries.sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));

/** Dotted quads in numeric order. */
function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** A table without lines between its rows: statistics run long. */
function table(head: string[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

/** The text view: a heading per file, then a table per statistic. */
export function statsText(file: string, s: CaptureStats, palette: Palette): string {
  const parts: string[] = [
    palette.heading(
      `${file === '' ? '' : `${escapeTerminal(file)}: `}${s.frames} frames, ${s.igmpFrames} IGMP, ${seconds(s.duration)} s`,
    ),
  ];
  const messages = table(['message', 'count']);
  for (const [kind, count] of byCount([...s.messages])) messages.push([kind, String(count)]);
  parts.push('Messages by version and type', messages.toString());

  const groups = table(['group', 'reports', 'joins', 'leaves', 'queries', 'hosts', 'sources']);
  for (const g of [...s.groups.values()].sort((a, b) => compareAddresses(a.group, b.group))) {
    groups.push(
      [g.group, g.reports, g.joins, g.leaves, g.queries, g.hosts.size, g.sources.size].map(String),
    );
  }
  parts.push('Groups', groups.toString());

  const hosts = table(['host', 'reports', 'leaves', 'groups', 'versions']);
  for (const h of [...s.hosts.values()].sort((a, b) => compareAddresses(a.host, b.host))) {
    hosts.push(
      [h.host, h.reports, h.leaves, h.groups.size, [...h.versions].sort().join(', ')].map(String),
    );
  }
  parts.push('Hosts', hosts.toString());

  const queriers = table([
    'querier',
    'general',
    'specific',
    'versions',
    'interval seen (s)',
    'interval announced (s)',
    'max resp (s)',
    'QRV',
    'first (s)',
    'last (s)',
  ]);
  for (const q of [...s.queriers.values()].sort((a, b) => compareAddresses(a.querier, b.querier))) {
    const seen = CaptureStats.observedInterval(q);
    queriers.push(
      [
        q.querier,
        q.generalQueries,
        q.specificQueries,
        [...q.versions].sort().join(', '),
        seen === undefined ? '-' : seconds(seen),
        q.announcedInterval ?? '-',
        q.maxResponse ?? '-',
        q.robustness ?? '-',
        seconds(q.first),
        seconds(q.last),
      ].map(String),
    );
  }
  parts.push(
    'Queriers (interval seen: median gap between general queries; announced: QQIC)',
    queriers.toString(),
  );

  if (s.problems.size > 0) {
    const problems = table(['problem', 'frames']);
    for (const [id, count] of byCount([...s.problems])) problems.push([id, String(count)]);
    parts.push('Problems', problems.toString());
  }

  const rates = table(['interval (s)', 'queries', 'reports', 'leaves', 'other']);
  for (const b of s.rates) {
    const end = seconds(b.start + s.interval);
    rates.push(
      [`${seconds(b.start)} <> ${end}`, b.queries, b.reports, b.leaves, b.other].map(String),
    );
  }
  parts.push(`Messages per ${s.interval} s`, rates.toString());
  return parts.join('\n') + '\n';
}

/** The JSON view: one object per file (snake_case keys, times in seconds). */
export function statsJson(file: string, s: CaptureStats): string {
  return JSON.stringify({
    type: 'stats',
    file,
    frames: s.frames,
    igmp_frames: s.igmpFrames,
    duration: seconds(s.duration),
    messages: Object.fromEntries(byCount([...s.messages])),
    groups: [...s.groups.values()]
      .sort((a, b) => compareAddresses(a.group, b.group))
      .map((g) => ({
        group: g.group,
        reports: g.reports,
        joins: g.joins,
        leaves: g.leaves,
        queries: g.queries,
        hosts: g.hosts.size,
        sources: g.sources.size,
      })),
    hosts: [...s.hosts.values()]
      .sort((a, b) => compareAddresses(a.host, b.host))
      .map((h) => ({
        host: h.host,
        reports: h.reports,
        leaves: h.leaves,
        groups: h.groups.size,
        versions: [...h.versions].sort(),
      })),
    queriers: [...s.queriers.values()]
      .sort((a, b) => compareAddresses(a.querier, b.querier))
      .map((q) => {
        const seen = CaptureStats.observedInterval(q);
        return {
          querier: q.querier,
          general_queries: q.generalQueries,
          specific_queries: q.specificQueries,
          versions: [...q.versions].sort(),
          // Left out when unknown (JSON.stringify drops undefined), never null.
          interval_seen: seen === undefined ? undefined : seconds(seen),
          interval_announced: q.announcedInterval,
          max_response: q.maxResponse,
          robustness: q.robustness,
          first: seconds(q.first),
          last: seconds(q.last),
        };
      }),
    problems: Object.fromEntries(byCount([...s.problems])),
    interval: s.interval,
    rates: s.rates.map((b) => ({
      start: seconds(b.start),
      queries: b.queries,
      reports: b.reports,
      leaves: b.leaves,
      other: b.other,
    })),
  });
}
