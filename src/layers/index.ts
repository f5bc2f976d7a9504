/**
 * Every protocol igmpscope decodes, registered in its dispatch tables. Adding a protocol is one
 * module that declares a Protocol, and one line here.
 */
import { igmp } from './igmp/protocol.js';
import { ipv4 } from './ip/ipv4.js';
import { ethernet } from './link/ethernet.js';
import { nullLoopback } from './link/null.js';
import { raw } from './link/raw.js';
import { sll } from './link/sll.js';
import { vlan } from './link/vlan.js';
import { register, registerKnownEnd, type TableName } from './registry.js';

const PROTOCOLS = [ethernet, vlan, sll, nullLoopback, raw, ipv4, igmp];

for (const protocol of PROTOCOLS) register(protocol);

/**
 * Traffic whose protocol is known and carries no IP packet igmpscope could follow: the walk
 * ends there without counting the frame as traffic it could not read.
 */
const KNOWN_ENDS: readonly [TableName, number, string][] = [
  ['ethertype', 0x0806, 'ARP'],
  ['ethertype', 0x8035, 'RARP'],
  ['ethertype', 0x8809, 'Slow Protocols (LACP)'],
  ['ethertype', 0x888e, '802.1X Authentication'],
  ['ethertype', 0x88cc, 'LLDP'],
  ['ethertype', 0x88f7, 'PTP'],
  ['ethertype', 0x8863, 'PPPoE Discovery'],
  ['ethertype', 0x9000, 'Loopback'],
  ['ip.proto', 1, 'ICMP'],
  ['ip.proto', 6, 'TCP'],
  ['ip.proto', 50, 'ESP'],
  ['ip.proto', 51, 'AH'],
  ['ip.proto', 58, 'ICMPv6'],
  ['ip.proto', 88, 'EIGRP'],
  ['ip.proto', 89, 'OSPF'],
  ['ip.proto', 103, 'PIM'],
  ['ip.proto', 112, 'VRRP'],
  ['ip.proto', 132, 'SCTP'],
  ['udp.port', 53, 'DNS'],
  ['udp.port', 67, 'DHCP'],
  ['udp.port', 68, 'DHCP'],
  ['udp.port', 69, 'TFTP'],
  ['udp.port', 123, 'NTP'],
  ['udp.port', 137, 'NetBIOS Name Service'],
  ['udp.port', 138, 'NetBIOS Datagram Service'],
  ['udp.port', 161, 'SNMP'],
  ['udp.port', 162, 'SNMP trap'],
  ['udp.port', 319, 'PTP'],
  ['udp.port', 320, 'PTP'],
  ['udp.port', 443, 'QUIC'],
  ['udp.port', 500, 'ISAKMP'],
  ['udp.port', 514, 'Syslog'],
  ['udp.port', 520, 'RIP'],
  ['udp.port', 546, 'DHCPv6'],
  ['udp.port', 547, 'DHCPv6'],
  ['udp.port', 1812, 'RADIUS'],
  ['udp.port', 1813, 'RADIUS'],
  ['udp.port', 1900, 'SSDP'],
  ['udp.port', 3478, 'STUN'],
  ['udp.port', 3702, 'WS-Discovery'],
  ['udp.port', 4500, 'IPsec NAT traversal'],
  ['udp.port', 5353, 'mDNS'],
  ['udp.port', 5355, 'LLMNR'],
];

for (const [table, key, name] of KNOWN_ENDS) registerKnownEnd(table, key, name);
