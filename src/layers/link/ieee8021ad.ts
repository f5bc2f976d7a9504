import { startLayer } from '../../field-out.js';
import { field, shownOf } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOffByEthertype, type Dissection, type Protocol } from '../registry.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';

export const ieee8021adFields = {
  priority: field({
    abbrev: 'ieee8021ad.priority',
    name: 'Priority',
    kind: 'uint',
    mask: 0xe000,
    bitWidth: 16,
  }),
  dei: field({ abbrev: 'ieee8021ad.dei', name: 'DEI', kind: 'uint', mask: 0x1000, bitWidth: 16 }),
  id: field({ abbrev: 'ieee8021ad.id', name: 'ID', kind: 'uint', mask: 0x0fff, bitWidth: 16 }),
  /** tshark 4.0 names the type after the tag under 802.1ah's field. */
  etype: field({
    abbrev: 'ieee8021ah.etype',
    name: 'Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
};

const TAG = 4;

/** An IEEE 802.1ad service tag (S-tag, TPID 0x88a8): priority, DEI, S-VLAN id, inner type. */
function decodeServiceTag(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'ieee8021ad', start, Math.min(TAG, end - start));
  if (end - start < TAG) {
    const message = `802.1ad tag needs ${TAG} bytes, ${end - start} captured`;
    report(d, 'ieee8021ad.truncated', start, message, layer);
    return;
  }
  const tci = u16(data, start);
  const type = u16(data, start + 2);
  const out = d.out;
  if (out) {
    out.add(ieee8021adFields.priority, tci >>> 13, start, 2, tci);
    out.add(ieee8021adFields.dei, (tci >>> 12) & 1, start, 2, tci);
    out.add(ieee8021adFields.id, tci & 0x0fff, start, 2, tci);
    out.add(ieee8021adFields.etype, type, start + 2, 2);
  }
  handOffByEthertype(d, type, start + TAG, end, wireEnd);
}

export const ieee8021ad: Protocol = {
  name: 'ieee8021ad',
  longName: 'IEEE 802.1ad',
  fields: Object.values(ieee8021adFields),
  problems: [
    {
      id: 'ieee8021ad.truncated',
      severity: 'warning',
      layer: 'ieee8021ad',
      description: '802.1ad service tag cut short',
    },
  ],
  registrations: [{ table: 'ethertype', key: 0x88a8 }],
  decode: decodeServiceTag,
  titleFields: [ieee8021adFields.id],
  title: (_layer, nodes) => `IEEE 802.1ad, ID: ${shownOf(nodes, ieee8021adFields.id)}`,
  linkKey: (data, layer) =>
    layer.offset + 2 <= data.length ? `svlan${u16(data, layer.offset) & 0x0fff}` : undefined,
  transparent: true,
};
