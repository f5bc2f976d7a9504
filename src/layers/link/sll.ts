import { macAt } from '../../addr.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOffByEthertype, type Dissection, type Protocol } from '../registry.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';
import { LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './linktypes.js';

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
function decodeSll(d: Dissection, start: number, end: number, wireEnd: number): void {
  if (!openSll(d, 16, 'Linux cooked header', start, end)) return;
  const data = d.frame.data;
  const hatype = u16(data, start + 2);
  const halen = u16(data, start + 4);
  const etherType = u16(data, start + 14);
  const out = d.out;
  if (out) {
    out.add(sllFields.pkttype, u16(data, start), start, 2);
    out.add(sllFields.hatype, hatype, start + 2, 2);
    out.add(sllFields.halen, halen, start + 4, 2);
    addAddress(out, data, start + 6, hatype, halen);
    out.add(sllFields.etype, etherType, start + 14, 2);
  }
  handOffByEthertype(d, etherType, start + 16, end, wireEnd);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): adds the interface index. */
function decodeSll2(d: Dissection, start: number, end: number, wireEnd: number): void {
  if (!openSll(d, 20, 'Linux cooked v2 header', start, end)) return;
  const data = d.frame.data;
  const etherType = u16(data, start);
  const hatype = u16(data, start + 8);
  const halen = data[start + 11];
  const out = d.out;
  if (out) {
    out.add(sllFields.etype, etherType, start, 2);
    out.add(sllFields.reserved, u16(data, start + 2), start + 2, 2);
    out.add(sllFields.ifindex, data.readUInt32BE(start + 4), start + 4, 4);
    out.add(sllFields.hatype, hatype, start + 8, 2);
    out.add(sllFields.pkttype, data[start + 10], start + 10, 1);
    out.add(sllFields.halen, halen, start + 11, 1);
    addAddress(out, data, start + 12, hatype, halen);
  }
  handOffByEthertype(d, etherType, start + 20, end, wireEnd);
}

/** Opens the layer; a frame too short for the header is reported and ends the walk. */
function openSll(
  d: Dissection,
  length: number,
  header: string,
  start: number,
  end: number,
): boolean {
  const layer = startLayer(d.out, d.layers, 'sll', start, Math.min(length, end - start));
  if (end - start >= length) return true;
  report(
    d,
    'sll.truncated',
    start,
    `${header} needs ${length} bytes, frame has ${end - start}`,
    layer,
  );
  return false;
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

export const sll: Protocol = {
  name: 'sll',
  longName: 'Linux cooked-mode capture',
  fields: Object.values(sllFields),
  problems: [
    {
      id: 'sll.truncated',
      severity: 'warning',
      layer: 'sll',
      description: 'Linux cooked-capture header cut short',
    },
  ],
  registrations: [
    { table: 'link', key: LINKTYPE_LINUX_SLL },
    { table: 'link', key: LINKTYPE_LINUX_SLL2 },
  ],
  // Wireshark names both versions `sll`: one protocol, the link type tells the header apart.
  decode: (d, start, end, wireEnd) =>
    d.frame.linkType === LINKTYPE_LINUX_SLL2
      ? decodeSll2(d, start, end, wireEnd)
      : decodeSll(d, start, end, wireEnd),
  title: (layer) => (layer.length >= 20 ? 'Linux cooked capture v2' : 'Linux cooked capture v1'),
};
