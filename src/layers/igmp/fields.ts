import { field, hex, type FieldNode } from '../../fields.js';
import {
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUSES,
  QUERY_KINDS,
  type ChecksumStatus,
} from '../views.js';
import { tenthsToSeconds } from './codes.js';
import { IGMP_TYPE_NAMES, RECORD_TYPE_NAMES } from './types.js';

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
      `${IGMP_TYPE_NAMES.get(n.value as number) ?? 'Unknown'} (${hex(n.value as number, 2)})`,
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
  /** Ours: byte 1 of DVMRP and PIMv1 messages (Wireshark: dvmrp.v3.code, pim.code). */
  code: field({
    abbrev: 'igmp.code',
    name: 'Code',
    kind: 'uint',
    ours: true,
    blurb: 'byte 1 of DVMRP and PIMv1 messages (Wireshark: dvmrp.v3.code, pim.code)',
  }),
  mtraceMaxHops: field({ abbrev: 'igmp.mtrace.max_hops', name: '# hops', kind: 'uint' }),
  mtraceSaddr: field({ abbrev: 'igmp.mtrace.saddr', name: 'Source Address', kind: 'ipv4' }),
  mtraceRaddr: field({ abbrev: 'igmp.mtrace.raddr', name: 'Receiver Address', kind: 'ipv4' }),
  mtraceRspaddr: field({ abbrev: 'igmp.mtrace.rspaddr', name: 'Response Address', kind: 'ipv4' }),
  mtraceRespTtl: field({ abbrev: 'igmp.mtrace.resp_ttl', name: 'Response TTL', kind: 'uint' }),
  mtraceQid: field({ abbrev: 'igmp.mtrace.q_id', name: 'Query ID', kind: 'uint' }),
  /** Ours: bytes inside the IP payload after the end of the message (summed in the checksum). */
  trailing: field({
    abbrev: 'igmp.trailing',
    name: 'Trailing bytes',
    kind: 'bytes',
    ours: true,
    blurb: 'bytes after the end of the message inside the IP payload',
  }),
};
