/**
 * Link-layer framing: Ethernet II with optional 802.1Q/802.1ad tags, Linux cooked captures
 * (LINKTYPE_LINUX_SLL 113 and LINKTYPE_LINUX_SLL2 276) and BSD loopback (LINKTYPE_NULL 0).
 */
import { isMulticastIpv4, macBytes, multicastMac } from './addr.js';

export const ETHERTYPE_IPV4 = 0x0800;
/** IEEE 802.3 minFrameSize is 64 bytes with the FCS; captures usually omit the FCS, leaving 60. */
const ETHERNET_MIN_NO_FCS = 60;

/** IPv4 destination of a payload if it is an IPv4 datagram sent to a multicast group. */
function multicastDestination(etherType: number, payload: Buffer): number | undefined {
  if (etherType !== ETHERTYPE_IPV4 || payload.length < 20 || payload[0] >> 4 !== 4) {
    return undefined;
  }
  const dst = payload.readUInt32BE(16);
  return isMulticastIpv4(dst) ? dst : undefined;
}

export interface VlanTag {
  /** 0x8100 (802.1Q, default) or 0x88a8 (802.1ad outer tag). */
  tpid?: number;
  /** Priority code point, 3 bits. Default 0. */
  pcp?: number;
  /** Drop eligible indicator. Default false. */
  dei?: boolean;
  /** VLAN id, 12 bits. */
  id: number;
}

function vlanTag(tag: VlanTag): Buffer {
  const pcp = tag.pcp ?? 0;
  if (pcp < 0 || pcp > 7 || tag.id < 0 || tag.id > 0xfff) {
    throw new RangeError(`VLAN tag out of range: pcp ${pcp}, id ${tag.id}`);
  }
  const out = Buffer.alloc(4);
  out.writeUInt16BE(tag.tpid ?? 0x8100, 0);
  out.writeUInt16BE((pcp << 13) | (tag.dei ? 0x1000 : 0) | tag.id, 2);
  return out;
}

export interface EthernetOptions {
  /** Default: the RFC 1112 §6.4 MAC of the IPv4 destination when it is multicast; required otherwise. */
  dst?: string;
  src: string;
  /** EtherType of the payload (after any tags). Default 0x0800. */
  etherType?: number;
  /** Tags outermost first. */
  vlans?: VlanTag[];
  payload: Buffer;
  /** Pad with zeros to 60 bytes, as receive-side captures without FCS show. Default true. */
  padTo60?: boolean;
  /** Bytes after the padding (an FCS, or trailer junk). */
  trailer?: Buffer;
}

function ethernetDst(o: EthernetOptions, etherType: number): Buffer {
  if (o.dst !== undefined) return macBytes(o.dst);
  const group = multicastDestination(etherType, o.payload);
  if (group === undefined) {
    throw new TypeError(
      'ethernet: dst is required unless the payload is IPv4 to a multicast group',
    );
  }
  return multicastMac(group);
}

/** An Ethernet II frame: dst, src, tags, EtherType, payload, padding, trailer. */
export function ethernet(o: EthernetOptions): Buffer {
  const etherType = o.etherType ?? ETHERTYPE_IPV4;
  const type = Buffer.alloc(2);
  type.writeUInt16BE(etherType, 0);
  const tags = (o.vlans ?? []).map(vlanTag);
  const frame = Buffer.concat([
    ethernetDst(o, etherType),
    macBytes(o.src),
    ...tags,
    type,
    o.payload,
  ]);
  const padding = Buffer.alloc(
    (o.padTo60 ?? true) ? Math.max(0, ETHERNET_MIN_NO_FCS - frame.length) : 0,
  );
  return Buffer.concat([frame, padding, o.trailer ?? Buffer.alloc(0)]);
}

/** Linux packet types (linux/if_packet.h): how the frame reached the capturing host. */
export const SllPacketType = {
  Host: 0,
  Broadcast: 1,
  Multicast: 2,
  OtherHost: 3,
  Outgoing: 4,
} as const;

function defaultPacketType(protocol: number, payload: Buffer): number {
  return multicastDestination(protocol, payload) === undefined
    ? SllPacketType.Host
    : SllPacketType.Multicast;
}

/** Link-layer address field of the cooked headers: 8 bytes, zero-padded, plus its length. */
function sllAddress(addr: string): { bytes: Buffer; length: number } {
  const mac = macBytes(addr);
  const bytes = Buffer.alloc(8);
  mac.copy(bytes);
  return { bytes, length: mac.length };
}

export interface SllOptions {
  /** Default Multicast (2) for IPv4 to a group, else Host (0). */
  packetType?: number;
  /** ARPHRD_* of the device. Default 1, ARPHRD_ETHER. */
  arphrd?: number;
  /** Sender's link-layer address. */
  addr: string;
  /** EtherType of the payload. Default 0x0800. */
  protocol?: number;
  payload: Buffer;
}

/** LINKTYPE_LINUX_SLL (113) header, 16 bytes: packet type, ARPHRD, address length, address, protocol. */
export function sll(o: SllOptions): Buffer {
  const protocol = o.protocol ?? ETHERTYPE_IPV4;
  const addr = sllAddress(o.addr);
  const head = Buffer.alloc(16);
  head.writeUInt16BE(o.packetType ?? defaultPacketType(protocol, o.payload), 0);
  head.writeUInt16BE(o.arphrd ?? 1, 2);
  head.writeUInt16BE(addr.length, 4);
  addr.bytes.copy(head, 6);
  head.writeUInt16BE(protocol, 14);
  return Buffer.concat([head, o.payload]);
}

export interface Sll2Options extends SllOptions {
  /** Interface index of the capturing device. */
  ifindex: number;
}

/**
 * LINKTYPE_LINUX_SLL2 (276) header, 20 bytes: protocol, reserved, interface index, ARPHRD,
 * packet type, address length, address.
 */
export function sll2(o: Sll2Options): Buffer {
  const protocol = o.protocol ?? ETHERTYPE_IPV4;
  const addr = sllAddress(o.addr);
  const head = Buffer.alloc(20);
  head.writeUInt16BE(protocol, 0);
  head.writeUInt32BE(o.ifindex >>> 0, 4);
  head.writeUInt16BE(o.arphrd ?? 1, 8);
  head.writeUInt8(o.packetType ?? defaultPacketType(protocol, o.payload), 10);
  head.writeUInt8(addr.length, 11);
  addr.bytes.copy(head, 12);
  return Buffer.concat([head, o.payload]);
}

export interface NullLoopbackOptions {
  /** Address family value. Default 2, AF_INET (the same on every BSD and Linux). */
  family?: number;
  /** The capturing host's byte order; default little-endian (x86, ARM). */
  littleEndian?: boolean;
  payload: Buffer;
}

/** LINKTYPE_NULL (0) header: the AF_ value as a 4-byte integer in the capturing host's order. */
export function nullLoopback(o: NullLoopbackOptions): Buffer {
  const head = Buffer.alloc(4);
  const family = o.family ?? 2;
  if (o.littleEndian ?? true) head.writeUInt32LE(family, 0);
  else head.writeUInt32BE(family, 0);
  return Buffer.concat([head, o.payload]);
}
