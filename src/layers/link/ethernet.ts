import { isMulticastMacOf, macAt, multicastMacAt } from '../../addr.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, findNode, hex, shownOf } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { ipv4DatagramEnd } from '../ip/datagram.js';
import { handOffByEthertype, handOffTo, type Dissection, type Protocol } from '../registry.js';
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_MIN,
  ETHERTYPE_NAMES,
  VLAN_TPIDS,
} from './ethertypes.js';
import { LINKTYPE_ETHERNET } from './linktypes.js';

export const ethFields = {
  dst: field({ abbrev: 'eth.dst', name: 'Destination', kind: 'mac' }),
  dstIg: field({
    abbrev: 'eth.dst.ig',
    name: 'IG bit',
    kind: 'bool',
    mask: 0x010000,
    bitWidth: 24,
    trueFalse: ['Group address (multicast/broadcast)', 'Individual address (unicast)'],
  }),
  dstLg: field({
    abbrev: 'eth.dst.lg',
    name: 'LG bit',
    kind: 'bool',
    mask: 0x020000,
    bitWidth: 24,
    trueFalse: [
      'Locally administered address (this is NOT the factory default)',
      'Globally unique address (factory default)',
    ],
  }),
  src: field({ abbrev: 'eth.src', name: 'Source', kind: 'mac' }),
  type: field({
    abbrev: 'eth.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
  /** IEEE 802.3: the type field is a length, and LLC follows. */
  len: field({ abbrev: 'eth.len', name: 'Length', kind: 'uint' }),
  padding: field({ abbrev: 'eth.padding', name: 'Padding', kind: 'bytes' }),
  trailer: field({ abbrev: 'eth.trailer', name: 'Trailer', kind: 'bytes' }),
  /** Ours: the MAC that RFC 1112 §6.4 maps the IPv4 multicast destination to. */
  ipMcastMac: field({
    abbrev: 'eth.dst.ip_mcast_mac',
    // ASCII only: one non-ASCII character per frame sent the whole -V text down the slow UTF-8 path.
    name: 'MAC of the IPv4 multicast destination (RFC 1112 section 6.4)',
    kind: 'mac',
    blurb: 'the MAC that RFC 1112 §6.4 maps the IPv4 multicast destination to',
    ours: true,
    generated: true,
  }),
  ipMcastMatch: field({
    abbrev: 'eth.dst.ip_mcast_match',
    name: 'Destination matches the IPv4 multicast mapping',
    kind: 'bool',
    blurb: 'whether eth.dst equals eth.dst.ip_mcast_mac',
    ours: true,
    generated: true,
    trueFalse: ['Yes', 'No'],
  }),
};

const ETH_HEADER = 14;
const VLAN_TAG = 4;
/** Tags looked through to find the datagram a frame's padding follows. */
const MAX_PEEKS = 8;
const MPLS_TYPES: readonly number[] = [0x8847, 0x8848];
/** Ethernet frames shorter than this are padded by the sender (802.3 minimum without FCS). */
const ETH_MIN_FRAME = 60;

/**
 * Ethernet II, or IEEE 802.3 with a length and LLC (as GRE's 0x6558 and VXLAN carry it too).
 * Its 802.1Q tags are layers of their own (vlan.ts).
 */
function decodeEthernet(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'eth', start, Math.min(ETH_HEADER, end - start));
  if (end - start < ETH_HEADER) {
    const message = `Ethernet header needs ${ETH_HEADER} bytes, frame has ${end - start}`;
    report(d, 'eth.truncated', start, message, layer);
    return;
  }
  const out = d.out;
  const type = u16(data, start + 12);
  const isLength = type < ETHERTYPE_MIN;
  if (out) {
    const dstTop = data.readUIntBE(start, 3);
    out.open(ethFields.dst, macAt(data, start), start, 6);
    out.add(ethFields.dstIg, (data[start] & 1) === 1, start, 3, dstTop);
    out.add(ethFields.dstLg, (data[start] & 2) === 2, start, 3, dstTop);
    out.close();
    out.add(ethFields.src, macAt(data, start + 6), start + 6, 6);
    out.add(isLength ? ethFields.len : ethFields.type, type, start + 12, 2);
  }
  const payload = start + ETH_HEADER;
  if (isLength) {
    const payloadEnd = Math.min(end, payload + type);
    if (out) addTail(out, data, start, payloadEnd, end);
    handOffTo(d, 'llc', payload, payloadEnd, Math.min(wireEnd, payload + type));
    return;
  }
  if (out) addPayloadFields(out, data, start, payload, type, end);
  handOffByEthertype(d, type, payload, end, wireEnd);
}

/**
 * Bytes after the payload are padding (up to the 60-byte minimum) or trailer, never IGMP;
 * and an IPv4 multicast destination's MAC is checked against the RFC 1112 §6.4 mapping. The
 * payload's end is found ahead of its layers (they come after these fields), through 802.1Q
 * tags or an MPLS label stack, from the length its IP header gives. (tshark shows none after
 * PPPoE, whose own length bounds what it carries.)
 */
function addPayloadFields(
  out: FieldOut,
  data: Buffer,
  start: number,
  payload: number,
  type: number,
  end: number,
): void {
  let at = payload;
  let ipVersion = type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
  for (let hops = 0; ipVersion === 0 && hops < MAX_PEEKS; hops++) {
    if (VLAN_TPIDS.includes(type) && at + VLAN_TAG <= end) {
      type = u16(data, at + 2);
      at += VLAN_TAG;
      ipVersion = type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
    } else if (MPLS_TYPES.includes(type)) {
      while (at + 4 <= end && (data[at + 2] & 1) === 0) at += 4;
      at += 4;
      if (at >= end) return;
      ipVersion = data[at] >>> 4;
      break;
    } else {
      return;
    }
  }
  if (ipVersion === 6) {
    if (at + 40 <= end) addTail(out, data, start, Math.min(end, at + 40 + u16(data, at + 4)), end);
    return;
  }
  if (ipVersion !== 4) return;
  const datagramEnd = ipv4DatagramEnd(data, at, end);
  if (datagramEnd === undefined) return;
  addTail(out, data, start, datagramEnd, end);
  const dstAt = at + 16;
  const firstOctet = data[dstAt];
  if (firstOctet >= 224 && firstOctet <= 239) {
    out.add(ethFields.ipMcastMac, multicastMacAt(data, dstAt), start, 0);
    out.add(ethFields.ipMcastMatch, isMulticastMacOf(data, start, dstAt), start, 0);
  }
}

/** What follows the payload up to the frame's end: padding to the minimum size, then trailer. */
function addTail(
  out: FieldOut,
  data: Buffer,
  start: number,
  payloadEnd: number,
  end: number,
): void {
  if (payloadEnd >= end) return;
  const padEnd = Math.max(payloadEnd, Math.min(end, start + ETH_MIN_FRAME));
  if (padEnd > payloadEnd)
    out.add(ethFields.padding, data.subarray(payloadEnd, padEnd), payloadEnd, padEnd - payloadEnd);
  if (end > padEnd) out.add(ethFields.trailer, data.subarray(padEnd, end), padEnd, end - padEnd);
}

export const ethernet: Protocol = {
  name: 'eth',
  longName: 'Ethernet',
  fields: Object.values(ethFields),
  problems: [
    {
      id: 'eth.truncated',
      severity: 'warning',
      layer: 'eth',
      description: 'Ethernet header cut short',
    },
  ],
  registrations: [
    { table: 'link', key: LINKTYPE_ETHERNET },
    // Bridged Ethernet inside GRE (RFC 1701's Transparent Ethernet Bridging).
    { table: 'gre.proto', key: 0x6558 },
    { table: 'ethertype', key: 0x6558 },
  ],
  decode: decodeEthernet,
  titleFields: [ethFields.src, ethFields.dst, ethFields.len],
  title: (_layer, nodes) =>
    `${findNode(nodes, ethFields.len) ? 'IEEE 802.3 Ethernet' : 'Ethernet II'}, Src: ${shownOf(nodes, ethFields.src)}, Dst: ${shownOf(nodes, ethFields.dst)}`,
  // An ethertype nothing decodes: tshark's columns show its number and its name.
  column: (d, layer) => {
    const data = d.frame.data;
    if (layer.offset + ETH_HEADER > data.length) return '';
    return hex(u16(data, layer.offset + 12), 4);
  },
  info: (d, layer) => {
    const data = d.frame.data;
    if (layer.offset + ETH_HEADER > data.length) return '';
    const type = u16(data, layer.offset + 12);
    if (type < ETHERTYPE_MIN) return `IEEE 802.3 frame, length ${type}`;
    return ETHERTYPE_NAMES.get(type) ?? `Ethertype ${hex(type, 4)}`;
  },
  destinationMac: (data, layer) => (layer.offset + 6 <= data.length ? layer.offset : undefined),
  sourceMac: (data, layer) => (layer.offset + 12 <= data.length ? layer.offset + 6 : undefined),
};
