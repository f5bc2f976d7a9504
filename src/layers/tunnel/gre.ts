import { startLayer } from '../../field-out.js';
import { field, findNode, hex, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { checksumFields, putChecksum } from '../checksums.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';

const PROTOCOL_NAMES = names({
  0x0800: 'IP',
  0x86dd: 'IPv6',
  0x6558: 'Transparent Ethernet bridging',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x880b: 'PPP',
  0x88be: 'ERSPAN',
});

const yesNo: readonly [string, string] = ['Yes', 'No'];
const checksum = checksumFields('gre');

export const greFields = {
  flagsAndVersion: field({
    abbrev: 'gre.flags_and_version',
    name: 'Flags and Version',
    kind: 'uint',
    hexDigits: 4,
  }),
  checksumBit: field({
    abbrev: 'gre.flags.checksum',
    name: 'Checksum Bit',
    kind: 'bool',
    mask: 0x8000,
    bitWidth: 16,
    trueFalse: yesNo,
  }),
  routing: field({
    abbrev: 'gre.flags.routing',
    name: 'Routing Bit',
    kind: 'bool',
    mask: 0x4000,
    bitWidth: 16,
    trueFalse: yesNo,
  }),
  keyBit: field({
    abbrev: 'gre.flags.key',
    name: 'Key Bit',
    kind: 'bool',
    mask: 0x2000,
    bitWidth: 16,
    trueFalse: yesNo,
  }),
  sequenceBit: field({
    abbrev: 'gre.flags.sequence_number',
    name: 'Sequence Number Bit',
    kind: 'bool',
    mask: 0x1000,
    bitWidth: 16,
    trueFalse: yesNo,
  }),
  strictRoute: field({
    abbrev: 'gre.flags.strict_source_route',
    name: 'Strict Source Route Bit',
    kind: 'bool',
    mask: 0x0800,
    bitWidth: 16,
    trueFalse: yesNo,
  }),
  recursion: field({
    abbrev: 'gre.flags.recursion_control',
    name: 'Recursion control',
    kind: 'uint',
    mask: 0x0700,
    bitWidth: 16,
  }),
  reserved: field({
    abbrev: 'gre.flags.reserved',
    name: 'Flags (Reserved)',
    kind: 'uint',
    mask: 0x00f8,
    bitWidth: 16,
  }),
  version: field({
    abbrev: 'gre.flags.version',
    name: 'Version',
    kind: 'uint',
    mask: 0x0007,
    bitWidth: 16,
    names: names({ 0: 'GRE', 1: 'Enhanced GRE' }),
  }),
  proto: field({
    abbrev: 'gre.proto',
    name: 'Protocol Type',
    kind: 'uint',
    hexDigits: 4,
    names: PROTOCOL_NAMES,
  }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  offset: field({ abbrev: 'gre.offset', name: 'Offset', kind: 'uint' }),
  key: field({ abbrev: 'gre.key', name: 'Key', kind: 'uint', hexDigits: 8 }),
  sequence: field({ abbrev: 'gre.sequence_number', name: 'Sequence Number', kind: 'uint' }),
};

const C_BIT = 0x8000;
const R_BIT = 0x4000;
const K_BIT = 0x2000;
const S_BIT = 0x1000;

/**
 * GRE (RFC 2784 with RFC 2890's key and sequence number): flags, protocol type, then the
 * checksum (verified over header and payload), key and sequence number its bits announce.
 */
function decodeGre(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'gre', start, Math.min(4, end - start));
  if (end - start < 4) {
    report(d, 'gre.truncated', start, `GRE header needs 4 bytes, ${end - start} captured`, layer);
    return;
  }
  const flags = u16(data, start);
  const proto = u16(data, start + 2);
  const version = flags & 7;
  const out = d.out;
  if (out) {
    out.open(greFields.flagsAndVersion, flags, start, 2);
    out.add(greFields.checksumBit, (flags & C_BIT) !== 0, start, 2, flags);
    out.add(greFields.routing, (flags & R_BIT) !== 0, start, 2, flags);
    out.add(greFields.keyBit, (flags & K_BIT) !== 0, start, 2, flags);
    out.add(greFields.sequenceBit, (flags & S_BIT) !== 0, start, 2, flags);
    out.add(greFields.strictRoute, (flags & 0x0800) !== 0, start, 2, flags);
    out.add(greFields.recursion, (flags >>> 8) & 7, start, 2, flags);
    out.add(greFields.reserved, (flags >>> 3) & 0x1f, start, 2, flags);
    out.add(greFields.version, version, start, 2, flags);
    out.close();
    out.add(greFields.proto, proto, start + 2, 2);
  }
  // RFC 2784 §2.1: the checksum and offset words are present if either C or R is set.
  const length =
    4 +
    ((flags & (C_BIT | R_BIT)) !== 0 ? 4 : 0) +
    (flags & K_BIT ? 4 : 0) +
    (flags & S_BIT ? 4 : 0);
  if (end - start < length) {
    const message = `GRE header of ${length} bytes cut short: ${end - start} captured`;
    report(d, 'gre.truncated', start, message, layer);
    return;
  }
  layer.length = length;
  let at = start + 4;
  if ((flags & (C_BIT | R_BIT)) !== 0) {
    if (flags & C_BIT) {
      putChecksum(d, checksum, 'gre.checksum.bad', 'GRE', at, start, end, end === wireEnd);
    }
    out?.add(greFields.offset, u16(data, at + 2), at + 2, 2);
    at += 4;
  }
  if (flags & K_BIT) {
    out?.add(greFields.key, data.readUInt32BE(at), at, 4);
    at += 4;
  }
  if (flags & S_BIT) {
    out?.add(greFields.sequence, data.readUInt32BE(at), at, 4);
    at += 4;
  }
  // Version 1 is PPTP's enhanced GRE (RFC 2637), whose key means something else: not followed.
  if (version === 0 && (flags & R_BIT) === 0)
    handOff(d, TABLES['gre.proto'], proto, at, end, wireEnd);
}

export const gre: Protocol = {
  name: 'gre',
  longName: 'Generic Routing Encapsulation',
  fields: Object.values(greFields),
  problems: [
    {
      id: 'gre.truncated',
      severity: 'warning',
      layer: 'gre',
      description: 'GRE header cut short by the capture',
    },
    {
      id: 'gre.checksum.bad',
      severity: 'error',
      layer: 'gre',
      description: 'GRE checksum over header and payload is wrong',
      reference: 'RFC 2784 §2.5',
    },
  ],
  registrations: [{ table: 'ip.proto', key: 47 }],
  decode: decodeGre,
  titleFields: [greFields.proto],
  title: (_layer, nodes) => {
    const proto = findNode(nodes, greFields.proto)?.value as number | undefined;
    if (proto === undefined) return 'Generic Routing Encapsulation';
    return `Generic Routing Encapsulation (${PROTOCOL_NAMES.get(proto) ?? hex(proto, 4)})`;
  },
  column: () => 'GRE',
  info: (d, layer) => {
    const data = d.frame.data;
    if (layer.offset + 4 > data.length) return '';
    const proto = u16(data, layer.offset + 2);
    return `Encapsulated ${PROTOCOL_NAMES.get(proto) ?? hex(proto, 4)}`;
  },
  linkKey: (data, layer) => {
    const at = layer.offset;
    if (at + 4 > data.length) return undefined;
    const flags = u16(data, at);
    if ((flags & K_BIT) === 0) return undefined;
    const keyAt = at + 4 + ((flags & (C_BIT | R_BIT)) !== 0 ? 4 : 0);
    return keyAt + 4 <= data.length ? `gre-key${data.readUInt32BE(keyAt)}` : undefined;
  },
};
