import {
  compatMode,
  distinctHosts,
  fmt,
  type GroupReports,
  type LeaveLatency,
  type MembershipEvent,
  type MembershipReplay,
  type QuerierSpan,
} from '../analysis/membership/replay.js';
import type { HostState } from '../analysis/membership/hosts.js';
import {
  groupMembershipInterval,
  otherQuerierPresentInterval,
} from '../analysis/membership/timers.js';
import type { CodeReading } from '../analysis/checks.js';
import { asciiJsonString } from './bytestring.js';
import { renderTable, wrap, type Column } from './membership-table.js';

/** A heading is never wrapped narrower than this. */
const MIN_HEADING = 40;
/** Hosts listed per group and general query in the suppression table (all of them in JSON). */
const SUPPRESSION_HOSTS_SHOWN = 12;

/**
 * The default view: groups at the end, their members (the snooping view), queriers over time
 * with the timers they set, router ports, leave latency, suppression. `width`: the terminal's
 * columns (Infinity when piped: full width).
 */
export function membershipTables(r: MembershipReplay, at: number, width = Infinity): string {
  const out: string[] = [];
  const table = (columns: Column[], rows: string[][]): string => renderTable(columns, rows, width);
  // Headings wrap to the terminal too; piped, each is one line.
  const heading = (text: string): string =>
    Number.isFinite(width) ? wrap(text, Math.max(width, MIN_HEADING)).join('\n') : text;
  const groups = r.groups();

  const groupRows = groups.map((g) => [
    g.link,
    g.group,
    g.mode,
    sourcesText(g.mode, g.sources, g.blocked),
    g.hosts.size === 0 && g.pendingLeaves.size > 0 ? '0 (leave pending)' : String(g.hosts.size),
    `joined ${fmt(g.firstJoin)}, last report ${fmt(g.lastReport)}, expires ${fmt(g.expires)}`,
    `v${compatMode(g, at)}`,
  ]);
  out.push(
    heading(`Groups at ${fmt(at)} s (router state, RFC 3376 §6)`),
    groups.length
      ? table(
          [
            { head: 'link' },
            { head: 'group' },
            { head: 'mode' },
            { head: 'sources', wrap: true },
            { head: 'hosts' },
            { head: 'times (s)', wrap: true },
            { head: 'compat' },
          ],
          groupRows,
        )
      : '(none)',
  );

  const memberRows: string[][] = [];
  for (const g of groups)
    for (const h of g.hosts.values())
      memberRows.push([
        g.link,
        g.group,
        h.mac ? `${h.address} (${h.mac})` : h.address,
        `v${h.version}`,
        hostFilterText(h),
        `first ${fmt(h.firstReport)}, last ${fmt(h.lastReport)}, ages out ${fmt(h.expires)}`,
      ]);
  out.push(
    heading(
      `Members at ${fmt(at)} s (snooping view, RFC 4541: each host ages out a Group Membership Interval after its last report)`,
    ),
    memberRows.length
      ? table(
          [
            { head: 'link' },
            { head: 'group' },
            { head: 'host (MAC)' },
            { head: 'IGMP' },
            { head: 'filter', wrap: true },
            { head: 'reports (s)', wrap: true },
          ],
          memberRows,
        )
      : '(none)',
  );

  out.push(
    heading('Queriers (the timers each one set, and how its codes were read)'),
    r.queriers.length
      ? table(
          [
            { head: 'link' },
            { head: 'querier' },
            { head: 'from' },
            { head: 'to' },
            { head: 'why it stopped', wrap: true },
            { head: 'timers', wrap: true },
            { head: 'QQIC / Max Resp Code read as', wrap: true },
          ],
          r.queriers.map((q) => [
            q.link,
            q.router,
            `${fmt(q.from)} (#${q.fromFrame})`,
            q.to === undefined ? '—' : fmt(q.to),
            q.why ?? '(still querier)',
            timersText(q),
            readingsText(q.timers.readings),
          ]),
        )
      : '(none seen)',
  );

  const ports = r.routerPorts();
  out.push(
    heading(
      `Router ports at ${fmt(at)} s (snooping, RFC 4541: the elected querier, PIMv1, DVMRP, MRD; each ages out an Other Querier Present Interval after its last sign)`,
    ),
    ports.length
      ? table(
          [
            { head: 'link' },
            { head: 'router port' },
            { head: 'MAC' },
            { head: 'why (last seen)', wrap: true },
            { head: 'last seen' },
            { head: 'ages out' },
          ],
          ports.map((p) => [
            p.link,
            p.address,
            p.mac,
            [...p.reasons].map(([sign, seen]) => `${sign} at ${fmt(seen)}`).join(', '),
            fmt(p.lastSeen),
            fmt(p.expires),
          ]),
        )
      : '(none)',
  );

  const t = r.leaveTotals;
  const open = r.openLeaves();
  const average = t.removed
    ? ` (average ${fmt(t.latencySum / t.removed)} s, longest ${fmt(t.latencyMax)} s, from the first leave)`
    : '';
  const ignored = t.ignored ? `, ${t.ignored} ignored (IGMPv1 host present)` : '';
  out.push(
    heading(
      `Leaves: ${t.removed} confirmed by removal${average}, ${t.answered} answered by a report${ignored}` +
        (t.removed + t.answered + t.ignored > r.leaves.length
          ? `; the last ${r.leaves.length} shown`
          : ''),
    ),
    r.leaves.length + open.length
      ? table(
          [
            { head: 'link' },
            { head: 'group' },
            { head: 'host' },
            { head: 'leave' },
            { head: 'last group query' },
            { head: 'outcome', wrap: true },
            { head: 'latency' },
          ],
          [...r.leaves, ...open].map((l) => [
            l.link,
            l.group,
            l.host,
            `${fmt(l.leaveAt)} (#${l.leaveFrame})${l.repeats ? `, repeated ×${l.repeats}` : ''}`,
            l.lastQueryAt === undefined ? '—' : fmt(l.lastQueryAt),
            outcomeText(l),
            l.removedAt === undefined ? '—' : `${fmt(l.removedAt - l.leaveAt)} s`,
          ]),
        )
      : '(none)',
  );

  const suppressionRows: string[][] = [];
  for (const w of r.suppression) {
    const query = `${fmt(w.time)} (#${w.frame})`;
    if (w.reports.size === 0)
      suppressionRows.push([w.link, query, `${w.maxResp} s`, '—', '0', '0', '']);
    for (const [group, reports] of w.reports)
      suppressionRows.push([
        w.link,
        query,
        `${w.maxResp} s`,
        group,
        countText(reports.old),
        countText(reports.v3),
        hostsText(reports),
      ]);
  }
  out.push(
    heading(
      'Report suppression: reports per group within the Max Resp Time of each general query. ' +
        'IGMPv1/v2 hosts suppress theirs on hearing another (RFC 2236 §3): one report per group is suppression at work. ' +
        'IGMPv3 hosts never suppress (RFC 3376 §5.2; their reports go to 224.0.0.22): every v3 member reports.',
    ),
    r.suppression.length
      ? table(
          [
            { head: 'link' },
            { head: 'general query' },
            { head: 'max resp' },
            { head: 'group' },
            { head: 'v1/v2 reports' },
            { head: 'v3 reports' },
            { head: 'from', wrap: true },
          ],
          suppressionRows,
        )
      : '(no general query)',
  );
  return out.join('\n');
}

/** Reports, and how many hosts sent them where that differs (a host that repeated its own). */
function countText(senders: readonly string[]): string {
  const hosts = distinctHosts(senders).length;
  return senders.length === hosts ? String(hosts) : `${senders.length} (${hosts} hosts)`;
}

function hostFilterText(h: HostState): string {
  if (h.mode === 'EXCLUDE' && h.sources.length === 0) return 'any source';
  return `${h.mode} {${h.sources.join(', ')}}`;
}

function timersText(q: QuerierSpan): string {
  const t = q.timers;
  const p = {
    robustness: t.robustness,
    queryInterval: t.queryInterval,
    queryResponseInterval: t.queryResponseInterval,
    lastMemberQueryInterval: 1,
  };
  const fixed = t.fixed.length ? `; given: ${t.fixed.join(', ')}` : '';
  return `RV ${t.robustness}, QI ${t.queryInterval} s, QRI ${t.queryResponseInterval} s (GMI ${groupMembershipInterval(p)} s, OQPI ${otherQuerierPresentInterval(p)} s)${fixed}`;
}

function readingsText(readings: readonly CodeReading[]): string {
  if (readings.length === 0) return 'as RFC 3376 (codes below 128)';
  return readings.map((r) => r.why).join('; ');
}

function outcomeText(l: LeaveLatency): string {
  switch (l.outcome) {
    case 'removed':
      return `removed at ${fmt(l.removedAt ?? 0)}`;
    case 'answered':
      return `answered by ${l.answeredBy}${l.answeredBy === l.host ? ' (itself)' : ''} at ${fmt(l.answeredAt ?? 0)}`;
    case 'ignored':
      return 'ignored: IGMPv1 host present';
    case 'pending':
      return 'pending';
  }
}

function hostsText(reports: GroupReports): string {
  const all = distinctHosts([...reports.old, ...reports.v3]);
  const shown = all.slice(0, SUPPRESSION_HOSTS_SHOWN).join(', ');
  return all.length > SUPPRESSION_HOSTS_SHOWN
    ? `${shown}, … ${all.length - SUPPRESSION_HOSTS_SHOWN} more`
    : shown;
}

/** The timeline: one line per event; `timer` where a timer, not a frame, caused it. */
export function eventLine(e: MembershipEvent): string {
  const frame = e.frame === undefined ? 'timer  ' : `#${String(e.frame).padEnd(6)}`;
  return `${fmt(e.time).padStart(12)} ${frame} ${e.link.padEnd(10)} ${e.kind.padEnd(18)} ${e.detail}`;
}

/**
 * `{"type":"event",…}`. Keys are snake_case, as in every NDJSON line igmpscope writes outside
 * the dissector's Wireshark names; `frame.number` is Wireshark's own name for the frame that
 * caused the event, and is absent for a timer's expiry. Times are rounded to the capture's
 * precision (`round`).
 */
export function eventJson(e: MembershipEvent, round: (t: number) => number): string {
  const frame = e.frame === undefined ? '' : `,"frame.number":${e.frame}`;
  const group = e.group === undefined ? '' : `,"group":${asciiJsonString(e.group)}`;
  const host = e.host === undefined ? '' : `,"host":${asciiJsonString(e.host)}`;
  return `{"type":"event","time":${round(e.time)}${frame},"link":${asciiJsonString(e.link)},"kind":"${e.kind}"${group}${host},"detail":${asciiJsonString(e.detail)}}`;
}

/**
 * The final state as NDJSON: a line per group (with its members), router port, querier span,
 * leave and general query (its reports), then a summary. A key that does not apply is left
 * out, never null (as in the dissector's NDJSON). schema/membership.schema.json describes it.
 */
export function stateJson(r: MembershipReplay, at: number): string[] {
  const t = (seconds: number): number => r.round(seconds);
  const lines: string[] = [];
  const groups = r.groups();
  for (const g of groups)
    lines.push(
      JSON.stringify({
        type: 'group',
        link: g.link,
        group: g.group,
        mode: g.mode,
        sources: g.sources,
        blocked: g.blocked,
        members: [...g.hosts.values()].map((h) => ({
          address: h.address,
          mac: h.mac,
          version: h.version,
          mode: h.mode,
          sources: h.sources,
          first_report: t(h.firstReport),
          last_report: t(h.lastReport),
          expires: t(h.expires),
        })),
        pending_leaves: [...g.pendingLeaves.keys()],
        first_join: t(g.firstJoin),
        last_report: t(g.lastReport),
        expires: t(g.expires),
        compat: compatMode(g, at),
      }),
    );
  for (const p of r.routerPorts())
    lines.push(
      JSON.stringify({
        type: 'router_port',
        link: p.link,
        address: p.address,
        mac: p.mac,
        reasons: [...p.reasons].map(([sign, seen]) => ({ sign, last_seen: t(seen) })),
        last_seen: t(p.lastSeen),
        expires: t(p.expires),
      }),
    );
  for (const q of r.queriers)
    lines.push(
      JSON.stringify({
        type: 'querier',
        link: q.link,
        router: q.router,
        from: t(q.from),
        from_frame: q.fromFrame,
        to: q.to === undefined ? undefined : t(q.to),
        why: q.why,
        robustness: q.timers.robustness,
        query_interval: q.timers.queryInterval,
        query_response_interval: q.timers.queryResponseInterval,
        readings: q.timers.readings.map((c) => ({
          field: c.field,
          code: c.code,
          reading: c.reading,
          seconds: c.seconds,
          rfc_seconds: c.rfcSeconds,
          plain_seconds: c.plainSeconds,
          observed_interval: c.observed === undefined ? undefined : t(c.observed),
          implausible: c.implausible,
          why: c.why,
        })),
        given: q.timers.fixed.map(snake),
      }),
    );
  for (const l of [...r.leaves, ...r.openLeaves()])
    lines.push(
      JSON.stringify({
        type: 'leave',
        link: l.link,
        group: l.group,
        host: l.host,
        leave_at: t(l.leaveAt),
        leave_frame: l.leaveFrame,
        repeats: l.repeats,
        last_query_at: l.lastQueryAt === undefined ? undefined : t(l.lastQueryAt),
        outcome: l.outcome,
        removed_at: l.removedAt === undefined ? undefined : t(l.removedAt),
        answered_by: l.answeredBy,
        answered_at: l.answeredAt === undefined ? undefined : t(l.answeredAt),
        latency: l.removedAt === undefined ? undefined : t(l.removedAt - l.leaveAt),
      }),
    );
  for (const w of r.suppression)
    lines.push(
      JSON.stringify({
        type: 'suppression',
        link: w.link,
        query_at: t(w.time),
        query_frame: w.frame,
        max_resp: w.maxResp,
        groups: [...w.reports].map(([group, g]) => ({
          group,
          v1_v2_reports: g.old.length,
          v1_v2_hosts: distinctHosts(g.old),
          v3_reports: g.v3.length,
          v3_hosts: distinctHosts(g.v3),
        })),
      }),
    );
  const totals = r.leaveTotals;
  lines.push(
    JSON.stringify({
      type: 'summary',
      at: t(at),
      groups: groups.length,
      members: groups.reduce((n, g) => n + g.hosts.size, 0),
      general_queries: r.generalQueries,
      leaves_removed: totals.removed,
      leaves_answered: totals.answered,
      leaves_ignored: totals.ignored,
      leaves_pending: r.openLeaves().length,
      latency_average: totals.removed ? t(totals.latencySum / totals.removed) : undefined,
      latency_max: totals.removed ? t(totals.latencyMax) : undefined,
    }),
  );
  return lines;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** INCLUDE: the sources forwarded; EXCLUDE: any source but the blocked ones (Y), X listed. */
function sourcesText(mode: 'INCLUDE' | 'EXCLUDE', forwarded: string[], blocked: string[]): string {
  if (mode === 'INCLUDE') return forwarded.length ? forwarded.join(', ') : 'none';
  const parts = [];
  if (forwarded.length) parts.push(`timers: ${forwarded.join(', ')}`);
  if (blocked.length) parts.push(`blocked: ${blocked.join(', ')}`);
  return parts.length ? `any, ${parts.join('; ')}` : 'any';
}
