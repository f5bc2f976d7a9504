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
import { readIntervalCode, type CodeReading } from '../checks.js';
import { applyHostRecord, isMember, type HostState } from './hosts.js';
import {
  BLOCK,
  blocked,
  forwarded,
  hasDue,
  IS_EX,
  IS_IN,
  applyRecord,
  lowerForQuery,
  newRouterGroup,
  nextTimer,
  runTimers,
  TO_EX,
  TO_IN,
  type RouterGroup,
} from './router-v3.js';
import { TimerQueue, type Timed } from './scheduler.js';
import {
  DEFAULT_TIMERS,
  groupMembershipInterval,
  lastMemberQueryCount,
  otherQuerierPresentInterval,
  type TimerParams,
} from './timers.js';

export type { HostState } from './hosts.js';

export type EventKind =
  | 'join'
  | 'host-join'
  | 'host-leave'
  | 'host-expiry'
  | 'leave-seen'
  | 'leave-ignored'
  | 'leave-answered'
  | 'group-query'
  | 'expiry'
  | 'mode-change'
  | 'compat-change'
  | 'querier-change'
  | 'querier-conflict'
  | 'timers-learned'
  | 'source-added'
  | 'source-blocked'
  | 'router-port'
  | 'router-port-expiry';

/**
 * One state change. `frame` is the frame that caused it; a timer's expiry has none (it happens
 * at its own time, between frames).
 */
export interface MembershipEvent {
  /** Seconds since the capture's first frame. */
  time: number;
  frame?: number;
  link: string;
  kind: EventKind;
  group?: string;
  host?: string;
  detail: string;
}

export interface GroupState extends Timed {
  readonly kind: 'group';
  link: string;
  group: string;
  /** Filter mode (v1/v2 membership is EXCLUDE({}), RFC 3376 §7.3.2). Refreshed by groups(). */
  mode: 'INCLUDE' | 'EXCLUDE';
  /** Forwarded sources: A in INCLUDE mode, X in EXCLUDE mode. Refreshed by groups(). */
  sources: string[];
  /** Y: sources blocked in EXCLUDE mode. Refreshed by groups(). */
  blocked: string[];
  /** The RFC 3376 §6 router state the view above is read from. */
  router: RouterGroup;
  /** The snooping view: member hosts by address, each with its own filter and aging. */
  hosts: Map<string, HostState>;
  firstJoin: number;
  lastReport: number;
  /** When the router state runs out (seconds since the first frame). Refreshed by groups(). */
  expires: number;
  /** Older-host-present timers (RFC 3376 §7.3.2), seconds since the first frame. */
  v1HostUntil: number;
  v2HostUntil: number;
  /** Leaves waiting for the last-member queries' outcome, by the host that left. */
  pendingLeaves: Map<string, PendingLeave>;
}

interface PendingLeave {
  time: number;
  frame: number;
  host: string;
  /** Leaves the host sent again while it waited (v3 hosts repeat state changes, §5.1). */
  repeats: number;
  lastQuery?: number;
}

export interface LeaveLatency {
  link: string;
  group: string;
  host: string;
  /** The host's first leave of this wait, not a retransmission. */
  leaveAt: number;
  leaveFrame: number;
  repeats: number;
  lastQueryAt?: number;
  /** Removal time, or undefined while still pending at the end of the replay. */
  removedAt?: number;
  /**
   * `removed`, `answered` (a report for the group within the wait: the group stays),
   * `ignored` (an IGMPv1 host is present, RFC 3376 §7.3.2) or `pending`.
   */
  outcome: 'removed' | 'answered' | 'ignored' | 'pending';
  answeredBy?: string;
  answeredAt?: number;
}

/** The timers a querier's queries set, and how its codes were read. */
export interface LearnedTimers {
  robustness: number;
  queryInterval: number;
  queryResponseInterval: number;
  /** QQIC and general-query Max Resp Code of 128 or more: the reading taken (see checks.ts). */
  readings: CodeReading[];
  /** Timers given on the command line, which queries do not change. */
  fixed: (keyof TimerParams)[];
}

export interface QuerierSpan {
  link: string;
  router: string;
  from: number;
  fromFrame: number;
  to?: number;
  /** Why it stopped being querier: `lost election to X`, `went silent`. */
  why?: string;
  /** What its queries said (RFC 3376 §4.1.6, §4.1.7, §8.3), as this replay read them. */
  timers: LearnedTimers;
}

/**
 * The reports for one group within the Max Resp Time of a general query: the sender of each,
 * in order (a host that repeats its report is there twice; `distinctHosts` tells them apart).
 * v1/v2 hosts suppress (RFC 2236 §3), v3 hosts never do (RFC 3376 §5.2).
 */
export interface GroupReports {
  old: string[];
  v3: string[];
}

/** The hosts of a list of report senders, each once, in order. */
export function distinctHosts(senders: readonly string[]): string[] {
  return [...new Set(senders)];
}

export interface SuppressionWindow {
  link: string;
  frame: number;
  time: number;
  maxResp: number;
  /** Reports per group within Max Resp Time. */
  reports: Map<string, GroupReports>;
}

/**
 * A snooping switch's router port (RFC 4541 §2.1.1): where the elected querier's queries, PIM
 * or DVMRP router messages or multicast router advertisements (RFC 4286) come from. It ages
 * out the Other Querier Present Interval after the last of them, as the Linux bridge ages its
 * router ports (multicast_querier_interval).
 */
export interface RouterPort extends Timed {
  link: string;
  address: string;
  mac: string;
  /** What showed it is a router port, each with the last time it was seen. */
  reasons: Map<string, number>;
  lastSeen: number;
  expires: number;
}

interface Querier {
  address: string;
  lastQuery: number;
  span: QuerierSpan;
}

interface LinkState extends Timed {
  readonly kind: 'link';
  name: string;
  groups: Map<string, GroupState>;
  routerPorts: Map<string, RouterPort>;
  /** Highest IGMP version of the queries seen: the routers' version, once known. */
  routerVersion?: number;
  querier?: Querier;
  conflicts: Set<string>;
  window?: SuppressionWindow;
  /** The timers in force on this link: defaults, options, then what its querier said. */
  params: TimerParams;
  readings: Map<CodeReading['field'], CodeReading>;
  /** Each router's general queries: the last one and the longest interval between two. */
  generalQueries: Map<string, { last: number; longest: number }>;
}

interface PortTimer extends RouterPort {
  readonly kind: 'port';
  state: LinkState;
}

interface HostTimer extends HostState {
  readonly kind: 'host';
  groupState: GroupState;
  state: LinkState;
}

interface GroupTimer extends GroupState {
  state: LinkState;
}

type TimerTarget = GroupTimer | HostTimer | PortTimer | LinkState;

const UNSPECIFIED = '0.0.0.0';
const ALL_ROUTERS = '224.0.0.2';
const ALL_SNOOPERS = '224.0.0.106';
/** RFC 4286 §3 Advertisement; 0x24 is the older MRDISC draft's, sent to 224.0.0.2. */
const MRD_ADVERTISEMENT = 0x30;
const MRD_DRAFT_ADVERTISEMENT = 0x24;
const DVMRP_PROBE = 1;
const DVMRP_REPORT = 2;
const PIMV1_QUERY = 0;

/**
 * The messages that show their sender is a multicast router, besides the elected querier's
 * queries (RFC 4541 §2.1.1): PIMv1 Query (PIMv1's hello), DVMRP Probe and Report (neighbour
 * discovery and routes, which only routers send), and the multicast router advertisement
 * (RFC 4286 §3, to 224.0.0.106; the older draft's to 224.0.0.2). Not DVMRP's Ask Neighbors
 * (mrinfo sends those from any host), nor PIMv2, which is IP protocol 103 and not decoded.
 */
function routerSign(msg: IgmpMessage, dst: string): string | undefined {
  if (msg.type === IGMP_DVMRP) {
    if (msg.code === DVMRP_PROBE) return 'DVMRP Probe';
    if (msg.code === DVMRP_REPORT) return 'DVMRP Report';
    return undefined;
  }
  if (msg.type === IGMP_PIMV1) return msg.code === PIMV1_QUERY ? 'PIMv1 Query' : undefined;
  if (msg.type === MRD_ADVERTISEMENT && dst === ALL_SNOOPERS) return 'MRD Advertisement';
  if (msg.type === MRD_DRAFT_ADVERTISEMENT && dst === ALL_ROUTERS)
    return 'MRD Advertisement (draft)';
  return undefined;
}

/**
 * Replays a capture's IGMP frames through the router and snooping-switch models, in capture
 * order, with the capture's clock (never the wall clock), per link (interface + VLAN, tunnel).
 *
 * Router state per group follows RFC 3376 §6 (router-v3.ts), with v1/v2 messages translated as
 * §7.3.2 says and the older-host-present timers; querier election (RFC 2236 §3, RFC 3376
 * §6.6.2); report suppression windows; and the snooping view (RFC 4541): the member hosts of
 * each group, each aged on its own, and the router ports, aged too.
 *
 * Every report costs O(1) in the number of hosts (hosts are a Map by address; timers are
 * pushed later lazily, scheduler.ts), so IPTV-sized groups replay at the rate of small ones.
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
  /** No events at all, not even kept (the tables need none): their text is never made. */
  quiet?: boolean;
}

/** Totals over every leave, including those no longer in the kept history. */
export interface LeaveTotals {
  answered: number;
  removed: number;
  ignored: number;
  /** Sum and maximum of the removal latencies (from the first leave), seconds. */
  latencySum: number;
  latencyMax: number;
}

export class MembershipReplay {
  readonly events: MembershipEvent[] = [];
  private readonly kept = {
    leaves: [] as LeaveLatency[],
    queriers: [] as QuerierSpan[],
    suppression: [] as SuppressionWindow[],
  };
  readonly leaveTotals: LeaveTotals = {
    answered: 0,
    removed: 0,
    ignored: 0,
    latencySum: 0,
    latencyMax: 0,
  };
  /** General queries seen in all (the table keeps the last `historyLimit`). */
  generalQueries = 0;
  /** Decimal digits of the capture's timestamps (6 for µs, 9 for ns): the precision of times. */
  precision = 6;
  /** The digits of the last frame's timestamp fraction, and what divides it to seconds. */
  private digits = -1;
  private fractionDivisor = 1;
  private readonly onEvent?: (event: MembershipEvent) => void;
  /** Whether anyone wants events (a listener, or `events` kept). */
  private readonly listening: boolean;
  private readonly historyLimit: number;
  private readonly links = new Map<string, LinkState>();
  private readonly linkNames = new Map<number, string>();
  private firstSec: number | undefined;
  private firstFrac = 0;
  private now = 0;
  /** The frame being replayed; undefined while timers run between frames. */
  private frameNumber: number | undefined;
  private readonly timers = new TimerQueue<TimerTarget>();
  private readonly base: TimerParams;
  private readonly fixed: (keyof TimerParams)[];

  constructor(options: ReplayOptions = {}) {
    const given = Object.entries(options.timers ?? {}).filter(([, v]) => v !== undefined);
    this.base = { ...DEFAULT_TIMERS, ...Object.fromEntries(given) };
    this.fixed = given.map(([k]) => k as keyof TimerParams);
    this.onEvent = options.onEvent;
    this.listening = options.quiet !== true;
    this.historyLimit = options.historyLimit ?? 1000;
  }

  /** The last `historyLimit` leaves (removed, answered, ignored), oldest first. */
  get leaves(): LeaveLatency[] {
    return this.trimmed(this.kept.leaves);
  }

  /** The last `historyLimit` querier spans, oldest first. */
  get queriers(): QuerierSpan[] {
    return this.trimmed(this.kept.queriers);
  }

  /** The last `historyLimit` general queries with the reports that followed each. */
  get suppression(): SuppressionWindow[] {
    return this.trimmed(this.kept.suppression);
  }

  private trimmed<T>(list: T[]): T[] {
    if (list.length > this.historyLimit) list.splice(0, list.length - this.historyLimit);
    return list;
  }

  /** Epoch seconds of the first frame (once one was seen). */
  get start(): number | undefined {
    return this.firstSec === undefined ? undefined : this.firstSec + this.firstFrac;
  }

  /**
   * Seconds since the first frame of a frame's timestamp: whole seconds and fractions apart,
   * so that no epoch-sized float takes the fraction's precision.
   */
  timeOf(d: Dissection): number {
    const f = d.frame;
    if (f.tsDigits !== this.digits) {
      this.digits = f.tsDigits;
      this.fractionDivisor = 10 ** f.tsDigits;
      if (f.tsDigits > this.precision) this.precision = f.tsDigits;
    }
    const fraction = f.tsFrac / this.fractionDivisor;
    if (this.firstSec === undefined) {
      this.firstSec = f.tsSec;
      this.firstFrac = fraction;
    }
    return f.tsSec - this.firstSec + (fraction - this.firstFrac);
  }

  /** A time as the output writes it: rounded to the capture's own precision. */
  round(seconds: number): number {
    const scale = 10 ** this.precision;
    return Math.round(seconds * scale) / scale;
  }

  /** Feeds one frame (dissected with `detail: false`), at `time` if timeOf gave it already. */
  frame(d: Dissection, time = this.timeOf(d)): void {
    this.advance(time);
    this.frameNumber = d.frame.number;
    try {
      this.replayFrame(d);
    } finally {
      this.frameNumber = undefined;
    }
  }

  private replayFrame(d: Dissection): void {
    const msg = d.igmp;
    const ip = d.ip;
    if (!msg || !ip || msg.malformed || msg.checksumStatus === 'bad') return;
    const state = this.stateOf(this.linkOf(d));
    const host = ip.src;
    const type = msg.type;
    if (type === IGMP_QUERY) this.query(state, host, msg, d);
    else if (type === IGMP_V1_REPORT || type === IGMP_V2_REPORT) {
      if (msg.group !== undefined) this.report(state, msg.group, host, d, msg.version ?? 2);
    } else if (type === IGMP_V2_LEAVE) {
      if (msg.group !== undefined) this.leave(state, msg.group, host);
    } else if (type === IGMP_V3_REPORT) this.v3Report(state, msg, host, d);
    else if (host !== UNSPECIFIED) {
      const sign = routerSign(msg, ip.dst);
      if (sign !== undefined) this.routerPort(state, host, d, sign);
    }
  }

  /** Runs the timers up to `time` (the end of the capture, or `--at`). */
  advance(time: number): void {
    if (time < this.now) return;
    for (;;) {
      const next = this.timers.take(time);
      if (next === undefined) break;
      if (this.timers.takenAt > this.now) this.now = this.timers.takenAt;
      this.fire(next);
    }
    this.now = time;
  }

  /** The state at the current time: every group of every link, its view refreshed. */
  groups(): GroupState[] {
    const out: GroupState[] = [];
    for (const state of this.links.values()) {
      for (const g of state.groups.values()) {
        this.refreshView(g);
        out.push(g);
      }
    }
    return out;
  }

  /** The snooping switch's router ports of every link. */
  routerPorts(): RouterPort[] {
    const out: RouterPort[] = [];
    for (const state of this.links.values()) out.push(...state.routerPorts.values());
    return out;
  }

  /** Leaves still waiting at the current time, for the final tables. */
  openLeaves(): LeaveLatency[] {
    const out: LeaveLatency[] = [];
    for (const state of this.links.values())
      for (const g of state.groups.values())
        for (const p of g.pendingLeaves.values()) out.push(closeLeave(g, p, 'pending'));
    return out;
  }

  /** The timers in force on a link (learned from its querier), for the tables. */
  timersOf(link: string): TimerParams | undefined {
    return this.links.get(link)?.params;
  }

  /**
   * The link a frame was seen on: its interface and what carries it (VLAN tags, a tunnel's
   * endpoints and VNI or key), so two VLANs or two overlays never merge.
   */
  private linkOf(d: Dissection): string {
    const path = carrierPath(d);
    const id = d.frame.interfaceId;
    if (path !== '') return `if${id}/${path}`;
    let name = this.linkNames.get(id);
    if (name === undefined) {
      name = `if${id}`;
      this.linkNames.set(id, name);
    }
    return name;
  }

  private stateOf(link: string): LinkState {
    let state = this.links.get(link);
    if (!state) {
      state = {
        kind: 'link',
        name: link,
        groups: new Map(),
        routerPorts: new Map(),
        conflicts: new Set(),
        params: { ...this.base },
        readings: new Map(),
        generalQueries: new Map(),
        queued: Infinity,
        slot: -1,
        seq: 0,
      };
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

  /**
   * Appends to a kept history. The oldest beyond the limit are dropped in one go when the list
   * holds twice as many (a shift per general query cost more than the query's replay).
   */
  private keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length >= 2 * this.historyLimit) this.trimmed(list);
  }

  private recordLeave(leave: LeaveLatency): void {
    const t = this.leaveTotals;
    if (leave.outcome === 'answered') t.answered++;
    if (leave.outcome === 'ignored') t.ignored++;
    if (leave.outcome === 'removed' && leave.removedAt !== undefined) {
      t.removed++;
      const latency = leave.removedAt - leave.leaveAt;
      t.latencySum += latency;
      t.latencyMax = Math.max(t.latencyMax, latency);
    }
    this.keep(this.kept.leaves, leave);
  }

  // ── Timers ────────────────────────────────────────────────────────────────────────────

  /** When a timer target is really due (its state may have moved it since it was queued). */
  private dueOf(t: Exclude<TimerTarget, GroupTimer>): number {
    switch (t.kind) {
      case 'host':
      case 'port':
        return t.expires;
      case 'link':
        return t.querier ? t.querier.lastQuery + otherQuerierPresentInterval(t.params) : Infinity;
    }
  }

  /** A timer came up: it expires what is due, or is queued again for when it really is. */
  private fire(t: TimerTarget): void {
    if (t.kind === 'group') {
      if (hasDue(t.router, this.now)) this.expireGroup(t);
      else this.timers.schedule(t, nextTimer(t.router, this.now));
      return;
    }
    const due = this.dueOf(t);
    if (due > this.now) {
      // Pushed later since it was queued (a report refreshed it): queue it again.
      this.timers.schedule(t, due);
      return;
    }
    switch (t.kind) {
      case 'host':
        return this.expireHost(t);
      case 'port':
        return this.expirePort(t);
      case 'link':
        return this.querierSilent(t);
    }
  }

  /** RFC 3376 §6.3, §6.5: source timers run out, the group timer switches mode or deletes. */
  private expireGroup(g: GroupTimer): void {
    const at = this.now;
    const modeBefore = g.router.mode;
    const alive = runTimers(g.router, at);
    if (!alive) {
      this.deleteGroup(g, 'no member left');
      return;
    }
    if (g.router.mode !== modeBefore) {
      if (this.listening)
        this.event(
          g.link,
          'mode-change',
          `${g.group} group timer expired: EXCLUDE → INCLUDE {${forwarded(g.router, at).join(', ')}}`,
          g.group,
        );
    }
    this.timers.schedule(g, nextTimer(g.router, at));
  }

  private deleteGroup(g: GroupTimer, why: string): void {
    const at = this.now;
    g.state.groups.delete(g.group);
    this.timers.cancel(g);
    for (const h of g.hosts.values()) this.timers.cancel(h as HostTimer);
    for (const p of g.pendingLeaves.values()) this.recordLeave(closeLeave(g, p, 'removed', at));
    if (this.listening) this.event(g.link, 'expiry', `${g.group} expires: ${why}`, g.group);
  }

  /**
   * RFC 4541 §2.1.1: a switch ages each port's membership a Group Membership Interval after
   * its last report, whatever the other ports do (the Linux bridge's port group timer).
   */
  private expireHost(h: HostTimer): void {
    const g = h.groupState;
    if (g.hosts.get(h.address) !== h) return;
    g.hosts.delete(h.address);
    if (this.listening)
      this.event(
        g.link,
        'host-expiry',
        `${h.address} ages out of ${g.group}: no report since ${fmt(h.lastReport)} s (Group Membership Interval)`,
        g.group,
        h.address,
      );
  }

  private expirePort(p: PortTimer): void {
    if (p.state.routerPorts.get(p.address) !== p) return;
    p.state.routerPorts.delete(p.address);
    if (this.listening)
      this.event(
        p.link,
        'router-port-expiry',
        `${p.address} ages out as a router port: nothing from it since ${fmt(p.lastSeen)} s (Other Querier Present Interval)`,
        undefined,
        p.address,
      );
  }

  private querierSilent(state: LinkState): void {
    const q = state.querier;
    if (!q) return;
    q.span.to = this.now;
    q.span.why = 'went silent';
    if (this.listening)
      this.event(
        state.name,
        'querier-change',
        `${q.address} went silent: no querier`,
        undefined,
        q.address,
      );
    state.querier = undefined;
  }

  // ── Queries and routers ───────────────────────────────────────────────────────────────

  private query(state: LinkState, router: string, msg: IgmpMessage, d: Dissection): void {
    const maxResp = (msg.maxRespTenths ?? 100) / 10;
    if (msg.version !== undefined)
      state.routerVersion = Math.max(state.routerVersion ?? 0, msg.version);
    const general = msg.queryKind === 'general' || msg.version === 1;
    if (router !== UNSPECIFIED) {
      if (general) this.noteInterval(state, router);
      if (this.elect(state, router)) {
        // The Linux bridge makes the port of the query it accepts a router port.
        this.routerPort(state, router, d, `elected querier (IGMPv${msg.version ?? 2})`);
        if (msg.version === 3) this.learn(state, router, msg, d, general);
      }
    }
    if (general) {
      const window: SuppressionWindow = {
        link: state.name,
        frame: this.frameNumber ?? 0,
        time: this.now,
        maxResp: msg.version === 1 ? 10 : this.maxRespSeconds(state, msg, maxResp),
        reports: new Map(),
      };
      state.window = window;
      this.generalQueries++;
      this.keep(this.kept.suppression, window);
      return;
    }
    // Group(-and-source)-specific query, S clear: RFC 2236 §3 — non-queriers lower their timer
    // to LMQC × Max Resp Time; RFC 3376 §6.6.1/§6.6.3 — the group timer (Q(G)) or the source
    // timers (Q(G,A)) to LMQT. Lowering only, never raising.
    const g = msg.group === undefined ? undefined : state.groups.get(msg.group);
    if (!g || msg.sFlag) return;
    const lmqt = lastMemberQueryCount(state.params) * maxResp;
    lowerForQuery(g.router, msg.sources ?? [], this.now, lmqt);
    this.timers.schedule(g as GroupTimer, nextTimer(g.router, this.now));
    for (const p of g.pendingLeaves.values()) p.lastQuery = this.now;
    const what = msg.sources?.length ? `sources ${msg.sources.join(', ')}` : 'group';
    if (this.listening)
      this.event(
        state.name,
        'group-query',
        `${msg.queryKind} query from ${router}: ${what} timer lowered to ${fmt(this.now + lmqt)} s`,
        g.group,
      );
  }

  /** A general query's Max Resp Time as this link reads its code (plain or RFC 3376 §4.1.1). */
  private maxRespSeconds(state: LinkState, msg: IgmpMessage, rfc: number): number {
    const r = state.readings.get('max_resp_code');
    return msg.version === 3 && r && r.reading === 'plain' ? r.plainSeconds : rfc;
  }

  private noteInterval(state: LinkState, router: string): void {
    const seen = state.generalQueries.get(router);
    if (seen) {
      seen.longest = Math.max(seen.longest, this.now - seen.last);
      seen.last = this.now;
    } else state.generalQueries.set(router, { last: this.now, longest: 0 });
  }

  /**
   * RFC 3376 §4.1.6–4.1.7, §8.3: adopt the querier's robustness, query interval and (from its
   * general queries) response interval — except timers given on the command line. A QQIC or
   * Max Resp Code of 128 or more is read as the querier's own intervals say (readIntervalCode):
   * when that turns a reading to the plain number, the timers set from the misreading are cut
   * back to what the plain reading gives.
   */
  private learn(
    state: LinkState,
    router: string,
    msg: IgmpMessage,
    d: Dissection,
    general: boolean,
  ): void {
    const p = state.params;
    const before = { ...p };
    const fixed = (k: keyof TimerParams): boolean => this.fixed.includes(k);
    if (msg.qrv !== undefined && msg.qrv > 0 && !fixed('robustness')) p.robustness = msg.qrv;
    const longest = state.generalQueries.get(router)?.longest;
    const observed = longest !== undefined && longest > 0 ? longest : undefined;
    let flipped = false;
    const read = (field: CodeReading['field'], code: number): number => {
      const r = readIntervalCode(field, code, observed);
      const scale = field === 'qqic' ? 1 : 10;
      if (!r) {
        state.readings.delete(field);
        return code / scale;
      }
      const previous = state.readings.get(field);
      if (r.reading === 'plain' && previous?.reading !== 'plain') flipped = true;
      state.readings.set(field, r);
      return r.seconds;
    };
    if (msg.qqic !== undefined && msg.qqic > 0) {
      const qi = read('qqic', msg.qqic);
      if (!fixed('queryInterval')) p.queryInterval = qi;
    }
    // The Max Resp Code of general queries is the Query Response Interval (§8.3).
    const mrc = d.frame.data[msg.start + 1];
    if (general && mrc > 0) {
      const qri = read('max_resp_code', mrc);
      if (!fixed('queryResponseInterval')) p.queryResponseInterval = qri;
    }
    const span = state.querier?.span;
    if (span) span.timers = this.learned(state);
    const changed =
      before.robustness !== p.robustness ||
      before.queryInterval !== p.queryInterval ||
      before.queryResponseInterval !== p.queryResponseInterval;
    if (changed) {
      const why = [...state.readings.values()].map((r) => r.why).join('; ');
      if (this.listening)
        this.event(
          state.name,
          'timers-learned',
          `${router}'s query: RV ${p.robustness}, QI ${p.queryInterval} s, QRI ${p.queryResponseInterval} s (GMI ${groupMembershipInterval(p)} s)${why ? ` — ${why}` : ''}`,
          undefined,
          router,
        );
    }
    if (flipped) this.cutBack(state);
    if (state.querier) this.scheduleQuerier(state);
  }

  /**
   * The timers of a link set with a QQIC or Max Resp Code read as RFC 3376 says, when the
   * querier's intervals have shown them to be plain numbers: each runs no longer than a Group
   * Membership Interval (as now read) after the report that set it.
   */
  private cutBack(state: LinkState): void {
    const gmi = groupMembershipInterval(state.params);
    for (const g of state.groups.values()) {
      const limit = g.lastReport + gmi;
      const r = g.router;
      if (r.mode === 'EXCLUDE' && r.groupTimer > limit) r.groupTimer = limit;
      for (const [s, t] of r.sources) if (t > limit) r.sources.set(s, limit);
      this.timers.schedule(g as GroupTimer, nextTimer(r, this.now));
      for (const h of g.hosts.values()) {
        h.expires = Math.min(h.expires, h.lastReport + gmi);
        this.timers.schedule(h as HostTimer, h.expires);
      }
    }
    for (const port of state.routerPorts.values()) {
      port.expires = Math.min(
        port.expires,
        port.lastSeen + otherQuerierPresentInterval(state.params),
      );
      this.timers.schedule(port as PortTimer, port.expires);
    }
  }

  private learned(state: LinkState): LearnedTimers {
    const p = state.params;
    return {
      robustness: p.robustness,
      queryInterval: p.queryInterval,
      queryResponseInterval: p.queryResponseInterval,
      readings: [...state.readings.values()],
      fixed: [...this.fixed],
    };
  }

  /**
   * RFC 2236 §3, RFC 3376 §6.6.2: the lowest address wins; a silent querier is replaced.
   * Returns whether this query's sender is the querier (as the Linux bridge selects it: no
   * querier, the same one, or a lower address).
   */
  private elect(state: LinkState, router: string): boolean {
    const current = state.querier;
    if (!current) {
      this.becomeQuerier(state, router, 'elected: first query seen');
      return true;
    }
    if (router === current.address) {
      current.lastQuery = this.now;
      this.scheduleQuerier(state);
      return true;
    }
    if (compareIpv4(router, current.address) < 0) {
      current.span.to = this.now;
      current.span.why = `lost election to ${router}`;
      this.becomeQuerier(state, router, `elected: lower than ${current.address}`);
      return true;
    }
    const pair = `${router}>${current.address}`;
    if (!state.conflicts.has(pair)) {
      state.conflicts.add(pair);
      if (this.listening)
        this.event(
          state.name,
          'querier-conflict',
          `${router} keeps querying while ${current.address} (lower) is querier`,
          undefined,
          router,
        );
    }
    return false;
  }

  private becomeQuerier(state: LinkState, router: string, why: string): void {
    const span: QuerierSpan = {
      link: state.name,
      router,
      from: this.now,
      fromFrame: this.frameNumber ?? 0,
      timers: this.learned(state),
    };
    this.keep(this.kept.queriers, span);
    state.querier = { address: router, lastQuery: this.now, span };
    if (this.listening)
      this.event(state.name, 'querier-change', `${router} is querier (${why})`, undefined, router);
    this.scheduleQuerier(state);
  }

  private scheduleQuerier(state: LinkState): void {
    const q = state.querier;
    if (q) this.timers.schedule(state, q.lastQuery + otherQuerierPresentInterval(state.params));
  }

  /** RFC 4541 §2.1.1: the port a router sign came from is a router port, aged from the last. */
  private routerPort(state: LinkState, address: string, d: Dissection, sign: string): void {
    const expires = this.now + otherQuerierPresentInterval(state.params);
    const known = state.routerPorts.get(address) as PortTimer | undefined;
    if (known) {
      known.lastSeen = this.now;
      known.expires = expires;
      known.reasons.set(sign, this.now);
      this.timers.schedule(known, expires);
      return;
    }
    const mac = macOf(d);
    const port: PortTimer = {
      kind: 'port',
      state,
      link: state.name,
      address,
      mac,
      reasons: new Map([[sign, this.now]]),
      lastSeen: this.now,
      expires,
      queued: Infinity,
      slot: -1,
      seq: 0,
    };
    state.routerPorts.set(address, port);
    this.timers.schedule(port, expires);
    if (this.listening)
      this.event(
        state.name,
        'router-port',
        `${address}${mac ? ` (${mac})` : ''} is a router port (${sign})`,
        undefined,
        address,
      );
  }

  // ── Reports and leaves ────────────────────────────────────────────────────────────────

  private report(
    state: LinkState,
    group: string,
    host: string,
    d: Dissection,
    version: number,
  ): void {
    // RFC 3376 §7.3.2: a v1 or v2 report is IS_EX({}), and starts the older-host timer.
    const g = this.routerRecord(state, group, host, IS_EX, []);
    const gmi = groupMembershipInterval(state.params);
    const before = compatMode(g, this.now);
    if (version === 1) g.v1HostUntil = this.now + gmi;
    if (version === 2) g.v2HostUntil = this.now + gmi;
    const after = compatMode(g, this.now);
    // Only worth an event where it matters: hosts older than the routers of the link.
    if (after !== before && state.routerVersion !== undefined && after < state.routerVersion) {
      if (this.listening)
        this.event(
          state.name,
          'compat-change',
          `group in IGMPv${after} compatibility mode (v${version} host ${host})`,
          group,
          host,
        );
    }
    this.hostRecord(state, g, host, d, IS_EX, [], version === 1 ? 1 : 2);
    this.countReport(state, group, host, false);
  }

  /** The report within Max Resp Time of the link's last general query (suppression table). */
  private countReport(state: LinkState, group: string, host: string, v3: boolean): void {
    const window = state.window;
    if (!window || this.now > window.time + window.maxResp) return;
    let reports = window.reports.get(group);
    if (!reports) {
      reports = { old: [], v3: [] };
      window.reports.set(group, reports);
    }
    (v3 ? reports.v3 : reports.old).push(host);
  }

  /** One group record (or its v1/v2 equivalent) through the RFC 3376 §6.4 router state. */
  private routerRecord(
    state: LinkState,
    group: string,
    host: string,
    type: number,
    sources: readonly string[],
  ): GroupTimer {
    let g = state.groups.get(group) as GroupTimer | undefined;
    const created = !g;
    if (!g) {
      g = {
        kind: 'group',
        state,
        link: state.name,
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
        pendingLeaves: new Map(),
        queued: Infinity,
        slot: -1,
        seq: 0,
      };
      state.groups.set(group, g);
      const what = type === IS_EX || type === TO_EX ? 'EXCLUDE' : 'INCLUDE';
      if (this.listening)
        this.event(
          state.name,
          'join',
          `${host} joins ${group} (${what}${sources.length ? ` {${sources.join(', ')}}` : ''})`,
          group,
          host,
        );
    }
    const modeBefore = g.router.mode;
    applyRecord(g.router, type, sources, this.now, groupMembershipInterval(state.params));
    if (g.router.mode !== modeBefore && !created) {
      if (this.listening)
        this.event(
          state.name,
          'mode-change',
          `${group} filter mode ${modeBefore} → ${g.router.mode} (record from ${host})`,
          group,
          host,
        );
    }
    g.lastReport = this.now;
    this.timers.schedule(g, nextTimer(g.router, this.now));
    return g;
  }

  /**
   * The snooping view of one record from a host: its own filter, its aging, and the leaves of
   * the group it answers. A host left with INCLUDE({}) is no member (RFC 3376 §3.1).
   */
  private hostRecord(
    state: LinkState,
    g: GroupTimer,
    host: string,
    d: Dissection,
    type: number,
    sources: readonly string[],
    version: 1 | 2 | 3,
  ): void {
    let h = g.hosts.get(host) as HostTimer | undefined;
    const known = h !== undefined;
    if (!h) {
      if (type === BLOCK) return; // INCLUDE({}) − B: still nothing
      h = {
        kind: 'host',
        groupState: g,
        state,
        address: host,
        mac: macOf(d),
        version,
        firstReport: this.now,
        lastReport: this.now,
        expires: 0,
        mode: 'INCLUDE',
        sources: [],
        queued: Infinity,
        slot: -1,
        seq: 0,
      };
    }
    applyHostRecord(h, type, sources);
    if (!isMember(h)) {
      if (known) {
        g.hosts.delete(host);
        this.timers.cancel(h);
        if (this.listening)
          this.event(
            state.name,
            'host-leave',
            `${host} receives no source of ${g.group} any more (INCLUDE {}): no member`,
            g.group,
            host,
          );
      }
      return;
    }
    h.version = version;
    h.lastReport = this.now;
    h.expires = this.now + groupMembershipInterval(state.params);
    this.timers.schedule(h, h.expires);
    if (!known) {
      g.hosts.set(host, h);
      if (g.hosts.size > 1)
        if (this.listening)
          this.event(state.name, 'host-join', `${host} also reports ${g.group}`, g.group, host);
    }
    // A member's report within the last-member wait answers every leave of the group: the
    // router hears a member and keeps the group (RFC 2236 §3, RFC 3376 §6.4). (Map.clear()
    // allocates a new table even when empty: on every report, that was most of the garbage.)
    if (g.pendingLeaves.size === 0) return;
    for (const p of g.pendingLeaves.values()) {
      this.recordLeave(closeLeave(g, p, 'answered', undefined, host, this.now));
      if (this.listening)
        this.event(
          state.name,
          'leave-answered',
          `${host} answers for ${g.group}${host === p.host ? ' (the host that left reports again)' : ''}: the group stays`,
          g.group,
          host,
        );
    }
    g.pendingLeaves.clear();
  }

  /** A leave: v2 leave, or v3 TO_IN({}) (RFC 3376 §7.3.2 translates the one into the other). */
  private leave(state: LinkState, group: string, host: string): void {
    const g = state.groups.get(group) as GroupTimer | undefined;
    if (!g) return;
    // The host that left is no member, whatever the router does with its leave.
    const h = g.hosts.get(host);
    if (h) {
      g.hosts.delete(host);
      this.timers.cancel(h as HostTimer);
    }
    // RFC 3376 §7.3.2 (RFC 2236 §4): routers ignore leaves while a v1 host is present.
    if (compatMode(g, this.now) === 1) {
      this.recordLeave({
        link: g.link,
        group,
        host,
        leaveAt: this.now,
        leaveFrame: this.frameNumber ?? 0,
        repeats: 0,
        outcome: 'ignored',
      });
      if (this.listening)
        this.event(
          state.name,
          'leave-ignored',
          `leave from ${host} ignored by the router: an IGMPv1 host is present (the group stays; ${host} is no member)`,
          group,
          host,
        );
      return;
    }
    applyRecord(g.router, TO_IN, [], this.now, groupMembershipInterval(state.params));
    const pending = g.pendingLeaves.get(host);
    if (pending) {
      // A retransmission: the wait, and its latency, run from the first leave.
      pending.repeats++;
      if (this.listening)
        this.event(
          state.name,
          'leave-seen',
          `${host} leaves ${group} again (repeat ${pending.repeats})`,
          group,
          host,
        );
      return;
    }
    g.pendingLeaves.set(host, { time: this.now, frame: this.frameNumber ?? 0, host, repeats: 0 });
    if (this.listening)
      this.event(state.name, 'leave-seen', `${host} leaves ${group}`, group, host);
  }

  /** v3 group records, through the tables of RFC 3376 §6.4 with the §7.3.2 translations. */
  private v3Report(state: LinkState, msg: IgmpMessage, host: string, d: Dissection): void {
    for (const r of msg.records ?? []) {
      if (r.type < IS_IN || r.type > BLOCK) continue;
      const existing = state.groups.get(r.group);
      const compat = existing ? compatMode(existing, this.now) : 3;
      if ((r.type === TO_IN || r.type === IS_IN) && r.sources.length === 0) {
        this.leave(state, r.group, host);
        continue;
      }
      if (r.type === BLOCK && !existing) continue;
      // In v1/v2 compatibility mode the router ignores BLOCK and takes TO_EX(x) as TO_EX({})
      // (§7.3.2); the host's own filter changes all the same.
      const sources = compat < 3 && r.type === TO_EX ? [] : r.sources;
      const g =
        compat < 3 && r.type === BLOCK
          ? (existing as GroupTimer)
          : this.routerRecord(state, r.group, host, r.type, sources);
      this.hostRecord(state, g, host, d, r.type, r.sources, 3);
      this.countReport(state, r.group, host, true);
      if (r.type === BLOCK) {
        if (this.listening)
          this.event(
            state.name,
            'source-blocked',
            `${host} blocks ${r.sources.join(', ')} for ${r.group}`,
            r.group,
            host,
          );
      } else if (r.type !== IS_EX && r.type !== TO_EX && sources.length > 0) {
        if (this.listening)
          this.event(
            state.name,
            'source-added',
            `${host} adds ${sources.join(', ')} for ${r.group} (${g.router.mode})`,
            r.group,
            host,
          );
      }
    }
  }

  /** Refreshes a group's view (mode, X, Y, expiry) from its router state, for the output. */
  private refreshView(g: GroupState): void {
    const r = g.router;
    g.mode = r.mode;
    g.sources = forwarded(r, this.now);
    g.blocked = r.mode === 'EXCLUDE' ? blocked(r) : [];
    let latest = 0;
    for (const t of r.sources.values()) if (t > latest) latest = t;
    g.expires = r.mode === 'EXCLUDE' ? r.groupTimer : latest;
  }
}

function closeLeave(
  g: GroupState,
  p: PendingLeave,
  outcome: LeaveLatency['outcome'],
  removedAt?: number,
  answeredBy?: string,
  answeredAt?: number,
): LeaveLatency {
  return {
    link: g.link,
    group: g.group,
    host: p.host,
    leaveAt: p.time,
    leaveFrame: p.frame,
    repeats: p.repeats,
    lastQueryAt: p.lastQuery,
    removedAt,
    outcome,
    answeredBy,
    answeredAt,
  };
}

/** The sender's MAC, where a MAC layer carries its datagram ('' where none does). */
function macOf(d: Dissection): string {
  const at = carrierMac(d, 'source');
  return at === undefined ? '' : macAt(d.frame.data, at);
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
