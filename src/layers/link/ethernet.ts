import { isMulticastMacOf, macAt, multicastMacAt } from '../../addr.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, names, type Layer } from '../../fields.js';
import { ipv4DatagramEnd } from '../ip/datagram.js';
import { report, type ProblemSink } from '../../problems.js';
import { ETHERTYPE_IPV4, ETHERTYPE_NAMES, VLAN_TPIDS } from './ethertypes.js';
import { openLinkLayer, type LinkResult } from './link.js';
import { u16 } from '../../read.js';

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
  padding: field({ abbrev: 'eth.padding', name: 'Padding', kind: 'bytes' }),
  trailer: field({ abbrev: 'eth.trailer', name: 'Trailer', kind: 'bytes' }),
  /** Ours: the MAC that RFC 1112 §6.4 maps the IPv4 multicast destination to. */
  ipMcastMac: field({
    abbrev: 'eth.dst.ip_mcast_mac',
    // ASCII only: one non-ASCII character per frame sent the whole -V text down the slow UTF-8 path.
    name: 'MAC of the IPv4 multicast destination (RFC 1112 section 6.4)',
    kind: 'mac',
    ours: true,
    generated: true,
  }),
  ipMcastMatch: field({
    abbrev: 'eth.dst.ip_mcast_match',
    name: 'Destination matches the IPv4 multicast mapping',
    kind: 'bool',
    ours: true,
    generated: true,
    trueFalse: ['Yes', 'No'],
  }),
};

export const vlanFields = {
  priority: field({
    abbrev: 'vlan.priority',
    name: 'Priority',
    kind: 'uint',
    mask: 0xe000,
    bitWidth: 16,
    names: names({
      0: 'Best Effort (default)',
      1: 'Background',
      2: 'Excellent Effort',
      3: 'Critical Applications',
      4: 'Video, < 100ms latency and jitter',
      5: 'Voice, < 10ms latency and jitter',
      6: 'Internetwork Control',
      7: 'Network Control',
    }),
  }),
  dei: field({
    abbrev: 'vlan.dei',
    name: 'DEI',
    kind: 'bool',
    mask: 0x1000,
    bitWidth: 16,
    trueFalse: ['Eligible', 'Ineligible'],
  }),
  id: field({ abbrev: 'vlan.id', name: 'ID', kind: 'uint', mask: 0x0fff, bitWidth: 16 }),
  etype: field({
    abbrev: 'vlan.etype',
    name: 'Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
};

const ETH_HEADER = 14;
const VLAN_TAG = 4;
/** Enough stacked tags for any real network; more is a looping or hostile frame. */
const MAX_VLAN_TAGS = 8;
/** Ethernet frames shorter than this are padded by the sender (802.3 minimum without FCS). */
const ETH_MIN_FRAME = 60;

/** Ethernet II (LINKTYPE_ETHERNET), with any stack of 802.1Q / 802.1ad tags. */
export function decodeEthernet(data: Buffer, sink: ProblemSink, layers: Layer[]): LinkResult {
  const eth = openLinkLayer('eth', ETH_HEADER, 'Ethernet header', data, sink, layers);
  if (!eth) return undefined;
  const out = sink.out;
  const outerType = u16(data, 12);
  // Where the tags end, first: the Ethernet fields about the payload (padding, trailer, the
  // multicast mapping) belong to the Ethernet layer, which comes before the tags.
  let etherType = outerType;
  let offset = ETH_HEADER;
  let tags = 0;
  while (VLAN_TPIDS.has(etherType) && tags < MAX_VLAN_TAGS && offset + VLAN_TAG <= data.length) {
    etherType = u16(data, offset + 2);
    offset += VLAN_TAG;
    tags++;
  }
  const tagCutShort = VLAN_TPIDS.has(etherType) && tags < MAX_VLAN_TAGS;
  if (out) {
    const dstTop = data.readUIntBE(0, 3);
    out.open(ethFields.dst, macAt(data, 0), 0, 6);
    out.add(ethFields.dstIg, (data[0] & 1) === 1, 0, 3, dstTop);
    out.add(ethFields.dstLg, (data[0] & 2) === 2, 0, 3, dstTop);
    out.close();
    out.add(ethFields.src, macAt(data, 6), 6, 6);
    out.add(ethFields.type, outerType, 12, 2);
    if (etherType === ETHERTYPE_IPV4) addPayloadFields(out, data, offset);
  }
  for (let at = ETH_HEADER; at < offset; at += VLAN_TAG) {
    startLayer(out, layers, 'vlan', at, VLAN_TAG);
    if (out) {
      const tci = u16(data, at);
      out.add(vlanFields.priority, tci >>> 13, at, 2, tci);
      out.add(vlanFields.dei, (tci & 0x1000) !== 0, at, 2, tci);
      out.add(vlanFields.id, tci & 0x0fff, at, 2, tci);
      out.add(vlanFields.etype, u16(data, at + 2), at + 2, 2);
    }
  }
  if (tagCutShort) {
    const vlan = startLayer(out, layers, 'vlan', offset, data.length - offset);
    report(
      sink,
      'vlan.truncated',
      offset,
      `802.1Q tag needs ${VLAN_TAG} bytes, ${data.length - offset} captured`,
      vlan,
    );
    return undefined;
  }
  return { etherType, offset };
}

/**
 * Bytes after the IP datagram are padding (up to the 60-byte minimum) or trailer, never IGMP;
 * and a multicast destination's MAC is checked against the RFC 1112 §6.4 mapping.
 */
function addPayloadFields(out: FieldOut, data: Buffer, ipStart: number): void {
  const end = ipv4DatagramEnd(data, ipStart);
  if (end === undefined) return;
  if (end < data.length) {
    const padEnd = Math.max(end, Math.min(data.length, ETH_MIN_FRAME));
    if (padEnd > end) out.add(ethFields.padding, data.subarray(end, padEnd), end, padEnd - end);
    if (data.length > padEnd)
      out.add(ethFields.trailer, data.subarray(padEnd), padEnd, data.length - padEnd);
  }
  const dstAt = ipStart + 16;
  const firstOctet = data[dstAt];
  if (firstOctet >= 224 && firstOctet <= 239) {
    out.add(ethFields.ipMcastMac, multicastMacAt(data, dstAt), 0, 0);
    out.add(ethFields.ipMcastMatch, isMulticastMacOf(data, 0, dstAt), 0, 0);
  }
}
