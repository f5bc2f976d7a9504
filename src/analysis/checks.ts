import { isMulticastMacOf, macAt } from '../addr.js';
import type { Dissection } from '../dissect.js';
import { carrierMac } from '../layers/registry.js';
import type { GroupRecord, IgmpMessage, Ipv4View } from '../layers/views.js';
import { decodeFloatCode } from '../layers/igmp/codes.js';
import {
  IGMP_QUERY,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
} from '../layers/igmp/types.js';

/** Where a check reports: rule id, offset from the start of the frame, message. */
export type Emit = (rule: string, offset: number, message: string) => void;

const ALL_SYSTEMS = '224.0.0.1';
const ALL_ROUTERS = '224.0.0.2';
const ALL_V3_ROUTERS = '224.0.0.22';
const UNSPECIFIED = '0.0.0.0';
const RECORD_ALLOW = 5;
const RECORD_BLOCK = 6;

/** The first octet of a dotted quad, without slicing (this runs several times per frame). */
function firstOctet(address: string): number {
  let value = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) return value;
    value = value * 10 + (c - 48);
  }
  return value;
}

const isMulticast = (a: string): boolean => {
  const o = firstOctet(a);
  return o >= 224 && o <= 239;
};
const isLinkLocalGroup = (a: string): boolean => a.startsWith('224.0.0.');
const isSsm = (a: string): boolean => a.startsWith('232.');

const isReport = (msg: IgmpMessage): boolean =>
  msg.type === IGMP_V1_REPORT || msg.type === IGMP_V2_REPORT;

/**
 * Encapsulation rules (RFC 1112, RFC 2236 §2 and §9, RFC 3376 §4): TTL, Router Alert and
 * destination address of IGMP v1–v3 messages. (Fragments: the decoder reports them.)
 */
export function checkEncapsulation(ip: Ipv4View, msg: IgmpMessage, emit: Emit): void {
  const at = ip.layer.offset;
  if (msg.version === undefined || msg.version === 0) return;
  if (ip.ttl !== 1)
    emit('encap.ttl', at + 8, `IGMPv${msg.version} message with TTL ${ip.ttl}, must be 1`);
  if (msg.version >= 2 && !ip.routerAlert) {
    emit(
      'encap.router_alert',
      at,
      `IGMPv${msg.version} message without the IP Router Alert option`,
    );
  }
  checkDestination(ip, msg, emit);
}

function checkDestination(ip: Ipv4View, msg: IgmpMessage, emit: Emit): void {
  const at = ip.layer.offset + 16;
  const dst = ip.dst;
  let expected: string | undefined;
  let what = '';
  if (msg.type === IGMP_QUERY && msg.group !== undefined) {
    const general = msg.queryKind === 'general' || msg.version === 1;
    expected = general ? ALL_SYSTEMS : msg.group;
    what = general ? 'a general query' : `a ${msg.queryKind} query`;
  } else if (isReport(msg) && msg.group !== undefined) {
    expected = msg.group;
    what = `a v${msg.version} report`;
  } else if (msg.type === IGMP_V2_LEAVE && msg.group !== undefined) {
    if (dst === msg.group && dst !== ALL_ROUTERS) {
      emit(
        'encap.dst.leave_to_group',
        at,
        `leave for ${msg.group} sent to the group, not to 224.0.0.2`,
      );
      return;
    }
    expected = ALL_ROUTERS;
    what = 'a v2 leave';
  } else if (msg.type === IGMP_V3_REPORT) {
    expected = ALL_V3_ROUTERS;
    what = 'a v3 report';
  }
  if (expected !== undefined && dst !== expected) {
    emit('encap.dst', at, `${what} sent to ${dst}, must go to ${expected}`);
  }
}

/**
 * The MAC destination of a multicast datagram must be its RFC 1112 §6.4 MAC: on the MAC layer
 * that carries the innermost IPv4 directly (the inner Ethernet of a VXLAN frame, an 802.11
 * destination); where no MAC carries it (GRE, MPLS, PPP), there is nothing to check.
 */
export function checkMacMapping(d: Dissection, ip: Ipv4View, emit: Emit): void {
  if (!isMulticast(ip.dst)) return;
  const at = carrierMac(d, 'destination');
  if (at === undefined) return;
  const data = d.frame.data;
  if (isMulticastMacOf(data, at, ip.layer.offset + 16)) return;
  const mac = macAt(data, at);
  const unicast = (data[at] & 1) === 0;
  emit(
    'encap.mac',
    at,
    `Ethernet destination ${mac}${unicast ? ' (unicast)' : ''} for IPv4 multicast ${ip.dst}: must be its 01:00:5e mapping`,
  );
}

/** Group addresses and sources (RFC 2236 §2.4, §6; RFC 3376 §4, §5; RFC 4541; RFC 4604). */
export function checkProtocol(ip: Ipv4View, msg: IgmpMessage, emit: Emit): void {
  if (msg.version === undefined || msg.version === 0) return;
  const groupAt = msg.start + 4;
  if (msg.type === IGMP_QUERY) checkQuery(ip, msg, emit);
  if (msg.group !== undefined && msg.group !== UNSPECIFIED && !isMulticast(msg.group)) {
    emit('igmp.group.not_multicast', groupAt, `group ${msg.group} is not a multicast address`);
  }
  if (isReport(msg) && msg.group !== undefined) {
    checkReportedGroup(msg.group, groupAt, emit);
    if (isSsm(msg.group)) {
      emit('igmp.ssm.old_report', groupAt, `IGMPv${msg.version} report for SSM group ${msg.group}`);
    }
  }
  if (msg.type === IGMP_V3_REPORT) {
    if (ip.src === UNSPECIFIED)
      emit('igmp.report.unspecified_source', ip.layer.offset + 12, 'v3 report from 0.0.0.0');
    checkRecords(msg.records ?? [], emit);
  }
}

function checkReportedGroup(group: string, at: number, emit: Emit): void {
  if (group === ALL_SYSTEMS) {
    emit('igmp.report.all_systems', at, '224.0.0.1 (all systems) is never reported');
  } else if (isLinkLocalGroup(group)) {
    emit('igmp.group.link_local', at, `report for link-local group ${group}`);
  }
}

function checkQuery(ip: Ipv4View, msg: IgmpMessage, emit: Emit): void {
  const at = msg.start;
  if (ip.src === UNSPECIFIED)
    emit('igmp.query.unspecified_source', ip.layer.offset + 12, 'query from 0.0.0.0');
  if (ip.dst === ALL_SYSTEMS && msg.group !== undefined && msg.group !== UNSPECIFIED) {
    emit(
      'igmp.query.general_group',
      at + 4,
      `query to 224.0.0.1 names group ${msg.group}; a general query names 0.0.0.0`,
    );
  }
  if (msg.version !== 3) return;
  if (msg.queryKind === 'general' && msg.sFlag)
    emit('igmp.query.s_flag_general', at + 8, 'S flag set on a general query');
  if (msg.qrv === 0)
    emit('igmp.query.qrv_zero', at + 8, 'QRV 0: receivers use the default robustness');
  if (msg.qqic !== undefined && msg.qqic !== 0 && msg.maxRespTenths !== undefined) {
    const qqi = decodeFloatCode(msg.qqic);
    if (msg.maxRespTenths / 10 > qqi) {
      emit(
        'igmp.query.max_resp_exceeds_qqi',
        at + 1,
        `max response time ${msg.maxRespTenths / 10} s is longer than the query interval ${qqi} s`,
      );
    }
  }
  const duplicate = firstDuplicate(msg.sources ?? []);
  if (duplicate !== undefined)
    emit('igmp.v3.duplicate_source', at + 12, `source ${duplicate} listed twice in the query`);
}

function checkRecords(records: readonly GroupRecord[], emit: Emit): void {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (!isMulticast(r.group))
      emit(
        'igmp.group.not_multicast',
        r.offset + 4,
        `record group ${r.group} is not a multicast address`,
      );
    checkReportedGroup(r.group, r.offset + 4, emit);
    if (isSsm(r.group) && (r.type === 2 || r.type === 4)) {
      emit(
        'igmp.ssm.exclude',
        r.offset,
        `EXCLUDE-mode record (type ${r.type}) for SSM group ${r.group}`,
      );
    }
    if (r.auxWords > 0)
      emit(
        'igmp.v3.aux_data',
        r.offset + 1,
        `record for ${r.group} carries ${r.auxWords * 4} bytes of aux data`,
      );
    if ((r.type === RECORD_ALLOW || r.type === RECORD_BLOCK) && r.sources.length === 0) {
      emit(
        'igmp.v3.empty_source_change',
        r.offset,
        `${r.type === RECORD_ALLOW ? 'ALLOW' : 'BLOCK'} record for ${r.group} with no sources`,
      );
    }
    const duplicate = firstDuplicate(r.sources);
    if (duplicate !== undefined)
      emit(
        'igmp.v3.duplicate_source',
        r.offset + 8,
        `source ${duplicate} listed twice in the record for ${r.group}`,
      );
    // Reports hold a handful of records: a scan beats building a map for every report.
    const earlier = findLast(records, i, r.group);
    if (earlier !== undefined) {
      const types = earlier.type + r.type;
      const allowBlock = types === RECORD_ALLOW + RECORD_BLOCK && earlier.type !== r.type;
      if (!allowBlock)
        emit('igmp.v3.duplicate_record', r.offset, `second record for ${r.group} in one report`);
    }
  }
}

/** The last record before `index` for `group`. */
function findLast(
  records: readonly GroupRecord[],
  index: number,
  group: string,
): GroupRecord | undefined {
  for (let j = index - 1; j >= 0; j--) if (records[j].group === group) return records[j];
  return undefined;
}

function firstDuplicate(items: readonly string[]): string | undefined {
  if (items.length < 2) return undefined;
  if (items.length <= 16) {
    // Short lists (the usual case): compare pairwise, allocating nothing.
    for (let i = 1; i < items.length; i++)
      for (let j = 0; j < i; j++) if (items[i] === items[j]) return items[i];
    return undefined;
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) return item;
    seen.add(item);
  }
  return undefined;
}

/** Which reading of a QQIC or Max Resp Code of 128 or more a replay takes (see readIntervalCode). */
export interface CodeReading {
  field: 'qqic' | 'max_resp_code';
  code: number;
  /** Seconds as RFC 3376 reads the code: floating point from 128 on (§4.1.1, §4.1.7). */
  rfcSeconds: number;
  /** Seconds if the code is a plain number, as the Linux bridge writes it. */
  plainSeconds: number;
  /** The reading taken. */
  reading: 'rfc' | 'plain';
  seconds: number;
  /** The longest interval seen between the querier's consecutive general queries, if any. */
  observed?: number;
  /** Whether the RFC reading does not fit the querier's own query intervals. */
  implausible: boolean;
  /** Why this reading, in words. */
  why: string;
}

/** How far from the observed query interval a reading may be and still "fit" it. */
const FIT = 0.25;
/**
 * A QQIC read as RFC 3376 says is "far beyond" the querier's intervals past this many of them:
 * its startup queries come at a quarter of its Query Interval (§8.6, §8.7), so a capture that
 * holds only those still shows an interval a quarter of the QQI.
 */
const FAR = 4;

/**
 * Reads a QQIC (seconds) or a general query's Max Resp Code (tenths) of 128 or more, which RFC
 * 3376 §4.1.7 and §4.1.1 read as floating point (1|exp|mant: 200 = 0xc8 is 3072 s as a QQIC,
 * 307.2 s as a Max Resp Code) — but which some senders write as plain numbers: the Linux bridge
 * (kernel 6.18) writes a 200 s query interval as QQIC 200 and a 20 s response interval as Max
 * Resp Code 200. The querier's own general queries tell the two apart: a QQIC is the interval
 * between them (§8.2, §4.1.7), and the Query Response Interval must be shorter than it (§8.3).
 * `observed` is the longest interval seen between that querier's consecutive general queries.
 * Undefined below 128, where both readings agree.
 */
export function readIntervalCode(
  field: 'qqic' | 'max_resp_code',
  code: number,
  observed: number | undefined,
): CodeReading | undefined {
  if (code < 128) return undefined;
  const scale = field === 'qqic' ? 1 : 10;
  const rfcSeconds = decodeFloatCode(code) / scale;
  const plainSeconds = code / scale;
  const base = { field, code, rfcSeconds, plainSeconds, observed };
  const name = field === 'qqic' ? 'QQIC' : 'Max Resp Code';
  if (observed === undefined || observed <= 0) {
    return {
      ...base,
      reading: 'rfc',
      seconds: rfcSeconds,
      implausible: false,
      why: `${name} ${code} read as RFC 3376 says (${rfcSeconds} s): no two general queries from this querier seen yet`,
    };
  }
  const fits = (s: number): boolean => Math.abs(s / observed - 1) <= FIT;
  let implausible: boolean;
  if (field === 'qqic') {
    implausible = rfcSeconds > FAR * observed || (fits(plainSeconds) && !fits(rfcSeconds));
  } else {
    // §8.3: the Query Response Interval must be less than the Query Interval.
    implausible = rfcSeconds >= observed && plainSeconds < observed;
  }
  const distance = (s: number): number => Math.abs(Math.log(s / observed));
  const plain =
    implausible && (field === 'max_resp_code' || distance(plainSeconds) < distance(rfcSeconds));
  const seen = `general queries ${round3(observed)} s apart`;
  const why = plain
    ? `${name} ${code} read as a plain number, ${plainSeconds} s: RFC 3376's ${rfcSeconds} s does not fit the ${seen}`
    : implausible
      ? `${name} ${code} read as RFC 3376 says (${rfcSeconds} s), though it does not fit the ${seen}`
      : `${name} ${code} read as RFC 3376 says (${rfcSeconds} s): it fits the ${seen}`;
  return {
    ...base,
    reading: plain ? 'plain' : 'rfc',
    seconds: plain ? plainSeconds : rfcSeconds,
    implausible,
    why,
  };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
