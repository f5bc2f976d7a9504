/**
 * Other members of the IGMP family (IP protocol 2, same type/code/checksum head): multicast
 * traceroute, DVMRP and PIMv1. Thin layouts over igmpRaw; checksums cover the whole message.
 */
import { ipv4Bytes } from './addr.js';
import { IgmpType, igmpRaw } from './igmp.js';

export interface MtraceOptions {
  /** 0x1f Query/Request (default) or 0x1e Response. */
  type?: 0x1e | 0x1f;
  /** Byte 1: maximum number of hops to trace. Default 32. */
  maxHops?: number;
  group: string;
  source: string;
  receiver: string;
  responseAddress: string;
  /** TTL for a multicast response. Default 64. */
  responseTtl?: number;
  /** 24-bit query identifier. */
  queryId: number;
  /** Response data blocks (32 bytes each), appended raw; none makes a 24-byte Query. */
  blocks?: Buffer;
  checksum?: number;
}

/**
 * A multicast traceroute message (draft-ietf-idmr-traceroute-ipm, "Packet Formats"): type, hops, checksum,
 * group, source, receiver, response address, response TTL, 24-bit query id, blocks.
 */
export function mtrace(o: MtraceOptions): Buffer {
  const body = Buffer.alloc(20);
  ipv4Bytes(o.group).copy(body, 0);
  ipv4Bytes(o.source).copy(body, 4);
  ipv4Bytes(o.receiver).copy(body, 8);
  ipv4Bytes(o.responseAddress).copy(body, 12);
  body.writeUInt32BE((((o.responseTtl ?? 64) << 24) | (o.queryId & 0xffffff)) >>> 0, 16);
  const full = o.blocks ? Buffer.concat([body, o.blocks]) : body;
  return igmpRaw(o.type ?? IgmpType.MtraceQuery, full, {
    code: o.maxHops ?? 32,
    checksum: o.checksum ?? 'auto',
  });
}

export interface DvmrpProbeOptions {
  /** Generation ID of the sending router. */
  genId: number;
  /** Neighbours heard on the interface. Default none. */
  neighbors?: string[];
  /** Capability flags (leaf 1, prune 2, genid 4, mtrace 8). Default 0x0e. */
  capabilities?: number;
  /** Default 0xff, as DVMRPv3 routers send it. */
  minorVersion?: number;
  /** Default 3. */
  majorVersion?: number;
  checksum?: number;
}

/**
 * A DVMRP Probe (IGMP type 0x13, code 1; draft-ietf-idmr-dvmrp-v3-11, Probe message): reserved byte,
 * capabilities, minor and major version, generation id, neighbour list.
 */
export function dvmrpProbe(o: DvmrpProbeOptions): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(o.capabilities ?? 0x0e, 1);
  head.writeUInt8(o.minorVersion ?? 0xff, 2);
  head.writeUInt8(o.majorVersion ?? 3, 3);
  head.writeUInt32BE(o.genId >>> 0, 4);
  const body = Buffer.concat([head, ...(o.neighbors ?? []).map(ipv4Bytes)]);
  return igmpRaw(IgmpType.Dvmrp, body, { code: 1, checksum: o.checksum ?? 'auto' });
}

export interface PimV1QueryOptions {
  /** 0 dense, 1 sparse, 2 sparse-dense. Default 2. */
  mode?: number;
  /** Seconds. Default 105. */
  holdtime?: number;
  checksum?: number;
}

/**
 * A PIMv1 Router-Query (IGMP type 0x14, code 0): byte 4 carries PIM version 1 in its high
 * nibble, byte 8 the mode in its high nibble, bytes 10–11 the holdtime (the layout tcpdump's
 * and Wireshark's PIMv1 decoders read).
 */
export function pimV1Query(o: PimV1QueryOptions = {}): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt8(0x10, 0);
  body.writeUInt8((o.mode ?? 2) << 4, 4);
  body.writeUInt16BE(o.holdtime ?? 105, 6);
  return igmpRaw(IgmpType.PimV1, body, { code: 0, checksum: o.checksum ?? 'auto' });
}
