/**
 * IGMP statistics of a capture (`igmpscope stats`, `-z igmp,stat`): what tshark has none of.
 * Messages by version and type; per group, host and querier; problems by id; and message
 * rates over time, tshark's `-z io,stat` shape. Bounded: per-key tables grow with the groups,
 * hosts and queriers of the capture, not with its frames.
 */
import type { Dissection } from '../dissect.js';
import { decodeFloatCode } from '../layers/igmp/codes.js';
import {
  IGMP_QUERY,
  IGMP_TYPE_NAMES,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
} from '../layers/igmp/types.js';
import type { IgmpMessage } from '../layers/views.js';
import { igmpInfo } from '../layers/igmp/info.js';

export interface GroupStats {
  group: string;
  /** v1/v2 reports and v3 records that name the group. */
  reports: number;
  /** Reports and records that ask for traffic: v1/v2 reports, EXCLUDE, INCLUDE/ALLOW with sources. */
  joins: number;
  /** v2 leaves, and v3 records that ask for none of it: TO_IN({}), IS_IN({}). */
  leaves: number;
  /** Group-specific (and group-and-source-specific) queries for the group. */
  queries: number;
  hosts: Set<string>;
  sources: Set<string>;
}

export interface HostStats {
  host: string;
  reports: number;
  leaves: number;
  groups: Set<string>;
  versions: Set<number>;
}

export interface QuerierStats {
  querier: string;
  generalQueries: number;
  specificQueries: number;
  versions: Set<number>;
  first: number;
  last: number;
  /** Time of the last general query, and the gaps between general queries (for the median). */
  lastGeneral: number | undefined;
  gaps: number[];
  /** The query interval the last v3 general query announced (QQIC decoded), seconds. */
  announcedInterval: number | undefined;
  /** Max Resp Time of the last general query, seconds. */
  maxResponse: number | undefined;
  robustness: number | undefined;
}

/** One bucket of `--interval` seconds: messages by kind. */
export interface RateBucket {
  start: number;
  queries: number;
  reports: number;
  leaves: number;
  other: number;
}

/** Rate rows an automatic interval keeps to, at most. */
const MAX_AUTO_BUCKETS = 60;

/** Kept gaps per querier, at most: enough for a median, bounded for long captures. */
const MAX_GAPS = 4096;

const RECORD_IS_IN = 1;
const RECORD_TO_IN = 3;
const RECORD_ALLOW = 5;
const RECORD_BLOCK = 6;

export class CaptureStats {
  frames = 0;
  igmpFrames = 0;
  /** Seconds since the first frame read of the last frame. */
  duration = 0;
  readonly messages = new Map<string, number>();
  readonly groups = new Map<string, GroupStats>();
  readonly hosts = new Map<string, HostStats>();
  readonly queriers = new Map<string, QuerierStats>();
  readonly problems = new Map<string, number>();
  readonly rates: RateBucket[] = [];
  private firstTime: number | undefined;

  /**
   * `interval`: seconds per rate bucket; undefined picks one: 1 s, doubled (buckets merged in
   * pairs) whenever the capture would need more than MAX_AUTO_BUCKETS.
   */
  constructor(interval?: number) {
    this.auto = interval === undefined;
    this.interval = interval ?? 1;
  }

  interval: number;
  private readonly auto: boolean;

  /** Feeds one frame (dissected with `detail: false`). */
  frame(d: Dissection): void {
    this.frames++;
    const f = d.frame;
    const time = f.tsSec + f.tsFrac / 10 ** f.tsDigits;
    this.firstTime ??= time;
    const at = time - this.firstTime;
    if (at > this.duration) this.duration = at;
    const msg = d.igmp;
    if (!d.isIgmp || !msg || !d.ip) return;
    this.igmpFrames++;
    for (const p of d.problems) this.problems.set(p.id, (this.problems.get(p.id) ?? 0) + 1);
    const kind = messageKind(msg);
    this.messages.set(kind, (this.messages.get(kind) ?? 0) + 1);
    const bucket = this.bucket(at);
    const host = d.ip.src;
    switch (msg.type) {
      case IGMP_QUERY:
        bucket.queries++;
        this.query(host, msg, at);
        break;
      case IGMP_V1_REPORT:
      case IGMP_V2_REPORT:
        bucket.reports++;
        if (msg.group !== undefined) this.report(host, msg.group, msg.version ?? 2, true, []);
        break;
      case IGMP_V2_LEAVE:
        bucket.leaves++;
        if (msg.group !== undefined) this.leave(host, msg.group, msg.version ?? 2);
        break;
      case IGMP_V3_REPORT:
        bucket.reports++;
        for (const r of msg.records ?? []) {
          const asksNothing =
            (r.type === RECORD_IS_IN || r.type === RECORD_TO_IN) && r.sources.length === 0;
          if (asksNothing) {
            this.leave(host, r.group, 3);
            continue;
          }
          const joins =
            r.type !== RECORD_BLOCK && !(r.type === RECORD_ALLOW && r.sources.length === 0);
          this.report(host, r.group, 3, joins, r.sources);
        }
        break;
      default:
        bucket.other++;
    }
  }

  /** Median of a querier's gaps between general queries, seconds. */
  static observedInterval(q: QuerierStats): number | undefined {
    if (q.gaps.length === 0) return undefined;
    const sorted = [...q.gaps].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  private bucket(at: number): RateBucket {
    let index = Math.floor(at / this.interval);
    while (this.auto && index >= MAX_AUTO_BUCKETS) {
      this.mergeBuckets();
      index = Math.floor(at / this.interval);
    }
    while (this.rates.length <= index) {
      this.rates.push({
        start: this.rates.length * this.interval,
        queries: 0,
        reports: 0,
        leaves: 0,
        other: 0,
      });
    }
    return this.rates[index];
  }

  /** Doubles the interval: each pair of buckets becomes one. */
  private mergeBuckets(): void {
    const merged: RateBucket[] = [];
    for (let i = 0; i < this.rates.length; i += 2) {
      const a = this.rates[i];
      const b = this.rates[i + 1];
      merged.push({
        start: a.start,
        queries: a.queries + (b?.queries ?? 0),
        reports: a.reports + (b?.reports ?? 0),
        leaves: a.leaves + (b?.leaves ?? 0),
        other: a.other + (b?.other ?? 0),
      });
    }
    this.rates.length = 0;
    this.rates.push(...merged);
    this.interval *= 2;
  }

  private groupOf(group: string): GroupStats {
    let g = this.groups.get(group);
    if (!g) {
      g = {
        group,
        reports: 0,
        joins: 0,
        leaves: 0,
        queries: 0,
        hosts: new Set(),
        sources: new Set(),
      };
      this.groups.set(group, g);
    }
    return g;
  }

  private hostOf(host: string): HostStats {
    let h = this.hosts.get(host);
    if (!h) {
      h = { host, reports: 0, leaves: 0, groups: new Set(), versions: new Set() };
      this.hosts.set(host, h);
    }
    return h;
  }

  private report(
    host: string,
    group: string,
    version: number,
    joins: boolean,
    sources: readonly string[],
  ): void {
    const g = this.groupOf(group);
    g.reports++;
    if (joins) g.joins++;
    g.hosts.add(host);
    for (const s of sources) g.sources.add(s);
    const h = this.hostOf(host);
    h.reports++;
    h.groups.add(group);
    h.versions.add(version);
  }

  private leave(host: string, group: string, version: number): void {
    const g = this.groupOf(group);
    g.leaves++;
    g.hosts.add(host);
    const h = this.hostOf(host);
    h.leaves++;
    h.groups.add(group);
    h.versions.add(version);
  }

  private query(querier: string, msg: IgmpMessage, at: number): void {
    let q = this.queriers.get(querier);
    if (!q) {
      q = {
        querier,
        generalQueries: 0,
        specificQueries: 0,
        versions: new Set(),
        first: at,
        last: at,
        lastGeneral: undefined,
        gaps: [],
        announcedInterval: undefined,
        maxResponse: undefined,
        robustness: undefined,
      };
      this.queriers.set(querier, q);
    }
    q.last = at;
    if (msg.version !== undefined) q.versions.add(msg.version);
    if (msg.queryKind !== 'general') {
      q.specificQueries++;
      if (msg.group !== undefined && msg.group !== '0.0.0.0') {
        const g = this.groupOf(msg.group);
        g.queries++;
        for (const s of msg.sources ?? []) g.sources.add(s);
      }
      return;
    }
    q.generalQueries++;
    if (q.lastGeneral !== undefined && q.gaps.length < MAX_GAPS) q.gaps.push(at - q.lastGeneral);
    q.lastGeneral = at;
    if (msg.maxRespTenths !== undefined) q.maxResponse = msg.maxRespTenths / 10;
    if (msg.version === 3) {
      if (msg.qqic !== undefined && msg.qqic !== 0) q.announcedInterval = decodeFloatCode(msg.qqic);
      if (msg.qrv !== undefined && msg.qrv !== 0) q.robustness = msg.qrv;
    }
  }
}

const MEMBERSHIP_TYPES: ReadonlySet<number> = new Set([
  IGMP_QUERY,
  IGMP_V1_REPORT,
  IGMP_V2_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V3_REPORT,
]);

/**
 * `IGMPv2 Membership Report (0x16)`: the protocol column and the type's name; the rest of the
 * family by its Info text (`DVMRP V3 Probe`, `RGMP Hello`).
 */
function messageKind(msg: IgmpMessage): string {
  if (!MEMBERSHIP_TYPES.has(msg.type)) return `${msg.label} ${igmpInfo(msg)}`;
  // Made once per type and version: this runs for every message of big captures.
  const key = msg.type * 8 + (msg.version ?? 7);
  let kind = MEMBERSHIP_KINDS.get(key);
  if (kind === undefined) {
    const name = IGMP_TYPE_NAMES.get(msg.type) ?? 'Unknown';
    kind = `${msg.label} ${name} (0x${msg.type.toString(16).padStart(2, '0')})`;
    MEMBERSHIP_KINDS.set(key, kind);
  }
  return kind;
}

const MEMBERSHIP_KINDS = new Map<number, string>();
