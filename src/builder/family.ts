/**
 * Other members of the IGMP family (IP protocol 2, same type/code/checksum head): multicast
 * traceroute, DVMRP v1 and v3, PIMv1, RGMP, MSNIP, RFC 4286 router discovery and the old MRDISC
 * draft, IGAP and IGMPv0. Thin layouts over igmpRaw; checksums cover the whole message (the
 * span the RFCs and drafts give, where Wireshark sums less for a PIMv1 Register or IGMPv0).
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
  /** The PIM version nibble of byte 4. Default 1. */
  version?: number;
  checksum?: number;
}

/**
 * A PIMv1 Router-Query (IGMP type 0x14, code 0): byte 4 carries PIM version 1 in its high
 * nibble, byte 8 the mode in its high nibble, bytes 10–11 the holdtime (the layout tcpdump's
 * and Wireshark's PIMv1 decoders read).
 */
export function pimV1Query(o: PimV1QueryOptions = {}): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt8((o.version ?? 1) << 4, 0);
  body.writeUInt8((o.mode ?? 2) << 4, 4);
  body.writeUInt16BE(o.holdtime ?? 105, 6);
  return igmpRaw(IgmpType.PimV1, body, { code: 0, checksum: o.checksum ?? 'auto' });
}

/** A response block's flags byte (MBZ, S, source mask) and the rest of one hop's report. */
export interface MtraceBlockOptions {
  /** Raw 32-bit NTP-style arrival time. */
  arrival: number;
  inAddr: string;
  outAddr: string;
  prevRouter: string;
  inPackets?: number;
  outPackets?: number;
  total?: number;
  /** Routing protocol between this hop and the previous one (3 PIM, 1 DVMRP …). Default 3. */
  rtgProto?: number;
  fwdTtl?: number;
  /** The S bit: the S,G count is for the source network. */
  s?: boolean;
  /** Source mask length, 6 bits. Default 24. */
  srcMask?: number;
  /** Forwarding code (0 NO_ERROR, 2 PRUNE_SENT …). Default 0. */
  fwdCode?: number;
}

/**
 * One 32-byte response block of a multicast traceroute (draft-ietf-idmr-traceroute-ipm):
 * arrival time, incoming, outgoing and previous-hop addresses, three packet counts, routing
 * protocol, forwarding TTL, MBZ/S/source mask, forwarding code. Concatenate them as `blocks`.
 */
export function mtraceBlock(o: MtraceBlockOptions): Buffer {
  const out = Buffer.alloc(32);
  out.writeUInt32BE(o.arrival >>> 0, 0);
  ipv4Bytes(o.inAddr).copy(out, 4);
  ipv4Bytes(o.outAddr).copy(out, 8);
  ipv4Bytes(o.prevRouter).copy(out, 12);
  out.writeUInt32BE((o.inPackets ?? 0) >>> 0, 16);
  out.writeUInt32BE((o.outPackets ?? 0) >>> 0, 20);
  out.writeUInt32BE((o.total ?? 0) >>> 0, 24);
  out.writeUInt8(o.rtgProto ?? 3, 28);
  out.writeUInt8(o.fwdTtl ?? 0, 29);
  out.writeUInt8((o.s ? 0x40 : 0) | ((o.srcMask ?? 24) & 0x3f), 30);
  out.writeUInt8(o.fwdCode ?? 0, 31);
  return out;
}

export interface DvmrpOptions {
  /** Byte 5: capability flags (leaf 1, prune 2, genid 4, mtrace 8). Default 0x0e. */
  capabilities?: number;
  /** Default 0xff, as DVMRPv3 routers send it. */
  minorVersion?: number;
  /** Default 3. */
  majorVersion?: number;
  checksum?: number;
}

/**
 * A DVMRPv3 message (IGMP type 0x13; draft-ietf-idmr-dvmrp-v3): code, checksum, a reserved
 * byte, capabilities, minor and major version, then `body`.
 */
export function dvmrpV3(code: number, body: Buffer, o: DvmrpOptions = {}): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(o.capabilities ?? 0x0e, 1);
  head.writeUInt8(o.minorVersion ?? 0xff, 2);
  head.writeUInt8(o.majorVersion ?? 3, 3);
  return igmpRaw(IgmpType.Dvmrp, Buffer.concat([head, body]), {
    code,
    checksum: o.checksum ?? 'auto',
  });
}

/** A mask group of a DVMRPv3 Report: the netmask and its source networks with metrics. */
export interface DvmrpRoute {
  /** The netmask; its first octet must be 255 (0.0.0.0 for the default route). */
  mask: string;
  sources: { network: string; metric: number }[];
}

/**
 * A DVMRPv3 Report (code 2): per mask group, the mask's last three octets, then each source
 * network in as many octets as the mask has non-zero ones and its metric, the last metric of
 * the group with bit 0x80.
 */
export function dvmrpReport(routes: DvmrpRoute[], o: DvmrpOptions = {}): Buffer {
  const parts: Buffer[] = [];
  for (const route of routes) {
    const mask = ipv4Bytes(route.mask);
    const width = mask.reduce((n, octet) => n + (octet !== 0 ? 1 : 0), 0) || 1;
    parts.push(mask.subarray(1));
    route.sources.forEach((s, i) => {
      parts.push(ipv4Bytes(s.network).subarray(0, width));
      parts.push(Buffer.from([(s.metric & 0x7f) | (i === route.sources.length - 1 ? 0x80 : 0)]));
    });
  }
  return dvmrpV3(2, Buffer.concat(parts), o);
}

/** One interface of a DVMRPv3 Neighbors 2 answer. */
export interface DvmrpInterface {
  local: string;
  metric: number;
  threshold: number;
  /** Tunnel 0x01, source route 0x02, down 0x10, disabled 0x20, querier 0x40, leaf 0x80. */
  flags: number;
  neighbors: string[];
  /** The neighbour count as written, to lie about it. */
  count?: number;
}

/** A DVMRPv3 Neighbors 2 (code 6, the answer to mrinfo): its interfaces and their neighbours. */
export function dvmrpNeighbors2(interfaces: DvmrpInterface[], o: DvmrpOptions = {}): Buffer {
  const parts = interfaces.map((i) =>
    Buffer.concat([
      ipv4Bytes(i.local),
      Buffer.from([i.metric, i.threshold, i.flags, i.count ?? i.neighbors.length]),
      ...i.neighbors.map(ipv4Bytes),
    ]),
  );
  return dvmrpV3(6, Buffer.concat(parts), o);
}

export interface DvmrpPruneOptions extends DvmrpOptions {
  source: string;
  group: string;
  /** Prune lifetime in seconds (Prune only). Default 7200. */
  lifetime?: number;
  /** The optional source netmask at the end. */
  netmask?: string;
}

/**
 * A DVMRPv3 Prune (code 7: source, group, lifetime), Graft (8) or Graft Ack (9: source,
 * group), each with an optional netmask at the end.
 */
export function dvmrpPruneGraft(code: 7 | 8 | 9, p: DvmrpPruneOptions): Buffer {
  const lifetime = Buffer.alloc(code === 7 ? 4 : 0);
  if (code === 7) lifetime.writeUInt32BE((p.lifetime ?? 7200) >>> 0, 0);
  const mask = p.netmask === undefined ? Buffer.alloc(0) : ipv4Bytes(p.netmask);
  return dvmrpV3(code, Buffer.concat([ipv4Bytes(p.source), ipv4Bytes(p.group), lifetime, mask]), p);
}

/**
 * A DVMRP v1 message (RFC 1075): code (1 Response, 2 Request, 3 Non-membership report,
 * 4 cancellation), checksum, then `commands` as they go on the wire (command byte, count or
 * value byte, data).
 */
export function dvmrpV1(code: number, commands: Buffer, checksum?: number): Buffer {
  return igmpRaw(IgmpType.Dvmrp, commands, { code, checksum: checksum ?? 'auto' });
}

export interface PimV1Options {
  /** The PIM version nibble of byte 4. Default 1. */
  version?: number;
  checksum?: number;
}

/**
 * A PIMv1 message (IGMP type 0x14): code, checksum over the whole message, the version in the
 * high nibble of byte 4, 3 reserved bytes, then `body`.
 */
export function pimV1(code: number, body: Buffer, o: PimV1Options = {}): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8((o.version ?? 1) << 4, 0);
  return igmpRaw(IgmpType.PimV1, Buffer.concat([head, body]), {
    code,
    checksum: o.checksum ?? 'auto',
  });
}

/** A PIMv1 Register (code 1) carrying `packet` (an IPv4 datagram, or a 20-byte dummy header). */
export function pimV1Register(packet: Buffer, o: PimV1Options = {}): Buffer {
  return pimV1(1, packet, o);
}

/** A PIMv1 Register-stop (code 2): group, source. */
export function pimV1RegisterStop(group: string, source: string, o: PimV1Options = {}): Buffer {
  return pimV1(2, Buffer.concat([ipv4Bytes(group), ipv4Bytes(source)]), o);
}

/** A source of a PIMv1 Join/Prune group: flags (S 0x04, W 0x02, R 0x01), mask length, address. */
export interface PimV1Source {
  address: string;
  flags: number;
  maskLen?: number;
}

export interface PimV1JoinPruneOptions extends PimV1Options {
  upstream: string;
  holdtime: number;
  groups: { group: string; mask: string; joins: PimV1Source[]; prunes: PimV1Source[] }[];
  /** The number of groups as written, to lie about it. */
  numGroups?: number;
}

/**
 * A PIMv1 Join/Prune (code 3), Graft (6) or Graft-Ack (7): upstream neighbour, 2 reserved
 * bytes, holdtime, a reserved byte, group mask and address lengths (4, 4), the number of
 * groups; per group its address, mask, join and prune counts and 6-byte source entries.
 */
export function pimV1JoinPrune(code: 3 | 6 | 7, o: PimV1JoinPruneOptions): Buffer {
  const head = Buffer.alloc(12);
  ipv4Bytes(o.upstream).copy(head, 0);
  head.writeUInt16BE(o.holdtime, 6);
  head.writeUInt8(4, 9);
  head.writeUInt8(4, 10);
  head.writeUInt8(o.numGroups ?? o.groups.length, 11);
  const source = (s: PimV1Source): Buffer =>
    Buffer.concat([Buffer.from([s.flags, s.maskLen ?? 32]), ipv4Bytes(s.address)]);
  const groups = o.groups.map((g) => {
    const counts = Buffer.alloc(4);
    counts.writeUInt16BE(g.joins.length, 0);
    counts.writeUInt16BE(g.prunes.length, 2);
    return Buffer.concat([
      ipv4Bytes(g.group),
      ipv4Bytes(g.mask),
      counts,
      ...g.joins.map(source),
      ...g.prunes.map(source),
    ]);
  });
  return pimV1(code, Buffer.concat([head, ...groups]), o);
}

/** A PIMv1 RP-Reachable (code 4): group, mask, RP, 2 reserved bytes, holdtime. */
export function pimV1RpReachable(
  group: string,
  mask: string,
  rp: string,
  holdtime: number,
  o: PimV1Options = {},
): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(holdtime, 2);
  return pimV1(4, Buffer.concat([ipv4Bytes(group), ipv4Bytes(mask), ipv4Bytes(rp), tail]), o);
}

/**
 * A PIMv1 Assert (code 5) as Wireshark reads one: group, mask, RP-tree bit with the metric
 * preference, metric.
 */
export function pimV1Assert(
  group: string,
  mask: string,
  rpTree: boolean,
  preference: number,
  metric: number,
  o: PimV1Options = {},
): Buffer {
  const tail = Buffer.alloc(8);
  tail.writeUInt32BE(((rpTree ? 0x80000000 : 0) | (preference & 0x7fffffff)) >>> 0, 0);
  tail.writeUInt32BE(metric >>> 0, 4);
  return pimV1(5, Buffer.concat([ipv4Bytes(group), ipv4Bytes(mask), tail]), o);
}

/** An RGMP message (RFC 3488): 0xff Hello, 0xfe Bye, 0xfd Join, 0xfc Leave, and a group. */
export function rgmp(type: 0xfc | 0xfd | 0xfe | 0xff, group: string, checksum?: number): Buffer {
  return igmpRaw(type, ipv4Bytes(group), { checksum: checksum ?? 'auto' });
}

/**
 * An MSNIP Group Map (0x23, draft-ietf-magma-msnip): count, checksum, 32-bit holdtime, and per
 * range its group, prefix length and 3 reserved bytes.
 */
export function msnipGroupMap(
  holdtime: number,
  ranges: { group: string; prefix: number }[],
  o: { count?: number; checksum?: number } = {},
): Buffer {
  const hold = Buffer.alloc(4);
  hold.writeUInt32BE(holdtime >>> 0, 0);
  const records = ranges.map((r) =>
    Buffer.concat([ipv4Bytes(r.group), Buffer.from([r.prefix, 0, 0, 0])]),
  );
  return igmpRaw(0x23, Buffer.concat([hold, ...records]), {
    code: o.count ?? ranges.length,
    checksum: o.checksum ?? 'auto',
  });
}

/** An MSNIP Interest Solicitation (0x24): 16-bit holdtime and generation id. */
export function msnipInterestSolicitation(
  holdtime: number,
  genId: number,
  checksum?: number,
): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt16BE(holdtime, 0);
  body.writeUInt16BE(genId, 2);
  return igmpRaw(0x24, body, { checksum: checksum ?? 'auto' });
}

/**
 * An MSNIP Receiver Membership Report (0x25): count, checksum, and per record its type
 * (1 start, 2 hold sending), 3 reserved bytes and group.
 */
export function msnipReceiverReport(
  records: { type: number; group: string }[],
  checksum?: number,
): Buffer {
  const body = records.map((r) =>
    Buffer.concat([Buffer.from([r.type, 0, 0, 0]), ipv4Bytes(r.group)]),
  );
  return igmpRaw(0x25, Buffer.concat(body), {
    code: records.length,
    checksum: checksum ?? 'auto',
  });
}

/**
 * An RFC 4286 Multicast Router Advertisement (0x30, §3): advertisement interval, checksum,
 * query interval, robustness variable.
 */
export function mrdAdvertisement(
  advertisementInterval: number,
  queryInterval: number,
  robustness: number,
  checksum?: number,
): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt16BE(queryInterval, 0);
  body.writeUInt16BE(robustness, 2);
  return igmpRaw(0x30, body, { code: advertisementInterval, checksum: checksum ?? 'auto' });
}

/**
 * An RFC 4286 Solicitation (0x31, §4) or Termination (0x32, §5), or the old MRDISC draft's
 * Termination (0x26): type, reserved, checksum.
 */
export function mrdShort(type: 0x26 | 0x31 | 0x32, checksum?: number): Buffer {
  return igmpRaw(type, Buffer.alloc(0), { checksum: checksum ?? 'auto' });
}

export interface IgapOptions {
  /** 0x40 Membership Report, 0x41 Query, 0x42 Leave. */
  type: 0x40 | 0x41 | 0x42;
  maxResp?: number;
  group: string;
  subtype: number;
  challengeId?: number;
  account?: string;
  /** The Message field's bytes. */
  message?: Buffer;
  /** The sizes as written, to lie about them. */
  asize?: number;
  msize?: number;
  /** Total length; default 96 (16 + 16-byte account + 64-byte message). */
  length?: number;
  checksum?: number;
}

/**
 * An IGAP message (draft-hayashi-igap): type, max response time, checksum, group, version 0x10,
 * subtype, reserved, challenge id, account size, message size, 2 reserved bytes, the 16-byte
 * User Account and the 64-byte Message fields.
 */
export function igap(o: IgapOptions): Buffer {
  const account = Buffer.from(o.account ?? '', 'latin1');
  const message = o.message ?? Buffer.alloc(0);
  const body = Buffer.alloc((o.length ?? 96) - 4);
  ipv4Bytes(o.group).copy(body, 0);
  body.writeUInt8(0x10, 4);
  body.writeUInt8(o.subtype, 5);
  body.writeUInt8(o.challengeId ?? 0, 7);
  body.writeUInt8(o.asize ?? account.length, 8);
  body.writeUInt8(o.msize ?? message.length, 9);
  account.copy(body, 12);
  message.copy(body, 28);
  return igmpRaw(o.type, body, { code: o.maxResp ?? 0, checksum: o.checksum ?? 'auto' });
}

export interface IgmpV0Options {
  /** 1–8: Create, Join, Leave, Confirm Group Request (odd) and Reply (even). */
  type: number;
  /** Group type of a Create Group Request, the reply code of a reply. Default 0. */
  code?: number;
  identifier: number;
  group: string;
  /** 8 bytes. Default zero. */
  accessKey?: Buffer;
  /** Bytes after the 20-byte message (summed in its checksum). */
  extra?: Buffer;
  checksum?: number;
}

/**
 * An IGMPv0 message (RFC 988): type, code, checksum, identifier, group address, access key;
 * 20 bytes.
 */
export function igmpV0(o: IgmpV0Options): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt32BE(o.identifier >>> 0, 0);
  ipv4Bytes(o.group).copy(body, 4);
  (o.accessKey ?? Buffer.alloc(8)).copy(body, 8, 0, 8);
  return igmpRaw(o.type, Buffer.concat([body, o.extra ?? Buffer.alloc(0)]), {
    code: o.code ?? 0,
    checksum: o.checksum ?? 'auto',
  });
}
