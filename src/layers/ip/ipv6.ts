import { ipv6At } from '../../addr.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, hex, names, shownOf } from '../../fields.js';
import { report, type ProblemDef } from '../../problems.js';
import { u16 } from '../../read.js';
import { LINKTYPE_IPV6 } from '../link/linktypes.js';
import { handOff, TABLES, type Dissection, type FieldList, type Protocol } from '../registry.js';
import { PROTOCOL_NAMES } from './ipv4.js';

const NEXT_HEADER_NAMES = new Map([
  ...PROTOCOL_NAMES,
  [0, 'IPv6 Hop-by-Hop Option'],
  [4, 'IPIP'],
  [43, 'Routing Header for IPv6'],
  [44, 'Fragment Header for IPv6'],
  [58, 'ICMPv6'],
  [59, 'IPv6 No Next Header'],
  [60, 'Destination Options for IPv6'],
]);

const DSCP_NAMES = names({
  0: 'Default',
  8: 'CS1',
  16: 'CS2',
  24: 'CS3',
  32: 'CS4',
  40: 'CS5',
  46: 'Expedited Forwarding',
  48: 'CS6',
  56: 'CS7',
});
const ECN_NAMES = names({
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
});
const ECN_SHORT = names({ 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' });
const OPTION_NAMES = names({
  0x00: 'Pad1',
  0x01: 'PadN',
  0x05: 'Router Alert',
  0xc2: 'Jumbo Payload',
});
const ROUTER_ALERT_NAMES = names({ 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' });

/** The fields of a Hop-by-Hop or Destination Options header with the given prefix. */
function optionsHeaderFields(prefix: string, name: string) {
  return {
    header: field({ abbrev: prefix, name, kind: 'group', groupObject: true }),
    nxt: field({
      abbrev: `${prefix}.nxt`,
      name: 'Next Header',
      kind: 'uint',
      names: NEXT_HEADER_NAMES,
    }),
    len: field({ abbrev: `${prefix}.len`, name: 'Length', kind: 'uint' }),
    lenOct: field({
      abbrev: `${prefix}.len_oct`,
      name: 'Length',
      kind: 'uint',
      generated: true,
      show: (n) => `${n.value as number} bytes`,
    }),
  };
}

export const ipv6Fields = {
  version: field({
    abbrev: 'ipv6.version',
    name: 'Version',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
  }),
  tclass: field({
    abbrev: 'ipv6.tclass',
    name: 'Traffic Class',
    kind: 'uint',
    hexDigits: 2,
    mask: 0x0ff00000,
    bitWidth: 32,
    show: (n) => {
      const v = n.value as number;
      return `${hex(v, 2)} (DSCP: ${DSCP_NAMES.get(v >>> 2) ?? 'Unknown'}, ECN: ${ECN_SHORT.get(v & 3)})`;
    },
  }),
  dscp: field({
    abbrev: 'ipv6.tclass.dscp',
    name: 'Differentiated Services Codepoint',
    kind: 'uint',
    mask: 0x0fc00000,
    bitWidth: 32,
    names: DSCP_NAMES,
  }),
  ecn: field({
    abbrev: 'ipv6.tclass.ecn',
    name: 'Explicit Congestion Notification',
    kind: 'uint',
    mask: 0x00300000,
    bitWidth: 32,
    names: ECN_NAMES,
  }),
  flow: field({
    abbrev: 'ipv6.flow',
    name: 'Flow Label',
    kind: 'uint',
    hexDigits: 5,
    mask: 0x0fffff,
    bitWidth: 24,
  }),
  plen: field({ abbrev: 'ipv6.plen', name: 'Payload Length', kind: 'uint' }),
  nxt: field({ abbrev: 'ipv6.nxt', name: 'Next Header', kind: 'uint', names: NEXT_HEADER_NAMES }),
  hlim: field({ abbrev: 'ipv6.hlim', name: 'Hop Limit', kind: 'uint' }),
  src: field({ abbrev: 'ipv6.src', name: 'Source Address', kind: 'ipv6' }),
  dst: field({ abbrev: 'ipv6.dst', name: 'Destination Address', kind: 'ipv6' }),
};

const hop = optionsHeaderFields('ipv6.hopopts', 'IPv6 Hop-by-Hop Option');
const dst = optionsHeaderFields('ipv6.dstopts', 'Destination Options for IPv6');

export const ipv6OptionFields = {
  option: field({ abbrev: 'ipv6.opt', name: 'Option', kind: 'group' }),
  type: field({
    abbrev: 'ipv6.opt.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    names: OPTION_NAMES,
  }),
  action: field({
    abbrev: 'ipv6.opt.type.action',
    name: 'Action',
    kind: 'uint',
    mask: 0xc0,
    bitWidth: 8,
    names: names({
      0: 'Skip and continue',
      1: 'Discard packet',
      2: 'Discard packet and send ICMP Parameter Problem',
      3: 'Discard packet and send ICMP Parameter Problem if not multicast',
    }),
  }),
  change: field({
    abbrev: 'ipv6.opt.type.change',
    name: 'May Change',
    kind: 'bool',
    mask: 0x20,
    bitWidth: 8,
    trueFalse: ['Yes', 'No'],
  }),
  rest: field({
    abbrev: 'ipv6.opt.type.rest',
    name: 'Low-Order Bits',
    kind: 'uint',
    hexDigits: 2,
    mask: 0x1f,
    bitWidth: 8,
  }),
  length: field({ abbrev: 'ipv6.opt.length', name: 'Length', kind: 'uint' }),
  routerAlert: field({
    abbrev: 'ipv6.opt.router_alert',
    name: 'Router Alert',
    kind: 'uint',
    names: ROUTER_ALERT_NAMES,
  }),
  padn: field({ abbrev: 'ipv6.opt.padn', name: 'PadN', kind: 'bytes' }),
  value: field({
    abbrev: 'ipv6.opt.value',
    name: 'Value',
    kind: 'bytes',
    ours: true,
    blurb: 'the data of an option igmpscope does not decode',
  }),
};

export const ipv6RoutingFields = {
  header: field({
    abbrev: 'ipv6.routing',
    name: 'Routing Header for IPv6',
    kind: 'group',
    groupObject: true,
  }),
  nxt: field({
    abbrev: 'ipv6.routing.nxt',
    name: 'Next Header',
    kind: 'uint',
    names: NEXT_HEADER_NAMES,
  }),
  len: field({ abbrev: 'ipv6.routing.len', name: 'Length', kind: 'uint' }),
  lenOct: field({
    abbrev: 'ipv6.routing.len_oct',
    name: 'Length',
    kind: 'uint',
    generated: true,
    show: (n) => `${n.value as number} bytes`,
  }),
  type: field({
    abbrev: 'ipv6.routing.type',
    name: 'Type',
    kind: 'uint',
    names: names({
      0: 'Source Route',
      2: 'Type 2 Routing',
      3: 'RPL Source Route',
      4: 'Segment Routing',
    }),
  }),
  segleft: field({ abbrev: 'ipv6.routing.segleft', name: 'Segments Left', kind: 'uint' }),
  data: field({
    abbrev: 'ipv6.routing.data',
    name: 'Type-specific data',
    kind: 'bytes',
    ours: true,
    blurb: 'the routing header after its first four bytes',
  }),
};

export const ipv6FragmentFields = {
  header: field({
    abbrev: 'ipv6.fraghdr',
    name: 'Fragment Header for IPv6',
    kind: 'group',
    groupObject: true,
  }),
  nxt: field({
    abbrev: 'ipv6.fraghdr.nxt',
    name: 'Next header',
    kind: 'uint',
    names: NEXT_HEADER_NAMES,
  }),
  reserved: field({
    abbrev: 'ipv6.fraghdr.reserved_octet',
    name: 'Reserved octet',
    kind: 'uint',
    hexDigits: 2,
  }),
  offset: field({
    abbrev: 'ipv6.fraghdr.offset',
    name: 'Offset',
    kind: 'uint',
    mask: 0xfff8,
    bitWidth: 16,
    show: (n) => `${n.value as number} (${(n.value as number) * 8} bytes)`,
  }),
  reservedBits: field({
    abbrev: 'ipv6.fraghdr.reserved_bits',
    name: 'Reserved bits',
    kind: 'uint',
    mask: 0x0006,
    bitWidth: 16,
  }),
  more: field({
    abbrev: 'ipv6.fraghdr.more',
    name: 'More Fragments',
    kind: 'bool',
    mask: 0x0001,
    bitWidth: 16,
    trueFalse: ['Yes', 'No'],
  }),
  ident: field({
    abbrev: 'ipv6.fraghdr.ident',
    name: 'Identification',
    kind: 'uint',
    hexDigits: 8,
  }),
};

const OPTION_MEMBERS: FieldList = [
  {
    group: ipv6OptionFields.option,
    members: [
      ipv6OptionFields.type,
      ipv6OptionFields.action,
      ipv6OptionFields.change,
      ipv6OptionFields.rest,
      ipv6OptionFields.length,
      ipv6OptionFields.routerAlert,
      ipv6OptionFields.padn,
      ipv6OptionFields.value,
    ],
  },
];

const IPV6_FIELDS: FieldList = [
  ...Object.values(ipv6Fields),
  { group: hop.header, members: [hop.nxt, hop.len, hop.lenOct, ...OPTION_MEMBERS] },
  {
    group: ipv6RoutingFields.header,
    members: [
      ipv6RoutingFields.nxt,
      ipv6RoutingFields.len,
      ipv6RoutingFields.lenOct,
      ipv6RoutingFields.type,
      ipv6RoutingFields.segleft,
      ipv6RoutingFields.data,
    ],
  },
  {
    group: ipv6FragmentFields.header,
    members: [
      ipv6FragmentFields.nxt,
      ipv6FragmentFields.reserved,
      ipv6FragmentFields.offset,
      ipv6FragmentFields.reservedBits,
      ipv6FragmentFields.more,
      ipv6FragmentFields.ident,
    ],
  },
  { group: dst.header, members: [dst.nxt, dst.len, dst.lenOct, ...OPTION_MEMBERS] },
];

const IPV6_PROBLEMS: readonly ProblemDef[] = [
  {
    id: 'ipv6.truncated',
    severity: 'warning',
    layer: 'ipv6',
    description: 'IPv6 header or extension header cut short by the capture',
  },
  {
    id: 'ipv6.version.bad',
    severity: 'error',
    layer: 'ipv6',
    description: 'IP version field is not 6 where IPv6 was expected',
  },
  {
    id: 'ipv6.plen.bad',
    severity: 'error',
    layer: 'ipv6',
    description: 'IPv6 payload length runs past what carries the packet',
    reference: 'RFC 8200 §3',
  },
  {
    id: 'ipv6.ext.bad',
    severity: 'error',
    layer: 'ipv6',
    description: 'an IPv6 extension header or option runs past its header or the payload',
    reference: 'RFC 8200 §4',
  },
  {
    id: 'ipv6.fragment',
    severity: 'note',
    layer: 'ipv6',
    description: 'an IPv6 fragment: what it carries is not reassembled, so not decoded',
    reference: 'RFC 8200 §4.5',
  },
];

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DESTINATION = 60;
/** More extension headers than this is a hostile chain. */
const MAX_EXTENSIONS = 16;

/**
 * IPv6 (RFC 8200) as an underlay or as the packet a tunnel carries: the fixed header, then its
 * extension headers (hop-by-hop, routing, fragment, destination options) as groups of the
 * layer, as tshark nests them; what follows them is handed on by its next header.
 */
function decodeIpv6(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'ipv6', start, Math.min(HEADER, end - start));
  if (end - start < 1) {
    report(d, 'ipv6.truncated', start, 'IPv6 header cut short: no byte captured', layer);
    return;
  }
  const version = data[start] >>> 4;
  const out = d.out;
  const versionNode = out?.add(ipv6Fields.version, version, start, 1, data[start]);
  if (version !== 6) {
    const message = `IP version ${version} where IPv6 was expected`;
    report(d, 'ipv6.version.bad', start, message, versionNode ?? layer);
    return;
  }
  if (end - start < HEADER) {
    const message = `IPv6 header cut short: ${end - start} of ${HEADER} bytes captured`;
    report(d, 'ipv6.truncated', start, message, layer);
    return;
  }
  const word = data.readUInt32BE(start);
  const plen = u16(data, start + 4);
  let next = data[start + 6];
  const src = ipv6At(data, start + 8);
  const dstAddress = ipv6At(data, start + 24);
  if (out) {
    const tclass = (word >>> 20) & 0xff;
    out.open(ipv6Fields.tclass, tclass, start, 4, word);
    out.add(ipv6Fields.dscp, tclass >>> 2, start, 4, word);
    out.add(ipv6Fields.ecn, tclass & 3, start, 4, word);
    out.close();
    out.add(ipv6Fields.flow, word & 0xfffff, start + 1, 3, word & 0xffffff);
  }
  const plenNode = out?.add(ipv6Fields.plen, plen, start + 4, 2);
  if (out) {
    out.add(ipv6Fields.nxt, next, start + 6, 1);
    out.add(ipv6Fields.hlim, data[start + 7], start + 7, 1);
    out.add(ipv6Fields.src, src, start + 8, 16);
    out.add(ipv6Fields.dst, dstAddress, start + 24, 16);
  }
  d.src = src;
  d.dst = dstAddress;
  const payloadEnd = start + HEADER + plen;
  if (payloadEnd > wireEnd) {
    report(
      d,
      'ipv6.plen.bad',
      start + 4,
      `IPv6 payload length ${plen} runs past the ${wireEnd - start - HEADER} bytes that carry it`,
      plenNode ?? layer,
    );
  }
  const capturedEnd = Math.min(end, payloadEnd);
  let at = start + HEADER;
  let chain = '';
  for (let count = 0; count < MAX_EXTENSIONS; count++) {
    if (next !== HOP_BY_HOP && next !== ROUTING && next !== FRAGMENT && next !== DESTINATION) break;
    const read = readExtension(d, next, at, capturedEnd);
    if (read === undefined) {
      layer.step = chain || undefined;
      return;
    }
    chain += (chain === '' ? '' : ':') + EXTENSION_STEPS[next];
    if (next === FRAGMENT) {
      const fragment = u16(data, at + 2);
      if ((fragment & 0xfff8) !== 0 || (fragment & 1) !== 0) {
        report(
          d,
          'ipv6.fragment',
          at,
          `IPv6 fragment at offset ${(fragment >>> 3) * 8}: what it carries is not reassembled`,
          layer,
        );
        layer.step = `${chain}:data`;
        return;
      }
    }
    next = data[at];
    at = read;
  }
  layer.step = chain || undefined;
  layer.length = at - start;
  handOff(d, TABLES['ip.proto'], next, at, capturedEnd, Math.min(wireEnd, payloadEnd));
}

const EXTENSION_STEPS: Record<number, string> = {
  [HOP_BY_HOP]: 'ipv6.hopopts',
  [ROUTING]: 'ipv6.routing',
  [FRAGMENT]: 'ipv6.fraghdr',
  [DESTINATION]: 'ipv6.dstopts',
};

/** Reads one extension header at `at`; returns where it ends, or undefined when it cannot. */
function readExtension(d: Dissection, type: number, at: number, end: number): number | undefined {
  const data = d.frame.data;
  const layer = d.layers[d.layers.length - 1];
  if (end - at < 8) {
    const message = `${EXTENSION_STEPS[type]} header cut short: ${end - at} of 8 bytes`;
    report(d, 'ipv6.truncated', at, message, layer);
    return undefined;
  }
  const length = type === FRAGMENT ? 8 : (data[at + 1] + 1) * 8;
  if (at + length > end) {
    const message = `${EXTENSION_STEPS[type]} header of ${length} bytes runs past the ${end - at} that remain`;
    report(d, 'ipv6.ext.bad', at + 1, message, layer);
    return undefined;
  }
  const out = d.out;
  if (!out) return at + length;
  if (type === FRAGMENT) {
    const word = u16(data, at + 2);
    out.open(ipv6FragmentFields.header, '', at, 8, undefined, 'Fragment Header for IPv6');
    out.add(ipv6FragmentFields.nxt, data[at], at, 1);
    out.add(ipv6FragmentFields.reserved, data[at + 1], at + 1, 1);
    out.add(ipv6FragmentFields.offset, word >>> 3, at + 2, 2, word);
    out.add(ipv6FragmentFields.reservedBits, (word >>> 1) & 3, at + 2, 2, word);
    out.add(ipv6FragmentFields.more, (word & 1) === 1, at + 2, 2, word);
    out.add(ipv6FragmentFields.ident, data.readUInt32BE(at + 4), at + 4, 4);
    out.close();
    return at + length;
  }
  if (type === ROUTING) {
    const routingType = data[at + 2];
    const title = `Routing Header for IPv6 (${ipv6RoutingFields.type.names?.get(routingType) ?? `Type ${routingType}`})`;
    out.open(ipv6RoutingFields.header, '', at, length, undefined, title);
    out.add(ipv6RoutingFields.nxt, data[at], at, 1);
    out.add(ipv6RoutingFields.len, data[at + 1], at + 1, 1);
    out.add(ipv6RoutingFields.lenOct, length, at + 1, 0);
    out.add(ipv6RoutingFields.type, routingType, at + 2, 1);
    out.add(ipv6RoutingFields.segleft, data[at + 3], at + 3, 1);
    out.add(ipv6RoutingFields.data, data.subarray(at + 4, at + length), at + 4, length - 4);
    out.close();
    return at + length;
  }
  const fields = type === HOP_BY_HOP ? hop : dst;
  out.open(fields.header, '', at, length, undefined, fields.header.name);
  out.add(fields.nxt, data[at], at, 1);
  out.add(fields.len, data[at + 1], at + 1, 1);
  out.add(fields.lenOct, length, at + 1, 0);
  addOptions(d, out, at + 2, at + length);
  out.close();
  return at + length;
}

/** The TLV options of a hop-by-hop or destination options header (RFC 8200 §4.2). */
function addOptions(d: Dissection, out: FieldOut, from: number, to: number): void {
  const data = d.frame.data;
  const F = ipv6OptionFields;
  for (let at = from; at < to;) {
    const type = data[at];
    const name = OPTION_NAMES.get(type) ?? `Unknown IPv6 Option (${hex(type, 2)})`;
    if (type === 0) {
      out.open(F.option, '', at, 1, undefined, name);
      addOptionType(out, type, at);
      out.close();
      at += 1;
      continue;
    }
    const length = at + 1 < to ? data[at + 1] : -1;
    if (length < 0 || at + 2 + length > to) {
      report(
        d,
        'ipv6.ext.bad',
        at,
        `IPv6 option ${hex(type, 2)} runs past the end of its header`,
        d.layers[d.layers.length - 1],
      );
      return;
    }
    out.open(F.option, '', at, 2 + length, undefined, name);
    addOptionType(out, type, at);
    out.add(F.length, length, at + 1, 1);
    const value = data.subarray(at + 2, at + 2 + length);
    if (type === 0x05 && length === 2) out.add(F.routerAlert, u16(data, at + 2), at + 2, 2);
    else if (type === 0x01)
      out.add(F.padn, value, at + 2, length, undefined, length === 0 ? '<none>' : undefined);
    else out.add(F.value, value, at + 2, length);
    out.close();
    at += 2 + length;
  }
}

function addOptionType(out: FieldOut, type: number, at: number): void {
  const F = ipv6OptionFields;
  out.open(F.type, type, at, 1);
  out.add(F.action, type >>> 6, at, 1, type);
  out.add(F.change, (type & 0x20) !== 0, at, 1, type);
  out.add(F.rest, type & 0x1f, at, 1, type);
  out.close();
}

export const ipv6: Protocol = {
  name: 'ipv6',
  longName: 'Internet Protocol Version 6',
  fields: IPV6_FIELDS,
  problems: IPV6_PROBLEMS,
  registrations: [
    { table: 'ethertype', key: 0x86dd },
    { table: 'gre.proto', key: 0x86dd },
    { table: 'ppp.protocol', key: 0x0057 },
    { table: 'ip.proto', key: 41 },
    { table: 'ip.version', key: 6 },
    { table: 'link', key: LINKTYPE_IPV6 },
  ],
  decode: decodeIpv6,
  titleFields: [ipv6Fields.src, ipv6Fields.dst],
  title: (_layer, nodes) =>
    `Internet Protocol Version 6, Src: ${shownOf(nodes, ipv6Fields.src)}, Dst: ${shownOf(nodes, ipv6Fields.dst)}`,
  column: () => 'IPv6',
  info: (d, layer) => {
    const data = d.frame.data;
    if (layer.offset + HEADER > data.length) return '';
    return `IPv6 next header ${data[layer.offset + 6]}, not decoded`;
  },
  linkKey: (data, layer) =>
    layer.offset + HEADER <= data.length
      ? `${ipv6At(data, layer.offset + 8)}>${ipv6At(data, layer.offset + 24)}`
      : undefined,
};
