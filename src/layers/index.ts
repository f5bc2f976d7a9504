/**
 * Every protocol igmpscope decodes, registered in its dispatch tables. Adding a protocol is one
 * module that declares a Protocol, and one line here.
 */
import { dvmrp } from './igmp/dvmrp.js';
import { igap } from './igmp/igap.js';
import { mrdisc } from './igmp/mrdisc.js';
import { msnip } from './igmp/msnip.js';
import { pim } from './igmp/pim.js';
import { igmp } from './igmp/protocol.js';
import { rgmp } from './igmp/rgmp.js';
import { ipv4 } from './ip/ipv4.js';
import { ipv6 } from './ip/ipv6.js';
import { udp } from './ip/udp.js';
import { ethernet } from './link/ethernet.js';
import { ieee8021ad } from './link/ieee8021ad.js';
import { llc } from './link/llc.js';
import { nullLoopback } from './link/null.js';
import { ppp } from './link/ppp.js';
import { pppoes } from './link/pppoe.js';
import { raw } from './link/raw.js';
import { sll } from './link/sll.js';
import { vlan } from './link/vlan.js';
import { register, registerKnownEnd, type TableName } from './registry.js';
import { geneve } from './tunnel/geneve.js';
import { gre } from './tunnel/gre.js';
import { mpls } from './tunnel/mpls.js';
import { vxlan } from './tunnel/vxlan.js';
import { radiotap } from './wlan/radiotap.js';
import { wlan } from './wlan/wlan.js';

const PROTOCOLS = [
  ethernet,
  ieee8021ad,
  vlan,
  sll,
  nullLoopback,
  raw,
  radiotap,
  wlan,
  llc,
  pppoes,
  ppp,
  mpls,
  ipv4,
  ipv6,
  udp,
  gre,
  vxlan,
  geneve,
  igmp,
  dvmrp,
  pim,
  rgmp,
  msnip,
  mrdisc,
  igap,
];

for (const protocol of PROTOCOLS) register(protocol);

/**
 * Traffic whose protocol is known and carries no IP packet igmpscope could follow, by its
 * Wireshark name: the walk ends there without counting the frame as traffic it could not read.
 */
const KNOWN_ENDS: readonly [TableName, number, string][] = [
  ['ethertype', 0x0806, 'arp'],
  ['ethertype', 0x8035, 'arp'],
  ['ethertype', 0x8809, 'slow'],
  ['ethertype', 0x888e, 'eapol'],
  ['ethertype', 0x88cc, 'lldp'],
  ['ethertype', 0x88f7, 'ptp'],
  ['ethertype', 0x8863, 'pppoed'],
  ['ethertype', 0x9000, 'loop'],
  ['ip.proto', 1, 'icmp'],
  ['ip.proto', 6, 'tcp'],
  ['ip.proto', 50, 'esp'],
  ['ip.proto', 51, 'ah'],
  ['ip.proto', 58, 'icmpv6'],
  ['ip.proto', 88, 'eigrp'],
  ['ip.proto', 89, 'ospf'],
  ['ip.proto', 103, 'pim'],
  ['ip.proto', 112, 'vrrp'],
  ['ip.proto', 132, 'sctp'],
  ['udp.port', 53, 'dns'],
  ['udp.port', 67, 'dhcp'],
  ['udp.port', 68, 'dhcp'],
  ['udp.port', 69, 'tftp'],
  ['udp.port', 123, 'ntp'],
  ['udp.port', 137, 'nbns'],
  ['udp.port', 138, 'nbdgm'],
  ['udp.port', 161, 'snmp'],
  ['udp.port', 162, 'snmp'],
  ['udp.port', 319, 'ptp'],
  ['udp.port', 320, 'ptp'],
  ['udp.port', 443, 'quic'],
  ['udp.port', 500, 'isakmp'],
  ['udp.port', 514, 'syslog'],
  ['udp.port', 520, 'rip'],
  ['udp.port', 546, 'dhcpv6'],
  ['udp.port', 547, 'dhcpv6'],
  ['udp.port', 1812, 'radius'],
  ['udp.port', 1813, 'radius'],
  ['udp.port', 1900, 'ssdp'],
  ['udp.port', 3478, 'stun'],
  ['udp.port', 3702, 'wsdd'],
  ['udp.port', 4500, 'udpencap'],
  ['udp.port', 5353, 'mdns'],
  ['udp.port', 5355, 'llmnr'],
];

for (const [table, key, name] of KNOWN_ENDS) registerKnownEnd(table, key, name);
