import { macAt } from '../../addr.js';
import type { FieldOut } from '../../field-out.js';
import { field, names, type Layer } from '../../fields.js';
import type { ProblemSink } from '../../problems.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';
import { openLinkLayer, type LinkResult } from './link.js';

const PACKET_TYPES = names({
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
});

const ARPHRD_ETHER = 1;

export const sllFields = {
  pkttype: field({ abbrev: 'sll.pkttype', name: 'Packet type', kind: 'uint', names: PACKET_TYPES }),
  hatype: field({
    abbrev: 'sll.hatype',
    name: 'Link-layer address type',
    kind: 'uint',
    names: names({ 1: 'Ethernet', 772: 'Loopback', 776: 'IPv6-in-IPv4', 778: 'IP GRE' }),
  }),
  halen: field({ abbrev: 'sll.halen', name: 'Link-layer address length', kind: 'uint' }),
  srcEth: field({ abbrev: 'sll.src.eth', name: 'Source', kind: 'mac' }),
  srcOther: field({ abbrev: 'sll.src.other', name: 'Source', kind: 'bytes' }),
  unused: field({ abbrev: 'sll.unused', name: 'Unused', kind: 'bytes' }),
  etype: field({
    abbrev: 'sll.etype',
    name: 'Protocol',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
  reserved: field({ abbrev: 'sll.reserved', name: 'Reserved', kind: 'uint', hexDigits: 4 }),
  ifindex: field({ abbrev: 'sll.ifindex', name: 'Interface index', kind: 'uint' }),
};

/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113, `tcpdump -i any`): packet type, ARPHRD type,
 * address length, 8 address bytes, protocol.
 */
export function decodeSll(data: Buffer, sink: ProblemSink, layers: Layer[]): LinkResult {
  if (!openLinkLayer('sll', 16, 'Linux cooked header', data, sink, layers)) return undefined;
  const hatype = data.readUInt16BE(2);
  const halen = data.readUInt16BE(4);
  const etherType = data.readUInt16BE(14);
  const out = sink.out;
  if (out) {
    out.add(sllFields.pkttype, data.readUInt16BE(0), 0, 2);
    out.add(sllFields.hatype, hatype, 2, 2);
    out.add(sllFields.halen, halen, 4, 2);
    addAddress(out, data, 6, hatype, halen);
    out.add(sllFields.etype, etherType, 14, 2);
  }
  return { etherType, offset: 16 };
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): adds the interface index. */
export function decodeSll2(data: Buffer, sink: ProblemSink, layers: Layer[]): LinkResult {
  if (!openLinkLayer('sll', 20, 'Linux cooked v2 header', data, sink, layers)) return undefined;
  const etherType = data.readUInt16BE(0);
  const hatype = data.readUInt16BE(8);
  const halen = data[11];
  const out = sink.out;
  if (out) {
    out.add(sllFields.etype, etherType, 0, 2);
    out.add(sllFields.reserved, data.readUInt16BE(2), 2, 2);
    out.add(sllFields.ifindex, data.readUInt32BE(4), 4, 4);
    out.add(sllFields.hatype, hatype, 8, 2);
    out.add(sllFields.pkttype, data[10], 10, 1);
    out.add(sllFields.halen, halen, 11, 1);
    addAddress(out, data, 12, hatype, halen);
  }
  return { etherType, offset: 20 };
}

function addAddress(
  out: FieldOut,
  data: Buffer,
  offset: number,
  hatype: number,
  halen: number,
): void {
  if (hatype === ARPHRD_ETHER && halen === 6) {
    out.add(sllFields.srcEth, macAt(data, offset), offset, 6);
    out.add(sllFields.unused, data.subarray(offset + 6, offset + 8), offset + 6, 2);
  } else {
    const len = Math.min(halen, 8);
    out.add(sllFields.srcOther, data.subarray(offset, offset + len), offset, len);
  }
}
