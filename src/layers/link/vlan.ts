import { startLayer } from '../../field-out.js';
import { field, findNode, names, shownOf } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOffByEthertype, type Dissection, type Protocol } from '../registry.js';
import { ETHERTYPE_NAMES, VLAN_TPIDS } from './ethertypes.js';

export const vlanFields = {
  priority: field({
    abbrev: 'vlan.priority',
    name: 'Priority',
    kind: 'uint',
    mask: 0xe000,
    bitWidth: 16,
    names: names({
      0: 'Best Effort (default)',
      1: 'Background',
      2: 'Excellent Effort',
      3: 'Critical Applications',
      4: 'Video, < 100ms latency and jitter',
      5: 'Voice, < 10ms latency and jitter',
      6: 'Internetwork Control',
      7: 'Network Control',
    }),
  }),
  dei: field({
    abbrev: 'vlan.dei',
    name: 'DEI',
    kind: 'bool',
    mask: 0x1000,
    bitWidth: 16,
    trueFalse: ['Eligible', 'Ineligible'],
  }),
  id: field({ abbrev: 'vlan.id', name: 'ID', kind: 'uint', mask: 0x0fff, bitWidth: 16 }),
  etype: field({
    abbrev: 'vlan.etype',
    name: 'Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
};

const VLAN_TAG = 4;

/** An 802.1Q / 802.1ad tag: priority, DEI, VLAN id and the type of what follows. */
function decodeVlan(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'vlan', start, Math.min(VLAN_TAG, end - start));
  if (end - start < VLAN_TAG) {
    const message = `802.1Q tag needs ${VLAN_TAG} bytes, ${end - start} captured`;
    report(d, 'vlan.truncated', start, message, layer);
    return;
  }
  const tci = u16(data, start);
  const type = u16(data, start + 2);
  const out = d.out;
  if (out) {
    out.add(vlanFields.priority, tci >>> 13, start, 2, tci);
    out.add(vlanFields.dei, (tci & 0x1000) !== 0, start, 2, tci);
    out.add(vlanFields.id, tci & 0x0fff, start, 2, tci);
    out.add(vlanFields.etype, type, start + 2, 2);
  }
  handOffByEthertype(d, type, start + VLAN_TAG, end, wireEnd);
}

export const vlan: Protocol = {
  name: 'vlan',
  longName: '802.1Q Virtual LAN',
  fields: Object.values(vlanFields),
  problems: [
    {
      id: 'vlan.truncated',
      severity: 'warning',
      layer: 'vlan',
      description: '802.1Q tag cut short',
    },
  ],
  // 0x88a8 is 802.1ad's service tag, a protocol of its own to tshark (ieee8021ad.ts).
  registrations: VLAN_TPIDS.filter((key) => key !== 0x88a8).map((key) => ({
    table: 'ethertype',
    key,
  })),
  decode: decodeVlan,
  titleFields: [vlanFields.priority, vlanFields.dei, vlanFields.id],
  title: (_layer, nodes) =>
    `802.1Q Virtual LAN, PRI: ${String(findNode(nodes, vlanFields.priority)?.value ?? '?')}, DEI: ${findNode(nodes, vlanFields.dei)?.value ? 1 : 0}, ID: ${shownOf(nodes, vlanFields.id)}`,
  linkKey: (data, layer) =>
    layer.offset + 2 <= data.length ? `vlan${u16(data, layer.offset) & 0x0fff}` : undefined,
  transparent: true,
};
