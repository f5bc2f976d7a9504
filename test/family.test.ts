import assert from 'node:assert/strict';
import { infoColumn, protocolColumn } from '../src/output/info.js';
import { test } from 'node:test';
import { familyFrames } from '../src/builder/family-scenarios.js';
import {
  ethernet,
  igmpV0,
  ipv4,
  msnipGroupMap,
  mrdAdvertisement,
  mrdShort,
  pimV1Register,
  udp,
} from '../src/builder/index.js';
import type { Dissection } from '../src/dissect.js';
import { protocolChain } from '../src/layers/registry.js';
import { igmpInfo } from '../src/layers/igmp/info.js';
import { dissectBytes, jsonOf, problemIds } from './helpers.js';

/** The layer a family message ends up in, its Protocol label, Info and problems. */
const EXPECTED: Record<string, [string, string, string, string[]]> = {
  'mtrace query': ['igmp', 'IGMP', 'Traceroute Query', []],
  'mtrace request, 1 block': ['igmp', 'IGMP', 'Traceroute Request', []],
  'mtrace response, 2 blocks': ['igmp', 'IGMP', 'Traceroute Response, 2 blocks', []],
  'mtrace response, no block': ['igmp', 'IGMP', 'Traceroute Response, 0 blocks', []],
  'mtrace response with a partial block': [
    'igmp',
    'IGMP',
    'Traceroute Response, 1 block',
    ['igmp.mtrace.partial_block'],
  ],
  'mtrace query, bad checksum': ['igmp', 'IGMP', 'Traceroute Query', ['igmp.checksum.bad']],
  'dvmrp probe': ['dvmrp', 'DVMRP', 'V3 Probe', []],
  'dvmrp report': ['dvmrp', 'DVMRP', 'V3 Report', []],
  'dvmrp ask neighbors 2': ['dvmrp', 'DVMRP', 'V3 Ask Neighbors 2', []],
  'dvmrp neighbors 2': ['dvmrp', 'DVMRP', 'V3 Neighbors 2', []],
  'dvmrp prune': ['dvmrp', 'DVMRP', 'V3 Prune', []],
  'dvmrp prune without netmask': ['dvmrp', 'DVMRP', 'V3 Prune', []],
  'dvmrp graft': ['dvmrp', 'DVMRP', 'V3 Graft', []],
  'dvmrp graft ack': ['dvmrp', 'DVMRP', 'V3 Graft ACK', []],
  'dvmrp v1 request': ['dvmrp', 'DVMRP', 'V1 Request', []],
  'dvmrp probe, bad checksum': ['dvmrp', 'DVMRP', 'V3 Probe', ['dvmrp.checksum.bad']],
  'dvmrp v1 request, bad checksum': ['dvmrp', 'DVMRP', 'V1 Request', ['dvmrp.checksum.bad']],
  'dvmrp neighbors 2 lying about its neighbor count': [
    'dvmrp',
    'DVMRP',
    'V3 Neighbors 2',
    ['dvmrp.ncount.overflow'],
  ],
  'pimv1 query': ['pim', 'PIMv1', 'Query', []],
  'pimv1 register': ['udp', 'PIMv1', 'Register', []],
  'pimv1 register, dummy header': ['pim', 'PIMv1', 'Register', []],
  'pimv1 register-stop': ['pim', 'PIMv1', 'Register-stop', []],
  'pimv1 join/prune': ['pim', 'PIMv1', 'Join/Prune', []],
  'pimv1 rp-reachable': ['pim', 'PIMv1', 'RP-Reachable', []],
  'pimv1 assert': ['pim', 'PIMv1', 'Assert', []],
  'pimv1 graft': ['pim', 'PIMv1', 'Graft', []],
  'pimv1 graft-ack': ['pim', 'PIMv1', 'Graft-Ack', []],
  'pimv1 mode': ['pim', 'PIMv1', 'Mode', []],
  'pimv1 query, bad checksum': ['pim', 'PIMv1', 'Query', ['pim.checksum.bad']],
  'pimv1 join/prune lying about its groups': [
    'pim',
    'PIMv1',
    'Join/Prune',
    ['pim.numgroups.overflow'],
  ],
  'pim version 2 in igmp type 0x14': ['pim', 'PIMv1', 'Query', ['pim.version.bad']],
  'rgmp hello': ['rgmp', 'RGMP', 'Hello', []],
  'rgmp bye': ['rgmp', 'RGMP', 'Bye', []],
  'rgmp join': ['rgmp', 'RGMP', 'Join', []],
  'rgmp leave': ['rgmp', 'RGMP', 'Leave', []],
  'rgmp join, bad checksum': ['rgmp', 'RGMP', 'Join', ['rgmp.checksum.bad']],
  'rgmp hello to 224.0.0.1': ['igmp', 'IGMP', 'Unknown Type:0xff', ['igmp.type.wrong_dst']],
  'msnip group map': ['msnip', 'MSNIP', 'Multicast Group Map', []],
  'msnip interest solicitation': ['msnip', 'MSNIP', 'Multicast Interest Solicitation', []],
  'msnip receiver membership report': [
    'msnip',
    'MSNIP',
    'Multicast Receiver Membership Report',
    [],
  ],
  'msnip interest solicitation, bad checksum': [
    'msnip',
    'MSNIP',
    'Multicast Interest Solicitation',
    ['msnip.checksum.bad'],
  ],
  'msnip group map lying about its count': [
    'msnip',
    'MSNIP',
    'Multicast Group Map',
    ['msnip.count.overflow'],
  ],
  'rfc 4286 advertisement': ['mrdisc', 'MRDISC', 'Multicast Router Advertisement', []],
  'rfc 4286 solicitation': ['mrdisc', 'MRDISC', 'Multicast Router Solicitation', []],
  'rfc 4286 termination': ['mrdisc', 'MRDISC', 'Multicast Router Termination', []],
  'rfc 4286 advertisement, bad checksum': [
    'mrdisc',
    'MRDISC',
    'Multicast Router Advertisement',
    ['mrdisc.checksum.bad'],
  ],
  'old-draft mrdisc termination': ['mrdisc', 'MRDISC', 'Multicast Router Termination', []],
  'old-draft mrdisc termination, bad checksum': [
    'mrdisc',
    'MRDISC',
    'Multicast Router Termination',
    ['mrdisc.checksum.bad'],
  ],
  'igap password join': ['igap', 'IGAP', 'Membership Report (Join)', []],
  'igap basic query': ['igap', 'IGAP', 'Membership Query', []],
  'igap challenge-response leave': ['igap', 'IGAP', 'Leave Group', []],
  'igap password join, bad checksum': [
    'igap',
    'IGAP',
    'Membership Report (Join)',
    ['igap.checksum.bad'],
  ],
  'igap sizes above the fields': ['igap', 'IGAP', 'Membership Report (Join)', ['igap.size.bad']],
  'igmpv0 create group request': ['igmp', 'IGMPv0', 'Create Group Request', []],
  'igmpv0 create group reply': ['igmp', 'IGMPv0', 'Create Group Reply', []],
  'igmpv0 join group request': ['igmp', 'IGMPv0', 'Join Group Request', []],
  'igmpv0 join group reply, pending': ['igmp', 'IGMPv0', 'Join Group Reply', []],
  'igmpv0 join group request, bad checksum': [
    'igmp',
    'IGMPv0',
    'Join Group Request',
    ['igmp.checksum.bad'],
  ],
  'igmpv0 join group request of 24 bytes': [
    'igmp',
    'IGMPv0',
    'Join Group Request',
    ['igmp.trailing_bytes'],
  ],
  'unknown type 0x21': ['igmp', 'IGMP', 'Unknown Type:0x21', ['igmp.type.unknown']],
};

test('every family message of the built capture: its layer, label, Info and problems', () => {
  const frames = familyFrames();
  assert.deepEqual(frames.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
  for (const f of frames) {
    const d = dissectBytes(f.data);
    const [layer, label, info, problems] = EXPECTED[f.name];
    assert.equal(d.layers.at(-1)?.protocol, layer, f.name);
    assert.equal(d.igmp?.label, label, f.name);
    assert.equal(igmpInfo(d.igmp!), info, f.name);
    assert.deepEqual(problemIds(d), problems, f.name);
    const bad = problems.some((p) => p.endsWith('.checksum.bad'));
    // Not judged: an unknown layout, and a PIM version other than 1.
    const unjudged = info.startsWith('Unknown') || problems.includes('pim.version.bad');
    assert.equal(d.igmp?.checksumStatus, bad ? 'bad' : unjudged ? 'unverified' : 'good', f.name);
  }
});

const frameNamed = (name: string): Dissection =>
  dissectBytes(familyFrames().find((f) => f.name === name)!.data);

test('RFC 4286: advertisement interval, query interval and robustness variable, checksum over the message', () => {
  const adv = jsonOf(frameNamed('rfc 4286 advertisement')).mrdisc as Record<string, unknown>;
  assert.deepEqual(adv, {
    'mrdisc.type': 0x30,
    'mrdisc.adv_int': 20,
    'mrdisc.checksum': mrdAdvertisement(20, 125, 2).readUInt16BE(2),
    'mrdisc.checksum.status': 'good',
    'mrdisc.query_int': 125,
    'mrdisc.rob_var': 2,
  });
  const bad = jsonOf(frameNamed('rfc 4286 advertisement, bad checksum')).mrdisc as Record<
    string,
    unknown
  >;
  assert.equal(bad['mrdisc.checksum_calculated'], adv['mrdisc.checksum']);
  const solicitation = jsonOf(frameNamed('rfc 4286 solicitation')).mrdisc as Record<
    string,
    unknown
  >;
  assert.equal(solicitation['mrdisc.reserved'], 0);
  assert.equal(solicitation['mrdisc.checksum'], mrdShort(0x31).readUInt16BE(2));
  // The old draft's Termination is shown as Wireshark shows it: type and checksum alone.
  const old = jsonOf(frameNamed('old-draft mrdisc termination')).mrdisc as Record<string, unknown>;
  assert.deepEqual(Object.keys(old), ['mrdisc.type', 'mrdisc.checksum', 'mrdisc.checksum.status']);
});

/** An Ethernet/IPv4 frame from 10.0.0.1 to 10.0.0.9 around a message. */
function toRp(message: Buffer): Buffer {
  return ethernet({
    src: '02:00:00:00:00:01',
    dst: '02:00:00:00:00:09',
    payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.9', payload: message, routerAlert: false }),
  });
}

/** A copy of `message` whose checksum covers only its first `span` bytes. */
function checksumOver(message: Buffer, span: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(0, 2);
  let sum = 0;
  for (let i = 0; i < span; i += 2) sum += (copy[i] << 8) | (copy[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  copy.writeUInt16BE(~sum & 0xffff, 2);
  return copy;
}

test('PIMv1 Register: the carried packet is one more ip layer; the checksum covers the whole message', () => {
  const d = frameNamed('pimv1 register');
  assert.equal(protocolChain(d.layers), 'eth:ethertype:ip:igmp:pim:ip:udp:data');
  const json = jsonOf(d) as Record<string, unknown>;
  assert.ok(!('igmp' in json));
  const ips = json.ip as Record<string, unknown>[];
  assert.deepEqual(
    ips.map((ip) => [ip['ip.src'], ip['ip.dst'], ip['ip.proto']]),
    [
      ['10.0.0.1', '10.0.0.9', 2],
      ['10.1.1.10', '239.1.2.3', 17],
    ],
  );
  assert.equal((json.pim as Record<string, unknown>)['pim.cksum.status'], 'good');
  assert.deepEqual(d.igmp && [d.igmp.label, d.igmp.code, d.igmp.start], ['PIMv1', 1, 34]);
  // The Register speaks for the frame, as in tshark: shown by default, PIMv1/Register in its
  // columns, the carried packet's addresses in the summary, the outer datagram checked.
  assert.equal(d.isIgmp, true);
  assert.deepEqual([protocolColumn(d), infoColumn(d)], ['PIMv1', 'Register']);
  assert.deepEqual(
    [d.src, d.dst, d.ip?.src, d.ip?.dst],
    ['10.1.1.10', '239.1.2.3', '10.0.0.1', '10.0.0.9'],
  );
  // Wireshark's span (the first 8 bytes) is wrong here: the message is 48 bytes.
  const inner = ipv4({
    src: '10.1.1.10',
    dst: '239.1.2.3',
    protocol: 17,
    routerAlert: false,
    payload: udp({
      src: '10.1.1.10',
      dst: '239.1.2.3',
      srcPort: 1,
      dstPort: 2,
      payload: Buffer.alloc(4),
    }),
  });
  const eight = dissectBytes(toRp(checksumOver(pimV1Register(inner), 8)));
  assert.equal(eight.layers.find((l) => l.protocol === 'pim') !== undefined, true);
  assert.deepEqual(problemIds(eight), ['pim.checksum.bad']);
});

test('IGMPv0: the checksum covers the whole message (Wireshark: its first 20 bytes)', () => {
  const extra = Buffer.from('deadbeef', 'hex');
  const long = igmpV0({ type: 3, identifier: 1, group: '224.5.6.7', extra });
  const whole = dissectBytes(toRp(long));
  assert.equal(whole.igmp?.checksumStatus, 'good');
  assert.deepEqual(problemIds(whole), ['igmp.trailing_bytes']);
  const twenty = dissectBytes(toRp(checksumOver(long, 20)));
  assert.equal(twenty.igmp?.checksumStatus, 'bad');
  const short = dissectBytes(
    toRp(igmpV0({ type: 3, identifier: 1, group: '224.5.6.7' }).subarray(0, 8)),
  );
  assert.deepEqual(problemIds(short), ['igmp.too_short']);
  assert.equal(short.igmp?.checksumStatus, 'unverified');
  assert.equal(short.igmp?.malformed, true);
});

test('MSNIP Group Map: the 32-bit holdtime and each range (Wireshark 4.0 shows the count as holdtime)', () => {
  const msg = msnipGroupMap(300, [{ group: '232.1.1.0', prefix: 24 }]);
  const d = dissectBytes(
    ethernet({
      src: '02:00:00:00:00:01',
      payload: ipv4({ src: '10.0.0.1', dst: '224.0.0.22', payload: msg }),
    }),
  );
  const msnip = jsonOf(d).msnip as Record<string, unknown>;
  assert.equal(msnip['msnip.holdtime'], 300);
  assert.deepEqual(msnip['msnip.groups'], [{ 'msnip.maddr': '232.1.1.0', 'msnip.netmask': 24 }]);
});

test('JSON of the family layers: routes, interfaces, join/prune groups and traceroute blocks', () => {
  const report = jsonOf(frameNamed('dvmrp report')).dvmrp as Record<string, unknown>;
  assert.deepEqual(report['dvmrp.route'], [
    {
      'dvmrp.netmask': '255.255.255.0',
      'dvmrp.saddr': ['10.1.2.0', '10.1.3.0'],
      'dvmrp.metric': [1, 3],
    },
    { 'dvmrp.netmask': '255.255.0.0', 'dvmrp.saddr': ['172.16.0.0'], 'dvmrp.metric': [2] },
    { 'dvmrp.netmask': '255.0.0.0', 'dvmrp.saddr': ['0.0.0.0'], 'dvmrp.metric': [5] },
  ]);
  const n2 = jsonOf(frameNamed('dvmrp neighbors 2')).dvmrp as Record<string, unknown>;
  assert.deepEqual(n2['dvmrp.local'], ['10.0.0.1', '192.168.5.1']);
  assert.deepEqual(n2['dvmrp.ncount'], [2, 1]);
  assert.deepEqual(n2['dvmrp.neighbor'], ['10.0.0.2', '10.0.0.3', '192.168.9.1']);
  assert.deepEqual(
    (n2['dvmrp.flags'] as Record<string, boolean>[]).map((f) => [
      f['dvmrp.flag.tunnel'],
      f['dvmrp.flag.querier'],
    ]),
    [
      [false, true],
      [true, false],
    ],
  );
  const jp = jsonOf(frameNamed('pimv1 join/prune')).pim as Record<string, unknown>;
  assert.deepEqual(jp['pim.res_bytes'], ['00:00:00', '00:00', '00']);
  const option = jp['pim.option'] as Record<string, unknown>;
  assert.equal(option['pim.mask_len'], 4);
  assert.deepEqual(option['pim.groups'], [
    {
      'pim.group': '239.1.2.3',
      'pim.group_mask': '255.255.255.255',
      'pim.numjoins': 1,
      'pim.joins': [
        {
          'pim.src_flags.a': 0,
          'pim.src_flags.s': 1,
          'pim.src_flags.w': 1,
          'pim.src_flags.r': 1,
          'pim.src_flags.rsv': 0,
          'pim.mask_len': 32,
          'pim.join_ip': '10.0.0.9',
        },
      ],
      'pim.numprunes': 1,
      'pim.prunes': [
        {
          'pim.src_flags.a': 0,
          'pim.src_flags.s': 1,
          'pim.src_flags.w': 0,
          'pim.src_flags.r': 1,
          'pim.src_flags.rsv': 0,
          'pim.mask_len': 32,
          'pim.prune_ip': '10.1.1.10',
        },
      ],
    },
  ]);
  const trace = jsonOf(frameNamed('mtrace response, 2 blocks')).igmp as Record<string, unknown>;
  const blocks = trace['igmp.mtrace.blocks'] as Record<string, unknown>[];
  assert.deepEqual(
    blocks.map((b) => [
      b['igmp.mtrace.q_inaddr'],
      b['igmp.mtrace.q_rtg_proto'],
      b['igmp.mtrace.q_s'],
      b['igmp.mtrace.q_fwd_code'],
    ]),
    [
      ['10.0.1.1', 3, 0, 0],
      ['10.1.1.1', 1, 1, 2],
    ],
  );
});

test('every cut of every family message: its protocol reports the cut, the checksum is unverified, no throw', () => {
  for (const f of familyFrames()) {
    const full = dissectBytes(f.data);
    const start = full.igmp!.start;
    const end = start + full.igmp!.length;
    for (let cut = start + 1; cut < end; cut++) {
      const d = dissectBytes(Buffer.from(f.data.subarray(0, cut)), { origLen: f.data.length });
      const layer = d.layers.find((l) => l.offset === start)!;
      const ids = problemIds(d);
      assert.ok(ids.includes(`${layer.protocol}.truncated`), `${f.name}, cut at ${cut}: ${ids}`);
      assert.equal(d.igmp?.checksumStatus, 'unverified', `${f.name}, cut at ${cut}`);
    }
  }
});
