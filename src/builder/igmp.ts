/**
 * IGMP message builders (RFC 1112 appendix I, RFC 2236 §2, RFC 3376 §4). Every builder makes
 * a correct message by default; the optional overrides write chosen defects instead.
 *
 * Checksum rule (RFC 2236 §2.3, RFC 3376 §4.1.2 / §4.2.2): one's complement over the whole
 * message as it goes into the IP payload, `extra` bytes included, field zeroed meanwhile.
 * `checksum: n` stores n as is (possibly wrong).
 */
import { ipv4Bytes } from './addr.js';
import { internetChecksum } from './checksum.js';

export { decodeExpCode, encodeExpCode, EXP_CODE_MAX } from './expcode.js';

/** IGMP type bytes this module knows by name (RFC 3376 §4, RFC 2236 §2.1, RFC 1112). */
export const IgmpType = {
  MembershipQuery: 0x11,
  V1MembershipReport: 0x12,
  Dvmrp: 0x13,
  PimV1: 0x14,
  V2MembershipReport: 0x16,
  LeaveGroup: 0x17,
  MtraceResponse: 0x1e,
  MtraceQuery: 0x1f,
  V3MembershipReport: 0x22,
} as const;

/** IGMPv3 group record types (RFC 3376 §4.2.12). */
export const RecordType = {
  ModeIsInclude: 1,
  ModeIsExclude: 2,
  ChangeToInclude: 3,
  ChangeToExclude: 4,
  AllowNewSources: 5,
  BlockOldSources: 6,
} as const;

const EMPTY = Buffer.alloc(0);

/** Fills bytes 2–3: the correct checksum of the whole message, or the forced value. */
function sealChecksum(message: Buffer, forced?: number): Buffer {
  if (message.length < 4) return message; // no room for the field: nothing to seal
  message.writeUInt16BE(0, 2);
  message.writeUInt16BE(forced ?? internetChecksum(message), 2);
  return message;
}

/** The 8-byte head shared by v1, v2 and the v3 query: type, byte 1, checksum, group. */
function head8(type: number, byte1: number, group: string): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt8(type, 0);
  out.writeUInt8(byte1, 1);
  ipv4Bytes(group).copy(out, 4);
  return out;
}

function checkBits(name: string, value: number, bits: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 1 << bits) {
    throw new RangeError(`${name} must fit ${bits} bits, got ${value}`);
  }
}

export interface IgmpV1Options {
  /** 0x11 Host Membership Query, 0x12 Host Membership Report (RFC 1112 appendix I). */
  type: 0x11 | 0x12;
  /** 0.0.0.0 in queries. Default 0.0.0.0. */
  group?: string;
  /** Byte 1, "unused", sent as zero. */
  unused?: number;
  checksum?: number;
  /** Bytes appended after the 8-byte message, covered by the checksum. */
  extra?: Buffer;
}

/** An IGMPv1 message: 8 bytes, version and type packed in byte 0. */
export function igmpV1(o: IgmpV1Options): Buffer {
  const msg = Buffer.concat([head8(o.type, o.unused ?? 0, o.group ?? '0.0.0.0'), o.extra ?? EMPTY]);
  return sealChecksum(msg, o.checksum);
}

export interface IgmpV2Options {
  /** 0x11 query, 0x16 report, 0x17 leave (RFC 2236 §2.1). */
  type: 0x11 | 0x16 | 0x17;
  /** Raw byte, tenths of a second (RFC 2236 §2.2); 0 in reports and leaves. Default 0. */
  maxResp?: number;
  /** 0.0.0.0 in a general query. Default 0.0.0.0. */
  group?: string;
  checksum?: number;
  /** Bytes past the 8-byte message: legal, ignored by receivers, summed in the checksum (RFC 2236 §2.5). */
  extra?: Buffer;
}

/** An IGMPv2 message: type, max resp time, checksum, group. */
export function igmpV2(o: IgmpV2Options): Buffer {
  const msg = Buffer.concat([
    head8(o.type, o.maxResp ?? 0, o.group ?? '0.0.0.0'),
    o.extra ?? EMPTY,
  ]);
  return sealChecksum(msg, o.checksum);
}

export interface IgmpV3QueryOptions {
  /** Raw Max Resp Code byte (RFC 3376 §4.1.1; see encodeExpCode). Default 100 = 10 s. */
  maxRespCode?: number;
  /** 0.0.0.0 for a general query. Default 0.0.0.0. */
  group?: string;
  /** Suppress Router-Side Processing (§4.1.5). Default false. */
  sFlag?: boolean;
  /** Querier's Robustness Variable, 3 bits (§4.1.6). Default 2. */
  qrv?: number;
  /** Raw QQIC byte (§4.1.7). Default 125. */
  qqic?: number;
  /** The 4 Resv bits at the top of byte 8, zero on transmission (§4.1.4). Default 0. */
  reserved?: number;
  /** Source addresses (§4.1.9). Default none. */
  sources?: string[];
  /** Number of Sources as written, to lie about the list length (§4.1.8). */
  numSources?: number;
  checksum?: number;
  /** Bytes after the source list, covered by the checksum (§4.1.10 says ignore them). */
  extra?: Buffer;
}

/** An IGMPv3 Membership Query: 12 bytes + 4 per source (RFC 3376 §4.1). */
export function igmpV3Query(o: IgmpV3QueryOptions = {}): Buffer {
  const reserved = o.reserved ?? 0;
  const qrv = o.qrv ?? 2;
  checkBits('reserved', reserved, 4);
  checkBits('qrv', qrv, 3);
  const sources = o.sources ?? [];
  const head = Buffer.alloc(12);
  head8(IgmpType.MembershipQuery, o.maxRespCode ?? 100, o.group ?? '0.0.0.0').copy(head);
  head.writeUInt8((reserved << 4) | (o.sFlag ? 0x08 : 0) | qrv, 8);
  head.writeUInt8(o.qqic ?? 125, 9);
  head.writeUInt16BE(o.numSources ?? sources.length, 10);
  const msg = Buffer.concat([head, ...sources.map(ipv4Bytes), o.extra ?? EMPTY]);
  return sealChecksum(msg, o.checksum);
}

export interface GroupRecordOptions {
  /** Record type 1..6 (RFC 3376 §4.2.12); other values make an unknown record. */
  type: number;
  group: string;
  sources?: string[];
  /** Auxiliary data; its length must be a multiple of 4 (§4.2.6, counted in 32-bit words). */
  auxData?: Buffer;
  /** Aux Data Len as written, in 32-bit words, to lie about the aux data. */
  auxWords?: number;
  /** Number of Sources as written, to lie about the source list. */
  numSources?: number;
}

/** One group record: type, aux words, N, group, N sources, aux data (RFC 3376 §4.2.4). */
export function groupRecord(r: GroupRecordOptions): Buffer {
  const aux = r.auxData ?? EMPTY;
  if (aux.length % 4 !== 0) {
    throw new RangeError(`auxData length must be a multiple of 4, got ${aux.length}`);
  }
  const sources = r.sources ?? [];
  const head = Buffer.alloc(8);
  head.writeUInt8(r.type, 0);
  head.writeUInt8(r.auxWords ?? aux.length / 4, 1);
  head.writeUInt16BE(r.numSources ?? sources.length, 2);
  ipv4Bytes(r.group).copy(head, 4);
  return Buffer.concat([head, ...sources.map(ipv4Bytes), aux]);
}

export interface IgmpV3ReportOptions {
  records: GroupRecordOptions[];
  /** Number of Group Records as written, to lie (§4.2.8). */
  numRecords?: number;
  /** Byte 1 (§4.2.2 "Reserved"). Default 0. */
  reserved1?: number;
  /** Bytes 4–5 (§4.2.2 "Reserved"). Default 0. */
  reserved2?: number;
  checksum?: number;
  /**
   * Cut the message to this many bytes, as a sender that lost the tail would send it; the
   * counts keep claiming the full content, and the checksum is computed over what is left
   * (so the message is malformed, not merely badly summed).
   */
  truncateTo?: number;
}

/** An IGMPv3 Membership Report (RFC 3376 §4.2). */
export function igmpV3Report(o: IgmpV3ReportOptions): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(IgmpType.V3MembershipReport, 0);
  head.writeUInt8(o.reserved1 ?? 0, 1);
  head.writeUInt16BE(o.reserved2 ?? 0, 4);
  head.writeUInt16BE(o.numRecords ?? o.records.length, 6);
  let msg: Buffer = Buffer.concat([head, ...o.records.map(groupRecord)]);
  if (o.truncateTo !== undefined) msg = truncate(msg, o.truncateTo);
  return sealChecksum(msg, o.checksum);
}

function truncate(msg: Buffer, length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > msg.length) {
    throw new RangeError(`truncateTo must be in 0..${msg.length}, got ${length}`);
  }
  return Buffer.from(msg.subarray(0, length));
}

export interface IgmpRawOptions {
  /** Byte 1 (code / max resp / max hops / reserved, by type). Default 0. */
  code?: number;
  /** 'auto' (default) computes the checksum over the whole message; a number forces it. */
  checksum?: 'auto' | number;
}

/**
 * Any other IGMP-family message (mtrace, DVMRP, PIMv1, RGMP, MRD, IGMPv0, unknown types):
 * all share the head type, code, checksum (RFC 1112 appendix I layout), so the message is
 * `type, code, checksum, ...body` and body starts at byte 4.
 */
export function igmpRaw(type: number, body: Buffer, o: IgmpRawOptions = {}): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(type, 0);
  head.writeUInt8(o.code ?? 0, 1);
  const msg = Buffer.concat([head, body]);
  return sealChecksum(msg, o.checksum === 'auto' ? undefined : o.checksum);
}
