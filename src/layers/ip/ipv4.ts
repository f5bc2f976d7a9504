import { ipv4At } from '../../addr.js';
import { expectedChecksum, onesComplementSum } from '../../checksum.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, hex, names, shownOf, type ProblemTarget } from '../../fields.js';
import { report, type ProblemDef } from '../../problems.js';
import { u16 } from '../../read.js';
import { checksumText } from '../checksums.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';
import {
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUSES,
  type ChecksumStatus,
  type Ipv4View,
} from '../views.js';
import { ipv4DatagramEnd } from './datagram.js';
import { LINKTYPE_IPV4 } from '../link/linktypes.js';
import { decodeOptions, IP_OPTION_FIELDS } from './options.js';

export const IP_PROTO_IGMP = 2;

export const PROTOCOL_NAMES = names({
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
});

const DSCP_NAMES = names({
  0: 'CS0',
  8: 'CS1',
  10: 'AF11',
  16: 'CS2',
  18: 'AF21',
  24: 'CS3',
  26: 'AF31',
  32: 'CS4',
  34: 'AF41',
  40: 'CS5',
  46: 'EF PHB',
  48: 'CS6',
  56: 'CS7',
});
const ECN_NAMES = names({ 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' });

export const ipFields = {
  version: field({ abbrev: 'ip.version', name: 'Version', kind: 'uint', mask: 0xf0, bitWidth: 8 }),
  hdrLen: field({
    abbrev: 'ip.hdr_len',
    name: 'Header Length',
    kind: 'uint',
    mask: 0x0f,
    bitWidth: 8,
    show: (n) => `${n.value as number} bytes (${(n.value as number) / 4})`,
    blurb: 'header length in bytes',
  }),
  dsfield: field({
    abbrev: 'ip.dsfield',
    name: 'Differentiated Services Field',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => {
      const v = n.value as number;
      const dscp = v >>> 2;
      return `${hex(v, 2)} (DSCP: ${DSCP_NAMES.get(dscp) ?? 'Unknown'}, ECN: ${ECN_NAMES.get(v & 3)})`;
    },
  }),
  dscp: field({
    abbrev: 'ip.dsfield.dscp',
    name: 'Differentiated Services Codepoint',
    kind: 'uint',
    mask: 0xfc,
    bitWidth: 8,
    names: DSCP_NAMES,
  }),
  ecn: field({
    abbrev: 'ip.dsfield.ecn',
    name: 'Explicit Congestion Notification',
    kind: 'uint',
    mask: 0x03,
    bitWidth: 8,
    names: ECN_NAMES,
  }),
  len: field({ abbrev: 'ip.len', name: 'Total Length', kind: 'uint' }),
  id: field({
    abbrev: 'ip.id',
    name: 'Identification',
    kind: 'uint',
    hexDigits: 4,
    show: (n) => `${hex(n.value as number, 4)} (${n.value as number})`,
  }),
  flags: field({
    abbrev: 'ip.flags',
    name: 'Flags',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => {
      const v = n.value as number;
      const set = [
        v & 0x80 ? 'Reserved bit' : '',
        v & 0x40 ? "Don't fragment" : '',
        v & 0x20 ? 'More fragments' : '',
      ].filter(Boolean);
      return set.length ? `${hex(v, 2)}, ${set.join(', ')}` : hex(v, 2);
    },
  }),
  flagRb: field({
    abbrev: 'ip.flags.rb',
    name: 'Reserved bit',
    kind: 'bool',
    mask: 0x80,
    bitWidth: 8,
    trueFalse: ['Set', 'Not set'],
  }),
  flagDf: field({
    abbrev: 'ip.flags.df',
    name: "Don't fragment",
    kind: 'bool',
    mask: 0x40,
    bitWidth: 8,
    trueFalse: ['Set', 'Not set'],
  }),
  flagMf: field({
    abbrev: 'ip.flags.mf',
    name: 'More fragments',
    kind: 'bool',
    mask: 0x20,
    bitWidth: 8,
    trueFalse: ['Set', 'Not set'],
  }),
  /** In bytes, as Wireshark shows it (the header field counts 8-byte units). */
  fragOffset: field({
    abbrev: 'ip.frag_offset',
    name: 'Fragment Offset',
    kind: 'uint',
    mask: 0x1fff,
    bitWidth: 16,
    show: (n) => String(n.value),
    blurb: 'in bytes, as Wireshark shows it',
  }),
  ttl: field({ abbrev: 'ip.ttl', name: 'Time to Live', kind: 'uint' }),
  proto: field({ abbrev: 'ip.proto', name: 'Protocol', kind: 'uint', names: PROTOCOL_NAMES }),
  checksum: field({ abbrev: 'ip.checksum', name: 'Header Checksum', kind: 'uint', hexDigits: 4 }),
  checksumStatus: field({
    abbrev: 'ip.checksum.status',
    name: 'Header checksum status',
    kind: 'string',
    values: CHECKSUM_STATUSES,
    codes: CHECKSUM_STATUS_CODES,
    generated: true,
    show: (n) => CHECKSUM_STATUS_TEXT[n.value as ChecksumStatus],
  }),
  checksumCalculated: field({
    abbrev: 'ip.checksum_calculated',
    name: 'Calculated Checksum',
    kind: 'uint',
    hexDigits: 4,
    generated: true,
  }),
  src: field({ abbrev: 'ip.src', name: 'Source Address', kind: 'ipv4' }),
  dst: field({ abbrev: 'ip.dst', name: 'Destination Address', kind: 'ipv4' }),
};

const MIN_HEADER = 20;

const IPV4_PROBLEMS: readonly ProblemDef[] = [
  {
    id: 'ip.truncated',
    severity: 'warning',
    layer: 'ip',
    description: 'IPv4 header cut short by the capture',
  },
  {
    id: 'ip.version.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IP version field is not 4 on an IPv4 link or ethertype',
  },
  {
    id: 'ip.hdr_len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IPv4 header length below 20 bytes or beyond the total length',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.len.bad',
    severity: 'error',
    layer: 'ip',
    description:
      'IPv4 total length is shorter than the header or longer than the frame on the wire',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.checksum.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IPv4 header checksum is wrong',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.checksum.zero',
    severity: 'warning',
    layer: 'ip',
    description:
      'IPv4 header checksum is 0x0000 where another value is due: likely checksum offload on the capturing host, which captured the packet before its interface filled the checksum in',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.opt.len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'an IPv4 option length is below 2 or runs past the header',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.opt.ra.len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'Router Alert option whose length is not 4',
    reference: 'RFC 2113 §2.1',
  },
  {
    id: 'ip.fragment',
    severity: 'warning',
    layer: 'ip',
    description: 'IGMP carried in an IP fragment: decoded from the first fragment only, incomplete',
  },
];

/**
 * IPv4 (RFC 791). Bounds its payload by the total length, so link-layer padding and trailers
 * never reach the next decoder. The innermost datagram is the frame's `ip` view.
 */
function decodeIpv4(d: Dissection, start: number, end: number, wireEnd: number): void {
  const ip = readIpv4(d, start, end, wireEnd);
  if (!ip) return;
  // Once an IGMP-family message is found, the datagram that carries it stays the frame's `ip`
  // (a PIMv1 Register's packet is only carried); the summary shows the innermost addresses.
  if (d.igmp === undefined) {
    d.ip = ip;
    d.isIgmp = ip.protocol === IP_PROTO_IGMP;
  }
  d.src = ip.src;
  d.dst = ip.dst;
  if (ip.fragment === 'later' || !ip.payloadValid) return;
  if (ip.fragment === 'first' && ip.protocol === IP_PROTO_IGMP) {
    report(
      d,
      'ip.fragment',
      start + 6,
      'IGMP in an IP fragment: decoded from the first fragment only, incomplete',
      ip.layer,
    );
  }
  handOff(
    d,
    TABLES['ip.proto'],
    ip.protocol,
    ip.payloadStart,
    ip.payloadEnd,
    ip.payloadStart + ip.payloadLength,
  );
}

function readIpv4(
  d: Dissection,
  start: number,
  end: number,
  wireEnd: number,
): Ipv4View | undefined {
  const data = d.frame.data;
  const sink = d;
  const out = sink.out;
  const layer = startLayer(out, d.layers, 'ip', start, Math.min(MIN_HEADER, end - start));
  if (end - start < 1) {
    report(sink, 'ip.truncated', start, 'IPv4 header cut short: no byte captured', layer);
    return undefined;
  }
  const versionByte = data[start];
  const version = versionByte >>> 4;
  const headerLength = (versionByte & 0x0f) * 4;
  const versionNode = out?.add(ipFields.version, version, start, 1, versionByte);
  if (version !== 4) {
    report(
      sink,
      'ip.version.bad',
      start,
      `IP version ${version} where IPv4 was expected`,
      versionNode ?? layer,
    );
    return undefined;
  }
  const hdrNode = out?.add(ipFields.hdrLen, headerLength, start, 1, versionByte);
  if (headerLength < MIN_HEADER) {
    report(
      sink,
      'ip.hdr_len.bad',
      start,
      `IPv4 header length ${headerLength} is below the minimum of 20 bytes`,
      hdrNode ?? layer,
    );
    return undefined;
  }
  if (end - start < MIN_HEADER) {
    report(
      sink,
      'ip.truncated',
      start,
      `IPv4 header cut short: ${end - start} of ${MIN_HEADER} bytes captured`,
      layer,
    );
    return undefined;
  }
  const totalLength = u16(data, start + 2);
  const id = u16(data, start + 4);
  const flagsWord = u16(data, start + 6);
  const flagsByte = flagsWord >>> 8;
  const fragmentOffsetBytes = (flagsWord & 0x1fff) * 8;
  const ttl = data[start + 8];
  const protocol = data[start + 9];
  const storedChecksum = u16(data, start + 10);
  const src = ipv4At(data, start + 12);
  const dst = ipv4At(data, start + 16);
  const headerCaptured = end - start >= headerLength;
  let status: ChecksumStatus = 'unverified';
  if (headerCaptured && headerLength <= totalLength) {
    status = onesComplementSum(data, start, start + headerLength) === 0xffff ? 'good' : 'bad';
  }
  const expected =
    status === 'bad' ? expectedChecksum(data, start, start + headerLength, start + 10) : 0;
  let lenNode: ProblemTarget | undefined;
  let checksumNode: ProblemTarget | undefined;
  if (out) {
    lenNode = addFixedHeader(out, data, start);
    checksumNode = out.add(
      ipFields.checksum,
      storedChecksum,
      start + 10,
      2,
      undefined,
      out.texts ? checksumText(storedChecksum, status, expected) : undefined,
    );
  }
  if (status === 'bad') {
    // A sender-side capture sees the header before a NIC that offloads the checksum fills it
    // in: 0x0000 there says more about the capturing host than about the packet on the wire.
    const offload = storedChecksum === 0;
    report(
      sink,
      offload ? 'ip.checksum.zero' : 'ip.checksum.bad',
      start + 10,
      offload
        ? `IPv4 header checksum is 0x0000, should be ${hex(expected, 4)}: likely checksum offload on the capturing host`
        : `IPv4 header checksum ${hex(storedChecksum, 4)} is wrong, should be ${hex(expected, 4)}`,
      checksumNode ?? layer,
    );
  }
  if (out) {
    out.add(ipFields.checksumStatus, status, start + 10, 0);
    if (status === 'bad') out.add(ipFields.checksumCalculated, expected, start + 10, 0);
    out.add(ipFields.src, src, start + 12, 4);
    out.add(ipFields.dst, dst, start + 16, 4);
  }

  let routerAlert = false;
  if (headerLength > MIN_HEADER) {
    const optionsEnd = Math.min(
      start + headerLength,
      end,
      start + Math.max(totalLength, MIN_HEADER),
    );
    routerAlert = decodeOptions(
      data,
      start + MIN_HEADER,
      optionsEnd,
      start + headerLength,
      sink,
      layer,
    );
  }
  layer.length = Math.min(headerLength, end - start);

  if (totalLength < headerLength) {
    report(
      sink,
      'ip.len.bad',
      start + 2,
      `IPv4 total length ${totalLength} is shorter than the ${headerLength}-byte header`,
      lenNode ?? layer,
    );
  } else if (start + totalLength > wireEnd) {
    report(
      sink,
      'ip.len.bad',
      start + 2,
      `IPv4 total length ${totalLength} exceeds the ${wireEnd - start} bytes ${wireEnd === d.frame.origLen ? 'of the frame on the wire' : 'its carrier gives it'}`,
      lenNode ?? layer,
    );
  }
  if (!headerCaptured) {
    report(
      sink,
      'ip.truncated',
      start,
      `IPv4 header cut short: ${end - start} of ${headerLength} bytes captured`,
      layer,
    );
  }
  const payloadStart = start + headerLength;
  const datagramEnd = ipv4DatagramEnd(data, start, end) ?? payloadStart;
  const mf = (flagsByte & 0x20) !== 0;
  return {
    layer,
    protocol,
    src,
    dst,
    ttl,
    payloadStart,
    payloadEnd: Math.min(Math.max(payloadStart, datagramEnd), end),
    payloadLength: Math.max(0, totalLength - headerLength),
    datagramEnd,
    fragment: fragmentOffsetBytes > 0 ? 'later' : mf ? 'first' : 'none',
    fragmentOffsetBytes,
    id,
    routerAlert,
    payloadValid: headerCaptured && totalLength >= headerLength,
  };
}

/** The fields of the fixed header up to the checksum; returns the total length's node. */
function addFixedHeader(out: FieldOut, data: Buffer, start: number): ProblemTarget | undefined {
  const tos = data[start + 1];
  out.open(ipFields.dsfield, tos, start + 1, 1);
  out.add(ipFields.dscp, tos >>> 2, start + 1, 1, tos);
  out.add(ipFields.ecn, tos & 3, start + 1, 1, tos);
  out.close();
  const lenNode = out.add(ipFields.len, u16(data, start + 2), start + 2, 2);
  out.add(ipFields.id, u16(data, start + 4), start + 4, 2);
  const flagsWord = u16(data, start + 6);
  const flagsByte = flagsWord >>> 8;
  out.open(ipFields.flags, flagsByte & 0xe0, start + 6, 1);
  out.add(ipFields.flagRb, (flagsByte & 0x80) !== 0, start + 6, 1, flagsByte);
  out.add(ipFields.flagDf, (flagsByte & 0x40) !== 0, start + 6, 1, flagsByte);
  out.add(ipFields.flagMf, (flagsByte & 0x20) !== 0, start + 6, 1, flagsByte);
  out.close();
  out.add(ipFields.fragOffset, (flagsWord & 0x1fff) * 8, start + 6, 2, flagsWord);
  out.add(ipFields.ttl, data[start + 8], start + 8, 1);
  out.add(ipFields.proto, data[start + 9], start + 9, 1);
  return lenNode;
}

/** Where the datagram's addresses are, for the heading and for the tunnel key of an outer one. */
function addresses(data: Buffer, layer: { offset: number }): string | undefined {
  return layer.offset + 20 <= data.length
    ? `${ipv4At(data, layer.offset + 12)}>${ipv4At(data, layer.offset + 16)}`
    : undefined;
}

export const ipv4: Protocol = {
  name: 'ip',
  longName: 'Internet Protocol Version 4',
  fields: [...Object.values(ipFields), ...IP_OPTION_FIELDS],
  problems: IPV4_PROBLEMS,
  registrations: [
    { table: 'ethertype', key: 0x0800 },
    { table: 'gre.proto', key: 0x0800 },
    { table: 'ppp.protocol', key: 0x0021 },
    { table: 'ip.proto', key: 4 },
    { table: 'ip.version', key: 4 },
    { table: 'link', key: LINKTYPE_IPV4 },
  ],
  decode: decodeIpv4,
  titleFields: [ipFields.src, ipFields.dst],
  title: (_layer, nodes) =>
    `Internet Protocol Version 4, Src: ${shownOf(nodes, ipFields.src)}, Dst: ${shownOf(nodes, ipFields.dst)}`,
  column: (d, layer) => {
    const ip = d.ip;
    if (ip === undefined || ip.layer !== layer || ip.fragment === 'later') return 'IPv4';
    return PROTOCOL_NAMES.get(ip.protocol) ?? 'IPv4';
  },
  info: (d, layer) => {
    const ip = d.ip;
    if (ip === undefined || ip.layer !== layer) return '';
    if (ip.fragment === 'later') {
      const name = PROTOCOL_NAMES.get(ip.protocol);
      return `Fragmented IP protocol (proto=${name ?? ip.protocol} ${ip.protocol}, off=${ip.fragmentOffsetBytes}, ID=${ip.id.toString(16).padStart(4, '0')})`;
    }
    const name = PROTOCOL_NAMES.get(ip.protocol);
    return `IPv4 protocol ${name ? `${name} (${ip.protocol})` : ip.protocol}, not decoded`;
  },
  linkKey: addresses,
};
