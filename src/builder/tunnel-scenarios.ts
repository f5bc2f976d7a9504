/**
 * IGMP wherever it travels: one frame per encapsulation the dissector follows, alone and
 * stacked (GRE with each of its options, IP-in-IP, VXLAN, GENEVE, MPLS, PPPoE, an IPv6
 * underlay, 802.3/LLC, 802.11 with and without radiotap), and the defects and detours a
 * tunnel can add. Every frame carries a correct IGMP message, sent as the RFCs say.
 */
import { igmpV2, igmpV3Report } from './igmp.js';
import { ipv4 } from './ipv4.js';
import { ethernet } from './link.js';
import { pcapngFile, type EnhancedPacketBlock } from './pcapng.js';
import {
  geneve,
  gre,
  ieee80211Data,
  ieee8023,
  ipv6,
  llcSnap,
  mpls,
  pppoeSession,
  radiotap,
  udp,
  vxlan,
} from './tunnel.js';

export interface TunnelFrame {
  name: string;
  /** LINKTYPE_* of the interface it is captured on. */
  linkType: number;
  data: Buffer;
}

const HOST = { ip: '10.1.1.10', mac: '02:00:00:00:00:01' };
const GROUP = '239.1.1.1';
/** Outer (underlay) endpoints and routers' MACs. */
const OUTER_A = '198.18.0.1';
const OUTER_B = '198.18.0.2';
const OUTER6_A = '2001:db8::1';
const OUTER6_B = '2001:db8::2';
const ROUTER_A = '00:11:22:33:44:55';
const ROUTER_B = '66:77:88:99:aa:bb';
const AP = '00:aa:bb:cc:dd:ee';

/** The inner message: a v2 report for 239.1.1.1 from the host, TTL 1 with Router Alert. */
function innerIpv4(group = GROUP): Buffer {
  return ipv4({ src: HOST.ip, dst: group, payload: igmpV2({ type: 0x16, group }) });
}

function innerV3Report(): Buffer {
  return ipv4({
    src: HOST.ip,
    dst: '224.0.0.22',
    payload: igmpV3Report({ records: [{ type: 4, group: '239.2.2.2' }] }),
  });
}

function innerEthernet(payload = innerIpv4(), vlanId?: number): Buffer {
  return ethernet({
    src: HOST.mac,
    vlans: vlanId === undefined ? undefined : [{ id: vlanId }],
    payload,
    padTo60: false,
  });
}

/** An outer IPv4 datagram between the tunnel endpoints (TTL 64, no Router Alert). */
function outer4(protocol: number, payload: Buffer): Buffer {
  return ipv4({
    src: OUTER_A,
    dst: OUTER_B,
    protocol,
    payload,
    ttl: 64,
    tos: 0,
    id: 0x1234,
    routerAlert: false,
  });
}

function underlayEth(payload: Buffer, etherType = 0x0800): Buffer {
  return ethernet({ src: ROUTER_A, dst: ROUTER_B, etherType, payload });
}

function udpTo(
  port: number,
  payload: Buffer,
  src = OUTER_A,
  dst = OUTER_B,
  checksum?: number,
): Buffer {
  return udp({ src, dst, srcPort: 49152, dstPort: port, payload, checksum });
}

/** The encapsulations, each frame correct. */
export function tunnelFrames(): TunnelFrame[] {
  const eth = (name: string, data: Buffer): TunnelFrame => ({ name, linkType: 1, data });
  const inner = innerIpv4();
  return [
    eth('GRE', underlayEth(outer4(47, gre({ protocol: 0x0800, payload: inner })))),
    eth(
      'GRE with checksum',
      underlayEth(outer4(47, gre({ protocol: 0x0800, checksum: true, payload: inner }))),
    ),
    eth(
      'GRE with key',
      underlayEth(outer4(47, gre({ protocol: 0x0800, key: 0xdeadbeef, payload: inner }))),
    ),
    eth(
      'GRE with sequence number',
      underlayEth(outer4(47, gre({ protocol: 0x0800, sequence: 7, payload: inner }))),
    ),
    eth(
      'GRE with checksum, key and sequence number',
      underlayEth(
        outer4(
          47,
          gre({ protocol: 0x0800, checksum: true, key: 42, sequence: 1, payload: innerV3Report() }),
        ),
      ),
    ),
    eth(
      'GRE carrying Ethernet (0x6558)',
      underlayEth(outer4(47, gre({ protocol: 0x6558, key: 100, payload: innerEthernet() }))),
    ),
    eth(
      'GRE carrying MPLS',
      underlayEth(outer4(47, gre({ protocol: 0x8847, payload: mpls([{ label: 300 }], inner) }))),
    ),
    eth('IPv4 in IPv4', underlayEth(outer4(4, inner))),
    eth(
      'VXLAN',
      underlayEth(outer4(17, udpTo(4789, vxlan({ vni: 4242, payload: innerEthernet() })))),
    ),
    eth(
      'VXLAN with an inner 802.1Q tag',
      underlayEth(outer4(17, udpTo(4789, vxlan({ vni: 200, payload: innerEthernet(inner, 10) })))),
    ),
    eth(
      'GENEVE with an option',
      underlayEth(
        outer4(
          17,
          udpTo(
            6081,
            geneve({
              vni: 0x1234,
              protocol: 0x6558,
              options: [{ optionClass: 0x0103, type: 0x01, data: Buffer.from([10, 11, 12, 13]) }],
              payload: innerEthernet(),
            }),
          ),
        ),
      ),
    ),
    eth(
      'GENEVE carrying IPv4',
      underlayEth(outer4(17, udpTo(6081, geneve({ vni: 7, protocol: 0x0800, payload: inner })))),
    ),
    eth('MPLS, 1 label', underlayEth(mpls([{ label: 16, ttl: 255 }], inner), 0x8847)),
    eth(
      'MPLS, 2 labels',
      underlayEth(
        mpls(
          [
            { label: 1000, exp: 5, ttl: 255 },
            { label: 2000, ttl: 63 },
          ],
          inner,
        ),
        0x8847,
      ),
    ),
    eth(
      'MPLS, 3 labels',
      underlayEth(mpls([{ label: 17 }, { label: 18 }, { label: 19, exp: 3 }], inner), 0x8847),
    ),
    eth(
      'PPPoE session',
      underlayEth(pppoeSession({ sessionId: 0x1234, pppProtocol: 0x0021, payload: inner }), 0x8864),
    ),
    eth(
      'IPv6 underlay carrying GRE',
      underlayEth(
        ipv6({
          src: OUTER6_A,
          dst: OUTER6_B,
          nextHeader: 47,
          payload: gre({ protocol: 0x0800, payload: inner }),
        }),
        0x86dd,
      ),
    ),
    eth(
      'IPv6 underlay with a hop-by-hop header carrying IPv4',
      underlayEth(
        ipv6({
          src: OUTER6_A,
          dst: OUTER6_B,
          nextHeader: 4,
          extensions: [{ type: 0, body: Buffer.from([0x05, 0x02, 0x00, 0x00]) }],
          payload: inner,
        }),
        0x86dd,
      ),
    ),
    eth(
      'IPv6 underlay with routing, fragment and destination options headers',
      underlayEth(
        ipv6({
          src: OUTER6_A,
          dst: OUTER6_B,
          nextHeader: 4,
          extensions: [
            { type: 43, body: Buffer.from([0, 0, 0, 0, 0, 0]) },
            { type: 44, body: Buffer.from([0, 0, 0x12, 0x34, 0x56, 0x78]) },
            { type: 60 },
          ],
          payload: inner,
        }),
        0x86dd,
      ),
    ),
    eth(
      'VXLAN over an IPv6 underlay',
      underlayEth(
        ipv6({
          src: OUTER6_A,
          dst: OUTER6_B,
          nextHeader: 17,
          payload: udpTo(4789, vxlan({ vni: 77, payload: innerEthernet() }), OUTER6_A, OUTER6_B),
        }),
        0x86dd,
      ),
    ),
    eth(
      'QinQ underlay carrying VXLAN',
      ethernet({
        src: ROUTER_A,
        dst: ROUTER_B,
        vlans: [{ tpid: 0x88a8, id: 100 }, { id: 20 }],
        payload: outer4(17, udpTo(4789, vxlan({ vni: 9, payload: innerEthernet() }))),
      }),
    ),
    eth(
      '802.3 with LLC/SNAP',
      ieee8023({ dst: '01:00:5e:01:01:01', src: HOST.mac, payload: llcSnap(0x0800, inner) }),
    ),
    {
      name: '802.11 data from the AP (From DS)',
      linkType: 105,
      data: ieee80211Data({
        toDs: false,
        fromDs: true,
        addr1: '01:00:5e:01:01:01',
        addr2: AP,
        addr3: HOST.mac,
        sequence: 291,
        payload: llcSnap(0x0800, inner),
      }),
    },
    {
      name: '802.11 QoS data to the AP (To DS)',
      linkType: 105,
      data: ieee80211Data({
        toDs: true,
        fromDs: false,
        addr1: AP,
        addr2: HOST.mac,
        addr3: '01:00:5e:00:00:16',
        qosTid: 6,
        sequence: 12,
        payload: llcSnap(0x0800, innerV3Report()),
      }),
    },
    {
      name: 'radiotap and 802.11 QoS data from the AP, with FCS',
      linkType: 127,
      data: radiotap({
        flags: 0x10,
        rate: 2,
        channel: { mhz: 2437, flags: 0x00a0 },
        signal: -40,
        antenna: 1,
        payload: ieee80211Data({
          toDs: false,
          fromDs: true,
          addr1: '01:00:5e:01:01:01',
          addr2: AP,
          addr3: HOST.mac,
          qosTid: 5,
          sequence: 291,
          fcs: true,
          payload: llcSnap(0x0800, inner),
        }),
      }),
    },
    {
      name: 'radiotap and 802.11 data (no FCS)',
      linkType: 127,
      data: radiotap({
        rate: 108,
        signal: -61,
        payload: ieee80211Data({
          toDs: false,
          fromDs: true,
          addr1: '01:00:5e:01:01:01',
          addr2: AP,
          addr3: HOST.mac,
          payload: llcSnap(0x0800, inner),
        }),
      }),
    },
  ];
}

/** Tunnel frames with something wrong, or that igmpscope cannot follow without help. */
export function tunnelDefectFrames(): TunnelFrame[] {
  const eth = (name: string, data: Buffer): TunnelFrame => ({ name, linkType: 1, data });
  const inner = innerIpv4();
  const badUdp = udpTo(4789, vxlan({ vni: 5, payload: innerEthernet() }), OUTER_A, OUTER_B, 0x1234);
  return [
    eth(
      'GRE with a bad checksum',
      underlayEth(
        outer4(
          47,
          gre({ protocol: 0x0800, checksum: true, checksumValue: 0xbeef, payload: inner }),
        ),
      ),
    ),
    eth('VXLAN with a bad UDP checksum', underlayEth(outer4(17, badUdp))),
    eth(
      'VXLAN with UDP checksum 0 (none)',
      underlayEth(
        outer4(17, udpTo(4789, vxlan({ vni: 6, payload: innerEthernet() }), OUTER_A, OUTER_B, 0)),
      ),
    ),
    eth(
      'VXLAN on port 8472 (Linux default; not VXLAN without --decode-as)',
      underlayEth(outer4(17, udpTo(8472, vxlan({ vni: 8, payload: innerEthernet() })))),
    ),
    eth(
      'unknown ethertype 0x88b5',
      underlayEth(Buffer.from('local experimental ethertype payload'), 0x88b5),
    ),
    eth(
      'MPLS whose payload starts with nibble 5',
      underlayEth(mpls([{ label: 16 }], Buffer.from([0x50, 0, 0, 0, 1, 2, 3, 4])), 0x8847),
    ),
    eth(
      'PPPoE length past the frame',
      underlayEth(
        pppoeSession({ sessionId: 1, pppProtocol: 0x0021, payload: inner, length: 200 }),
        0x8864,
      ),
    ),
    eth(
      'GRE header cut short',
      underlayEth(outer4(47, Buffer.from([0xb0, 0x00, 0x08, 0x00, 0x00]))).subarray(0, 14 + 20 + 5),
    ),
    eth(
      'inner IPv4 multicast sent to a unicast inner MAC',
      underlayEth(
        outer4(
          17,
          udpTo(
            4789,
            vxlan({
              vni: 3,
              payload: ethernet({ src: HOST.mac, dst: ROUTER_B, payload: inner, padTo60: false }),
            }),
          ),
        ),
      ),
    ),
  ];
}

/** A pcapng of frames, one interface per link type they use, a second apart. */
export function tunnelCapture(frames: TunnelFrame[], epoch = 1700000000): Buffer {
  const linkTypes = [...new Set(frames.map((f) => f.linkType))];
  const blocks: EnhancedPacketBlock[] = frames.map((f, i) => ({
    kind: 'epb',
    interfaceId: linkTypes.indexOf(f.linkType),
    timestamp: BigInt(epoch + i) * 1_000_000n,
    data: f.data,
  }));
  return pcapngFile({
    sections: [{ interfaces: linkTypes.map((linkType) => ({ linkType, snapLen: 0 })), blocks }],
  });
}
