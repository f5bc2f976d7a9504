import { macAt } from '../addr.js';
import { field, node, addChild, names, type FieldNode, type Layer } from '../fields.js';
import { report, type ProblemSink } from '../problems.js';
import { ETHERTYPE_NAMES, VLAN_TPIDS } from './ethertypes.js';
import { openLinkLayer, type LinkResult } from './link.js';

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

/** Ethernet II (LINKTYPE_ETHERNET), with any stack of 802.1Q / 802.1ad tags. */
export function decodeEthernet(data: Buffer, sink: ProblemSink, layers: Layer[]): LinkResult {
  const eth = openLinkLayer('eth', ETH_HEADER, 'Ethernet header', data, sink, layers);
  if (!eth) return undefined;
  let etherType = data.readUInt16BE(12);
  if (sink.detail) {
    const dst: FieldNode = node(ethFields.dst, macAt(data, 0), 0, 6);
    const dstTop = data.readUIntBE(0, 3);
    addChild(dst, node(ethFields.dstIg, (data[0] & 1) === 1, 0, 3, dstTop));
    addChild(dst, node(ethFields.dstLg, (data[0] & 2) === 2, 0, 3, dstTop));
    eth.nodes.push(
      dst,
      node(ethFields.src, macAt(data, 6), 6, 6),
      node(ethFields.type, etherType, 12, 2),
    );
  }
  let offset = ETH_HEADER;
  let tags = 0;
  while (VLAN_TPIDS.has(etherType) && tags < MAX_VLAN_TAGS) {
    const vlan: Layer = { protocol: 'vlan', offset, length: VLAN_TAG, nodes: [] };
    layers.push(vlan);
    if (data.length < offset + VLAN_TAG) {
      vlan.length = data.length - offset;
      report(
        sink,
        'vlan.truncated',
        offset,
        `802.1Q tag needs ${VLAN_TAG} bytes, ${data.length - offset} captured`,
        vlan,
      );
      return undefined;
    }
    const tci = data.readUInt16BE(offset);
    etherType = data.readUInt16BE(offset + 2);
    if (sink.detail) {
      vlan.nodes.push(
        node(vlanFields.priority, tci >>> 13, offset, 2, tci),
        node(vlanFields.dei, (tci & 0x1000) !== 0, offset, 2, tci),
        node(vlanFields.id, tci & 0x0fff, offset, 2, tci),
        node(vlanFields.etype, etherType, offset + 2, 2),
      );
    }
    offset += VLAN_TAG;
    tags++;
  }
  return { etherType, offset };
}
