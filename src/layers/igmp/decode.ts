import { ipv4At } from '../../addr.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { hex, type Layer } from '../../fields.js';
import type { GroupRecord, IgmpMessage, QueryKind } from '../views.js';
import { report, type ProblemSink } from '../../problems.js';
import { decodeFloatCode } from './codes.js';
import { igmpFields as F } from './fields.js';
import {
  Bounds,
  CUT,
  endMessage,
  putMessageChecksum,
  SHORTER_THAN,
  type Describe,
  type MessageChecksum,
} from './message.js';
import {
  IGMP_QUERY,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
  IGMPV0_LENGTH,
  IGMPV0_TYPE_NAMES,
  RECORD_TYPE_NAMES,
  gatedDestination,
  IGMP_MTRACE_QUERY as MTRACE_QUERY,
  IGMP_MTRACE_RESPONSE as MTRACE_RESPONSE,
  MTRACE_BLOCK_LENGTH as MTRACE_BLOCK,
  MTRACE_FWD_CODE_NAMES,
  MTRACE_HEADER_LENGTH as MTRACE_HEADER,
  MTRACE_RTG_PROTO_NAMES,
} from './types.js';
import { u16 } from '../../read.js';

export interface IgmpInput {
  data: Buffer;
  /** Frame offset of the first IGMP byte. */
  start: number;
  /** End of the captured bytes that belong to the IP payload. */
  capturedEnd: number;
  /** Message length from the IP header (total length − header length). */
  length: number;
  /** Destination address, for the types that belong to a protocol only at one address. */
  dst: string;
  /** The IP datagram is a first fragment: the message is incomplete. */
  fragmented: boolean;
}

const V1V2_LENGTH = 8;
const V3_QUERY_MIN = 12;
const V3_REPORT_MIN = 8;
const RECORD_HEADER = 8;

const CHECKSUM: MessageChecksum = {
  checksum: F.checksum,
  status: F.checksumStatus,
  calculated: F.checksumCalculated,
  problem: 'igmp.checksum.bad',
};

const EMPTY: Describe = () => 'IGMP message is empty';
const V1V2_SHORT: Describe = (b) => `${b.msg.label} message of ${b.length} bytes, shorter than 8`;
const V3_QUERY_SHORT: Describe = (b) => `IGMPv3 query of ${b.length} bytes, shorter than 12`;
const V3_REPORT_SHORT: Describe = (b) => `IGMPv3 report of ${b.length} bytes, shorter than 8`;
/** x: the number of sources, y: where that count is. */
const SOURCES_OVERFLOW: Describe = (b, at, count, countOffset) =>
  `number of sources ${count} (at offset ${countOffset}) overruns the message: room for ${Math.max(0, Math.floor((b.end - at) / 4))}`;
/** x: the number of records, y: the record that does not fit (1-based). */
const RECORDS_OVERFLOW: Describe = (b, at, count, record) =>
  `number of group records ${count} overruns the message: record ${record} would start at byte ${at - b.start} of ${b.length}`;
/** x: aux data words, y: where that length is. */
const AUX_OVERFLOW: Describe = (b, at, words, lengthOffset) =>
  `aux data length ${words} words (at offset ${lengthOffset}) overruns the message by ${at + 4 * words - b.end} bytes`;
const MTRACE_SHORT: Describe = (b) =>
  `multicast traceroute message of ${b.length} bytes, shorter than its ${MTRACE_HEADER}-byte header`;

/**
 * IGMP itself: v1/v2/v3 (RFC 1112 appendix I, RFC 2236 §2, RFC 3376 §4), IGMPv0 (RFC 988),
 * multicast traceroute, and the types nobody decodes. (The types that belong to DVMRP, PIMv1,
 * RGMP, MSNIP, MRDISC and IGAP are handed to those protocols before this runs; given one, it
 * shows it as a type no protocol takes here.) Never throws on bad bytes: whatever could be
 * read is in the layer, and problems say what could not.
 */
export function decodeIgmp(input: IgmpInput, sink: ProblemSink, layers: Layer[]): IgmpMessage {
  const { data, start } = input;
  const layer = startLayer(sink.out, layers, 'igmp', start, 0);
  const msg: IgmpMessage = {
    start,
    type: -1,
    label: 'IGMP',
    length: input.length,
    checksumStatus: 'unverified',
    malformed: false,
    truncated: false,
  };
  const bounds = new Bounds(
    data,
    start,
    input.length,
    input.capturedEnd,
    input.fragmented,
    sink,
    layer,
    msg,
    'igmp.truncated',
    'IGMP',
  );
  layer.length = bounds.capEnd - start;
  if (!bounds.has(start, 1, 'igmp.too_short', EMPTY)) return msg;
  const type = data[start];
  msg.type = type;

  if (type === IGMP_QUERY) {
    if (input.length >= V3_QUERY_MIN) decodeV3Query(bounds);
    else decodeV1V2(bounds, data[start + 1] === 0 || bounds.capEnd < start + 2 ? 1 : 2);
  } else if (type === IGMP_V1_REPORT) {
    decodeV1V2(bounds, 1);
  } else if (type === IGMP_V2_REPORT || type === IGMP_V2_LEAVE) {
    decodeV1V2(bounds, 2);
  } else if (type === IGMP_V3_REPORT) {
    decodeV3Report(bounds);
  } else if (type <= 0x0f) {
    decodeV0(bounds);
    endMessage(bounds);
  } else if (type === MTRACE_QUERY || type === MTRACE_RESPONSE) {
    decodeMtrace(bounds);
    endMessage(bounds);
  } else {
    decodeUnknown(bounds, input.dst);
  }
  return msg;
}

function pushVersionAndType(b: Bounds, version: number | undefined): void {
  const { start } = b;
  if (version !== undefined) b.msg.version = version;
  const out = b.out;
  if (!out) return;
  if (version !== undefined) out.add(F.version, version, start, 0);
  out.add(F.type, b.msg.type, start, 1);
}

/**
 * Checksum over the whole message as the IP length bounds it (RFC 2236 §2.3 and §2.5,
 * RFC 3376 §4.1.2): for v1/v2 too, where Wireshark sums only 8 bytes — a longer v2 message
 * is legal and its checksum covers every byte. Unverified when the capture or a fragment
 * leaves part of the message out.
 */
function pushChecksum(b: Bounds, verify: boolean): void {
  putMessageChecksum(b, CHECKSUM, verify);
}

function queryKind(group: string, sources: number): QueryKind {
  if (group === '0.0.0.0') return 'general';
  return sources > 0 ? 'group-and-source-specific' : 'group-specific';
}

function pushTrailing(b: Bounds, from: number): void {
  if (b.stopped || from >= b.end) return;
  const { data } = b;
  const end = b.capEnd;
  if (end > from) b.out?.add(F.trailing, data.subarray(from, end), from, end - from);
  report(
    b.sink,
    'igmp.trailing_bytes',
    from,
    `${b.end - from} bytes follow the end of the IGMP message inside the IP payload`,
    b.layer,
  );
}

function decodeV1V2(b: Bounds, version: 1 | 2): void {
  const { data, start } = b;
  const msg = b.msg;
  msg.label = `IGMPv${version}`;
  pushVersionAndType(b, version);
  const length = b.length;
  if (msg.type === IGMP_QUERY && length > V1V2_LENGTH) {
    report(
      b.sink,
      'igmp.query.bad_length',
      start,
      `query of ${length} bytes: decoded as IGMPv${version} from its first 8 bytes; RFC 3376 §7.1 has routers ignore it`,
      b.layer,
    );
  }
  if (!b.has(start + 1, 1, 'igmp.too_short', V1V2_SHORT)) return;
  const second = data[start + 1];
  if (version === 1) {
    b.out?.add(F.reserved, data.subarray(start + 1, start + 2), start + 1, 1);
    if (second !== 0 && msg.type === IGMP_V1_REPORT) {
      report(
        b.sink,
        'igmp.reserved.nonzero',
        start + 1,
        `unused byte of an IGMPv1 report is ${hex(second, 2)}, not zero (RFC 1112 appendix I)`,
        b.layer,
      );
    }
  } else {
    msg.maxRespTenths = second;
    b.out?.add(F.maxResp, second, start + 1, 1);
    b.out?.add(F.maxRespSec, second / 10, start + 1, 0);
  }
  if (!b.has(start + 2, 2, 'igmp.too_short', V1V2_SHORT)) return;
  // A message below its minimum length is malformed; like Wireshark, its checksum is not judged.
  pushChecksum(b, length >= V1V2_LENGTH);
  if (!b.has(start + 4, 4, 'igmp.too_short', V1V2_SHORT)) return;
  const group = ipv4At(data, start + 4);
  msg.group = group;
  b.out?.add(F.maddr, group, start + 4, 4);
  if (msg.type === IGMP_QUERY) {
    msg.queryKind = queryKind(group, 0);
    b.out?.add(F.queryType, msg.queryKind, start + 4, 0);
  } else {
    pushTrailing(b, start + V1V2_LENGTH);
  }
}

function decodeV3Query(b: Bounds): void {
  const { data, start } = b;
  const msg = b.msg;
  msg.label = 'IGMPv3';
  pushVersionAndType(b, 3);
  if (!b.has(start + 1, 1, 'igmp.too_short', V3_QUERY_SHORT)) return;
  const code = data[start + 1];
  const tenths = decodeFloatCode(code);
  msg.maxRespTenths = tenths;
  const out = b.out;
  if (out) {
    if (code >= 128) {
      out.open(F.maxResp, tenths, start + 1, 1, code);
      out.add(F.maxRespExp, (code >>> 4) & 7, start + 1, 1, code);
      out.add(F.maxRespMant, code & 0x0f, start + 1, 1, code);
      out.close();
    } else {
      out.add(F.maxResp, tenths, start + 1, 1, code);
    }
    out.add(F.maxRespSec, tenths / 10, start + 1, 0);
  }
  if (!b.has(start + 2, 2, 'igmp.too_short', V3_QUERY_SHORT)) return;
  pushChecksum(b, true);
  if (!b.has(start + 4, 8, 'igmp.too_short', V3_QUERY_SHORT)) return;
  const group = ipv4At(data, start + 4);
  msg.group = group;
  const flags = data[start + 8];
  const resv = flags >>> 4;
  msg.sFlag = (flags & 0x08) !== 0;
  msg.qrv = flags & 0x07;
  msg.qqic = data[start + 9];
  const numSrc = u16(data, start + 10);
  out?.add(F.maddr, group, start + 4, 4);
  const resvNode = out?.add(F.resv, resv, start + 8, 1, flags);
  if (resv !== 0) {
    report(
      b.sink,
      'igmp.reserved.nonzero',
      start + 8,
      `reserved bits of the IGMPv3 query are ${resv}, not zero (RFC 3376 §4.1.5)`,
      resvNode ?? b.layer,
    );
  }
  if (out) {
    out.add(F.s, msg.sFlag, start + 8, 1, flags);
    out.add(F.qrv, msg.qrv, start + 8, 1, flags);
    out.add(F.qqic, msg.qqic, start + 9, 1);
    out.add(F.qqi, decodeFloatCode(msg.qqic), start + 9, 0);
    out.add(F.numSrc, numSrc, start + 10, 2);
  }
  msg.sources = readSources(b, start + 12, numSrc, start + 10);
  msg.queryKind = queryKind(group, numSrc);
  out?.add(F.queryType, msg.queryKind, start + 4, 0);
  pushTrailing(b, start + 12 + 4 * numSrc);
}

/** Reads `count` source addresses; a count that overruns the message is reported. */
function readSources(b: Bounds, at: number, count: number, countOffset: number): string[] {
  const { data } = b;
  const sources: string[] = [];
  const fit = Math.max(0, Math.min(count, Math.floor((b.capEnd - at) / 4)));
  for (let i = 0; i < fit; i++) {
    const address = ipv4At(data, at + 4 * i);
    sources.push(address);
    b.out?.add(F.saddr, address, at + 4 * i, 4);
  }
  if (fit < count) {
    b.has(at, 4 * count, 'igmp.num_src.overflow', SOURCES_OVERFLOW, count, countOffset);
  }
  return sources;
}

function decodeV3Report(b: Bounds): void {
  const { data, start } = b;
  const msg = b.msg;
  msg.label = 'IGMPv3';
  pushVersionAndType(b, 3);
  if (!b.has(start + 1, 1, 'igmp.too_short', V3_REPORT_SHORT)) return;
  const out = b.out;
  out?.add(F.reserved, data.subarray(start + 1, start + 2), start + 1, 1);
  if (!b.has(start + 2, 2, 'igmp.too_short', V3_REPORT_SHORT)) return;
  pushChecksum(b, true);
  if (!b.has(start + 4, 4, 'igmp.too_short', V3_REPORT_SHORT)) return;
  out?.add(F.reserved, data.subarray(start + 4, start + 6), start + 4, 2);
  if (data[start + 1] !== 0 || u16(data, start + 4) !== 0) {
    report(
      b.sink,
      'igmp.reserved.nonzero',
      start + 1,
      'reserved fields of the IGMPv3 report are not zero (RFC 3376 §4.2.1)',
      b.layer,
    );
  }
  const count = u16(data, start + 6);
  msg.numRecords = count;
  out?.add(F.numGrpRecs, count, start + 6, 2);
  const records: GroupRecord[] = (msg.records = []);
  let at = start + V3_REPORT_MIN;
  for (let i = 0; i < count; i++) {
    const fits = b.has(
      at,
      RECORD_HEADER,
      'igmp.num_grp_recs.overflow',
      RECORDS_OVERFLOW,
      count,
      i + 1,
    );
    if (!fits) break;
    const record = decodeRecord(b, at);
    records.push(record.value);
    at = record.next;
    if (b.stopped) break;
  }
  pushTrailing(b, at);
}

function decodeRecord(b: Bounds, at: number): { value: GroupRecord; next: number } {
  const { data } = b;
  const type = data[at];
  const auxWords = data[at + 1];
  const numSrc = u16(data, at + 2);
  const group = ipv4At(data, at + 4);
  const typeName = RECORD_TYPE_NAMES.get(type);
  const out = b.out;
  const recordNode = out?.open(
    F.record,
    '',
    at,
    RECORD_HEADER + 4 * numSrc + 4 * auxWords,
    type,
    out.texts ? `Group Record : ${group}  ${typeName ?? ''}` : undefined,
  );
  if (out) {
    out.add(F.recordType, type, at, 1);
    out.add(F.auxDataLen, auxWords, at + 1, 1);
    out.add(F.numSrc, numSrc, at + 2, 2);
    out.add(F.maddr, group, at + 4, 4);
  }
  if (typeName === undefined) {
    report(
      b.sink,
      'igmp.record_type.unknown',
      at,
      `group record type ${type} is not one of 1–6 (RFC 3376 §4.2.12)`,
      recordNode ?? b.layer,
    );
  }
  const sources = readSources(b, at + RECORD_HEADER, numSrc, at + 2);
  const value: GroupRecord = { offset: at, type, auxWords, group, sources };
  const auxAt = at + RECORD_HEADER + 4 * numSrc;
  const next = auxAt + 4 * auxWords;
  if (auxWords > 0 && !b.stopped) {
    const ok = b.has(
      auxAt,
      4 * auxWords,
      'igmp.aux_data_len.overflow',
      AUX_OVERFLOW,
      auxWords,
      at + 1,
    );
    if (ok) out?.add(F.auxData, data.subarray(auxAt, next), auxAt, 4 * auxWords);
  }
  out?.close();
  return { value, next };
}

/**
 * IGMPv0 (RFC 988, "Message Formats"): type, code, checksum, identifier, group address and
 * access key, 20 bytes. The code is the group type in a Create Group Request (0 public,
 * 1 private) and the reply code in a reply (even types): 0–4 granted or why it was denied,
 * 5 and above "request pending, retry in this many seconds"; other requests leave it unused.
 */
function decodeV0(b: Bounds): void {
  const { data, start } = b;
  const msg = b.msg;
  msg.label = 'IGMPv0';
  pushVersionAndType(b, 0);
  if (!IGMPV0_TYPE_NAMES.has(msg.type)) {
    report(
      b.sink,
      'igmp.type.unknown',
      start,
      `IGMPv0 type ${hex(msg.type, 2)} is not one RFC 988 defines (1–8): decoded with its layout`,
      b.layer,
    );
  }
  if (!b.has(start + 1, 1, 'igmp.too_short', SHORTER_THAN, IGMPV0_LENGTH)) return;
  const code = data[start + 1];
  const out = b.out;
  if (msg.type === 0x01) out?.add(F.groupType, code, start + 1, 1);
  else if ((msg.type & 1) === 0) out?.add(code < 5 ? F.reply : F.replyPending, code, start + 1, 1);
  if (!b.has(start + 2, 2, 'igmp.too_short', SHORTER_THAN, IGMPV0_LENGTH)) return;
  // RFC 988 sums the whole message; Wireshark sums its first 20 bytes (the same when 20 long).
  pushChecksum(b, b.length >= IGMPV0_LENGTH);
  if (!b.has(start + 4, 4, 'igmp.too_short', SHORTER_THAN, IGMPV0_LENGTH)) return;
  out?.add(F.identifier, data.readUInt32BE(start + 4), start + 4, 4);
  if (!b.has(start + 8, 4, 'igmp.too_short', SHORTER_THAN, IGMPV0_LENGTH)) return;
  const group = ipv4At(data, start + 8);
  msg.group = group;
  out?.add(F.maddr, group, start + 8, 4);
  if (!b.has(start + 12, 8, 'igmp.too_short', SHORTER_THAN, IGMPV0_LENGTH)) return;
  out?.add(F.accessKey, data.subarray(start + 12, start + 20), start + 12, 8);
  pushTrailing(b, start + IGMPV0_LENGTH);
}

/**
 * Multicast traceroute (draft-ietf-idmr-traceroute-ipm, "Packet Formats"): a 24-byte header
 * (type, hops, checksum, group, source, receiver, response address, response TTL, query id),
 * then one 32-byte response block per hop that answered. A query has no block, a request or
 * response any number; bytes after the last whole block are reported and not decoded.
 */
function decodeMtrace(b: Bounds): void {
  const { data, start } = b;
  const out = b.out;
  // Wireshark names a 0x1f by what it is: a Query has no block, a Request has some.
  const name =
    b.msg.type === MTRACE_RESPONSE
      ? 'Traceroute Response (0x1e)'
      : `Traceroute ${b.length === MTRACE_HEADER ? 'Query' : 'Request'} (0x1f)`;
  out?.add(F.type, b.msg.type, start, 1, undefined, out.texts ? name : undefined);
  if (!b.has(start + 1, 1, 'igmp.too_short', MTRACE_SHORT)) return;
  out?.add(F.mtraceMaxHops, data[start + 1], start + 1, 1);
  if (!b.has(start + 2, 2, 'igmp.too_short', MTRACE_SHORT)) return;
  pushChecksum(b, b.length >= MTRACE_HEADER);
  if (!b.has(start + 4, MTRACE_HEADER - 4, 'igmp.too_short', MTRACE_SHORT)) return;
  b.msg.group = ipv4At(data, start + 4);
  if (out) {
    out.add(F.maddr, b.msg.group, start + 4, 4);
    out.add(F.mtraceSaddr, ipv4At(data, start + 8), start + 8, 4);
    out.add(F.mtraceRaddr, ipv4At(data, start + 12), start + 12, 4);
    out.add(F.mtraceRspaddr, ipv4At(data, start + 16), start + 16, 4);
    out.add(F.mtraceRespTtl, data[start + 20], start + 20, 1);
    out.add(F.mtraceQid, (data[start + 21] << 16) | u16(data, start + 22), start + 21, 3);
  }
  let at = start + MTRACE_HEADER;
  for (; at + MTRACE_BLOCK <= b.end; at += MTRACE_BLOCK) {
    // A whole block within the message: only the capture can cut it.
    if (!b.has(at, MTRACE_BLOCK, 'igmp.too_short', CUT)) return;
    if (out) pushMtraceBlock(out, data, at);
  }
  if (at < b.end) {
    report(
      b.sink,
      'igmp.mtrace.partial_block',
      at,
      `${b.end - at} bytes after the last whole ${MTRACE_BLOCK}-byte response block`,
      b.layer,
    );
  }
}

/** One response block: the hop's view of the traced path (its tree line names the hop). */
function pushMtraceBlock(out: FieldOut, data: Buffer, at: number): void {
  const inAddr = ipv4At(data, at + 4);
  const outAddr = ipv4At(data, at + 8);
  const proto = data[at + 28];
  const flags = data[at + 30];
  const code = data[at + 31];
  out.open(
    F.mtraceBlock,
    '',
    at,
    MTRACE_BLOCK,
    undefined,
    out.texts
      ? `Response data block: ${inAddr} -> ${outAddr},  Proto: ${MTRACE_RTG_PROTO_NAMES.get(proto) ?? 'Unknown'},  Forwarding Code: ${MTRACE_FWD_CODE_NAMES.get(code) ?? 'Unknown'}`
      : undefined,
  );
  out.add(F.mtraceArrival, data.readUInt32BE(at), at, 4);
  out.add(F.mtraceInaddr, inAddr, at + 4, 4);
  out.add(F.mtraceOutaddr, outAddr, at + 8, 4);
  out.add(F.mtracePrevrtr, ipv4At(data, at + 12), at + 12, 4);
  out.add(F.mtraceInpkt, data.readUInt32BE(at + 16), at + 16, 4);
  out.add(F.mtraceOutpkt, data.readUInt32BE(at + 20), at + 20, 4);
  out.add(F.mtraceTotal, data.readUInt32BE(at + 24), at + 24, 4);
  out.add(F.mtraceRtgProto, proto, at + 28, 1);
  out.add(F.mtraceFwdTtl, data[at + 29], at + 29, 1);
  out.add(F.mtraceMbz, flags >>> 7, at + 30, 1, flags);
  out.add(F.mtraceS, (flags >>> 6) & 1, at + 30, 1, flags);
  out.add(F.mtraceSrcMask, flags & 0x3f, at + 30, 1, flags);
  out.add(F.mtraceFwdCode, code, at + 31, 1);
  out.close();
}

/**
 * A type IGMP has no layout for (no protocol takes it, or one that takes it only at another
 * destination): like Wireshark, everything after the type is data and nothing is checksummed.
 */
function decodeUnknown(b: Bounds, dst: string): void {
  const { data, start } = b;
  const type = b.msg.type;
  pushVersionAndType(b, undefined);
  const gate = gatedDestination(type);
  if (gate !== undefined) {
    report(
      b.sink,
      'igmp.type.wrong_dst',
      start,
      `IGMP type ${hex(type, 2)} is ${gate}: sent to ${dst || 'another address'}, it is no message of that protocol`,
      b.layer,
    );
  } else {
    report(
      b.sink,
      'igmp.type.unknown',
      start,
      `IGMP type ${hex(type, 2)} has no layout igmpscope knows: its bytes are shown as data`,
      b.layer,
    );
  }
  if (b.capEnd > start + 1)
    b.out?.add(F.data, data.subarray(start + 1, b.capEnd), start + 1, b.capEnd - start - 1);
  if (b.capEnd < b.end) b.has(start, b.length, 'igmp.too_short', CUT);
}
