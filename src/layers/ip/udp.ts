import { onesComplementSum } from '../../checksum.js';
import { startLayer } from '../../field-out.js';
import { field, shownOf } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { checksumFields, putChecksum } from '../checksums.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';

const checksum = checksumFields('udp');

export const udpFields = {
  srcport: field({ abbrev: 'udp.srcport', name: 'Source Port', kind: 'uint' }),
  dstport: field({ abbrev: 'udp.dstport', name: 'Destination Port', kind: 'uint' }),
  length: field({ abbrev: 'udp.length', name: 'Length', kind: 'uint' }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
};

const HEADER = 8;
const IP_PROTO_UDP = 17;

function fold(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + (folded >>> 16);
  return folded;
}

/**
 * The sum of the pseudo-header (RFC 768; RFC 8200 §8.1 for IPv6) of the IP layer that carries
 * the datagram: its addresses, protocol 17 and the UDP length.
 */
function pseudoHeaderSum(d: Dissection, length: number): number | undefined {
  const carrier = d.layers[d.layers.length - 2];
  if (carrier === undefined) return undefined;
  const data = d.frame.data;
  const at = carrier.offset;
  if (carrier.protocol === 'ip' && at + 20 <= data.length)
    return onesComplementSum(data, at + 12, at + 20) + IP_PROTO_UDP + length;
  if (carrier.protocol === 'ipv6' && at + 40 <= data.length)
    return onesComplementSum(data, at + 8, at + 40) + IP_PROTO_UDP + length;
  return undefined;
}

/**
 * UDP (RFC 768): ports, length (which bounds the payload) and the checksum over the
 * pseudo-header, verified unless zero ("none", allowed over IPv4) or the datagram is cut short.
 * The payload goes to the protocol registered for the lower port, else the higher.
 */
function decodeUdp(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'udp', start, Math.min(HEADER, end - start));
  if (end - start < HEADER) {
    const message = `UDP header needs 8 bytes, ${end - start} captured`;
    report(d, 'udp.truncated', start, message, layer);
    return;
  }
  const srcport = u16(data, start);
  const dstport = u16(data, start + 2);
  const length = u16(data, start + 4);
  const stored = u16(data, start + 6);
  const out = d.out;
  if (out) {
    out.add(udpFields.srcport, srcport, start, 2);
    out.add(udpFields.dstport, dstport, start + 2, 2);
  }
  const lengthNode = out?.add(udpFields.length, length, start + 4, 2);
  const badLength = length < HEADER || start + length > wireEnd;
  if (badLength) {
    report(
      d,
      'udp.length.bad',
      start + 4,
      length < HEADER
        ? `UDP length ${length} is shorter than its 8-byte header`
        : `UDP length ${length} runs past the ${wireEnd - start} bytes of its IP payload`,
      lengthNode ?? layer,
    );
  }
  const datagramEnd = badLength ? wireEnd : start + length;
  const carriedByIpv4 = d.layers[d.layers.length - 2]?.protocol === 'ip';
  if (stored === 0 && carriedByIpv4) {
    if (out) {
      out.add(
        udpFields.checksum,
        stored,
        start + 6,
        2,
        undefined,
        out.texts ? '0x0000 [zero-value ignored]' : undefined,
      );
      out.add(udpFields.checksumStatus, 'not_present', start + 6, 0);
    }
  } else {
    const pseudo = pseudoHeaderSum(d, length);
    const complete = !badLength && end >= datagramEnd && pseudo !== undefined;
    // Transmit checksum offload: the sending host leaves the pseudo-header's sum for its NIC to
    // complete, and a capture taken on that host sees it so. Not the packet on the wire.
    const offload = pseudo !== undefined && stored === fold(pseudo);
    putChecksum(
      d,
      checksum,
      offload ? 'udp.checksum.offload' : 'udp.checksum.bad',
      'UDP',
      start + 6,
      start,
      datagramEnd,
      complete,
      pseudo ?? 0,
      offload
        ? ': it holds the pseudo-header sum only, likely checksum offload on the capturing host'
        : '',
    );
  }
  const low = Math.min(srcport, dstport);
  const high = Math.max(srcport, dstport);
  handOff(
    d,
    TABLES['udp.port'],
    low,
    start + HEADER,
    Math.min(end, datagramEnd),
    datagramEnd,
    high,
  );
}

export const udp: Protocol = {
  name: 'udp',
  longName: 'User Datagram Protocol',
  fields: Object.values(udpFields),
  problems: [
    {
      id: 'udp.truncated',
      severity: 'warning',
      layer: 'udp',
      description: 'UDP header cut short by the capture',
    },
    {
      id: 'udp.length.bad',
      severity: 'error',
      layer: 'udp',
      description: 'UDP length shorter than its header or longer than its IP payload',
      reference: 'RFC 768',
    },
    {
      id: 'udp.checksum.bad',
      severity: 'error',
      layer: 'udp',
      description: 'UDP checksum over the pseudo-header and datagram is wrong',
      reference: 'RFC 768, RFC 8200 §8.1',
    },
    {
      id: 'udp.checksum.offload',
      severity: 'warning',
      layer: 'udp',
      description:
        'UDP checksum holds only the pseudo-header sum: likely transmit checksum offload on the capturing host, which captured the datagram before its NIC completed the checksum',
      reference: 'RFC 768',
    },
  ],
  registrations: [{ table: 'ip.proto', key: IP_PROTO_UDP }],
  decode: decodeUdp,
  titleFields: [udpFields.srcport, udpFields.dstport],
  title: (_layer, nodes) =>
    `User Datagram Protocol, Src Port: ${shownOf(nodes, udpFields.srcport)}, Dst Port: ${shownOf(nodes, udpFields.dstport)}`,
  column: () => 'UDP',
  info: (d, layer) => {
    const data = d.frame.data;
    const at = layer.offset;
    if (at + HEADER > data.length) return '';
    return `${u16(data, at)} → ${u16(data, at + 2)} Len=${Math.max(0, u16(data, at + 4) - HEADER)}`;
  },
};
