/**
 * DVMRP, the Distance Vector Multicast Routing Protocol, in IGMP type 0x13: version 3
 * (draft-ietf-idmr-dvmrp-v3, as mrouted and Cisco's mrinfo speak it) and version 1 (RFC 1075).
 * Which one a message is follows Wireshark's default: v3 from 8 bytes on (see dvmrpVersion).
 */
import { ipv4At } from '../../addr.js';
import type { FieldOut } from '../../field-out.js';
import { field, hex, names, type FieldDef } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import type { Dissection, Protocol } from '../registry.js';
import { dvmrpVersion, igmpInfo } from './info.js';
import {
  beginMessage,
  endMessage,
  messageChecksum,
  messageProblems,
  nameOr,
  putMessageChecksum,
  SHORTER_THAN,
  type Bounds,
  type Describe,
} from './message.js';
import { DVMRP_CODE_NAMES, DVMRP_V1_CODE_NAMES } from './types.js';

const checksum = messageChecksum('dvmrp');

/** RFC 1075: the commands of a v1 message. */
const COMMANDS = names({
  0: 'NULL',
  2: 'Address Family Indicator',
  3: 'Subnetmask',
  4: 'Metric',
  5: 'Flags0',
  6: 'Infinity',
  7: 'Destination Address',
  8: 'Requested Destination Address',
  9: 'Non-Membership Report',
  10: 'Non-Membership Report Cancel',
});

const flag = (abbrev: string, name: string, mask: number, trueFalse?: [string, string]) =>
  field({ abbrev, name, kind: 'bool', mask, bitWidth: 8, trueFalse });

const codeField = (abbrev: string, codes: ReadonlyMap<number, string>): FieldDef =>
  field({
    abbrev,
    name: 'Code',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(codes, n.value as number)} (${hex(n.value as number, 2)})`,
  });

/** draft-ietf-idmr-dvmrp-v3, Probe: the capability flags, highest bit first as Wireshark lists them. */
const CAPABILITIES: readonly [number, string][] = [
  [0x20, 'Netmask'],
  [0x10, 'SNMP'],
  [0x08, 'Mtrace'],
  [0x04, 'Genid'],
  [0x02, 'Prune'],
  [0x01, 'Leaf'],
];

export const dvmrpFields = {
  /** Generated, but shown without brackets as Wireshark shows it. */
  version: field({ abbrev: 'dvmrp.version', name: 'DVMRP Version', kind: 'uint' }),
  type: field({
    abbrev: 'dvmrp.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    names: names({ 0x13: 'DVMRP' }),
  }),
  v1Code: codeField('dvmrp.v1.code', DVMRP_V1_CODE_NAMES),
  v3Code: codeField('dvmrp.v3.code', DVMRP_CODE_NAMES),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  reserved: field({
    abbrev: 'dvmrp.reserved',
    name: 'Reserved',
    kind: 'uint',
    hexDigits: 4,
    blurb: 'bytes 4–5 of a v3 message, as Wireshark (byte 5 is the capabilities of a Probe)',
  }),
  capabilities: field({
    abbrev: 'dvmrp.capabilities',
    name: 'Capabilities',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => {
      const v = n.value as number;
      let text = hex(v, 2);
      for (const [bit, name] of CAPABILITIES) if (v & bit) text += `, ${name}`;
      return text;
    },
  }),
  capNetmask: flag('dvmrp.cap.netmask', 'Netmask', 0x20, [
    'Netmask capable',
    'NOT Netmask capable',
  ]),
  capSnmp: flag('dvmrp.cap.snmp', 'SNMP', 0x10, ['SNMP capable', 'NOT SNMP capable']),
  capMtrace: flag('dvmrp.cap.mtrace', 'Mtrace', 0x08, [
    'Multicast Traceroute capable',
    'NOT Multicast Traceroute capable',
  ]),
  capGenid: flag('dvmrp.cap.genid', 'Genid', 0x04, ['Genid capable', 'NOT Genid capable']),
  capPrune: flag('dvmrp.cap.prune', 'Prune', 0x02, ['Prune capable', 'NOT Prune capable']),
  capLeaf: flag('dvmrp.cap.leaf', 'Leaf', 0x01, ['Leaf', 'NOT Leaf']),
  minVer: field({ abbrev: 'dvmrp.min_ver', name: 'Minor Version', kind: 'uint', hexDigits: 2 }),
  majVer: field({ abbrev: 'dvmrp.maj_ver', name: 'Major Version', kind: 'uint', hexDigits: 2 }),
  genid: field({ abbrev: 'dvmrp.genid', name: 'Generation ID', kind: 'uint' }),
  neighbor: field({
    abbrev: 'dvmrp.neighbor',
    name: 'Neighbor Addr',
    kind: 'ipv4',
    repeats: true,
  }),
  route: field({ abbrev: 'dvmrp.route', name: 'Route', kind: 'group' }),
  netmask: field({ abbrev: 'dvmrp.netmask', name: 'Netmask', kind: 'ipv4' }),
  saddr: field({
    abbrev: 'dvmrp.saddr',
    name: 'Source Addr',
    kind: 'ipv4',
    repeats: true,
    blurb: 'a Prune’s or Graft’s source; in a Report, the source networks of the route',
  }),
  metric: field({ abbrev: 'dvmrp.metric', name: 'Metric', kind: 'uint', repeats: true }),
  maddr: field({ abbrev: 'dvmrp.maddr', name: 'Multicast Addr', kind: 'ipv4', repeats: true }),
  lifetime: field({ abbrev: 'dvmrp.lifetime', name: 'Prune lifetime', kind: 'uint' }),
  local: field({ abbrev: 'dvmrp.local', name: 'Local Addr', kind: 'ipv4', repeats: true }),
  threshold: field({
    abbrev: 'dvmrp.threshold',
    name: 'Threshold',
    kind: 'uint',
    repeats: true,
  }),
  flags: field({ abbrev: 'dvmrp.flags', name: 'Flags', kind: 'group' }),
  flagTunnel: flag('dvmrp.flag.tunnel', 'Tunnel', 0x01),
  flagSrcroute: flag('dvmrp.flag.srcroute', 'Source Route', 0x02),
  flagDown: flag('dvmrp.flag.down', 'Down', 0x10),
  flagDisabled: flag('dvmrp.flag.disabled', 'Disabled', 0x20),
  flagQuerier: flag('dvmrp.flag.querier', 'Querier', 0x40),
  flagLeaf: flag('dvmrp.flag.leaf', 'Leaf', 0x80),
  ncount: field({
    abbrev: 'dvmrp.ncount',
    name: 'Neighbor Count',
    kind: 'uint',
    repeats: true,
  }),
  commands: field({ abbrev: 'dvmrp.commands', name: 'Commands', kind: 'group' }),
  command: field({
    abbrev: 'dvmrp.command',
    name: 'Command',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(COMMANDS, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  afi: field({
    abbrev: 'dvmrp.afi',
    name: 'Address Family',
    kind: 'uint',
    hexDigits: 2,
    names: names({ 2: 'IP v4 Family' }),
  }),
  count: field({ abbrev: 'dvmrp.count', name: 'Count', kind: 'uint', hexDigits: 2 }),
  destUnreach: flag('dvmrp.dest_unreach', 'Destination Unreachable', 0x01, [
    'Destination Unreachable',
    'NOT Destination Unreachable',
  ]),
  splitHoriz: flag('dvmrp.split_horiz', 'Split Horizon', 0x02, [
    'Split Horizon concealed route',
    'NOT Split Horizon concealed route',
  ]),
  infinity: field({ abbrev: 'dvmrp.infinity', name: 'Infinity', kind: 'uint' }),
  daddr: field({ abbrev: 'dvmrp.daddr', name: 'Dest Addr', kind: 'ipv4', repeats: true }),
  hold: field({ abbrev: 'dvmrp.hold', name: 'Hold Time', kind: 'uint', repeats: true }),
};
const F = dvmrpFields;

const PROBE = 1;
const REPORT = 2;
const NEIGHBORS2 = 6;
const PRUNE = 7;
const GRAFT = 8;
const GRAFT_ACK = 9;
const V3_HEADER = 8;
const V1_HEADER = 4;

/** x: the least length the code needs. */
const CODE_SHORT: Describe = (b, _at, min) =>
  `DVMRP ${igmpInfo(b.msg)} of ${b.length} bytes, shorter than ${min}`;
const PARTIAL: Describe = (b, at) =>
  `${b.end - at} bytes at the end of the ${b.length}-byte message make no whole field`;
const ROUTE_SHORT: Describe = (b, at) =>
  `the route at byte ${at - b.start} runs past the end of the ${b.length}-byte report`;
const ROUTE_OPEN: Describe = (b) =>
  `the report ends inside a route: no metric has the last-source bit (0x80) before byte ${b.length}`;
/** x: the neighbour count, y: the neighbour that does not fit (1-based). */
const NCOUNT_OVERFLOW: Describe = (b, at, count, which) =>
  `neighbor count ${count} overruns the message: neighbor ${which} would end at byte ${at + 4 - b.start} of ${b.length}`;
/** x: the count, y: the size of each item. */
const COUNT_OVERFLOW: Describe = (b, at, count, size) =>
  `command count ${count} (${size} bytes each) overruns the message at byte ${at - b.start} of ${b.length}`;

/**
 * A DVMRP message: type, code, checksum over the whole message (RFC 1075, and the header of
 * draft-ietf-idmr-dvmrp-v3), then a v3 header and the body its code gives, or v1's commands.
 */
function decodeDvmrp(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'dvmrp', 'DVMRP', start, end, wireEnd, 'dvmrp.truncated');
  decodeDvmrpBody(b, start);
  endMessage(b);
}

function decodeDvmrpBody(b: Bounds, start: number): void {
  const { data } = b;
  const msg = b.msg;
  const version = dvmrpVersion(b.length);
  const min = version === 3 ? V3_HEADER : V1_HEADER;
  const out = b.out;
  if (out) {
    out.add(F.version, version, start, 0);
    out.add(F.type, msg.type, start, 1);
  }
  if (!b.has(start + 1, 1, 'dvmrp.too_short', SHORTER_THAN, min)) return;
  const code = data[start + 1];
  msg.code = code;
  const codeNode = out?.add(version === 3 ? F.v3Code : F.v1Code, code, start + 1, 1);
  if (!(version === 3 ? DVMRP_CODE_NAMES : DVMRP_V1_CODE_NAMES).has(code)) {
    report(
      b.sink,
      'dvmrp.code.unknown',
      start + 1,
      `DVMRP v${version} code ${code} is not defined: only the header is decoded`,
      codeNode ?? b.layer,
    );
  }
  if (!b.has(start + 2, 2, 'dvmrp.too_short', SHORTER_THAN, min)) return;
  putMessageChecksum(b, checksum, b.length >= min);
  if (version === 1) {
    decodeCommands(b, start + V1_HEADER);
    return;
  }
  if (!b.has(start + 4, 4, 'dvmrp.too_short', SHORTER_THAN, min)) return;
  if (out) pushV3Header(out, data, start, code);
  const at = start + V3_HEADER;
  if (code === PROBE) decodeProbe(b, at);
  else if (code === REPORT) decodeReport(b, at);
  else if (code === NEIGHBORS2) decodeNeighbors2(b, at);
  else if (code === PRUNE || code === GRAFT || code === GRAFT_ACK) decodePruneGraft(b, at, code);
}

/**
 * draft-ietf-idmr-dvmrp-v3's header: reserved byte, capabilities (in a Probe and in Neighbors 2),
 * minor and major version. Wireshark shows bytes 4–5 as one reserved field, the
 * capabilities byte included.
 */
function pushV3Header(out: FieldOut, data: Buffer, start: number, code: number): void {
  out.add(F.reserved, u16(data, start + 4), start + 4, 2);
  if (code === PROBE || code === NEIGHBORS2) {
    const caps = data[start + 5];
    out.open(F.capabilities, caps, start + 5, 1);
    out.add(F.capNetmask, (caps & 0x20) !== 0, start + 5, 1, caps);
    out.add(F.capSnmp, (caps & 0x10) !== 0, start + 5, 1, caps);
    out.add(F.capMtrace, (caps & 0x08) !== 0, start + 5, 1, caps);
    out.add(F.capGenid, (caps & 0x04) !== 0, start + 5, 1, caps);
    out.add(F.capPrune, (caps & 0x02) !== 0, start + 5, 1, caps);
    out.add(F.capLeaf, (caps & 0x01) !== 0, start + 5, 1, caps);
    out.close();
  }
  out.add(F.minVer, data[start + 6], start + 6, 1);
  out.add(F.majVer, data[start + 7], start + 7, 1);
}

/** draft-ietf-idmr-dvmrp-v3, Probe: generation id, then the neighbours heard. */
function decodeProbe(b: Bounds, at: number): void {
  const { data, out } = b;
  if (!b.has(at, 4, 'dvmrp.too_short', CODE_SHORT, V3_HEADER + 4)) return;
  out?.add(F.genid, data.readUInt32BE(at), at, 4);
  for (at += 4; at < b.end; at += 4) {
    if (!b.has(at, 4, 'dvmrp.too_short', PARTIAL)) return;
    out?.add(F.neighbor, ipv4At(data, at), at, 4);
  }
}

/**
 * draft-ietf-idmr-dvmrp-v3, Route Report: routes grouped by netmask. Each group is the mask's
 * last three octets (the first is always 255), then source networks — as many octets as the
 * mask has non-zero ones — each with a metric byte whose bit 0x80 marks the group's last.
 * Mask 0.0.0 with source 0 is the default route.
 */
function decodeReport(b: Bounds, at: number): void {
  const { data, out } = b;
  while (at < b.end) {
    if (!b.has(at, 3, 'dvmrp.too_short', ROUTE_SHORT)) return;
    const m1 = data[at];
    const m2 = data[at + 1];
    const m3 = data[at + 2];
    const width = 1 + (m1 !== 0 ? 1 : 0) + (m2 !== 0 ? 1 : 0) + (m3 !== 0 ? 1 : 0);
    const mask = `255.${m1}.${m2}.${m3}`;
    out?.open(F.route, '', at, 3, undefined, out.texts ? 'Route' : undefined);
    out?.add(F.netmask, mask, at, 3);
    at += 3;
    let last = false;
    while (!last) {
      if (at >= b.end) {
        b.has(at, width + 1, 'dvmrp.too_short', ROUTE_OPEN);
        break;
      }
      if (!b.has(at, width + 1, 'dvmrp.too_short', ROUTE_SHORT)) break;
      const source = sourceNetwork(data, at, width);
      const metric = data[at + width];
      if (out) {
        const shown =
          source === '0.0.0.0' && m1 === 0 && m2 === 0 && m3 === 0
            ? `${source} (default route)`
            : `${source} (netmask ${mask})`;
        out.add(F.saddr, source, at, width, undefined, out.texts ? shown : undefined);
        out.add(F.metric, metric & 0x7f, at + width, 1);
      }
      last = (metric & 0x80) !== 0;
      at += width + 1;
    }
    out?.close();
    if (b.stopped) return;
  }
}

/** A source network sent as its significant octets: the rest are zero. */
function sourceNetwork(data: Buffer, at: number, width: number): string {
  let text = String(data[at]);
  for (let i = 1; i < 4; i++) text += i < width ? `.${data[at + i]}` : '.0';
  return text;
}

/**
 * draft-ietf-idmr-dvmrp-v3, Neighbors 2 (the answer to mrinfo): per interface, its local
 * address, metric, threshold, flags, neighbour count and neighbours. As in Wireshark's JSON,
 * the interfaces are not grouped: each field is one array, split by `dvmrp.ncount`.
 */
function decodeNeighbors2(b: Bounds, at: number): void {
  const { data, out } = b;
  while (at < b.end) {
    if (!b.has(at, 8, 'dvmrp.too_short', PARTIAL)) return;
    const flags = data[at + 6];
    const count = data[at + 7];
    if (out) {
      out.add(F.local, ipv4At(data, at), at, 4);
      out.add(F.metric, data[at + 4], at + 4, 1);
      out.add(F.threshold, data[at + 5], at + 5, 1);
      out.open(F.flags, '', at + 6, 1, flags, out.texts ? 'Flags' : undefined);
      out.add(F.flagTunnel, (flags & 0x01) !== 0, at + 6, 1, flags);
      out.add(F.flagSrcroute, (flags & 0x02) !== 0, at + 6, 1, flags);
      out.add(F.flagDown, (flags & 0x10) !== 0, at + 6, 1, flags);
      out.add(F.flagDisabled, (flags & 0x20) !== 0, at + 6, 1, flags);
      out.add(F.flagQuerier, (flags & 0x40) !== 0, at + 6, 1, flags);
      out.add(F.flagLeaf, (flags & 0x80) !== 0, at + 6, 1, flags);
      out.close();
      out.add(F.ncount, count, at + 7, 1);
    }
    at += 8;
    for (let i = 0; i < count; i++, at += 4) {
      if (!b.has(at, 4, 'dvmrp.ncount.overflow', NCOUNT_OVERFLOW, count, i + 1)) return;
      out?.add(F.neighbor, ipv4At(data, at), at, 4);
    }
  }
}

/**
 * draft-ietf-idmr-dvmrp-v3, Prune (source, group, lifetime), Graft and Graft Ack
 * (source, group); each may end with the source's netmask.
 */
function decodePruneGraft(b: Bounds, at: number, code: number): void {
  const { data, out } = b;
  const fixed = code === PRUNE ? 12 : 8;
  if (!b.has(at, fixed, 'dvmrp.too_short', CODE_SHORT, V3_HEADER + fixed)) return;
  const group = ipv4At(data, at + 4);
  b.msg.group = group;
  if (out) {
    out.add(F.saddr, ipv4At(data, at), at, 4);
    out.add(F.maddr, group, at + 4, 4);
    if (code === PRUNE) out.add(F.lifetime, data.readUInt32BE(at + 8), at + 8, 4);
  }
  at += fixed;
  if (at >= b.end) return;
  if (!b.has(at, 4, 'dvmrp.too_short', PARTIAL)) return;
  out?.add(F.netmask, ipv4At(data, at), at, 4);
}

/**
 * RFC 1075: a v1 message is a stream of commands, each a command byte and a value or
 * count byte, with the count's addresses (and hold times) following in line.
 */
function decodeCommands(b: Bounds, at: number): void {
  const { data, out } = b;
  while (at < b.end) {
    if (!b.has(at, 2, 'dvmrp.too_short', PARTIAL)) return;
    const command = data[at];
    const value = data[at + 1];
    const size = commandItemSize(command);
    const length = 2 + size * value;
    out?.open(F.commands, '', at, length, undefined, out.texts ? commandText(data, at) : undefined);
    out?.add(F.command, command, at, 1);
    if (
      size > 0 &&
      !b.has(at + 2, size * value, 'dvmrp.count.overflow', COUNT_OVERFLOW, value, size)
    ) {
      out?.add(F.count, value, at + 1, 1);
      out?.close();
      return;
    }
    if (out) pushCommand(out, data, at, command, value);
    out?.close();
    at += length;
  }
}

/** The bytes each item a command's count counts takes (0: the second byte is a value). */
function commandItemSize(command: number): number {
  switch (command) {
    case 3: // SUBNETMASK: count 0 or 1 masks
    case 7: // DA
    case 8: // RDA
    case 10: // NMR cancel: groups
      return 4;
    case 9: // NMR: group and hold time
      return 8;
    default:
      return 0;
  }
}

/** A command's tree line, as Wireshark words it. */
function commandText(data: Buffer, at: number): string {
  const command = data[at];
  const value = data[at + 1];
  switch (command) {
    case 0:
      return 'Command: NULL';
    case 2:
      return `Address Family Indicator: ${value === 2 ? 'IP v4 Family' : `Unknown (${hex(value, 2)})`}`;
    case 3:
      return value === 1 ? `Subnetmask: ${ipv4At(data, at + 2)}` : 'Subnetmask';
    case 4:
      return `Metric: ${value}`;
    case 5:
      return `Flags0: ${hex(value, 2)}`;
    case 6:
      return `Infinity: ${value}`;
    default:
      return COMMANDS.get(command) ?? 'Commands';
  }
}

function pushCommand(
  out: FieldOut,
  data: Buffer,
  at: number,
  command: number,
  value: number,
): void {
  const v = at + 1;
  switch (command) {
    case 2:
      out.add(F.afi, value, v, 1);
      return;
    case 4:
      out.add(F.metric, value, v, 1);
      return;
    case 5:
      out.add(F.destUnreach, (value & 0x01) !== 0, v, 1, value);
      out.add(F.splitHoriz, (value & 0x02) !== 0, v, 1, value);
      return;
    case 6:
      out.add(F.infinity, value, v, 1);
      return;
    case 3:
    case 7:
    case 8:
    case 9:
    case 10:
      break;
    default:
      return;
  }
  out.add(F.count, value, v, 1);
  let item = at + 2;
  for (let i = 0; i < value; i++) {
    if (command === 3) {
      out.add(F.netmask, ipv4At(data, item), item, 4);
      item += 4;
    } else if (command === 9) {
      out.add(F.maddr, ipv4At(data, item), item, 4);
      out.add(F.hold, data.readUInt32BE(item + 4), item + 4, 4);
      item += 8;
    } else {
      out.add(command === 10 ? F.maddr : F.daddr, ipv4At(data, item), item, 4);
      item += 4;
    }
  }
}

export const dvmrp: Protocol = {
  name: 'dvmrp',
  longName: 'Distance Vector Multicast Routing Protocol',
  fields: [
    F.version,
    F.type,
    F.v1Code,
    F.v3Code,
    F.checksum,
    F.checksumStatus,
    F.checksumCalculated,
    F.reserved,
    F.capabilities,
    F.capNetmask,
    F.capSnmp,
    F.capMtrace,
    F.capGenid,
    F.capPrune,
    F.capLeaf,
    F.minVer,
    F.majVer,
    F.genid,
    F.neighbor,
    { group: F.route, members: [F.netmask, F.saddr, F.metric] },
    F.local,
    F.metric,
    F.threshold,
    {
      group: F.flags,
      members: [
        F.flagTunnel,
        F.flagSrcroute,
        F.flagDown,
        F.flagDisabled,
        F.flagQuerier,
        F.flagLeaf,
      ],
    },
    F.ncount,
    F.saddr,
    F.maddr,
    F.lifetime,
    F.netmask,
    {
      group: F.commands,
      members: [
        F.command,
        F.afi,
        F.count,
        F.netmask,
        F.metric,
        F.destUnreach,
        F.splitHoriz,
        F.infinity,
        F.daddr,
        F.maddr,
        F.hold,
      ],
    },
  ],
  problems: [
    ...messageProblems(
      'dvmrp',
      'DVMRP',
      'RFC 1075, draft-ietf-idmr-dvmrp-v3',
      'RFC 1075, draft-ietf-idmr-dvmrp-v3',
    ),
    {
      id: 'dvmrp.code.unknown',
      severity: 'warning',
      layer: 'dvmrp',
      description: 'DVMRP code its version does not define: only the header is decoded',
      reference: 'RFC 1075, draft-ietf-idmr-dvmrp-v3',
    },
    {
      id: 'dvmrp.ncount.overflow',
      severity: 'error',
      layer: 'dvmrp',
      description: 'a Neighbors 2 neighbor count runs past the end of the message',
      reference: 'draft-ietf-idmr-dvmrp-v3',
    },
    {
      id: 'dvmrp.count.overflow',
      severity: 'error',
      layer: 'dvmrp',
      description: 'a v1 command count runs past the end of the message',
      reference: 'RFC 1075',
    },
  ],
  decode: decodeDvmrp,
  title: () => 'Distance Vector Multicast Routing Protocol',
  column: () => 'DVMRP',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
