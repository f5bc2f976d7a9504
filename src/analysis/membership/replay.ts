import { macAt } from '../../addr.js';
import type { Dissection } from '../../dissect.js';
import type { IgmpMessage } from '../../igmp/decode.js';
import {
  IGMP_QUERY,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
} from '../../igmp/types.js';
import { decodeFloatCode } from '../../igmp/codes.js';
import {
  DEFAULT_TIMERS,
  groupMembershipInterval,
  lastMemberQueryCount,
  otherQuerierPresentInterval,
  type TimerParams,
} from './timers.js';

export type EventKind =
  | 'join'
  | 'host-join'
  | 'leave-seen'
  | 'leave-ignored'
  | 'leave-answered'
  | 'group-query'
  | 'expiry'
  | 'mode-change'
  | 'compat-change'
  | 'querier-change'
  | 'querier-conflict';

/** One state change, named by the frame that caused it (expiries: the frame that revealed them). */
export interface MembershipEvent {
  /** Seconds since the capture's first frame. */
  time: number;
  frame: number;
  link: string;
  kind: EventKind;
  group?: string;
  host?: string;
  detail: string;
}

export interface HostState {
  address: string;
  mac: string;
  firstReport: number;
  lastReport: number;
}

export interface GroupState {
  link: string;
  group: string;
  /** v1/v2 membership is EXCLUDE({}) (RFC 3376 §7.3.2); v3 records set it. */
  mode: 'INCLUDE' | 'EXCLUDE';
  sources: string[];
  hosts: Map<string, HostState>;
  firstJoin: number;
  lastReport: number;
  /** When the group timer runs out (seconds since the first frame). */
  expires: number;
  /** Older-host-present timers (RFC 3376 §7.3.2), seconds since the first frame. */
  v1HostUntil: number;
  v2HostUntil: number;
  pendingLeave?: PendingLeave;
}

interface PendingLeave {
  time: number;
  frame: number;
  host: string;
  lastQuery?: number;
}

export interface LeaveLatency {
  link: string;
  group: string;
  host: string;
  leaveAt: number;
  leaveFrame: number;
  lastQueryAt?: number;
  /** Removal time, or undefined while still pending at the end of the replay. */
  removedAt?: number;
  /** `removed`, `answered` (another member reported) or `pending`. */
  outcome: 'removed' | 'answered' | 'pending';
  answeredBy?: string;
}

export interface QuerierSpan {
  link: string;
  router: string;
  from: number;
  fromFrame: number;
  to?: number;
  /** Why it stopped being querier: `lost election to X`, `went silent`. */
  why?: string;
}

export interface SuppressionWindow {
  link: string;
  frame: number;
  time: number;
  maxResp: number;
  /** Reports per group within Max Resp Time, and who sent them. */
  reports: Map<string, string[]>;
}

interface LinkState {
  groups: Map<string, GroupState>;
  /** Highest IGMP version of the queries seen: the routers' version, once known. */
  routerVersion?: number;
  querier?: { address: string; lastQuery: number; span: QuerierSpan };
  conflicts: Set<string>;
  window?: SuppressionWindow;
}

const UNSPECIFIED = '0.0.0.0';

/**
 * Replays a capture's IGMP frames through the router and snooping-switch models, in capture
 * order, with the capture's clock (never the wall clock), per link (interface + VLAN).
 *
 * This step models IGMPv1/v2 routers (RFC 2236 §3, §7, timers of §8), older-host compatibility
 * (RFC 3376 §7.3), querier election (RFC 2236 §3, RFC 3376 §6.6.2), report suppression and the
 * snooping view (RFC 4541): hosts per group. v3 records are taken as joins and leaves by their
 * filter mode; the per-source tables of RFC 3376 §6.4 are the next step.
 */
export interface ReplayOptions {
  timers?: Partial<TimerParams>;
  /** Receives each event as it happens; without it events are kept in `events`. */
  onEvent?: (event: MembershipEvent) => void;
  /**
   * How many leaves, querier spans and general-query windows to keep for the tables: memory
   * must follow the number of groups and hosts, not the length of the capture.
   */
  historyLimit?: number;
}

/** Totals over every leave, including those no longer in the kept history. */
export interface LeaveTotals {
  answered: number;
  removed: number;
  /** Sum and maximum of the removal latencies, seconds. */
  latencySum: number;
  latencyMax: number;
}

export class MembershipReplay {
  readonly events: MembershipEvent[] = [];
  readonly leaves: LeaveLatency[] = [];
  readonly queriers: QuerierSpan[] = [];
  readonly suppression: SuppressionWindow[] = [];
  readonly leaveTotals: LeaveTotals = { answered: 0, removed: 0, latencySum: 0, latencyMax: 0 };
  /** General queries seen in all (the table keeps the last `historyLimit`). */
  generalQueries = 0;
  private readonly onEvent?: (event: MembershipEvent) => void;
  private readonly historyLimit: number;
  private readonly links = new Map<string, LinkState>();
  private firstTime: number | undefined;
  private now = 0;
  private frameNumber = 0;
  private nextExpiry = Infinity;
  private readonly params: TimerParams;

  constructor(options: ReplayOptions = {}) {
    const given = Object.entries(options.timers ?? {}).filter(([, v]) => v !== undefined);
    this.params = { ...DEFAULT_TIMERS, ...Object.fromEntries(given) };
    this.onEvent = options.onEvent;
    this.historyLimit = options.historyLimit ?? 1000;
  }

  /** Epoch seconds of the first frame (once one was seen). */
  get start(): number | undefined {
    return this.firstTime;
  }

  /** Seconds since the first frame of a frame's timestamp. */
  timeOf(d: Dissection): number {
    const f = d.frame;
    const absolute = f.tsSec + f.tsFrac / 10 ** f.tsDigits;
    this.firstTime ??= absolute;
    return absolute - this.firstTime;
  }

  /** Feeds one frame (dissected with `detail: false`). */
  frame(d: Dissection): void {
    const time = this.timeOf(d);
    // Expiries are named after the frame whose timestamp revealed them.
    this.frameNumber = d.frame.number;
    this.advance(time);
    const msg = d.igmp;
    const ip = d.ip;
    if (!msg || !ip || msg.malformed || msg.checksumStatus === 'bad') return;
    const link = this.linkOf(d);
    const state = this.stateOf(link);
    const host = ip.src;
    const mac =
      d.layers[0]?.protocol === 'eth' && d.frame.data.length >= 12 ? macAt(d.frame.data, 6) : '';
    if (msg.type === IGMP_QUERY) this.query(link, state, host, msg);
    else if (msg.type === IGMP_V1_REPORT || msg.type === IGMP_V2_REPORT)
      this.report(link, state, msg.group, host, mac, msg.version ?? 2);
    else if (msg.type === IGMP_V2_LEAVE && msg.group !== undefined)
      this.leave(link, state, msg.group, host);
    else if (msg.type === IGMP_V3_REPORT) this.v3Report(link, state, msg, host, mac);
  }

  /** Runs the timers up to `time` (the end of the capture, or `--at`). */
  advance(time: number): void {
    if (time < this.now) return;
    while (this.nextExpiry <= time) {
      const due = this.nextExpiry;
      this.now = due;
      this.expire(due);
    }
    this.now = time;
  }

  /** The state at the current time: every group of every link. */
  groups(): GroupState[] {
    const out: GroupState[] = [];
    for (const state of this.links.values()) out.push(...state.groups.values());
    return out;
  }

  /** Leaves still pending and the current querier of each link, for the final tables. */
  openLeaves(): LeaveLatency[] {
    return this.groups()
      .filter((g) => g.pendingLeave)
      .map((g) => {
        const p = g.pendingLeave as PendingLeave;
        return {
          link: g.link,
          group: g.group,
          host: p.host,
          leaveAt: p.time,
          leaveFrame: p.frame,
          lastQueryAt: p.lastQuery,
          outcome: 'pending',
        };
      });
  }

  private linkOf(d: Dissection): string {
    const vlan = d.layers.filter((l) => l.protocol === 'vlan').pop();
    const id =
      vlan && d.frame.data.length >= vlan.offset + 2
        ? d.frame.data.readUInt16BE(vlan.offset) & 0x0fff
        : undefined;
    return `if${d.frame.interfaceId}${id === undefined ? '' : `/vlan${id}`}`;
  }

  private stateOf(link: string): LinkState {
    let state = this.links.get(link);
    if (!state) {
      state = { groups: new Map(), conflicts: new Set() };
      this.links.set(link, state);
    }
    return state;
  }

  private event(
    link: string,
    kind: EventKind,
    detail: string,
    group?: string,
    host?: string,
  ): void {
    this.emit({ time: this.now, frame: this.frameNumber, link, kind, group, host, detail });
  }

  private emit(event: MembershipEvent): void {
    if (this.onEvent) this.onEvent(event);
    else this.events.push(event);
  }

  /** Appends to a kept history, dropping the oldest beyond the limit. */
  private keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.historyLimit) list.shift();
  }

  private recordLeave(leave: LeaveLatency): void {
    const t = this.leaveTotals;
    if (leave.outcome === 'answered') t.answered++;
    if (leave.outcome === 'removed' && leave.removedAt !== undefined) {
      t.removed++;
      const latency = leave.removedAt - leave.leaveAt;
      t.latencySum += latency;
      t.latencyMax = Math.max(t.latencyMax, latency);
    }
    this.keep(this.leaves, leave);
  }

  private query(link: string, state: LinkState, router: string, msg: IgmpMessage): void {
    const maxResp = (msg.maxRespTenths ?? 100) / 10;
    if (msg.version === 3) this.learn(msg);
    if (msg.version !== undefined)
      state.routerVersion = Math.max(state.routerVersion ?? 0, msg.version);
    if (router !== UNSPECIFIED) this.elect(link, state, router);
    if (msg.queryKind === 'general' || msg.version === 1) {
      const window: SuppressionWindow = {
        link,
        frame: this.frameNumber,
        time: this.now,
        maxResp: msg.version === 1 ? 10 : maxResp,
        reports: new Map(),
      };
      state.window = window;
      this.generalQueries++;
      this.keep(this.suppression, window);
      return;
    }
    // Group-specific query (S clear): RFC 2236 §3 — non-queriers lower their timer to
    // LMQC × Max Resp Time; RFC 3376 §6.6.1 the same with LMQT. Lowering only, never raising.
    const g = msg.group === undefined ? undefined : state.groups.get(msg.group);
    if (!g || msg.sFlag) return;
    const lowered = this.now + lastMemberQueryCount(this.params) * maxResp;
    if (lowered < g.expires) this.setExpiry(g, lowered);
    if (g.pendingLeave) g.pendingLeave.lastQuery = this.now;
    this.event(
      link,
      'group-query',
      `group-specific query from ${router}: timer lowered to ${fmt(g.expires)} s`,
      g.group,
    );
  }

  /** RFC 3376 §4.1.6–4.1.7: adopt the querier's robustness and query interval. */
  private learn(msg: IgmpMessage): void {
    if (msg.qrv !== undefined && msg.qrv > 0) this.params.robustness = msg.qrv;
    if (msg.qqic !== undefined && msg.qqic > 0)
      this.params.queryInterval = decodeFloatCode(msg.qqic);
  }

  /** RFC 2236 §3, RFC 3376 §6.6.2: the lowest address wins; a silent querier is replaced. */
  private elect(link: string, state: LinkState, router: string): void {
    const current = state.querier;
    if (!current) {
      this.becomeQuerier(link, state, router, 'elected: first query seen');
      return;
    }
    if (router === current.address) {
      current.lastQuery = this.now;
      return;
    }
    if (compareIpv4(router, current.address) < 0) {
      this.endSpan(current.span, `lost election to ${router}`);
      this.becomeQuerier(link, state, router, `elected: lower than ${current.address}`);
      return;
    }
    const pair = `${router}>${current.address}`;
    if (!state.conflicts.has(pair)) {
      state.conflicts.add(pair);
      this.event(
        link,
        'querier-conflict',
        `${router} keeps querying while ${current.address} (lower) is querier`,
        undefined,
        router,
      );
    }
  }

  private becomeQuerier(link: string, state: LinkState, router: string, why: string): void {
    const span: QuerierSpan = { link, router, from: this.now, fromFrame: this.frameNumber };
    this.keep(this.queriers, span);
    state.querier = { address: router, lastQuery: this.now, span };
    this.event(link, 'querier-change', `${router} is querier (${why})`, undefined, router);
    this.scheduleQuerierTimeout(state);
  }

  private endSpan(span: QuerierSpan, why: string): void {
    span.to = this.now;
    span.why = why;
  }

  private scheduleQuerierTimeout(state: LinkState): void {
    if (state.querier)
      this.nextExpiry = Math.min(
        this.nextExpiry,
        state.querier.lastQuery + otherQuerierPresentInterval(this.params),
      );
  }

  private report(
    link: string,
    state: LinkState,
    group: string | undefined,
    host: string,
    mac: string,
    version: number,
  ): void {
    if (group === undefined) return;
    const g = this.refresh(link, state, group, host, mac, 'EXCLUDE', []);
    // RFC 3376 §7.3.2: older-host-present timers, the group's compatibility mode follows them.
    const before = compatMode(g, this.now);
    if (version === 1) g.v1HostUntil = this.now + groupMembershipInterval(this.params);
    if (version === 2) g.v2HostUntil = this.now + groupMembershipInterval(this.params);
    const after = compatMode(g, this.now);
    // Only worth an event where it matters: hosts older than the routers of the link.
    if (after !== before && state.routerVersion !== undefined && after < state.routerVersion)
      this.event(
        link,
        'compat-change',
        `group in IGMPv${after} compatibility mode (v${version} host ${host})`,
        group,
        host,
      );
    const window = state.window;
    if (window && this.now <= window.time + window.maxResp) {
      const senders = window.reports.get(group) ?? [];
      senders.push(host);
      window.reports.set(group, senders);
    }
  }

  private refresh(
    link: string,
    state: LinkState,
    group: string,
    host: string,
    mac: string,
    mode: 'INCLUDE' | 'EXCLUDE',
    sources: string[],
  ): GroupState {
    let g = state.groups.get(group);
    if (!g) {
      g = {
        link,
        group,
        mode,
        sources,
        hosts: new Map(),
        firstJoin: this.now,
        lastReport: this.now,
        expires: 0,
        v1HostUntil: -Infinity,
        v2HostUntil: -Infinity,
      };
      state.groups.set(group, g);
      this.event(
        link,
        'join',
        `${host} joins ${group} (${mode}${sources.length ? ` {${sources.join(', ')}}` : ''})`,
        group,
        host,
      );
    } else if (g.mode !== mode) {
      this.event(
        link,
        'mode-change',
        `${group} filter mode ${g.mode} → ${mode} (report from ${host})`,
        group,
        host,
      );
      g.mode = mode;
    }
    g.sources = sources;
    g.lastReport = this.now;
    const known = g.hosts.get(host);
    if (known) known.lastReport = this.now;
    else {
      g.hosts.set(host, { address: host, mac, firstReport: this.now, lastReport: this.now });
      if (g.hosts.size > 1)
        this.event(link, 'host-join', `${host} also reports ${group}`, group, host);
    }
    if (g.pendingLeave && g.pendingLeave.host !== host) {
      this.recordLeave({ ...closeLeave(g, g.pendingLeave), outcome: 'answered', answeredBy: host });
      this.event(
        link,
        'leave-answered',
        `${host} answers for ${group}: the group stays`,
        group,
        host,
      );
      g.pendingLeave = undefined;
    } else if (g.pendingLeave) {
      g.pendingLeave = undefined;
    }
    this.setExpiry(g, this.now + groupMembershipInterval(this.params));
    return g;
  }

  private leave(link: string, state: LinkState, group: string, host: string): void {
    const g = state.groups.get(group);
    if (!g) return;
    // RFC 3376 §7.3.2 (RFC 2236 §4): leaves are ignored while a v1 host is present.
    if (compatMode(g, this.now) === 1) {
      this.event(
        link,
        'leave-ignored',
        `leave from ${host} ignored: an IGMPv1 host is present`,
        group,
        host,
      );
      return;
    }
    g.hosts.delete(host);
    g.pendingLeave = { time: this.now, frame: this.frameNumber, host };
    this.event(link, 'leave-seen', `${host} leaves ${group}`, group, host);
  }

  /** v3 records by filter mode (the per-source tables of RFC 3376 §6.4 are the next step). */
  private v3Report(
    link: string,
    state: LinkState,
    msg: IgmpMessage,
    host: string,
    mac: string,
  ): void {
    for (const r of msg.records ?? []) {
      const include = r.type === 1 || r.type === 3 || r.type === 5;
      if ((r.type === 3 || r.type === 1) && r.sources.length === 0) {
        this.leave(link, state, r.group, host); // TO_IN({}) / IS_IN({}): a leave (RFC 3376 §6.4)
      } else if (r.type === 6) {
        continue; // BLOCK: a source-list change, modelled with the §6.4 tables
      } else {
        this.refresh(link, state, r.group, host, mac, include ? 'INCLUDE' : 'EXCLUDE', r.sources);
      }
    }
  }

  private setExpiry(g: GroupState, at: number): void {
    g.expires = at;
    this.nextExpiry = Math.min(this.nextExpiry, at);
  }

  private expire(at: number): void {
    let next = Infinity;
    for (const [link, state] of this.links) {
      for (const [group, g] of state.groups) {
        if (g.expires <= at) {
          state.groups.delete(group);
          if (g.pendingLeave)
            this.recordLeave({
              ...closeLeave(g, g.pendingLeave),
              removedAt: g.expires,
              outcome: 'removed',
            });
          this.emit({
            time: g.expires,
            frame: this.frameNumber,
            link,
            kind: 'expiry',
            group,
            detail: `${group} expires: no member left`,
          });
        } else next = Math.min(next, g.expires);
      }
      const q = state.querier;
      if (q) {
        const silentAt = q.lastQuery + otherQuerierPresentInterval(this.params);
        if (silentAt <= at) {
          q.span.to = silentAt;
          q.span.why = 'went silent';
          this.emit({
            time: silentAt,
            frame: this.frameNumber,
            link,
            kind: 'querier-change',
            host: q.address,
            detail: `${q.address} went silent: no querier`,
          });
          state.querier = undefined;
        } else next = Math.min(next, silentAt);
      }
    }
    this.nextExpiry = next;
  }
}

function closeLeave(g: GroupState, p: PendingLeave): Omit<LeaveLatency, 'outcome'> {
  return {
    link: g.link,
    group: g.group,
    host: p.host,
    leaveAt: p.time,
    leaveFrame: p.frame,
    lastQueryAt: p.lastQuery,
  };
}

/** RFC 3376 §7.3.2: v1 while the v1 host timer runs, else v2 while that one runs, else v3. */
export function compatMode(g: GroupState, now: number): 1 | 2 | 3 {
  if (g.v1HostUntil > now) return 1;
  if (g.v2HostUntil > now) return 2;
  return 3;
}

function compareIpv4(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Seconds with millisecond precision, as the tables and events show them. */
export function fmt(seconds: number): string {
  return seconds.toFixed(3);
}
