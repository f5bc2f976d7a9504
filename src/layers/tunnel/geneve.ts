import { startLayer } from '../../field-out.js';
import { field, hex, names, shownOf } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { ETHERTYPE_NAMES } from '../link/ethertypes.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';

const OPTION_CLASSES = names({
  0x0100: 'Linux',
  0x0101: 'Open vSwitch (OVS)',
  0x0102: 'Open Virtual Networking (OVN)',
  0x0103: 'In-band Network Telemetry (INT)',
  0x0104: 'VMware, Inc.',
});

export const geneveFields = {
  version: field({
    abbrev: 'geneve.version',
    name: 'Version',
    kind: 'uint',
    mask: 0xc0,
    bitWidth: 8,
  }),
  optionsLength: field({
    abbrev: 'geneve.option.length',
    name: 'Length',
    kind: 'uint',
    mask: 0x3f,
    bitWidth: 8,
    show: (n) => `${n.value as number} bytes`,
  }),
  flags: field({ abbrev: 'geneve.flags', name: 'Flags', kind: 'uint', hexDigits: 2 }),
  oam: field({
    abbrev: 'geneve.flags.oam',
    name: 'Operations, Administration and Management Frame',
    kind: 'bool',
    mask: 0x80,
    bitWidth: 8,
  }),
  critical: field({
    abbrev: 'geneve.flags.critical',
    name: 'Critical Options Present',
    kind: 'bool',
    mask: 0x40,
    bitWidth: 8,
  }),
  flagsReserved: field({
    abbrev: 'geneve.flags.reserved',
    name: 'Reserved',
    kind: 'bool',
    mask: 0x3f,
    bitWidth: 8,
  }),
  protoType: field({
    abbrev: 'geneve.proto_type',
    name: 'Protocol Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
  vni: field({
    abbrev: 'geneve.vni',
    name: 'Virtual Network Identifier (VNI)',
    kind: 'uint',
    hexDigits: 6,
    show: (n) => `${hex(n.value as number, 6)} (${n.value as number})`,
  }),
  reserved: field({ abbrev: 'geneve.reserved', name: 'Reserved', kind: 'uint', hexDigits: 2 }),
  options: field({
    abbrev: 'geneve.options',
    name: 'Options',
    kind: 'bytes',
    show: (n) => `(${(n.value as Buffer).length} bytes)`,
  }),
};

export const geneveOptionFields = {
  option: field({ abbrev: 'geneve.option', name: 'Option', kind: 'group' }),
  optionClass: field({
    abbrev: 'geneve.option.class',
    name: 'Class',
    kind: 'uint',
    hexDigits: 4,
    names: OPTION_CLASSES,
  }),
  type: field({
    abbrev: 'geneve.option.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) =>
      `${hex(n.value as number, 2)} (${(n.value as number) & 0x80 ? 'Critical' : 'Non-critical'})`,
  }),
  typeCritical: field({
    abbrev: 'geneve.option.type.critical',
    name: 'Critical',
    kind: 'bool',
    mask: 0x80,
    bitWidth: 8,
  }),
  flags: field({ abbrev: 'geneve.option.flags', name: 'Flags', kind: 'uint', hexDigits: 2 }),
  length: field({
    abbrev: 'geneve.option.length',
    name: 'Length',
    kind: 'uint',
    show: (n) => `${n.value as number} bytes`,
  }),
  data: field({ abbrev: 'geneve.option.unknown.data', name: 'Unknown Option Data', kind: 'bytes' }),
};

const HEADER = 8;

/**
 * GENEVE (RFC 8926 §3): version, options length, flags, protocol type (an ethertype), VNI,
 * then the options (class, type, length, data) and the payload the protocol type names.
 */
function decodeGeneve(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'geneve', start, Math.min(HEADER, end - start));
  if (end - start < HEADER) {
    report(
      d,
      'geneve.truncated',
      start,
      `GENEVE header needs 8 bytes, ${end - start} captured`,
      layer,
    );
    return;
  }
  const first = data[start];
  const optionsLength = (first & 0x3f) * 4;
  const flags = data[start + 1];
  const protoType = u16(data, start + 2);
  const out = d.out;
  if (out) {
    out.add(geneveFields.version, first >>> 6, start, 1, first);
    out.add(geneveFields.optionsLength, optionsLength, start, 1, first);
    out.open(geneveFields.flags, flags, start + 1, 1);
    out.add(geneveFields.oam, (flags & 0x80) !== 0, start + 1, 1, flags);
    out.add(geneveFields.critical, (flags & 0x40) !== 0, start + 1, 1, flags);
    out.add(geneveFields.flagsReserved, (flags & 0x3f) !== 0, start + 1, 1, flags);
    out.close();
    out.add(geneveFields.protoType, protoType, start + 2, 2);
    out.add(geneveFields.vni, data.readUIntBE(start + 4, 3), start + 4, 3);
    out.add(geneveFields.reserved, data[start + 7], start + 7, 1);
  }
  const payload = start + HEADER + optionsLength;
  if (payload > end) {
    const message = `GENEVE options of ${optionsLength} bytes run past the ${end - start - HEADER} captured`;
    report(d, 'geneve.options.bad', start, message, layer);
    return;
  }
  layer.length = HEADER + optionsLength;
  if (out && optionsLength > 0) {
    out.open(
      geneveFields.options,
      data.subarray(start + HEADER, payload),
      start + HEADER,
      optionsLength,
    );
    for (let at = start + HEADER; at + 4 <= payload;) {
      const length = 4 + (data[at + 3] & 0x1f) * 4;
      if (at + length > payload) {
        report(
          d,
          'geneve.options.bad',
          at + 3,
          `GENEVE option of ${length} bytes runs past the options`,
          layer,
        );
        break;
      }
      addOption(out, data, at, length);
      at += length;
    }
    out.close();
  }
  handOff(d, TABLES.ethertype, protoType, payload, end, wireEnd);
}

function addOption(
  out: NonNullable<Dissection['out']>,
  data: Buffer,
  at: number,
  length: number,
): void {
  const F = geneveOptionFields;
  const optionClass = u16(data, at);
  const type = data[at + 2];
  const title = `Unknown, Class: ${OPTION_CLASSES.get(optionClass) ?? 'Unknown'} (${hex(optionClass, 4)}) Type: ${hex(type, 2)} (${type & 0x80 ? 'Critical' : 'Non-critical'})`;
  out.open(F.option, '', at, length, undefined, title);
  out.add(F.optionClass, optionClass, at, 2);
  out.open(F.type, type, at + 2, 1);
  out.add(F.typeCritical, (type & 0x80) !== 0, at + 2, 1, type);
  out.close();
  out.add(F.flags, data[at + 3] & 0xe0, at + 3, 1);
  out.add(F.length, length, at + 3, 1);
  if (length > 4) out.add(F.data, data.subarray(at + 4, at + length), at + 4, length - 4);
  out.close();
}

export const geneve: Protocol = {
  name: 'geneve',
  longName: 'Generic Network Virtualization Encapsulation',
  fields: [
    ...Object.values(geneveFields),
    {
      group: geneveOptionFields.option,
      members: [
        geneveOptionFields.optionClass,
        geneveOptionFields.type,
        geneveOptionFields.typeCritical,
        geneveOptionFields.flags,
        geneveOptionFields.length,
        geneveOptionFields.data,
      ],
    },
  ],
  problems: [
    {
      id: 'geneve.truncated',
      severity: 'warning',
      layer: 'geneve',
      description: 'GENEVE header cut short by the capture',
    },
    {
      id: 'geneve.options.bad',
      severity: 'error',
      layer: 'geneve',
      description: 'GENEVE options run past the header or the capture',
      reference: 'RFC 8926 §3.5',
    },
  ],
  registrations: [{ table: 'udp.port', key: 6081 }],
  decode: decodeGeneve,
  titleFields: [geneveFields.vni],
  title: (_layer, nodes) =>
    `Generic Network Virtualization Encapsulation, VNI: ${shownOf(nodes, geneveFields.vni).split(' ')[0]}`,
  column: () => 'GENEVE',
  linkKey: (data, layer) =>
    layer.offset + HEADER <= data.length
      ? `geneve${data.readUIntBE(layer.offset + 4, 3)}`
      : undefined,
};
