/**
 * The IGMP family beyond IGMPv1–v3, one frame per message kind: multicast traceroute, DVMRP
 * v3 and v1, PIMv1 (a Register carrying an IPv4/UDP packet among them), RGMP, MSNIP, RFC 4286
 * router discovery and the old MRDISC draft's Termination, IGAP and IGMPv0; one frame with a
 * wrong checksum for each protocol; and the defects their decoders report (counts that lie,
 * a partial traceroute block, a PIM version other than 1, types sent to the wrong address).
 */
import {
  dvmrpNeighbors2,
  dvmrpProbe,
  dvmrpPruneGraft,
  dvmrpReport,
  dvmrpV1,
  dvmrpV3,
  igap,
  igmpV0,
  mrdAdvertisement,
  mrdShort,
  msnipGroupMap,
  msnipInterestSolicitation,
  msnipReceiverReport,
  mtrace,
  mtraceBlock,
  pimV1,
  pimV1Assert,
  pimV1JoinPrune,
  pimV1Query,
  pimV1Register,
  pimV1RegisterStop,
  pimV1RpReachable,
  rgmp,
  type MtraceOptions,
  type PimV1JoinPruneOptions,
} from './family.js';
import { igmpRaw } from './igmp.js';
import { ipv4 } from './ipv4.js';
import { ethernet } from './link.js';
import { pcapFile } from './pcap.js';
import { udp } from './tunnel.js';

export interface FamilyFrame {
  name: string;
  data: Buffer;
}

interface Station {
  ip: string;
  mac: string;
}

const ROUTER_1: Station = { ip: '10.0.0.1', mac: '02:00:00:00:00:01' };
const ROUTER_2: Station = { ip: '10.0.0.2', mac: '02:00:00:00:00:02' };
const RP: Station = { ip: '10.0.0.9', mac: '02:00:00:00:00:09' };
const HOST: Station = { ip: '10.0.0.10', mac: '02:00:00:00:00:0a' };
const SOURCE = '10.1.1.10';
const GROUP = '239.1.2.3';

/**
 * Ethernet and IPv4 (TTL 1, ToS 0xc0) around a message, to a multicast group's MAC or, for a
 * unicast destination, to the MAC of the station that has the address. Router Alert where the
 * protocol asks for it (MSNIP, IGAP, RFC 4286 §3).
 */
function frame(from: Station, to: string | Station, message: Buffer, routerAlert = false): Buffer {
  const dst = typeof to === 'string' ? to : to.ip;
  return ethernet({
    src: from.mac,
    dst: typeof to === 'string' ? undefined : to.mac,
    payload: ipv4({ src: from.ip, dst, payload: message, routerAlert }),
  });
}

/** The same message with a checksum off by 0x1111. */
function badChecksum(message: Buffer): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE((copy.readUInt16BE(2) + 0x1111) & 0xffff, 2);
  return copy;
}

const TRACE: MtraceOptions = {
  group: GROUP,
  source: SOURCE,
  receiver: HOST.ip,
  responseAddress: HOST.ip,
  queryId: 703710,
};
const HOP_1 = mtraceBlock({
  arrival: 0xe1234567,
  inAddr: '10.0.1.1',
  outAddr: ROUTER_1.ip,
  prevRouter: '10.0.1.2',
  inPackets: 1000,
  outPackets: 990,
  total: 500,
  fwdTtl: 1,
});
const HOP_2 = mtraceBlock({
  arrival: 0xe12345f0,
  inAddr: '10.1.1.1',
  outAddr: '10.0.1.2',
  prevRouter: '0.0.0.0',
  inPackets: 2000,
  outPackets: 1990,
  total: 1500,
  rtgProto: 1,
  s: true,
  fwdCode: 2,
});

function mtraceFrames(): FamilyFrame[] {
  const query = mtrace(TRACE);
  return [
    { name: 'mtrace query', data: frame(HOST, '224.0.0.2', query) },
    {
      name: 'mtrace request, 1 block',
      data: frame(ROUTER_1, ROUTER_2, mtrace({ ...TRACE, blocks: HOP_1 })),
    },
    {
      name: 'mtrace response, 2 blocks',
      data: frame(
        ROUTER_1,
        HOST,
        mtrace({ ...TRACE, type: 0x1e, blocks: Buffer.concat([HOP_1, HOP_2]) }),
      ),
    },
    {
      name: 'mtrace response, no block',
      data: frame(ROUTER_1, HOST, mtrace({ ...TRACE, type: 0x1e })),
    },
    {
      name: 'mtrace response with a partial block',
      data: frame(
        ROUTER_1,
        HOST,
        mtrace({ ...TRACE, type: 0x1e, blocks: Buffer.concat([HOP_1, HOP_2.subarray(0, 16)]) }),
      ),
    },
    { name: 'mtrace query, bad checksum', data: frame(HOST, '224.0.0.2', badChecksum(query)) },
  ];
}

const ALL_DVMRP_ROUTERS = '224.0.0.4';

function dvmrpFrames(): FamilyFrame[] {
  const probe = dvmrpProbe({ genId: 0x5f3a1c22, neighbors: [ROUTER_2.ip, '10.0.0.3'] });
  const request = dvmrpV1(2, Buffer.from([2, 2]));
  const interfaces = [
    {
      local: ROUTER_1.ip,
      metric: 1,
      threshold: 1,
      flags: 0x40,
      neighbors: [ROUTER_2.ip, '10.0.0.3'],
    },
    { local: '192.168.5.1', metric: 3, threshold: 16, flags: 0x13, neighbors: ['192.168.9.1'] },
  ];
  const prune = { source: SOURCE, group: GROUP, netmask: '255.255.255.0' };
  return [
    { name: 'dvmrp probe', data: frame(ROUTER_1, ALL_DVMRP_ROUTERS, probe) },
    {
      name: 'dvmrp report',
      data: frame(
        ROUTER_1,
        ALL_DVMRP_ROUTERS,
        dvmrpReport([
          {
            mask: '255.255.255.0',
            sources: [
              { network: '10.1.2.0', metric: 1 },
              { network: '10.1.3.0', metric: 3 },
            ],
          },
          { mask: '255.255.0.0', sources: [{ network: '172.16.0.0', metric: 2 }] },
          { mask: '0.0.0.0', sources: [{ network: '0.0.0.0', metric: 5 }] },
        ]),
      ),
    },
    {
      name: 'dvmrp ask neighbors 2',
      data: frame(HOST, ROUTER_1, dvmrpV3(5, Buffer.alloc(0), { capabilities: 0 })),
    },
    { name: 'dvmrp neighbors 2', data: frame(ROUTER_1, HOST, dvmrpNeighbors2(interfaces)) },
    { name: 'dvmrp prune', data: frame(ROUTER_2, ROUTER_1, dvmrpPruneGraft(7, prune)) },
    {
      name: 'dvmrp prune without netmask',
      data: frame(ROUTER_2, ROUTER_1, dvmrpPruneGraft(7, { source: SOURCE, group: GROUP })),
    },
    { name: 'dvmrp graft', data: frame(ROUTER_2, ROUTER_1, dvmrpPruneGraft(8, prune)) },
    { name: 'dvmrp graft ack', data: frame(ROUTER_1, ROUTER_2, dvmrpPruneGraft(9, prune)) },
    { name: 'dvmrp v1 request', data: frame(ROUTER_2, ALL_DVMRP_ROUTERS, request) },
    {
      name: 'dvmrp probe, bad checksum',
      data: frame(ROUTER_1, ALL_DVMRP_ROUTERS, badChecksum(probe)),
    },
    {
      name: 'dvmrp v1 request, bad checksum',
      data: frame(ROUTER_2, ALL_DVMRP_ROUTERS, badChecksum(request)),
    },
    {
      name: 'dvmrp neighbors 2 lying about its neighbor count',
      data: frame(ROUTER_1, HOST, dvmrpNeighbors2([{ ...interfaces[1], count: 4 }])),
    },
  ];
}

const ALL_ROUTERS = '224.0.0.2';

/** The packet a PIMv1 Register carries: UDP from the source to the group, TTL 15. */
function registeredPacket(): Buffer {
  return ipv4({
    src: SOURCE,
    dst: GROUP,
    protocol: 17,
    ttl: 15,
    tos: 0,
    id: 0x1234,
    routerAlert: false,
    payload: udp({
      src: SOURCE,
      dst: GROUP,
      srcPort: 5001,
      dstPort: 5001,
      payload: Buffer.from('hello world!'),
    }),
  });
}

function pimFrames(): FamilyFrame[] {
  const query = pimV1Query({ mode: 1, holdtime: 105 });
  const joinPrune: PimV1JoinPruneOptions = {
    upstream: ROUTER_2.ip,
    holdtime: 210,
    groups: [
      {
        group: GROUP,
        mask: '255.255.255.255',
        joins: [{ address: RP.ip, flags: 0x07 }],
        prunes: [{ address: SOURCE, flags: 0x05 }],
      },
    ],
  };
  const dummy = Buffer.alloc(20);
  Buffer.from([10, 1, 1, 10, 239, 1, 2, 3]).copy(dummy, 12);
  return [
    { name: 'pimv1 query', data: frame(ROUTER_1, ALL_ROUTERS, query) },
    { name: 'pimv1 register', data: frame(ROUTER_1, RP, pimV1Register(registeredPacket())) },
    { name: 'pimv1 register, dummy header', data: frame(ROUTER_1, RP, pimV1Register(dummy)) },
    { name: 'pimv1 register-stop', data: frame(RP, ROUTER_1, pimV1RegisterStop(GROUP, SOURCE)) },
    { name: 'pimv1 join/prune', data: frame(ROUTER_1, ALL_ROUTERS, pimV1JoinPrune(3, joinPrune)) },
    {
      name: 'pimv1 rp-reachable',
      data: frame(RP, ALL_ROUTERS, pimV1RpReachable(GROUP, '255.255.255.255', RP.ip, 270)),
    },
    {
      name: 'pimv1 assert',
      data: frame(ROUTER_1, ALL_ROUTERS, pimV1Assert(GROUP, '255.255.255.255', true, 101, 20)),
    },
    { name: 'pimv1 graft', data: frame(ROUTER_1, ROUTER_2, pimV1JoinPrune(6, joinPrune)) },
    { name: 'pimv1 graft-ack', data: frame(ROUTER_2, ROUTER_1, pimV1JoinPrune(7, joinPrune)) },
    {
      name: 'pimv1 mode',
      data: frame(ROUTER_1, ALL_ROUTERS, pimV1(8, Buffer.from([0x10, 0, 0, 0]))),
    },
    { name: 'pimv1 query, bad checksum', data: frame(ROUTER_1, ALL_ROUTERS, badChecksum(query)) },
    {
      name: 'pimv1 join/prune lying about its groups',
      data: frame(ROUTER_1, ALL_ROUTERS, pimV1JoinPrune(3, { ...joinPrune, numGroups: 2 })),
    },
    {
      name: 'pim version 2 in igmp type 0x14',
      data: frame(ROUTER_1, ALL_ROUTERS, pimV1Query({ mode: 1, holdtime: 105, version: 2 })),
    },
  ];
}

const ALL_RGMP_ROUTERS = '224.0.0.25';

function rgmpFrames(): FamilyFrame[] {
  return [
    { name: 'rgmp hello', data: frame(ROUTER_1, ALL_RGMP_ROUTERS, rgmp(0xff, '0.0.0.0')) },
    { name: 'rgmp bye', data: frame(ROUTER_1, ALL_RGMP_ROUTERS, rgmp(0xfe, '0.0.0.0')) },
    { name: 'rgmp join', data: frame(ROUTER_1, ALL_RGMP_ROUTERS, rgmp(0xfd, GROUP)) },
    { name: 'rgmp leave', data: frame(ROUTER_1, ALL_RGMP_ROUTERS, rgmp(0xfc, GROUP)) },
    {
      name: 'rgmp join, bad checksum',
      data: frame(ROUTER_1, ALL_RGMP_ROUTERS, badChecksum(rgmp(0xfd, GROUP))),
    },
    { name: 'rgmp hello to 224.0.0.1', data: frame(ROUTER_1, '224.0.0.1', rgmp(0xff, '0.0.0.0')) },
  ];
}

const ALL_IGMPV3_ROUTERS = '224.0.0.22';

function msnipFrames(): FamilyFrame[] {
  const solicitation = msnipInterestSolicitation(120, 4660);
  const ranges = [
    { group: '232.1.1.0', prefix: 24 },
    { group: '232.2.0.0', prefix: 16 },
  ];
  const to = (message: Buffer) => frame(ROUTER_1, ALL_IGMPV3_ROUTERS, message, true);
  return [
    { name: 'msnip group map', data: to(msnipGroupMap(300, ranges)) },
    {
      name: 'msnip interest solicitation',
      data: frame(HOST, ALL_IGMPV3_ROUTERS, solicitation, true),
    },
    {
      name: 'msnip receiver membership report',
      data: to(
        msnipReceiverReport([
          { type: 1, group: '232.1.1.1' },
          { type: 2, group: '232.1.1.2' },
        ]),
      ),
    },
    {
      name: 'msnip interest solicitation, bad checksum',
      data: frame(HOST, ALL_IGMPV3_ROUTERS, badChecksum(solicitation), true),
    },
    {
      name: 'msnip group map lying about its count',
      data: to(msnipGroupMap(300, ranges, { count: 3 })),
    },
  ];
}

const ALL_SNOOPERS = '224.0.0.106';

function routerDiscoveryFrames(): FamilyFrame[] {
  const advertisement = mrdAdvertisement(20, 125, 2);
  const termination = mrdShort(0x26);
  return [
    {
      name: 'rfc 4286 advertisement',
      data: frame(ROUTER_1, ALL_SNOOPERS, advertisement, true),
    },
    { name: 'rfc 4286 solicitation', data: frame(HOST, ALL_ROUTERS, mrdShort(0x31), true) },
    { name: 'rfc 4286 termination', data: frame(ROUTER_1, ALL_SNOOPERS, mrdShort(0x32), true) },
    {
      name: 'rfc 4286 advertisement, bad checksum',
      data: frame(ROUTER_1, ALL_SNOOPERS, badChecksum(advertisement), true),
    },
    { name: 'old-draft mrdisc termination', data: frame(ROUTER_1, ALL_ROUTERS, termination, true) },
    {
      name: 'old-draft mrdisc termination, bad checksum',
      data: frame(ROUTER_1, ALL_ROUTERS, badChecksum(termination), true),
    },
  ];
}

function igapFrames(): FamilyFrame[] {
  const md5 = Buffer.from('9e107d9d372bb6826bd81d3542a419d6', 'hex');
  const passwordJoin = igap({
    type: 0x40,
    group: GROUP,
    subtype: 0x02,
    account: 'alice',
    message: Buffer.from('secret12'),
  });
  return [
    { name: 'igap password join', data: frame(HOST, GROUP, passwordJoin, true) },
    {
      name: 'igap basic query',
      data: frame(
        ROUTER_1,
        '224.0.0.1',
        igap({ type: 0x41, maxResp: 100, group: '0.0.0.0', subtype: 0x21 }),
        true,
      ),
    },
    {
      name: 'igap challenge-response leave',
      data: frame(
        HOST,
        ALL_ROUTERS,
        igap({
          type: 0x42,
          group: GROUP,
          subtype: 0x44,
          challengeId: 8,
          account: 'alice',
          message: md5,
        }),
        true,
      ),
    },
    {
      name: 'igap password join, bad checksum',
      data: frame(HOST, GROUP, badChecksum(passwordJoin), true),
    },
    {
      name: 'igap sizes above the fields',
      data: frame(
        HOST,
        GROUP,
        igap({
          type: 0x40,
          group: GROUP,
          subtype: 0x02,
          account: 'alice',
          message: Buffer.from('secret12'),
          asize: 20,
          msize: 80,
        }),
        true,
      ),
    },
  ];
}

function igmpV0Frames(): FamilyFrame[] {
  const key = Buffer.from('a1b2c3d4e5f60718', 'hex');
  const join = igmpV0({ type: 3, identifier: 0x1234567a, group: '224.5.6.7', accessKey: key });
  return [
    {
      name: 'igmpv0 create group request',
      data: frame(
        HOST,
        ROUTER_1,
        igmpV0({ type: 1, code: 1, identifier: 0x12345679, group: '0.0.0.0' }),
      ),
    },
    {
      name: 'igmpv0 create group reply',
      data: frame(
        ROUTER_1,
        HOST,
        igmpV0({ type: 2, identifier: 0x12345679, group: '224.5.6.7', accessKey: key }),
      ),
    },
    { name: 'igmpv0 join group request', data: frame(HOST, ROUTER_1, join) },
    {
      name: 'igmpv0 join group reply, pending',
      data: frame(
        ROUTER_1,
        HOST,
        igmpV0({ type: 4, code: 10, identifier: 0x1234567a, group: '224.5.6.7', accessKey: key }),
      ),
    },
    {
      name: 'igmpv0 join group request, bad checksum',
      data: frame(HOST, ROUTER_1, badChecksum(join)),
    },
    {
      name: 'igmpv0 join group request of 24 bytes',
      data: frame(
        HOST,
        ROUTER_1,
        igmpV0({
          type: 3,
          identifier: 0x1234567a,
          group: '224.5.6.7',
          accessKey: key,
          extra: Buffer.from('deadbeef', 'hex'),
        }),
      ),
    },
  ];
}

/** Every family frame, in the order of the capture. */
export function familyFrames(): FamilyFrame[] {
  return [
    ...mtraceFrames(),
    ...dvmrpFrames(),
    ...pimFrames(),
    ...rgmpFrames(),
    ...msnipFrames(),
    ...routerDiscoveryFrames(),
    ...igapFrames(),
    ...igmpV0Frames(),
    {
      name: 'unknown type 0x21',
      data: frame(HOST, ALL_ROUTERS, igmpRaw(0x21, Buffer.from('ef010203', 'hex'))),
    },
  ];
}

/** The family frames as a classic µs pcap, a second apart from `epoch`. */
export function familyCapture(epoch = 1700000000): Buffer {
  return pcapFile({
    snapLen: 65535,
    packets: familyFrames().map((f, n) => ({ data: f.data, tsSec: epoch + n, tsFrac: 0 })),
  });
}
