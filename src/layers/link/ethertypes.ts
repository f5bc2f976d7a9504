import { names } from '../../fields.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** Ethernet type/length values below this are 802.3 lengths, followed by LLC (IEEE 802.3 §3.2.6). */
export const ETHERTYPE_MIN = 0x0600;

/** Tag protocol identifiers that start an 802.1Q / 802.1ad tag (0x9100: pre-standard QinQ). */
export const VLAN_TPIDS: readonly number[] = [0x8100, 0x88a8, 0x9100];

export const ETHERTYPE_NAMES = names({
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x6558: 'Transparent Ethernet bridging',
  0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'VLAN-tagged frame (Q-in-Q)',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x888e: '802.1X Authentication',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x88b5: 'Local Experimental Ethertype 1',
  0x88b6: 'Local Experimental Ethertype 2',
});
