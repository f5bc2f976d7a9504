import { ipv4At } from '../../addr.js';
import { expectedChecksum, onesComplementSum } from '../../checksum.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { hex, type Layer } from '../../fields.js';
import { checksumText } from '../ip/ipv4.js';
import type { ChecksumStatus, GroupRecord, IgmpMessage, QueryKind } from '../views.js';
import { report, type ProblemSink } from '../../problems.js';
import { decodeFloatCode } from './codes.js';
import { igmpFields as F } from './fields.js';
import {
  IGMP_QUERY,
  IGMP_TYPE_NAMES,
  IGMP_V1_REPORT,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
  RECORD_TYPE_NAMES,
  otherTypeInfo,
  IGMP_DVMRP as DVMRP,
  IGMP_MTRACE_QUERY as MTRACE_QUERY,
  IGMP_MTRACE_RESPONSE as MTRACE_RESPONSE,
  IGMP_PIMV1 as PIMV1,
  MTRACE_HEADER_LENGTH as MTRACE_HEADER,
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
  /** Destination address, for the dispatch of types that depend on it (RGMP, MSNIP, MRDISC). */
  dst: string;
  /** The IP datagram is a first fragment: the message is incomplete. */
  fragmented: boolean;
}

const V1V2_LENGTH = 8;
const V3_QUERY_MIN = 12;
const V3_REPORT_MIN = 8;
const RECORD_HEADER = 8;

/** Reads within the message: tells a capture cut (truncated) from a lying message (malformed). */
class Bounds {
  readonly end: number;
  readonly capEnd: number;
  readonly out: FieldOut | undefined;
  stopped = false;
  constructor(
    readonly input: IgmpInput,
    readonly sink: ProblemSink,
    readonly layer: Layer,
    readonly msg: IgmpMessage,
  ) {
    this.out = sink.out;
    this.end = input.start + input.length;
    this.capEnd = Math.min(input.capturedEnd, this.end);
  }

  /**
   * True when [offset, offset+len) can be read. Otherwise reports why — `overflowId` and
   * `describe` (with `x`, `y`) say what field the message itself cannot hold — and stops the
   * decoding. The text is made only then: the hot path allocates no message or closure.
   */
  has(offset: number, len: number, overflowId: string, describe: Describe, x = 0, y = 0): boolean {
    if (this.stopped) return false;
    if (offset + len <= this.capEnd) return true;
    this.stopped = true;
    if (offset + len > this.end) {
      this.msg.malformed = true;
      report(this.sink, overflowId, offset, describe(this, offset, x, y), this.layer);
    } else {
      this.msg.truncated = true;
      report(
        this.sink,
        'igmp.truncated',
        this.capEnd,
        `IGMP message cut short by the capture: ${this.capEnd - this.input.start} of ${this.input.length} bytes captured`,
        this.layer,
      );
    }
    return false;
  }
}

/** Words a problem about a field the message cannot hold: (bounds, field offset, x, y). */
type Describe = (b: Bounds, offset: number, x: number, y: number) => string;

const EMPTY: Describe = () => 'IGMP message is empty';
const V1V2_SHORT: Describe = (b) =>
  `${b.msg.label} message of ${b.input.length} bytes, shorter than 8`;
const V3_QUERY_SHORT: Describe = (b) => `IGMPv3 query of ${b.input.length} bytes, shorter than 12`;
const V3_REPORT_SHORT: Describe = (b) => `IGMPv3 report of ${b.input.length} bytes, shorter than 8`;
/** x: the number of sources, y: where that count is. */
const SOURCES_OVERFLOW: Describe = (b, at, count, countOffset) =>
  `number of sources ${count} (at offset ${countOffset}) overruns the message: room for ${Math.max(0, Math.floor((b.end - at) / 4))}`;
/** x: the number of records, y: the record that does not fit (1-based). */
const RECORDS_OVERFLOW: Describe = (b, at, count, record) =>
  `number of group records ${count} overruns the message: record ${record} would start at byte ${at - b.input.start} of ${b.input.length}`;
/** x: aux data words, y: where that length is. */
const AUX_OVERFLOW: Describe = (b, at, words, lengthOffset) =>
  `aux data length ${words} words (at offset ${lengthOffset}) overruns the message by ${at + 4 * words - b.end} bytes`;
const NO_ROOM_FOR_CHECKSUM: Describe = (b) =>
  `${b.msg.label} message of ${b.input.length} bytes has no room for its checksum`;
/** The message is only cut by the capture: the truncation problem says it all. */
const CUT: Describe = () => '';

/**
 * IGMP v1/v2/v3 (RFC 1112 appendix I, RFC 2236 §2, RFC 3376 §4) and the rest of the IGMP
 * family by type. Never throws on bad bytes: whatever could be read is in the layer, and
 * problems say what could not.
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
  const bounds = new Bounds(input, sink, layer, msg);
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
  } else {
    decodeOther(bounds);
  }
  return msg;
}

function pushVersionAndType(b: Bounds, version: number | undefined): void {
  const { start } = b.input;
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
  const { data, start } = b.input;
  const at = start + 2;
  const stored = u16(data, at);
  const complete = !b.input.fragmented && b.capEnd === b.end;
  let status: ChecksumStatus = 'unverified';
  if (verify && complete)
    status = onesComplementSum(data, start, b.end) === 0xffff ? 'good' : 'bad';
  b.msg.checksumStatus = status;
  const expected = status === 'bad' ? expectedChecksum(data, start, b.end, at) : 0;
  const out = b.out;
  const checksumNode = out?.add(
    F.checksum,
    stored,
    at,
    2,
    undefined,
    out?.texts ? checksumText(stored, status, expected) : undefined,
  );
  if (status === 'bad') {
    report(
      b.sink,
      'igmp.checksum.bad',
      at,
      `IGMP checksum ${hex(stored, 4)} is wrong, should be ${hex(expected, 4)}`,
      checksumNode ?? b.layer,
    );
  }
  if (out) {
    out.add(F.checksumStatus, status, at, 0);
    if (status === 'bad') out.add(F.checksumCalculated, expected, at, 0);
  }
}

function queryKind(group: string, sources: number): QueryKind {
  if (group === '0.0.0.0') return 'general';
  return sources > 0 ? 'group-and-source-specific' : 'group-specific';
}

function pushTrailing(b: Bounds, from: number): void {
  if (b.stopped || from >= b.end) return;
  const { data } = b.input;
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
  const { data, start } = b.input;
  const msg = b.msg;
  msg.label = `IGMPv${version}`;
  pushVersionAndType(b, version);
  const length = b.input.length;
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
  const { data, start } = b.input;
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
  const { data } = b.input;
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
  const { data, start } = b.input;
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
  const { data } = b.input;
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

/** Types other than membership messages: named, checksummed when the type is known, raw bytes. */
function decodeOther(b: Bounds): void {
  const { data, start, dst } = b.input;
  const msg = b.msg;
  const info = otherTypeInfo(msg.type, dst);
  msg.label = info.label;
  pushVersionAndType(b, info.version);
  const known = IGMP_TYPE_NAMES.has(msg.type);
  if (!known) {
    report(
      b.sink,
      'igmp.type.unknown',
      start,
      `IGMP type ${hex(msg.type, 2)} is not assigned to any known protocol`,
      b.layer,
    );
    // Like Wireshark: an unknown type's layout is unknown, so everything after the type is data.
    if (b.capEnd > start + 1)
      b.out?.add(F.data, data.subarray(start + 1, b.capEnd), start + 1, b.capEnd - start - 1);
    return;
  }
  if (b.capEnd < start + 4) {
    b.has(start, 4, 'igmp.too_short', NO_ROOM_FOR_CHECKSUM);
    return;
  }
  const code = data[start + 1];
  if (msg.type === DVMRP || msg.type === PIMV1) {
    msg.code = code;
    b.out?.add(F.code, code, start + 1, 1);
  } else if (msg.type === MTRACE_QUERY || msg.type === MTRACE_RESPONSE) {
    b.out?.add(F.mtraceMaxHops, code, start + 1, 1);
  }
  pushChecksum(b, true);
  let dataStart = start + 4;
  if (
    (msg.type === MTRACE_QUERY || msg.type === MTRACE_RESPONSE) &&
    b.capEnd >= start + MTRACE_HEADER
  ) {
    dataStart = pushMtraceHeader(b);
  }
  if (b.capEnd > dataStart)
    b.out?.add(F.data, data.subarray(dataStart, b.capEnd), dataStart, b.capEnd - dataStart);
  if (b.capEnd < b.end) b.has(start, b.input.length, 'igmp.too_short', CUT);
}

/** The fixed part of a multicast traceroute query or response; the response blocks stay data. */
function pushMtraceHeader(b: Bounds): number {
  const { data, start } = b.input;
  b.msg.group = ipv4At(data, start + 4);
  const out = b.out;
  if (out) {
    out.add(F.maddr, b.msg.group, start + 4, 4);
    out.add(F.mtraceSaddr, ipv4At(data, start + 8), start + 8, 4);
    out.add(F.mtraceRaddr, ipv4At(data, start + 12), start + 12, 4);
    out.add(F.mtraceRspaddr, ipv4At(data, start + 16), start + 16, 4);
    out.add(F.mtraceRespTtl, data[start + 20], start + 20, 1);
    out.add(F.mtraceQid, data.readUIntBE(start + 21, 3), start + 21, 3);
  }
  return start + MTRACE_HEADER;
}
