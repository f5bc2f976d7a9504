import Table from 'cli-table3';
import {
  compatMode,
  fmt,
  type MembershipEvent,
  type MembershipReplay,
} from '../analysis/membership/replay.js';
import { asciiJsonString } from './bytestring.js';

const style = { head: [], border: [] };

/** The default view: groups at the end, queriers over time, leave latency, suppression. */
export function membershipTables(r: MembershipReplay, at: number): string {
  const out: string[] = [];
  const groups = new Table({
    head: [
      'link',
      'group',
      'mode',
      'sources',
      'members',
      'first join',
      'last report',
      'expires',
      'compat',
    ],
    style,
  });
  for (const g of r.groups()) {
    const members = [...g.hosts.values()]
      .map((h) => {
        const filter = h.sources.length
          ? ` ${h.mode} {${h.sources.join(', ')}}`
          : h.mode === 'INCLUDE'
            ? ' INCLUDE {}'
            : '';
        return (h.mac ? `${h.address} (${h.mac})` : h.address) + filter;
      })
      .join('\n');
    groups.push([
      g.link,
      g.group,
      g.mode,
      sourcesText(g.mode, g.sources, g.blocked),
      members || '(leave pending)',
      fmt(g.firstJoin),
      fmt(g.lastReport),
      fmt(g.expires),
      `v${compatMode(g, at)}`,
    ]);
  }
  out.push(`Groups at ${fmt(at)} s`, r.groups().length ? groups.toString() : '(none)');

  const queriers = new Table({ head: ['link', 'querier', 'from', 'to', 'why it stopped'], style });
  for (const q of r.queriers)
    queriers.push([
      q.link,
      q.router,
      `${fmt(q.from)} (#${q.fromFrame})`,
      q.to === undefined ? '—' : fmt(q.to),
      q.why ?? '(still querier)',
    ]);
  out.push('Queriers', r.queriers.length ? queriers.toString() : '(none seen)');

  const ports = new Table({ head: ['link', 'router port', 'MAC', 'seen by', 'last seen'], style });
  for (const p of r.routerPorts())
    ports.push([p.link, p.address, p.mac, p.seenBy, fmt(p.lastSeen)]);
  out.push(
    'Router ports (snooping, RFC 4541)',
    r.routerPorts().length ? ports.toString() : '(none)',
  );

  const leaves = new Table({
    head: ['link', 'group', 'host', 'leave', 'last group query', 'outcome', 'latency'],
    style,
  });
  for (const l of [...r.leaves, ...r.openLeaves()]) {
    const outcome =
      l.outcome === 'removed'
        ? `removed at ${fmt(l.removedAt ?? 0)}`
        : l.outcome === 'answered'
          ? `answered by ${l.answeredBy}`
          : 'pending';
    const latency = l.removedAt === undefined ? '—' : `${fmt(l.removedAt - l.leaveAt)} s`;
    leaves.push([
      l.link,
      l.group,
      l.host,
      `${fmt(l.leaveAt)} (#${l.leaveFrame})`,
      l.lastQueryAt === undefined ? '—' : fmt(l.lastQueryAt),
      outcome,
      latency,
    ]);
  }
  const t = r.leaveTotals;
  const average = t.removed
    ? ` (average ${fmt(t.latencySum / t.removed)} s, longest ${fmt(t.latencyMax)} s)`
    : '';
  out.push(
    `Leaves: ${t.removed} confirmed by removal${average}, ${t.answered} answered by another member` +
      (t.removed + t.answered > r.leaves.length ? `; the last ${r.leaves.length} shown` : ''),
    r.leaves.length + r.openLeaves().length ? leaves.toString() : '(none)',
  );

  const suppression = new Table({
    head: ['link', 'general query', 'max resp', 'group', 'reports', 'from'],
    style,
  });
  for (const w of r.suppression) {
    if (w.reports.size === 0)
      suppression.push([w.link, `${fmt(w.time)} (#${w.frame})`, `${w.maxResp} s`, '—', '0', '']);
    for (const [group, hosts] of w.reports)
      suppression.push([
        w.link,
        `${fmt(w.time)} (#${w.frame})`,
        `${w.maxResp} s`,
        group,
        String(hosts.length),
        hosts.join(', '),
      ]);
  }
  out.push(
    'Report suppression (reports per group within Max Resp Time of each general query)',
    r.suppression.length ? suppression.toString() : '(no general query)',
  );
  return out.join('\n');
}

export function eventLine(e: MembershipEvent): string {
  return `${fmt(e.time).padStart(12)} #${String(e.frame).padEnd(6)} ${e.link.padEnd(10)} ${e.kind.padEnd(16)} ${e.detail}`;
}

export function eventJson(e: MembershipEvent): string {
  const group = e.group === undefined ? '' : `,"group":"${e.group}"`;
  const host = e.host === undefined ? '' : `,"host":"${e.host}"`;
  return `{"type":"event","time":${e.time.toFixed(6)},"frame.number":${e.frame},"link":"${e.link}","kind":"${e.kind}"${group}${host},"detail":${asciiJsonString(e.detail)}}`;
}

/** The final state as NDJSON: one line per group, then per querier span. */
export function stateJson(r: MembershipReplay, at: number): string[] {
  const lines = r.groups().map((g) =>
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
        mode: h.mode,
        sources: h.sources,
        first_report: h.firstReport,
        last_report: h.lastReport,
      })),
      first_join: g.firstJoin,
      last_report: g.lastReport,
      expires: g.expires,
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
        seen_by: p.seenBy,
        last_seen: p.lastSeen,
      }),
    );
  for (const q of r.queriers)
    lines.push(
      JSON.stringify({
        type: 'querier',
        link: q.link,
        router: q.router,
        from: q.from,
        to: q.to ?? null,
        why: q.why ?? null,
      }),
    );
  for (const l of [...r.leaves, ...r.openLeaves()])
    lines.push(
      JSON.stringify({
        type: 'leave',
        ...l,
        latency: l.removedAt === undefined ? null : l.removedAt - l.leaveAt,
      }),
    );
  return lines;
}

/** INCLUDE: the sources forwarded; EXCLUDE: any source but the blocked ones (Y), X listed. */
function sourcesText(mode: 'INCLUDE' | 'EXCLUDE', forwarded: string[], blocked: string[]): string {
  if (mode === 'INCLUDE') return forwarded.length ? forwarded.join(', ') : 'none';
  const parts = [];
  if (forwarded.length) parts.push(`timers: ${forwarded.join(', ')}`);
  if (blocked.length) parts.push(`blocked: ${blocked.join(', ')}`);
  return parts.length ? `any, ${parts.join('; ')}` : 'any';
}
