/**
 * Encapsulations IGMP travels in: IPv6 (with extension headers), UDP, GRE, VXLAN, GENEVE,
 * MPLS, PPPoE + PPP, 802.3 + LLC/SNAP, 802.11 data frames and radiotap. Correct by default
 * (checksums computed), with overrides for lies.
 */
import { ipv4Bytes, macBytes } from './addr.js';
import { crc32 } from '../checksum.js';
import { internetChecksum, onesComplementSum } from './checksum.js';

/** "2001:db8::1" → 16 bytes (RFC 4291 §2.2 text forms, `::` once, no embedded IPv4). */
export function ipv6Bytes(text: string): Buffer {
  const halves = text.split('::');
  if (halves.length > 2) throw new RangeError(`not an IPv6 address: ${JSON.stringify(text)}`);
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').map((g) => {
          if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new RangeError(`not an IPv6 address: ${text}`);
          return parseInt(g, 16);
        });
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) {
    throw new RangeError(`not an IPv6 address: ${JSON.stringify(text)}`);
  }
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  return out;
}

const addressBytes = (text: string): Buffer =>
  text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text);

/** An IPv6 extension header (RFC 8200 §4): hop-by-hop, routing, fragment or destination options. */
export interface Ipv6Extension {
  /** 0 hop-by-hop, 43 routing, 44 fragment, 60 destination options. */
  type: 0 | 43 | 44 | 60;
  /** The header's bytes after next header and length (fragment: offset/flags and id). */
  body?: Buffer;
}

export interface Ipv6Options {
  src: string;
  dst: string;
  /** Protocol of the payload after the extension headers (4 IPv4, 17 UDP, 47 GRE …). */
  nextHeader: number;
  payload: Buffer;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  extensions?: Ipv6Extension[];
  /** Payload Length as written, to lie. */
  payloadLength?: number;
}

/** Pads an options header body to a multiple of 8 bytes with the two-byte header (PadN / Pad1). */
function optionsBody(body: Buffer | undefined): Buffer {
  const raw = body ?? Buffer.alloc(0);
  const total = Math.ceil((raw.length + 2) / 8) * 8;
  const pad = total - 2 - raw.length;
  const padding =
    pad === 0 ? Buffer.alloc(0) : pad === 1 ? Buffer.from([0]) : Buffer.from([1, pad - 2]);
  return Buffer.concat([raw, padding, Buffer.alloc(Math.max(0, pad - padding.length))]);
}

function extensionBytes(ext: Ipv6Extension, next: number): Buffer {
  if (ext.type === 44) {
    const body = ext.body ?? Buffer.alloc(6);
    return Buffer.concat([Buffer.from([next, 0]), body.subarray(0, 6)]);
  }
  const body =
    ext.type === 43 ? (ext.body ?? Buffer.from([0, 0, 0, 0, 0, 0])) : optionsBody(ext.body);
  const length = (body.length + 2) / 8 - 1;
  if (!Number.isInteger(length)) throw new RangeError('routing header body must fill 8-byte units');
  return Buffer.concat([Buffer.from([next, length]), body]);
}

/** An IPv6 packet (RFC 8200 §3) with its extension headers chained in the order given. */
export function ipv6(o: Ipv6Options): Buffer {
  const extensions = o.extensions ?? [];
  const chain: Buffer[] = [];
  for (let i = 0; i < extensions.length; i++) {
    const next = i + 1 < extensions.length ? extensions[i + 1].type : o.nextHeader;
    chain.push(extensionBytes(extensions[i], next));
  }
  const rest = Buffer.concat([...chain, o.payload]);
  const header = Buffer.alloc(40);
  const word = (6 << 28) | ((o.trafficClass ?? 0) << 20) | ((o.flowLabel ?? 0) & 0xfffff);
  header.writeUInt32BE(word >>> 0, 0);
  header.writeUInt16BE(o.payloadLength ?? rest.length, 4);
  header.writeUInt8(extensions.length > 0 ? extensions[0].type : o.nextHeader, 6);
  header.writeUInt8(o.hopLimit ?? 64, 7);
  ipv6Bytes(o.src).copy(header, 8);
  ipv6Bytes(o.dst).copy(header, 24);
  return Buffer.concat([header, rest]);
}

/** Builds the IPv4 or IPv6 pseudo-header sum a UDP checksum covers (RFC 768, RFC 8200 §8.1). */
function pseudoHeader(src: string, dst: string, protocol: number, length: number): Buffer {
  const s = addressBytes(src);
  const d = addressBytes(dst);
  if (s.length === 4) {
    const tail = Buffer.alloc(4);
    tail.writeUInt8(protocol, 1);
    tail.writeUInt16BE(length, 2);
    return Buffer.concat([s, d, tail]);
  }
  const tail = Buffer.alloc(8);
  tail.writeUInt32BE(length, 0);
  tail.writeUInt8(protocol, 7);
  return Buffer.concat([s, d, tail]);
}

export interface UdpOptions {
  /** Addresses of the IP packet around it (dotted IPv4 or IPv6 text), for the checksum. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
  /** Checksum as written (0 = none, allowed over IPv4 only); default computed. */
  checksum?: number;
  /** Length as written, to lie. */
  length?: number;
}

/** A UDP datagram (RFC 768) with its checksum over the pseudo-header. */
export function udp(o: UdpOptions): Buffer {
  const header = Buffer.alloc(8);
  const length = 8 + o.payload.length;
  header.writeUInt16BE(o.srcPort, 0);
  header.writeUInt16BE(o.dstPort, 2);
  header.writeUInt16BE(o.length ?? length, 4);
  const datagram = Buffer.concat([header, o.payload]);
  let checksum = o.checksum;
  if (checksum === undefined) {
    const sum = onesComplementSum(
      Buffer.concat([pseudoHeader(o.src, o.dst, 17, length), datagram]),
    );
    // RFC 768: a computed checksum of zero is sent as all ones (zero means "none").
    checksum = ~sum & 0xffff || 0xffff;
  }
  datagram.writeUInt16BE(checksum, 6);
  return datagram;
}

export interface GreOptions {
  /** Protocol type of the payload (0x0800 IPv4, 0x6558 Ethernet, 0x86dd IPv6, 0x8847 MPLS). */
  protocol: number;
  payload: Buffer;
  /** C bit: a checksum over header and payload (RFC 2784 §2.5). */
  checksum?: boolean;
  /** The checksum as written, to make it wrong. */
  checksumValue?: number;
  /** K bit and key (RFC 2890 §2.1). */
  key?: number;
  /** S bit and sequence number (RFC 2890 §2.2). */
  sequence?: number;
  /** Version bits (0 for GRE; 1 is PPTP's enhanced GRE). */
  version?: number;
}

/** A GRE header (RFC 2784, RFC 2890) and its payload. */
export function gre(o: GreOptions): Buffer {
  const flags =
    (o.checksum ? 0x8000 : 0) |
    (o.key !== undefined ? 0x2000 : 0) |
    (o.sequence !== undefined ? 0x1000 : 0) |
    ((o.version ?? 0) & 7);
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeUInt16BE(flags, 0);
  head.writeUInt16BE(o.protocol, 2);
  parts.push(head);
  if (o.checksum) parts.push(Buffer.alloc(4));
  if (o.key !== undefined) {
    const key = Buffer.alloc(4);
    key.writeUInt32BE(o.key >>> 0, 0);
    parts.push(key);
  }
  if (o.sequence !== undefined) {
    const seq = Buffer.alloc(4);
    seq.writeUInt32BE(o.sequence >>> 0, 0);
    parts.push(seq);
  }
  const packet = Buffer.concat([...parts, o.payload]);
  if (o.checksum) packet.writeUInt16BE(o.checksumValue ?? internetChecksum(packet), 4);
  return packet;
}

/** A VXLAN header (RFC 7348 §5): flags with I set, the 24-bit VNI, and the inner frame. */
export function vxlan(o: { vni: number; payload: Buffer; flags?: number }): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(o.flags ?? 0x08, 0);
  head.writeUIntBE(o.vni & 0xffffff, 4, 3);
  return Buffer.concat([head, o.payload]);
}

export interface GeneveOption {
  optionClass: number;
  type: number;
  /** Multiple of 4 bytes. */
  data: Buffer;
}

/** A GENEVE header (RFC 8926 §3): options, protocol type, VNI, and the payload. */
export function geneve(o: {
  vni: number;
  protocol: number;
  payload: Buffer;
  options?: GeneveOption[];
  oam?: boolean;
  critical?: boolean;
}): Buffer {
  const options = (o.options ?? []).map((opt) => {
    if (opt.data.length % 4 !== 0) throw new RangeError('GENEVE option data must be 4-byte units');
    const head = Buffer.alloc(4);
    head.writeUInt16BE(opt.optionClass, 0);
    head.writeUInt8(opt.type, 2);
    head.writeUInt8(opt.data.length / 4, 3);
    return Buffer.concat([head, opt.data]);
  });
  const optionBytes = Buffer.concat(options);
  const head = Buffer.alloc(8);
  head.writeUInt8(optionBytes.length / 4, 0);
  head.writeUInt8((o.oam ? 0x80 : 0) | (o.critical ? 0x40 : 0), 1);
  head.writeUInt16BE(o.protocol, 2);
  head.writeUIntBE(o.vni & 0xffffff, 4, 3);
  return Buffer.concat([head, optionBytes, o.payload]);
}

export interface MplsLabel {
  label: number;
  /** Traffic class (formerly EXP), 3 bits. */
  exp?: number;
  ttl?: number;
}

/** An MPLS label stack (RFC 3032 §2.1), outermost first; the last entry gets the S bit. */
export function mpls(labels: MplsLabel[], payload: Buffer): Buffer {
  const stack = Buffer.alloc(4 * labels.length);
  labels.forEach((l, i) => {
    const bottom = i === labels.length - 1 ? 1 : 0;
    const word =
      ((l.label & 0xfffff) << 12) | (((l.exp ?? 0) & 7) << 9) | (bottom << 8) | (l.ttl ?? 64);
    stack.writeUInt32BE(word >>> 0, 4 * i);
  });
  return Buffer.concat([stack, payload]);
}

/** A PPPoE session header (RFC 2516 §4) and the PPP protocol field (RFC 1661 §2) before the payload. */
export function pppoeSession(o: {
  sessionId: number;
  pppProtocol: number;
  payload: Buffer;
  /** Payload Length as written, to lie. */
  length?: number;
}): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(0x11, 0);
  head.writeUInt8(0x00, 1);
  head.writeUInt16BE(o.sessionId, 2);
  head.writeUInt16BE(o.length ?? o.payload.length + 2, 4);
  head.writeUInt16BE(o.pppProtocol, 6);
  return Buffer.concat([head, o.payload]);
}

/** LLC with a SNAP header (RFC 1042): AA AA 03, OUI 00-00-00, then the ethertype. */
export function llcSnap(etherType: number, payload: Buffer, oui = 0): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(0xaa, 0);
  head.writeUInt8(0xaa, 1);
  head.writeUInt8(0x03, 2);
  head.writeUIntBE(oui, 3, 3);
  head.writeUInt16BE(etherType, 6);
  return Buffer.concat([head, payload]);
}

/** An IEEE 802.3 frame: the type field holds the payload's length (LLC follows). */
export function ieee8023(o: {
  dst: string;
  src: string;
  payload: Buffer;
  padTo60?: boolean;
}): Buffer {
  const head = Buffer.alloc(14);
  macBytes(o.dst).copy(head, 0);
  macBytes(o.src).copy(head, 6);
  head.writeUInt16BE(o.payload.length, 12);
  const frame = Buffer.concat([head, o.payload]);
  const pad = (o.padTo60 ?? true) ? Math.max(0, 60 - frame.length) : 0;
  return Buffer.concat([frame, Buffer.alloc(pad)]);
}

export interface Ieee80211DataOptions {
  toDs: boolean;
  fromDs: boolean;
  /** Receiver, transmitter, then the third (and fourth, with both DS bits) address, in frame order. */
  addr1: string;
  addr2: string;
  addr3: string;
  addr4?: string;
  /** QoS data (subtype 8) with this TID; plain data otherwise. */
  qosTid?: number;
  sequence?: number;
  fragment?: number;
  duration?: number;
  /** The frame body (LLC/SNAP …). */
  payload: Buffer;
  /** Append a correct FCS (CRC-32). */
  fcs?: boolean;
}

/** An 802.11 data frame (IEEE 802.11-2020 §9.3.2.1): frame control, addresses, sequence, QoS. */
export function ieee80211Data(o: Ieee80211DataOptions): Buffer {
  const qos = o.qosTid !== undefined;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  // Frame control: version 0, type 2 (data), subtype 0 or 8 (QoS); flags byte with the DS bits.
  head.writeUInt8(((qos ? 8 : 0) << 4) | (2 << 2), 0);
  head.writeUInt8((o.toDs ? 1 : 0) | (o.fromDs ? 2 : 0), 1);
  head.writeUInt16LE(o.duration ?? 0, 2);
  parts.push(head, macBytes(o.addr1), macBytes(o.addr2), macBytes(o.addr3));
  const seq = Buffer.alloc(2);
  seq.writeUInt16LE((((o.sequence ?? 0) & 0xfff) << 4) | ((o.fragment ?? 0) & 0xf), 0);
  parts.push(seq);
  if (o.toDs && o.fromDs) parts.push(macBytes(o.addr4 ?? '00:00:00:00:00:00'));
  if (qos) {
    const control = Buffer.alloc(2);
    control.writeUInt16LE((o.qosTid as number) & 0xf, 0);
    parts.push(control);
  }
  const frame = Buffer.concat([...parts, o.payload]);
  if (!o.fcs) return frame;
  const fcs = Buffer.alloc(4);
  fcs.writeUInt32LE(crc32(frame), 0);
  return Buffer.concat([frame, fcs]);
}

export interface RadiotapOptions {
  /** Flags field (bit 0x10: the frame ends with an FCS). */
  flags?: number;
  /** Rate in 500 kb/s units. */
  rate?: number;
  /** Channel frequency in MHz and channel flags. */
  channel?: { mhz: number; flags: number };
  /** Antenna signal in dBm. */
  signal?: number;
  antenna?: number;
  payload: Buffer;
}

/**
 * A radiotap header (radiotap.org): version 0, length, one present word, and the fields in
 * bit order with their alignment (flags 1, rate 2, channel 3, antenna signal 5, antenna 11).
 */
export function radiotap(o: RadiotapOptions): Buffer {
  let present = 0;
  const fields: Buffer[] = [];
  let at = 8;
  const align = (n: number): void => {
    const pad = (n - (at % n)) % n;
    if (pad) {
      fields.push(Buffer.alloc(pad));
      at += pad;
    }
  };
  const push = (bit: number, bytes: Buffer, alignment: number): void => {
    align(alignment);
    present |= 1 << bit;
    fields.push(bytes);
    at += bytes.length;
  };
  if (o.flags !== undefined) push(1, Buffer.from([o.flags]), 1);
  if (o.rate !== undefined) push(2, Buffer.from([o.rate]), 1);
  if (o.channel !== undefined) {
    const b = Buffer.alloc(4);
    b.writeUInt16LE(o.channel.mhz, 0);
    b.writeUInt16LE(o.channel.flags, 2);
    push(3, b, 2);
  }
  if (o.signal !== undefined) push(5, Buffer.from([o.signal & 0xff]), 1);
  if (o.antenna !== undefined) push(11, Buffer.from([o.antenna]), 1);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(at, 2);
  head.writeUInt32LE(present >>> 0, 4);
  return Buffer.concat([head, ...fields, o.payload]);
}
