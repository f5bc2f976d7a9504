/**
 * PIM version 1, carried in IGMP type 0x14 (Wireshark's `pim` layer, Protocol column PIMv1).
 * No RFC describes PIMv1; the layouts are those Wireshark and tcpdump read, and where they
 * part (the Assert) Wireshark's. A Register carries a whole IPv4 (or IPv6) packet, which goes
 * on to the registry as one more layer, as Wireshark shows it (`ip:igmp:pim:ip:udp`).
 */
import { ipv4At } from '../../addr.js';
import type { FieldOut } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';
import { igmpInfo } from './info.js';
import {
  beginMessage,
  endMessage,
  messageChecksum,
  messageProblems,
  putMessageChecksum,
  SHORTER_THAN,
  type Bounds,
  type Describe,
} from './message.js';
import { PIMV1_CODE_NAMES } from './types.js';

const checksum = messageChecksum('pim', 'pim.cksum');

const MODES = names({ 0: 'Dense', 1: 'Sparse', 2: 'Sparse-Dense' });
const IP_VERSIONS = names({ 0: 'Dummy Header', 4: 'IPv4', 6: 'IPv6' });

const srcFlag = (abbrev: string, name: string, mask: number) =>
  field({ abbrev, name, kind: 'uint', mask, bitWidth: 8 });

export const pimFields = {
  /** Wireshark's: the IGMP type as a string, shown without brackets though it covers no byte. */
  igmpType: field({ abbrev: 'pim.igmp_type', name: 'Type', kind: 'string' }),
  code: field({
    abbrev: 'pim.code',
    name: 'Code',
    kind: 'uint',
    show: (n) => `${PIMV1_CODE_NAMES.get(n.value as number) ?? 'Unknown'} (${n.value as number})`,
  }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  version: field({ abbrev: 'pim.version', name: 'Version', kind: 'uint', mask: 0xf0, bitWidth: 8 }),
  resBytes: field({
    abbrev: 'pim.res_bytes',
    name: 'Reserved byte(s)',
    kind: 'bytes',
    repeats: true,
  }),
  option: field({
    abbrev: 'pim.option',
    name: 'PIM Options',
    kind: 'group',
    groupObject: true,
  }),
  mode: field({
    abbrev: 'pim.mode',
    name: 'Mode',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
    names: MODES,
  }),
  holdtime: field({
    abbrev: 'pim.holdtime',
    name: 'Holdtime',
    kind: 'uint',
    blurb: 'seconds',
  }),
  ipVersion: field({
    abbrev: 'pim.ip_version',
    name: 'IP Version',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
    names: IP_VERSIONS,
  }),
  dummyHeader: field({ abbrev: 'pim.dummy_header', name: 'Dummy Header IPv4', kind: 'label' }),
  source: field({ abbrev: 'pim.source', name: 'Source', kind: 'ipv4' }),
  group: field({ abbrev: 'pim.group', name: 'Group', kind: 'ipv4' }),
  upstreamNeighbor: field({
    abbrev: 'pim.upstream_neighbor',
    name: 'Upstream-neighbor',
    kind: 'ipv4',
  }),
  maskLen: field({ abbrev: 'pim.mask_len', name: 'Masklen', kind: 'uint' }),
  addrLen: field({ abbrev: 'pim.addr_len', name: 'Address Len', kind: 'uint' }),
  numGroups: field({ abbrev: 'pim.numgroups', name: 'Num Groups', kind: 'uint' }),
  /** Ours: Wireshark nests each group's fields under its pim.group item. */
  groupSet: field({
    abbrev: 'pim.group_set',
    name: 'Group',
    kind: 'group',
    groupKey: 'pim.groups',
    ours: true,
    blurb:
      'the groups of a Join/Prune, Graft or Graft-Ack, each with its joined and pruned sources',
  }),
  groupMask: field({ abbrev: 'pim.group_mask', name: 'Mask', kind: 'ipv4' }),
  numJoins: field({ abbrev: 'pim.numjoins', name: 'Num Joins', kind: 'uint' }),
  numPrunes: field({ abbrev: 'pim.numprunes', name: 'Num Prunes', kind: 'uint' }),
  join: field({
    abbrev: 'pim.join',
    name: 'Join',
    kind: 'group',
    groupKey: 'pim.joins',
    ours: true,
    blurb: 'a joined source: flags, mask length, address',
  }),
  prune: field({
    abbrev: 'pim.prune',
    name: 'Prune',
    kind: 'group',
    groupKey: 'pim.prunes',
    ours: true,
    blurb: 'a pruned source: flags, mask length, address',
  }),
  srcFlagA: srcFlag('pim.src_flags.a', 'Annotated', 0x08),
  srcFlagS: srcFlag('pim.src_flags.s', 'Sparse', 0x04),
  srcFlagW: srcFlag('pim.src_flags.w', 'WC', 0x02),
  srcFlagR: srcFlag('pim.src_flags.r', 'RP', 0x01),
  srcFlagRsv: srcFlag('pim.src_flags.rsv', 'Reserved', 0xf0),
  joinIp: field({ abbrev: 'pim.join_ip', name: 'IP address', kind: 'ipv4' }),
  pruneIp: field({ abbrev: 'pim.prune_ip', name: 'IP address', kind: 'ipv4' }),
  groupAddress: field({ abbrev: 'pim.group_address', name: 'Group Address', kind: 'ipv4' }),
  rp: field({ abbrev: 'pim.rp', name: 'RP', kind: 'ipv4' }),
  rpt: field({
    abbrev: 'pim.rpt',
    name: 'RP Tree',
    kind: 'bool',
    mask: 0x80,
    bitWidth: 8,
  }),
  metricPref: field({
    abbrev: 'pim.metric_pref',
    name: 'Metric Preference',
    kind: 'uint',
    mask: 0x7fffffff,
    bitWidth: 32,
  }),
  metric: field({ abbrev: 'pim.metric', name: 'Metric', kind: 'uint' }),
};
const F = pimFields;

const REGISTER = 1;
const REGISTER_STOP = 2;
const JOIN_PRUNE = 3;
const RP_REACHABLE = 4;
const ASSERT = 5;
const GRAFT = 6;
const GRAFT_ACK = 7;
const MODE = 8;
const HEADER = 8;
/** A Join/Prune source entry: flags, mask length, address. */
const SOURCE_ENTRY = 6;

/** x: the least length the code needs. */
const CODE_SHORT: Describe = (b, _at, min) =>
  `PIMv1 ${igmpInfo(b.msg)} of ${b.length} bytes, shorter than ${min}`;
/** x: the number of groups, y: the group that does not fit (1-based). */
const GROUPS_OVERFLOW: Describe = (b, at, count, which) =>
  `number of groups ${count} overruns the message: group ${which} would start at byte ${at - b.start} of ${b.length}`;
/** x: the number of sources, y: the source that does not fit (1-based). */
const SOURCES_OVERFLOW: Describe = (b, at, count, which) =>
  `${count} sources overrun the message: source ${which} would end at byte ${at + SOURCE_ENTRY - b.start} of ${b.length}`;

/**
 * A PIMv1 message: IGMP type, code, checksum, the PIM version in the high nibble of byte 4,
 * 3 reserved bytes, then the body its code gives (in Wireshark's `PIM Options`). A version
 * other than 1 is not PIMv1: nothing after it is decoded and the checksum is not judged, as
 * Wireshark does.
 */
function decodePim(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'pim', 'PIMv1', start, end, wireEnd, 'pim.truncated');
  decodePimBody(d, b, start);
  endMessage(b);
}

function decodePimBody(d: Dissection, b: Bounds, start: number): void {
  const { data } = b;
  const msg = b.msg;
  const out = b.out;
  out?.add(F.igmpType, 'PIM (0x14)', start, 0);
  if (!b.has(start + 1, 1, 'pim.too_short', SHORTER_THAN, HEADER)) return;
  const code = data[start + 1];
  msg.code = code;
  const codeNode = out?.add(F.code, code, start + 1, 1);
  if (!PIMV1_CODE_NAMES.has(code)) {
    report(
      b.sink,
      'pim.code.unknown',
      start + 1,
      `PIMv1 code ${code} is not defined: only the header is decoded`,
      codeNode ?? b.layer,
    );
  }
  if (!b.has(start + 2, 2, 'pim.too_short', SHORTER_THAN, HEADER)) return;
  const versionKnown = b.capEnd > start + 4;
  const version = versionKnown ? data[start + 4] >>> 4 : 1;
  // The checksum covers the whole message, a Register's included (Wireshark: its first 8 bytes).
  putMessageChecksum(b, checksum, version === 1 && b.length >= HEADER);
  if (!b.has(start + 4, 1, 'pim.too_short', SHORTER_THAN, HEADER)) return;
  const versionNode = out?.add(F.version, version, start + 4, 1, data[start + 4]);
  if (version !== 1) {
    report(
      b.sink,
      'pim.version.bad',
      start + 4,
      `PIM version ${version} in IGMP type 0x14, which carries PIMv1: not decoded further`,
      versionNode ?? b.layer,
    );
    return;
  }
  if (!b.has(start + 5, 3, 'pim.too_short', SHORTER_THAN, HEADER)) return;
  out?.add(F.resBytes, data.subarray(start + 5, start + 8), start + 5, 3);
  out?.open(F.option, '', start + HEADER, b.capEnd - start - HEADER);
  const after = decodeBody(d, b, code);
  out?.close();
  // Wireshark shows the reserved bytes inside a body after its options.
  if (after !== undefined && out) {
    for (const [at, length] of after)
      out.add(F.resBytes, data.subarray(at, at + length), at, length);
  }
}

/** The body of each code; returns the body's reserved bytes (offset, length) to show after it. */
function decodeBody(d: Dissection, b: Bounds, code: number): [number, number][] | undefined {
  const { data, out, start } = b;
  const at = start + HEADER;
  switch (code) {
    case 0: {
      // Query: mode in the high nibble of byte 8, holdtime at 10–11.
      if (!b.has(at, 4, 'pim.too_short', CODE_SHORT, HEADER + 4)) return undefined;
      out?.add(F.mode, data[at] >>> 4, at, 1, data[at]);
      out?.add(F.holdtime, u16(data, at + 2), at + 2, 2);
      return undefined;
    }
    case REGISTER:
      decodeRegister(d, b, at);
      return undefined;
    case REGISTER_STOP: {
      if (!b.has(at, 8, 'pim.too_short', CODE_SHORT, HEADER + 8)) return undefined;
      const group = ipv4At(data, at);
      b.msg.group = group;
      out?.add(F.group, group, at, 4);
      out?.add(F.source, ipv4At(data, at + 4), at + 4, 4);
      return undefined;
    }
    case JOIN_PRUNE:
    case GRAFT:
    case GRAFT_ACK:
      return decodeJoinPrune(b, at);
    case RP_REACHABLE: {
      // Group, mask, RP, 2 reserved bytes, holdtime.
      if (!b.has(at, 16, 'pim.too_short', CODE_SHORT, HEADER + 16)) return undefined;
      const group = ipv4At(data, at);
      b.msg.group = group;
      if (out) {
        out.add(F.groupAddress, group, at, 4);
        out.add(F.groupMask, ipv4At(data, at + 4), at + 4, 4);
        out.add(F.rp, ipv4At(data, at + 8), at + 8, 4);
        out.add(F.holdtime, u16(data, at + 14), at + 14, 2);
      }
      return [[at + 12, 2]];
    }
    case ASSERT: {
      // As Wireshark reads it: group, mask, RP-tree bit and preference, metric (tcpdump reads
      // a source address before the preference; nothing settles which PIMv1 routers send).
      if (!b.has(at, 16, 'pim.too_short', CODE_SHORT, HEADER + 16)) return undefined;
      const group = ipv4At(data, at);
      b.msg.group = group;
      if (out) {
        const pref = data.readUInt32BE(at + 8);
        out.add(F.groupAddress, group, at, 4);
        out.add(F.groupMask, ipv4At(data, at + 4), at + 4, 4);
        out.add(F.rpt, (data[at + 8] & 0x80) !== 0, at + 8, 1, data[at + 8]);
        out.add(F.metricPref, pref & 0x7fffffff, at + 8, 4, pref);
        out.add(F.metric, data.readUInt32BE(at + 12), at + 12, 4);
      }
      return undefined;
    }
    case MODE:
    default:
      return undefined;
  }
}

/**
 * A Register: the high nibble of byte 8 is the carried packet's IP version. An IPv4 or IPv6
 * packet goes on to the registry; version 0 is a 20-byte dummy header whose source and group
 * sit where IPv4 has its addresses.
 */
function decodeRegister(d: Dissection, b: Bounds, at: number): void {
  const { data, out } = b;
  if (!b.has(at, 1, 'pim.too_short', CODE_SHORT, HEADER + 1)) return;
  const ipVersion = data[at] >>> 4;
  out?.add(F.ipVersion, ipVersion, at, 1, data[at]);
  if (ipVersion === 4 || ipVersion === 6) {
    b.layer.length = HEADER;
    // The Register speaks for the frame: the packet it carries does not take its columns.
    d.columns = b.layer;
    handOff(d, TABLES['ip.version'], ipVersion, at, b.capEnd, b.end);
    return;
  }
  if (ipVersion !== 0) return;
  if (!b.has(at, 20, 'pim.too_short', CODE_SHORT, HEADER + 20)) return;
  const group = ipv4At(data, at + 16);
  b.msg.group = group;
  if (out) {
    out.add(F.dummyHeader, '', at, 20, undefined, 'Dummy Header IPv4');
    out.add(F.source, ipv4At(data, at + 12), at + 12, 4);
    out.add(F.group, group, at + 16, 4);
  }
}

/**
 * Join/Prune, Graft and Graft-Ack: upstream neighbour, 2 reserved bytes, holdtime, a reserved
 * byte, the mask length and address length of the group addresses, the number of groups; per
 * group its address, mask, and the joined and pruned sources (6 bytes each: flags, mask
 * length, address).
 */
function decodeJoinPrune(b: Bounds, at: number): [number, number][] | undefined {
  const { data, out } = b;
  if (!b.has(at, 12, 'pim.too_short', CODE_SHORT, HEADER + 12)) return undefined;
  const groups = data[at + 11];
  if (out) {
    out.add(F.upstreamNeighbor, ipv4At(data, at), at, 4);
    out.add(F.holdtime, u16(data, at + 6), at + 6, 2);
    out.add(F.maskLen, data[at + 9], at + 9, 1);
    out.add(F.addrLen, data[at + 10], at + 10, 1);
    out.add(F.numGroups, groups, at + 11, 1);
  }
  const reserved: [number, number][] = [
    [at + 4, 2],
    [at + 8, 1],
  ];
  let p = at + 12;
  for (let g = 0; g < groups; g++) {
    if (!b.has(p, 12, 'pim.numgroups.overflow', GROUPS_OVERFLOW, groups, g + 1)) break;
    const groupAt = p;
    const group = ipv4At(data, p);
    if (g === 0) b.msg.group = group;
    const joins = u16(data, p + 8);
    const prunes = u16(data, p + 10);
    out?.open(F.groupSet, '', p, 12, undefined, out.texts ? `Group ${g}: ${group}` : undefined);
    if (out) {
      out.add(F.group, group, p, 4);
      out.add(F.groupMask, ipv4At(data, p + 4), p + 4, 4);
    }
    out?.open(F.numJoins, joins, groupAt + 8, 2);
    p = pushSources(b, groupAt + 12, joins, true);
    out?.close();
    if (!b.stopped) {
      out?.open(F.numPrunes, prunes, groupAt + 10, 2);
      p = pushSources(b, p, prunes, false);
      out?.close();
    }
    out?.close();
    if (b.stopped) break;
  }
  return reserved;
}

/** `count` source entries from `p`; returns where they end (or where decoding stopped). */
function pushSources(b: Bounds, p: number, count: number, join: boolean): number {
  const { data, out } = b;
  for (let i = 0; i < count; i++, p += SOURCE_ENTRY) {
    const overflowId = join ? 'pim.numjoins.overflow' : 'pim.numprunes.overflow';
    if (!b.has(p, SOURCE_ENTRY, overflowId, SOURCES_OVERFLOW, count, i + 1)) return p;
    if (out) pushSource(out, data, p, join);
  }
  return p;
}

function pushSource(out: FieldOut, data: Buffer, p: number, join: boolean): void {
  const flags = data[p];
  const maskLen = data[p + 1];
  const address = ipv4At(data, p + 2);
  const set = [flags & 0x04 ? 'S' : '', flags & 0x02 ? 'W' : '', flags & 0x01 ? 'R' : '']
    .filter(Boolean)
    .join(', ');
  out.open(
    join ? F.join : F.prune,
    '',
    p,
    SOURCE_ENTRY,
    undefined,
    out.texts
      ? `${join ? 'Join' : 'Prune'} ${address}/${maskLen}${set ? ` (${set})` : ''}`
      : undefined,
  );
  out.add(F.srcFlagA, (flags >>> 3) & 1, p, 1, flags);
  out.add(F.srcFlagS, (flags >>> 2) & 1, p, 1, flags);
  out.add(F.srcFlagW, (flags >>> 1) & 1, p, 1, flags);
  out.add(F.srcFlagR, flags & 1, p, 1, flags);
  out.add(F.srcFlagRsv, flags >>> 4, p, 1, flags);
  out.add(F.maskLen, maskLen, p + 1, 1);
  out.add(join ? F.joinIp : F.pruneIp, address, p + 2, 4);
  out.close();
}

export const pim: Protocol = {
  name: 'pim',
  longName: 'Protocol Independent Multicast',
  fields: [
    F.igmpType,
    F.code,
    F.checksum,
    F.checksumStatus,
    F.checksumCalculated,
    F.version,
    F.resBytes,
    {
      group: F.option,
      members: [
        F.mode,
        F.holdtime,
        F.ipVersion,
        F.dummyHeader,
        F.source,
        F.group,
        F.upstreamNeighbor,
        F.maskLen,
        F.addrLen,
        F.numGroups,
        {
          group: F.groupSet,
          members: [
            F.group,
            F.groupMask,
            F.numJoins,
            {
              group: F.join,
              members: [
                F.srcFlagA,
                F.srcFlagS,
                F.srcFlagW,
                F.srcFlagR,
                F.srcFlagRsv,
                F.maskLen,
                F.joinIp,
              ],
            },
            F.numPrunes,
            {
              group: F.prune,
              members: [
                F.srcFlagA,
                F.srcFlagS,
                F.srcFlagW,
                F.srcFlagR,
                F.srcFlagRsv,
                F.maskLen,
                F.pruneIp,
              ],
            },
          ],
        },
        F.groupAddress,
        F.groupMask,
        F.rp,
        F.rpt,
        F.metricPref,
        F.metric,
      ],
    },
  ],
  problems: [
    ...messageProblems(
      'pim',
      'PIMv1',
      'PIMv1 as Wireshark and tcpdump read it',
      'no RFC defines PIMv1: the whole message, as IGMP (RFC 2236 §2.3) and tcpdump',
    ),
    {
      id: 'pim.code.unknown',
      severity: 'warning',
      layer: 'pim',
      description: 'PIMv1 code other than 0–8: only the header is decoded',
    },
    {
      id: 'pim.version.bad',
      severity: 'warning',
      layer: 'pim',
      description:
        'IGMP type 0x14 whose PIM version is not 1: not decoded further, checksum not judged',
    },
    {
      id: 'pim.numgroups.overflow',
      severity: 'error',
      layer: 'pim',
      description: 'the number of groups of a Join/Prune, Graft or Graft-Ack runs past the end',
    },
    {
      id: 'pim.numjoins.overflow',
      severity: 'error',
      layer: 'pim',
      description: 'the number of joined sources of a group runs past the end of the message',
    },
    {
      id: 'pim.numprunes.overflow',
      severity: 'error',
      layer: 'pim',
      description: 'the number of pruned sources of a group runs past the end of the message',
    },
  ],
  decode: decodePim,
  title: () => 'Protocol Independent Multicast',
  column: () => 'PIMv1',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
