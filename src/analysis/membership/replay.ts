import { macAt } from '../../addr.js';
import type { Dissection } from '../../dissect.js';
import { carrierMac, carrierPath } from '../../layers/registry.js';
import type { IgmpMessage } from '../../layers/views.js';
import {
  IGMP_DVMRP,
  IGMP_PIMV1,
  IGMP_QUERY,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
} from '../../layers/igmp/types.js';
import { decodeFloatCode } from '../../layers/igmp/codes.js';
import {
  ALLOW,
  applyRecord,
  BLOCK,
  blocked,
  forwarded,
  hasDue,
  IS_EX,
  IS_IN,
  lowerForQuery,
  newRouterGroup,
  nextTimer,
  runTimers,
  TO_EX,
  TO_IN,
  type RouterGroup,
} from './router-v3.js';
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
  | 'querier-conflict'
  | 'source-added'
  | 'source-blocked'
  | 'router-port';

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
  /** The host's own filter for the group, as a snooping switch keeps it per port (RFC 4541). */
  mode: 'INCLUDE' | 'EXCLUDE';
  sources: string[];
}

/** A host's filter after one of its records (its own state, RFC 3376 §3.2 / §5.1). */
function hostFilter(h: HostState, type: number, b: readonly string[]): void {
  const set = new Set(h.sources);
  if (type === IS_IN || type === TO_IN) [h.mode, h.sources] = ['INCLUDE', [...b]];
  else if (type === IS_EX || type === TO_EX) [h.mode, h.sources] = ['EXCLUDE', [...b]];
  else if ((type === ALLOW) === (h.mode === 'INCLUDE')) h.sources = [...new Set([...set, ...b])];
  else h.sources = [...set].filter((s) => !b.includes(s));
}

export interface GroupState {
  link: string;
  group: string;
  /** Filter mode (v1/v2 membership is EXCLUDE({}), RFC 3376 §7.3.2). */
  mode: 'INCLUDE' | 'EXCLUDE';
  /** Forwarded sources: A in INCLUDE mode, X in EXCLUDE mode. */
  sources: string[];
  /** Y: sources blocked in EXCLUDE mode. */
  blocked: string[];
  /** The RFC 3376 §6 router state the view above is read from. */
  router: RouterGroup;
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

/** A snooping switch's router port (RFC 4541 §2.1.1): where queries or PIM/MRD messages come from. */
export interface RouterPort {
  link: string;
  address: string;
  mac: string;
  /** What showed it is a router: `IGMP query`, `PIMv1`, `multicast router advertisement`. */
  seenBy: string;
  lastSeen: number;
}

interface LinkState {
  groups: Map<string, GroupState>;
  routerPorts: Map<string, RouterPort>;
  /** Highest IGMP version of the queries seen: the routers' version, once known. */
  routerVersion?: number;
  querier?: { address: string; lastQuery: number; span: QuerierSpan };
  conflicts: Set<string>;
  window?: SuppressionWindow;
}

const UNSPECIFIED = '0.0.0.0';

/** Messages that show their sender is a multicast router (RFC 4541 §2.1.1, RFC 4286). */
const ROUTER_SIGNS: ReadonlyMap<number, string> = new Map([
  [IGMP_QUERY, 'IGMP query'],
  [IGMP_DVMRP, 'DVMRP'],
  [IGMP_PIMV1, 'PIMv1'],
  [0x30, 'multicast router advertisement'],
]);

/**
 * Replays a capture's IGMP frames through the router and snooping-switch models, in capture
 * order, with the capture's clock (never the wall clock), per link (interface + VLAN).
 *
 * This step models IGMPv1/v2 routers (RFC 2236 §3, §7, timers of §8), older-host compatibility
 * (RFC 3376 §7.3), querier election (RFC 2236 §3, RFC 3376 §6.6.2), report suppression and the
 * snooping view (RFC 4541): hosts per group. Router state per group follows RFC 3376 §6
 * (router-v3.ts): filter mode, group and source timers, the §6.4 tables, with v1/v2 messages
 * translated as §7.3.2 says.
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
    const macOffset = carrierMac(d, 'source');
    const mac = macOffset === undefined ? '' : macAt(d.frame.data, macOffset);
    const routerSign = ROUTER_SIGNS.get(msg.type);
    if (routerSign && host !== UNSPECIFIED) this.routerPort(link, state, host, mac, routerSign);
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

  /** The snooping switch's router ports of every link. */
  routerPorts(): RouterPort[] {
    const out: RouterPort[] = [];
    for (const state of this.links.values()) out.push(...state.routerPorts.values());
    return out;
  }

  private routerPort(
    link: string,
    state: LinkState,
    address: string,
    mac: string,
    seenBy: string,
  ): void {
    const known = state.routerPorts.get(address);
    if (known) {
      known.lastSeen = this.now;
      return;
    }
    state.routerPorts.set(address, { link, address, mac, seenBy, lastSeen: this.now });
    this.event(
      link,
      'router-port',
      `${address}${mac ? ` (${mac})` : ''} is a router port (${seenBy})`,
      undefined,
      address,
    );
  }

  /** Leaves still pending and the current querier of each link, for the final tables. */
  openLeaves(): LeaveLatency[] {
    return this.groups()
      .filter((g) => g.pendingLeave)
      .map((g) => ({ ...closeLeave(g, g.pendingLeave as PendingLeave), outcome: 'pending' }));
  }

  /**
   * The link a frame was seen on: its interface and what carries it (VLAN tags, a tunnel's
   * endpoints and VNI or key), so two VLANs or two overlays never merge.
   */
  private linkOf(d: Dissection): string {
    const path = carrierPath(d);
    return `if${d.frame.interfaceId}${path === '' ? '' : `/${path}`}`;
  }

  private stateOf(link: string): LinkState {
    let state = this.links.get(link);
    if (!state) {
      state = { groups: new Map(), routerPorts: new Map(), conflicts: new Set() };
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
    // Group(-and-source)-specific query, S clear: RFC 2236 §3 — non-queriers lower their timer
    // to LMQC × Max Resp Time; RFC 3376 §6.6.1/§6.6.3 — the group timer (Q(G)) or the source
    // timers (Q(G,A)) to LMQT. Lowering only, never raising.
    const g = msg.group === undefined ? undefined : state.groups.get(msg.group);
    if (!g || msg.sFlag) return;
    const lmqt = lastMemberQueryCount(this.params) * maxResp;
    lowerForQuery(g.router, msg.sources ?? [], this.now, lmqt);
    this.sync(g);
    if (g.pendingLeave) g.pendingLeave.lastQuery = this.now;
    const what = msg.sources?.length ? `sources ${msg.sources.join(', ')}` : 'group';
    this.event(
      link,
      'group-query',
      `${msg.queryKind} query from ${router}: ${what} timer lowered to ${fmt(this.now + lmqt)} s`,
      g.group,
    );
  }

  /** RFC 3376 §4.1.6–4.1.7: adopt the querier's robustness, query interval and response interval. */
  private learn(msg: IgmpMessage): void {
    if (msg.qrv !== undefined && msg.qrv > 0) this.params.robustness = msg.qrv;
    // The Max Resp Code of general queries is the Query Response Interval (§8.3).
    if (msg.queryKind === 'general' && msg.maxRespTenths)
      this.params.queryResponseInterval = msg.maxRespTenths / 10;
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
    // RFC 3376 §7.3.2: a v1 or v2 report is IS_EX({}), and starts the older-host timer.
    const g = this.record(link, state, group, host, mac, IS_EX, []);
    const before = compatMode(g, this.now);
    if (version === 1) g.v1HostUntil = this.now + groupMembershipInterval(this.params);
    if (version === 2) g.v2HostUntil = this.now + groupMembershipInterval(this.params);
    const after = compatMode(g, this.now);
    // Only worth an event where it matters: hosts older than the routers of the link.
    if (after !== before && state.routerVersion !== undefined && after < state.routerVersion) {
      this.event(
        link,
        'compat-change',
        `group in IGMPv${after} compatibility mode (v${version} host ${host})`,
        group,
        host,
      );
    }
    const window = state.window;
    if (window && this.now <= window.time + window.maxResp) {
      const senders = window.reports.get(group) ?? [];
      senders.push(host);
      window.reports.set(group, senders);
    }
  }

  /** One group record (or its v1/v2 equivalent) from a host: router state and snooping view. */
  private record(
    link: string,
    state: LinkState,
    group: string,
    host: string,
    mac: string,
    type: number,
    sources: readonly string[],
  ): GroupState {
    let g = state.groups.get(group);
    const created = !g;
    if (!g) {
      g = {
        link,
        group,
        mode: 'INCLUDE',
        sources: [],
        blocked: [],
        router: newRouterGroup(),
        hosts: new Map(),
        firstJoin: this.now,
        lastReport: this.now,
        expires: 0,
        v1HostUntil: -Infinity,
        v2HostUntil: -Infinity,
      };
      state.groups.set(group, g);
      const what = type === IS_EX || type === TO_EX ? 'EXCLUDE' : 'INCLUDE';
      this.event(
        link,
        'join',
        `${host} joins ${group} (${what}${sources.length ? ` {${sources.join(', ')}}` : ''})`,
        group,
        host,
      );
    }
    const modeBefore = g.router.mode;
    applyRecord(g.router, type, sources, this.now, groupMembershipInterval(this.params));
    if (g.router.mode !== modeBefore && !created) {
      this.event(
        link,
        'mode-change',
        `${group} filter mode ${modeBefore} → ${g.router.mode} (record from ${host})`,
        group,
        host,
      );
    }
    g.lastReport = this.now;
    let known = g.hosts.get(host);
    if (known) known.lastReport = this.now;
    else {
      known = {
        address: host,
        mac,
        firstReport: this.now,
        lastReport: this.now,
        mode: 'INCLUDE',
        sources: [],
      };
      g.hosts.set(host, known);
      if (g.hosts.size > 1)
        this.event(link, 'host-join', `${host} also reports ${group}`, group, host);
    }
    hostFilter(known, type, sources);
    if (g.pendingLeave && g.pendingLeave.host !== host) {
      this.recordLeave({ ...closeLeave(g, g.pendingLeave), outcome: 'answered', answeredBy: host });
      this.event(
        link,
        'leave-answered',
        `${host} answers for ${group}: the group stays`,
        group,
        host,
      );
    }
    g.pendingLeave = undefined;
    this.sync(g);
    return g;
  }

  /** A leave: v2 leave, or v3 TO_IN({}) (RFC 3376 §7.3.2 translates the one into the other). */
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
    applyRecord(g.router, TO_IN, [], this.now, groupMembershipInterval(this.params));
    g.hosts.delete(host);
    g.pendingLeave = { time: this.now, frame: this.frameNumber, host };
    this.event(link, 'leave-seen', `${host} leaves ${group}`, group, host);
    this.sync(g);
  }

  /** v3 group records, through the tables of RFC 3376 §6.4 with the §7.3.2 translations. */
  private v3Report(
    link: string,
    state: LinkState,
    msg: IgmpMessage,
    host: string,
    mac: string,
  ): void {
    for (const r of msg.records ?? []) {
      if (r.type < IS_IN || r.type > BLOCK) continue;
      const existing = state.groups.get(r.group);
      const compat = existing ? compatMode(existing, this.now) : 3;
      if ((r.type === TO_IN || r.type === IS_IN) && r.sources.length === 0) {
        this.leave(link, state, r.group, host);
        continue;
      }
      // In v1/v2 compatibility mode BLOCK is ignored and TO_EX(x) is taken as TO_EX({}).
      if (compat < 3 && r.type === BLOCK) continue;
      const sources = compat < 3 && r.type === TO_EX ? [] : r.sources;
      if (r.type === BLOCK && !existing) continue;
      const g = this.record(link, state, r.group, host, mac, r.type, sources);
      if (r.type === BLOCK) {
        this.event(
          link,
          'source-blocked',
          `${host} blocks ${r.sources.join(', ')} for ${r.group}`,
          r.group,
          host,
        );
      } else if ((r.type === ALLOW || r.type === IS_IN || r.type === TO_IN) && sources.length > 0) {
        this.event(
          link,
          'source-added',
          `${host} adds ${sources.join(', ')} for ${r.group} (${g.mode})`,
          r.group,
          host,
        );
      }
    }
  }

  /** Refreshes the group's view (mode, X, Y, next expiry) from its router state. */
  private sync(g: GroupState): void {
    const r = g.router;
    g.mode = r.mode;
    g.sources = forwarded(r, this.now);
    g.blocked = r.mode === 'EXCLUDE' ? blocked(r) : [];
    const next = nextTimer(r, this.now);
    g.expires = r.mode === 'EXCLUDE' ? r.groupTimer : Math.max(0, ...r.sources.values());
    this.nextExpiry = Math.min(this.nextExpiry, next);
  }

  private expire(at: number): void {
    let next = Infinity;
    for (const [link, state] of this.links) {
      for (const [group, g] of state.groups) {
        if (!hasDue(g.router, at)) {
          next = Math.min(next, nextTimer(g.router, at));
          continue;
        }
        const modeBefore = g.router.mode;
        const alive = runTimers(g.router, at);
        if (!alive) {
          state.groups.delete(group);
          if (g.pendingLeave)
            this.recordLeave({
              ...closeLeave(g, g.pendingLeave),
              removedAt: at,
              outcome: 'removed',
            });
          this.emit({
            time: at,
            frame: this.frameNumber,
            link,
            kind: 'expiry',
            group,
            detail: `${group} expires: no member left`,
          });
          continue;
        }
        if (g.router.mode !== modeBefore) {
          this.emit({
            time: at,
            frame: this.frameNumber,
            link,
            kind: 'mode-change',
            group,
            detail: `${group} group timer expired: EXCLUDE → INCLUDE {${forwarded(g.router, at).join(', ')}}`,
          });
        }
        this.sync(g);
        next = Math.min(next, nextTimer(g.router, at));
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
