import { field, hex, names, type FieldNode } from '../../fields.js';
import {
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUSES,
  QUERY_KINDS,
  type ChecksumStatus,
} from '../views.js';
import { tenthsToSeconds } from './codes.js';
import {
  IGMP_LAYER_TYPES,
  MTRACE_FWD_CODE_NAMES,
  MTRACE_RTG_PROTO_NAMES,
  RECORD_TYPE_NAMES,
} from './types.js';

const GROUP_TYPES = names({ 0: 'Public Group', 1: 'Private Group' });
const REPLY_CODES = names({
  0: 'Request Granted',
  1: 'Request Denied, No Resources',
  2: 'Request Denied, Invalid Code',
  3: 'Request Denied, Invalid Group',
  4: 'Request Denied, Invalid Key',
});

function showMaxResp(n: FieldNode): string {
  const raw = n.raw ?? (n.value as number);
  return `${tenthsToSeconds(n.value as number)} sec (${hex(raw, 2)})`;
}

/**
 * IGMP fields. Keys are Wireshark's display-filter names where Wireshark has the field (same
 * meaning); `ours: true` marks the additions, documented in the README and the JSON Schema.
 */
export const igmpFields = {
  version: field({ abbrev: 'igmp.version', name: 'IGMP Version', kind: 'uint', generated: true }),
  type: field({
    abbrev: 'igmp.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) =>
      `${IGMP_LAYER_TYPES.get(n.value as number) ?? 'Unknown'} (${hex(n.value as number, 2)})`,
  }),
  reserved: field({ abbrev: 'igmp.reserved', name: 'Reserved', kind: 'bytes', repeats: true }),
  /** Wireshark's meaning: tenths of a second, decoded from the v3 Max Resp Code. */
  maxResp: field({
    abbrev: 'igmp.max_resp',
    name: 'Max Resp Time',
    kind: 'uint',
    show: showMaxResp,
    blurb:
      'tenths of a second; for v3 decoded from the Max Resp Code (RFC 3376 §4.1.1), as Wireshark',
  }),
  maxRespExp: field({
    abbrev: 'igmp.max_resp.exp',
    name: 'Exponent',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x70,
    bitWidth: 8,
  }),
  maxRespMant: field({
    abbrev: 'igmp.max_resp.mant',
    name: 'Mantissa',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x0f,
    bitWidth: 8,
  }),
  maxRespSec: field({
    abbrev: 'igmp.max_resp_sec',
    name: 'Max Resp Time in seconds',
    kind: 'uint',
    fractional: true,
    ours: true,
    generated: true,
  }),
  checksum: field({ abbrev: 'igmp.checksum', name: 'Checksum', kind: 'uint', hexDigits: 4 }),
  checksumStatus: field({
    abbrev: 'igmp.checksum.status',
    name: 'Checksum Status',
    kind: 'string',
    values: CHECKSUM_STATUSES,
    codes: CHECKSUM_STATUS_CODES,
    generated: true,
    show: (n) => CHECKSUM_STATUS_TEXT[n.value as ChecksumStatus],
  }),
  checksumCalculated: field({
    abbrev: 'igmp.checksum_calculated',
    name: 'Calculated Checksum',
    kind: 'uint',
    hexDigits: 4,
    blurb: 'the checksum the message should carry, present when igmp.checksum.status is bad',
    ours: true,
    generated: true,
  }),
  maddr: field({ abbrev: 'igmp.maddr', name: 'Multicast Address', kind: 'ipv4' }),
  queryType: field({
    abbrev: 'igmp.query_type',
    name: 'Query kind',
    kind: 'string',
    values: QUERY_KINDS,
    blurb: 'the kind of query',
    ours: true,
    generated: true,
  }),
  resv: field({
    abbrev: 'igmp.resv',
    name: 'Reserved',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
    blurb: 'the 4 reserved bits of a v3 query',
    ours: true,
  }),
  s: field({
    abbrev: 'igmp.s',
    name: 'S',
    kind: 'bool',
    mask: 0x08,
    bitWidth: 8,
    trueFalse: ['SUPPRESS router side processing', 'Do not suppress router side processing'],
  }),
  qrv: field({ abbrev: 'igmp.qrv', name: 'QRV', kind: 'uint', mask: 0x07, bitWidth: 8 }),
  qqic: field({
    abbrev: 'igmp.qqic',
    name: 'QQIC',
    kind: 'uint',
    blurb: 'raw QQIC byte, as Wireshark',
  }),
  qqi: field({
    abbrev: 'igmp.qqi',
    name: "Querier's Query Interval",
    kind: 'uint',
    blurb: "the querier's query interval in seconds, decoded from QQIC (RFC 3376 §4.1.7)",
    ours: true,
    generated: true,
    show: (n) => `${n.value as number} sec`,
  }),
  numSrc: field({ abbrev: 'igmp.num_src', name: 'Num Src', kind: 'uint' }),
  saddr: field({ abbrev: 'igmp.saddr', name: 'Source Address', kind: 'ipv4', repeats: true }),
  numGrpRecs: field({ abbrev: 'igmp.num_grp_recs', name: 'Num Group Records', kind: 'uint' }),
  record: field({
    abbrev: 'igmp.record',
    name: 'Group Record',
    kind: 'group',
    groupKey: 'igmp.records',
  }),
  recordType: field({
    abbrev: 'igmp.record_type',
    name: 'Record Type',
    kind: 'uint',
    names: RECORD_TYPE_NAMES,
  }),
  auxDataLen: field({
    abbrev: 'igmp.aux_data_len',
    name: 'Aux Data Len',
    kind: 'uint',
    blurb: 'in 32-bit words',
  }),
  auxData: field({ abbrev: 'igmp.aux_data', name: 'Aux Data', kind: 'bytes' }),
  data: field({ abbrev: 'igmp.data', name: 'Data', kind: 'bytes' }),
  mtraceMaxHops: field({ abbrev: 'igmp.mtrace.max_hops', name: '# hops', kind: 'uint' }),
  mtraceSaddr: field({ abbrev: 'igmp.mtrace.saddr', name: 'Source Address', kind: 'ipv4' }),
  mtraceRaddr: field({ abbrev: 'igmp.mtrace.raddr', name: 'Receiver Address', kind: 'ipv4' }),
  mtraceRspaddr: field({ abbrev: 'igmp.mtrace.rspaddr', name: 'Response Address', kind: 'ipv4' }),
  mtraceRespTtl: field({ abbrev: 'igmp.mtrace.resp_ttl', name: 'Response TTL', kind: 'uint' }),
  mtraceQid: field({ abbrev: 'igmp.mtrace.q_id', name: 'Query ID', kind: 'uint' }),
  /** Ours: Wireshark keys each block by its tree text; igmpscope lists them in one array. */
  mtraceBlock: field({
    abbrev: 'igmp.mtrace.block',
    name: 'Response data block',
    kind: 'group',
    groupKey: 'igmp.mtrace.blocks',
    ours: true,
    blurb:
      'the response blocks of a multicast traceroute request or response, one per hop, in their order in the message',
  }),
  mtraceArrival: field({
    abbrev: 'igmp.mtrace.q_arrival',
    name: 'Query Arrival',
    kind: 'uint',
    blurb: 'the raw 32-bit NTP-style arrival time (16 bits of seconds, 16 of fraction)',
  }),
  mtraceInaddr: field({ abbrev: 'igmp.mtrace.q_inaddr', name: 'In itf addr', kind: 'ipv4' }),
  mtraceOutaddr: field({ abbrev: 'igmp.mtrace.q_outaddr', name: 'Out itf addr', kind: 'ipv4' }),
  mtracePrevrtr: field({
    abbrev: 'igmp.mtrace.q_prevrtr',
    name: 'Previous rtr addr',
    kind: 'ipv4',
  }),
  mtraceInpkt: field({ abbrev: 'igmp.mtrace.q_inpkt', name: 'In pkts', kind: 'uint' }),
  mtraceOutpkt: field({ abbrev: 'igmp.mtrace.q_outpkt', name: 'Out pkts', kind: 'uint' }),
  mtraceTotal: field({ abbrev: 'igmp.mtrace.q_total', name: 'S,G pkt count', kind: 'uint' }),
  mtraceRtgProto: field({
    abbrev: 'igmp.mtrace.q_rtg_proto',
    name: 'Rtg Protocol',
    kind: 'uint',
    show: (n) =>
      `${MTRACE_RTG_PROTO_NAMES.get(n.value as number) ?? 'Unknown'} (${n.value as number})`,
  }),
  mtraceFwdTtl: field({ abbrev: 'igmp.mtrace.q_fwd_ttl', name: 'FwdTTL', kind: 'uint' }),
  mtraceMbz: field({
    abbrev: 'igmp.mtrace.q_mbz',
    name: 'MBZ',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x80,
    bitWidth: 8,
  }),
  mtraceS: field({
    abbrev: 'igmp.mtrace.q_s',
    name: 'S',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x40,
    bitWidth: 8,
  }),
  mtraceSrcMask: field({
    abbrev: 'igmp.mtrace.q_src_mask',
    name: 'Src Mask',
    kind: 'uint',
    hexDigits: 2,
    mask: 0x3f,
    bitWidth: 8,
  }),
  mtraceFwdCode: field({
    abbrev: 'igmp.mtrace.q_fwd_code',
    name: 'Forwarding Code',
    kind: 'uint',
    show: (n) =>
      `${MTRACE_FWD_CODE_NAMES.get(n.value as number) ?? 'Unknown'} (${hex(n.value as number, 2)})`,
    hexDigits: 2,
  }),
  /** IGMPv0 (RFC 988): byte 1 of a Create Group Request. */
  groupType: field({
    abbrev: 'igmp.group_type',
    name: 'Type Of Group',
    kind: 'uint',
    show: (n) => `${GROUP_TYPES.get(n.value as number) ?? 'Unknown'} (${n.value as number})`,
  }),
  /** IGMPv0: byte 1 of a reply, 0–4. */
  reply: field({
    abbrev: 'igmp.reply',
    name: 'Reply',
    kind: 'uint',
    show: (n) => `${REPLY_CODES.get(n.value as number) ?? 'Unknown'} (${n.value as number})`,
  }),
  /** IGMPv0: byte 1 of a reply, 5 and above: retry in this many seconds. */
  replyPending: field({
    abbrev: 'igmp.reply.pending',
    name: 'Reply Pending',
    kind: 'uint',
    blurb: 'request pending: retry in this many seconds',
  }),
  identifier: field({ abbrev: 'igmp.identifier', name: 'Identifier', kind: 'uint' }),
  accessKey: field({ abbrev: 'igmp.access_key', name: 'Access Key', kind: 'bytes' }),
  /** Ours: bytes inside the IP payload after the end of the message (summed in the checksum). */
  trailing: field({
    abbrev: 'igmp.trailing',
    name: 'Trailing bytes',
    kind: 'bytes',
    ours: true,
    blurb: 'bytes after the end of the message inside the IP payload',
  }),
};
