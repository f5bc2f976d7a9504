import { startLayer } from '../../field-out.js';
import { field } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOffTo, type Dissection, type Protocol } from '../registry.js';

export const vxlanFields = {
  flags: field({
    abbrev: 'vxlan.flags',
    name: 'Flags',
    kind: 'uint',
    hexDigits: 4,
    show: (n) => {
      const v = n.value as number;
      return `0x${v.toString(16).padStart(4, '0')}${v & 0x0800 ? ', VXLAN Network ID (VNI)' : ''}`;
    },
  }),
  flagG: field({
    abbrev: 'vxlan.flag_g',
    name: 'GBP Extension',
    kind: 'bool',
    mask: 0x8000,
    bitWidth: 16,
    trueFalse: ['Defined', 'Not defined'],
  }),
  flagI: field({
    abbrev: 'vxlan.flag_i',
    name: 'VXLAN Network ID (VNI)',
    kind: 'bool',
    mask: 0x0800,
    bitWidth: 16,
  }),
  flagD: field({
    abbrev: 'vxlan.flag_d',
    name: "Don't Learn",
    kind: 'bool',
    mask: 0x0040,
    bitWidth: 16,
  }),
  flagA: field({
    abbrev: 'vxlan.flag_a',
    name: 'Policy Applied',
    kind: 'bool',
    mask: 0x0008,
    bitWidth: 16,
  }),
  reserved: field({
    abbrev: 'vxlan.flags_reserved',
    name: 'Reserved(R)',
    kind: 'uint',
    hexDigits: 4,
    mask: 0x77b7,
    bitWidth: 16,
  }),
  gbp: field({ abbrev: 'vxlan.gbp', name: 'Group Policy ID', kind: 'uint' }),
  vni: field({ abbrev: 'vxlan.vni', name: 'VXLAN Network Identifier (VNI)', kind: 'uint' }),
  reserved8: field({ abbrev: 'vxlan.reserved8', name: 'Reserved', kind: 'uint' }),
};

const HEADER = 8;

/**
 * VXLAN (RFC 7348 §5, with the group-policy extension's fields as tshark shows them): flags,
 * the 24-bit VNI, then an Ethernet frame.
 */
function decodeVxlan(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'vxlan', start, Math.min(HEADER, end - start));
  if (end - start < HEADER) {
    report(
      d,
      'vxlan.truncated',
      start,
      `VXLAN header needs 8 bytes, ${end - start} captured`,
      layer,
    );
    return;
  }
  const flags = u16(data, start);
  const out = d.out;
  if (out) {
    out.open(vxlanFields.flags, flags, start, 2);
    out.add(vxlanFields.flagG, (flags & 0x8000) !== 0, start, 2, flags);
    out.add(vxlanFields.flagI, (flags & 0x0800) !== 0, start, 2, flags);
    out.add(vxlanFields.flagD, (flags & 0x0040) !== 0, start, 2, flags);
    out.add(vxlanFields.flagA, (flags & 0x0008) !== 0, start, 2, flags);
    out.add(vxlanFields.reserved, flags & 0x77b7, start, 2, flags);
    out.close();
    out.add(vxlanFields.gbp, u16(data, start + 2), start + 2, 2);
    out.add(vxlanFields.vni, data.readUIntBE(start + 4, 3), start + 4, 3);
    out.add(vxlanFields.reserved8, data[start + 7], start + 7, 1);
  }
  handOffTo(d, 'eth', start + HEADER, end, wireEnd);
}

export const vxlan: Protocol = {
  name: 'vxlan',
  longName: 'Virtual eXtensible Local Area Network',
  fields: Object.values(vxlanFields),
  problems: [
    {
      id: 'vxlan.truncated',
      severity: 'warning',
      layer: 'vxlan',
      description: 'VXLAN header cut short by the capture',
    },
  ],
  registrations: [{ table: 'udp.port', key: 4789 }],
  decode: decodeVxlan,
  title: () => 'Virtual eXtensible Local Area Network',
  column: () => 'VXLAN',
  linkKey: (data, layer) =>
    layer.offset + HEADER <= data.length
      ? `vxlan${data.readUIntBE(layer.offset + 4, 3)}`
      : undefined,
};
